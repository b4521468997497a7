SET lock_timeout = '5s';

ALTER TABLE streaming.transaction_items
    ADD COLUMN line_no bigint GENERATED ALWAYS AS IDENTITY;

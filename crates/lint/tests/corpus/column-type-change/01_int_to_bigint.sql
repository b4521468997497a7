SET lock_timeout = '5s';

ALTER TABLE streaming.transactions ALTER COLUMN amount_cents TYPE bigint;

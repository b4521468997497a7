SET lock_timeout = '5s';

ALTER TABLE "Shop"."Order Lines" ADD COLUMN total numeric(12,2) GENERATED ALWAYS AS (quantity * unit_price) STORED;

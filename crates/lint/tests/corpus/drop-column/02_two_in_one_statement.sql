SET lock_timeout = '5s';

ALTER TABLE "Shop"."Order Lines"
    DROP COLUMN IF EXISTS "Discount %",
    DROP COLUMN gift_wrap CASCADE;

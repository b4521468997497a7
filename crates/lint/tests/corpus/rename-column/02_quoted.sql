SET lock_timeout = '5s';

ALTER TABLE IF EXISTS "Sales"."Orders" RENAME "Customer Ref" TO customer_ref;

-- Everything on a table created in the same file: nothing reads it yet.
CREATE TABLE "Sales"."Orders" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL,
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_idx ON "Sales"."Orders" (customer_id);
ALTER TABLE "Sales"."Orders" ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE "Sales"."Orders" ADD CONSTRAINT orders_token_key UNIQUE (token);
ALTER TABLE "Sales"."Orders" ADD CONSTRAINT orders_placed_check CHECK (placed_at > '2000-01-01');
ALTER TABLE "Sales"."Orders" ALTER COLUMN customer_id TYPE integer;
ALTER TABLE "Sales"."Orders" RENAME TO orders;
ALTER TABLE "Sales".orders RENAME COLUMN token TO public_token;
DROP INDEX "Sales".orders_customer_idx;

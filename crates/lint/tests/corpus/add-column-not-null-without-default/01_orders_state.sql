SET lock_timeout = '5s';

-- Orders get a fulfilment state; the table already holds every order ever placed.
ALTER TABLE "Sales"."Orders" ADD COLUMN fulfilment_state text NOT NULL;

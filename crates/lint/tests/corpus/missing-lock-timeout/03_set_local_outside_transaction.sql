-- SET LOCAL outside a transaction block has no effect.
SET LOCAL lock_timeout = '2s';
ALTER TABLE accounts.users ALTER COLUMN plan DROP DEFAULT;

BEGIN;
SET LOCAL lock_timeout = '3s';
ALTER TABLE accounts.users ADD COLUMN nickname text;
COMMIT;
ALTER TABLE accounts.users ADD COLUMN avatar_url text;

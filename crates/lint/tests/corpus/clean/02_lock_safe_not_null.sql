SET lock_timeout = '5s';
-- Each statement commits on its own: the validation runs after the NOT VALID add.
ALTER TABLE accounts.users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE accounts.users VALIDATE CONSTRAINT users_email_not_null;
ALTER TABLE accounts.users ALTER COLUMN email SET NOT NULL;
ALTER TABLE accounts.users DROP CONSTRAINT users_email_not_null;

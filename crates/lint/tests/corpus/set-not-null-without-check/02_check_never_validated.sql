SET lock_timeout = '5s';

ALTER TABLE accounts.users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE accounts.users ALTER COLUMN email SET NOT NULL;

SET lock_timeout = '5s';

ALTER TABLE accounts.users ADD CONSTRAINT users_name_not_null CHECK (name IS NOT NULL) NOT VALID;
ALTER TABLE accounts.users VALIDATE CONSTRAINT users_name_not_null;
ALTER TABLE accounts.users ALTER COLUMN "Email" SET NOT NULL;

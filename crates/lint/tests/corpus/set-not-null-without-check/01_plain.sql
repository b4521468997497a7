SET lock_timeout = '5s';

ALTER TABLE accounts.users ALTER COLUMN email SET NOT NULL;

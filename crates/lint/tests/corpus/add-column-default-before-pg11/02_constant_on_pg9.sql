-- corpus: pg-version 9
SET lock_timeout = '5s';

ALTER TABLE accounts.users ADD COLUMN is_active boolean NOT NULL DEFAULT true;

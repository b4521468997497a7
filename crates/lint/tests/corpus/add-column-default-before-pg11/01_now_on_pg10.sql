-- corpus: pg-version 10
SET lock_timeout = '5s';

ALTER TABLE accounts.sessions ADD COLUMN created_at timestamptz DEFAULT now();

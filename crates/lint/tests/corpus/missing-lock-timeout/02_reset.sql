SET lock_timeout = '2s';
RESET lock_timeout;
ALTER TABLE accounts.users ALTER COLUMN plan SET DEFAULT 'free';

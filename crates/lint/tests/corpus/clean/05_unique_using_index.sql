SET lock_timeout = '5s';
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON accounts.users (email);
ALTER TABLE accounts.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;

SET lock_timeout = '5s';

ALTER TABLE accounts.users ADD CONSTRAINT users_email_key UNIQUE (email);

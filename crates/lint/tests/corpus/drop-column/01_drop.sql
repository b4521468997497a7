SET lock_timeout = '5s';

ALTER TABLE accounts.users DROP COLUMN legacy_password_hash;

SET lock_timeout = '5s';

ALTER TABLE accounts.users RENAME COLUMN name TO display_name;

SET lock_timeout = '5s';
-- schemactl-lint: allow column-type-change varchar(80) to varchar(200) is binary-coercible
ALTER TABLE accounts.users ALTER COLUMN name TYPE varchar(200);

ALTER TABLE accounts.users ADD COLUMN nickname text;

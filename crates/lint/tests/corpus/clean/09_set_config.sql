SELECT set_config('lock_timeout', '4s', false);
ALTER TABLE accounts.users ADD COLUMN nickname text;

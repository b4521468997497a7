SET lock_timeout = '5s';
ALTER TABLE accounts.users ADD COLUMN login_count integer NOT NULL DEFAULT 0;
ALTER TABLE accounts.users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE accounts.users ADD COLUMN note text DEFAULT NULL;
ALTER TABLE accounts.users ADD COLUMN initials text GENERATED ALWAYS AS (left(name, 1)) VIRTUAL;

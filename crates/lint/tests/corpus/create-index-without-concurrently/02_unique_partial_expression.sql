SET lock_timeout = '5s';

CREATE UNIQUE INDEX IF NOT EXISTS users_lower_email_key
    ON accounts.users (lower(email))
    WHERE deleted_at IS NULL;

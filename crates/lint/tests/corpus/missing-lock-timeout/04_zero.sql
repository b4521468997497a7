SET lock_timeout = 0;
CREATE TRIGGER users_touch BEFORE UPDATE ON accounts.users
    FOR EACH ROW EXECUTE FUNCTION accounts.touch_updated_at();

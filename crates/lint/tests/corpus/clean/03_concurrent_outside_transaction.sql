SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS reviews_appid_idx ON steam.reviews (appid);
DROP INDEX CONCURRENTLY IF EXISTS steam.reviews_old_idx;
REINDEX INDEX CONCURRENTLY steam.reviews_appid_idx;

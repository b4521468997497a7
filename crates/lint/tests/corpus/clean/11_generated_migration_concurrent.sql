SET lock_timeout = '5s';
-- an invalid steam.reviews_appid_idx left by an interrupted build is dropped first
DROP INDEX CONCURRENTLY IF EXISTS steam.reviews_appid_idx;
CREATE INDEX CONCURRENTLY reviews_appid_idx ON steam.reviews (appid);

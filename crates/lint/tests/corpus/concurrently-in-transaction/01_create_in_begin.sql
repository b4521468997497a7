BEGIN;
CREATE INDEX CONCURRENTLY reviews_appid_idx ON steam.reviews (appid);
COMMIT;

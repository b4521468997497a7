-- corpus: transaction
DROP INDEX CONCURRENTLY IF EXISTS steam.reviews_appid_idx;

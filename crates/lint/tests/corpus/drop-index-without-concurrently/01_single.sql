SET lock_timeout = '5s';

DROP INDEX steam.reviews_appid_idx;

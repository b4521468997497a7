SET lock_timeout = '5s';

CREATE INDEX reviews_appid_idx ON steam.reviews (appid);

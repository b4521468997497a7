SET lock_timeout = '5s';

ALTER TABLE steam.reviews RENAME TO app_reviews;

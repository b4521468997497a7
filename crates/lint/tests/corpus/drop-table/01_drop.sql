SET lock_timeout = '5s';

DROP TABLE steam.review_imports;

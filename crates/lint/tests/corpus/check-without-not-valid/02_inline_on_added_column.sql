SET lock_timeout = '5s';

ALTER TABLE steam.reviews ADD COLUMN score smallint CHECK (score BETWEEN 0 AND 100);

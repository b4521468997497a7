SET lock_timeout = '5s';

ALTER TABLE ims.crawl_sessions ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();

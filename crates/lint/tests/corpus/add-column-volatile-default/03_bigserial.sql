SET lock_timeout = '5s';

ALTER TABLE audit.events ADD COLUMN seq bigserial;

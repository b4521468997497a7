SET lock_timeout = '5s';

ALTER TABLE geo.stores ADD COLUMN region_id integer DEFAULT 1 REFERENCES geo.regions (id);

SET lock_timeout = '5s';

ALTER TABLE catalog.products ADD COLUMN sku text UNIQUE;

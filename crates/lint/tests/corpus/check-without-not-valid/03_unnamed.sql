SET lock_timeout = '5s';

ALTER TABLE "Inventory".stock ADD CHECK (quantity >= 0 OR backorder);

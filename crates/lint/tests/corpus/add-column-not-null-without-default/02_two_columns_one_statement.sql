SET lock_timeout = '5s';

ALTER TABLE ONLY billing.invoices
    ADD COLUMN note text,
    ADD COLUMN "currencyCode" character(3) NOT NULL;

SET lock_timeout = '5s';

ALTER TABLE payments.refunds ADD CONSTRAINT refunds_amount_positive CHECK (amount > 0);

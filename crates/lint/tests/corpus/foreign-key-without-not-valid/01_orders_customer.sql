SET lock_timeout = '5s';

ALTER TABLE sales.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES sales.customers (id);

SET lock_timeout = '5s';

DROP SCHEMA IF EXISTS staging CASCADE;

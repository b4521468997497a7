SET lock_timeout = '5s';

DROP TABLE IF EXISTS ims.analytics_daily, "IMS"."Audit Log" CASCADE;

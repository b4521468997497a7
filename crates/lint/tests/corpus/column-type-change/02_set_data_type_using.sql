SET lock_timeout = '5s';

ALTER TABLE "Legacy"."Customer Notes"
    ALTER COLUMN "Body" SET DATA TYPE varchar(2000) USING left("Body", 2000);

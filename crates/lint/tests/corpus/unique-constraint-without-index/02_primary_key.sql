SET lock_timeout = '5s';

ALTER TABLE "Legacy"."Imported Rows" ADD PRIMARY KEY (id);

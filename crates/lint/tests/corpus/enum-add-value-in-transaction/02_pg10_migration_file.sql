-- corpus: pg-version 10
-- corpus: transaction
ALTER TYPE "Sales"."Order State" ADD VALUE 'on hold';

ALTER TABLE commission_jobs DROP COLUMN worker;

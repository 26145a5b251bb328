ALTER TABLE epcis_captures DROP COLUMN lease;
ALTER TABLE epcis_captures DROP COLUMN running;

ALTER TABLE serials DROP COLUMN state_since;

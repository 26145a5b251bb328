-- Large capture documents are captured in the background: the job is recorded as running
-- first, under the lease of the process that runs it (db::lease), so a status read can tell a
-- job still at work from one whose process died.
ALTER TABLE epcis_captures ADD COLUMN running BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE epcis_captures ADD COLUMN lease TEXT;

-- An inspection recorded with an Idempotency-Key is recorded once per organisation and key;
-- the digest of the request tells a replay from a different request under the same key.
ALTER TABLE inspections ADD COLUMN idempotency_key TEXT;
ALTER TABLE inspections ADD COLUMN request_digest TEXT;
CREATE UNIQUE INDEX inspections_org_idempotency_key ON inspections (org_id, idempotency_key);

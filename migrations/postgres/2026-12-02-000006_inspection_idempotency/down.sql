DROP INDEX inspections_org_idempotency_key;
ALTER TABLE inspections DROP COLUMN request_digest;
ALTER TABLE inspections DROP COLUMN idempotency_key;

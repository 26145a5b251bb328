-- UNTP 0.6.1 Digital Traceability Event credentials the platform issued for an item, lot or
-- SSCC: the signed journey of its events at the time of issue. A passport links them by URL
-- and SHA-256 digest of `content`, so a row never changes once written.
CREATE TABLE traceability_credentials (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    epc TEXT NOT NULL,
    events_sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    jws TEXT NOT NULL,
    kid TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL
);
CREATE INDEX traceability_credentials_epc ON traceability_credentials (epc, issued_at);

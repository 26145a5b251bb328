-- The products area (SQLite): capacity counters per company prefix, the index allocation
-- probes, and the "one default link per (gtin, lot, serial)" invariant.
-- *_refs_used count the references in use (an item reference counts once, whatever GTIN-14
-- indicators are issued on it), so capacity is read without counting issued_keys.

ALTER TABLE company_prefixes ADD COLUMN gtin_refs_used BIGINT NOT NULL DEFAULT 0;
ALTER TABLE company_prefixes ADD COLUMN sscc_refs_used BIGINT NOT NULL DEFAULT 0;
ALTER TABLE company_prefixes ADD COLUMN gln_refs_used BIGINT NOT NULL DEFAULT 0;

CREATE INDEX issued_keys_prefix_kind_ref ON issued_keys (prefix_id, kind, reference);

CREATE UNIQUE INDEX resolver_links_one_default ON resolver_links (gtin, lot, serial) WHERE is_default;

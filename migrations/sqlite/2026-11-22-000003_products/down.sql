DROP INDEX resolver_links_one_default;
DROP INDEX issued_keys_prefix_kind_ref;
ALTER TABLE company_prefixes DROP COLUMN gln_refs_used;
ALTER TABLE company_prefixes DROP COLUMN sscc_refs_used;
ALTER TABLE company_prefixes DROP COLUMN gtin_refs_used;

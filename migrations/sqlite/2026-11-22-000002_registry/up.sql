-- The product registry: company prefixes and issued keys, products, lots and serials,
-- accreditation, certificates, passports, resolver links, inspections and alerts (SQLite).
-- Dates without time are TEXT 'YYYY-MM-DD'; absent lot or serial in a unique key is '' (NULLs
-- are never equal in a UNIQUE constraint on either backend); lists are JSON arrays in TEXT.

CREATE TABLE company_prefixes (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    prefix TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    next_item_ref BIGINT NOT NULL DEFAULT 0,
    next_serial_ref BIGINT NOT NULL DEFAULT 0,
    next_location_ref BIGINT NOT NULL DEFAULT 0,
    licensed_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX company_prefixes_org_id ON company_prefixes (org_id);

CREATE TABLE issued_keys (
    id TEXT PRIMARY KEY NOT NULL,
    prefix_id TEXT NOT NULL REFERENCES company_prefixes (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    reference BIGINT NOT NULL,
    description TEXT,
    issued_by TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    UNIQUE (kind, key)
);
CREATE INDEX issued_keys_org_kind ON issued_keys (org_id, kind);

CREATE TABLE products (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    gtin TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_vi TEXT,
    description_en TEXT,
    brand TEXT,
    gpc_brick TEXT,
    hs_code TEXT,
    country_of_origin TEXT,
    net_content TEXT,
    net_content_unit TEXT,
    image_url TEXT,
    target_markets TEXT NOT NULL DEFAULT '[]',
    standards TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX products_org_id ON products (org_id);

CREATE TABLE lots (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    gtin TEXT NOT NULL REFERENCES products (gtin),
    lot TEXT NOT NULL,
    production_date TEXT,
    expiry_date TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (gtin, lot)
);

CREATE TABLE commission_jobs (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    gtin TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_digest TEXT NOT NULL,
    total BIGINT NOT NULL,
    done BIGINT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, idempotency_key)
);

CREATE TABLE serials (
    gtin TEXT NOT NULL,
    serial TEXT NOT NULL,
    org_id TEXT NOT NULL,
    lot TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    job_id TEXT,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (gtin, serial)
);

CREATE TABLE accreditation_signatures (
    id TEXT PRIMARY KEY NOT NULL,
    body_org_id TEXT NOT NULL REFERENCES organisations (id),
    arrangement TEXT NOT NULL,
    scope TEXT NOT NULL,
    status TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX accreditation_signatures_body ON accreditation_signatures (body_org_id);

CREATE TABLE accreditations (
    id TEXT PRIMARY KEY NOT NULL,
    body_org_id TEXT NOT NULL REFERENCES organisations (id),
    cab_org_id TEXT NOT NULL REFERENCES organisations (id),
    number TEXT NOT NULL,
    standard TEXT NOT NULL,
    scope_standards TEXT NOT NULL DEFAULT '[]',
    scope_categories TEXT NOT NULL DEFAULT '[]',
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (body_org_id, number)
);
CREATE INDEX accreditations_cab ON accreditations (cab_org_id);

CREATE TABLE certificates (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    cab_org_id TEXT NOT NULL REFERENCES organisations (id),
    holder_org_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    standards TEXT NOT NULL DEFAULT '[]',
    gpc_brick TEXT,
    issue_date TEXT NOT NULL,
    expiry_date TEXT,
    status TEXT NOT NULL,
    unaccredited BOOLEAN NOT NULL DEFAULT FALSE,
    accreditation_id TEXT REFERENCES accreditations (id),
    document_sha256 TEXT,
    document_url TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX certificates_holder ON certificates (holder_org_id);
CREATE INDEX certificates_cab ON certificates (cab_org_id);

CREATE TABLE certificate_gtins (
    certificate_id TEXT NOT NULL REFERENCES certificates (id),
    gtin TEXT NOT NULL,
    PRIMARY KEY (certificate_id, gtin)
);
CREATE INDEX certificate_gtins_gtin ON certificate_gtins (gtin);

CREATE TABLE certificate_events (
    id TEXT PRIMARY KEY NOT NULL,
    certificate_id TEXT NOT NULL REFERENCES certificates (id),
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX certificate_events_certificate ON certificate_events (certificate_id);

CREATE TABLE passports (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    gtin TEXT NOT NULL REFERENCES products (gtin),
    lot TEXT NOT NULL DEFAULT '',
    serial TEXT NOT NULL DEFAULT '',
    draft TEXT NOT NULL,
    latest_version BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (gtin, lot, serial)
);

CREATE TABLE passport_versions (
    id TEXT PRIMARY KEY NOT NULL,
    passport_id TEXT NOT NULL REFERENCES passports (id),
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    jws TEXT NOT NULL,
    kid TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    UNIQUE (passport_id, version)
);

CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    retired_at TIMESTAMP
);

CREATE TABLE resolver_links (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    gtin TEXT NOT NULL REFERENCES products (gtin),
    lot TEXT NOT NULL DEFAULT '',
    serial TEXT NOT NULL DEFAULT '',
    link_type TEXT NOT NULL,
    href TEXT NOT NULL,
    title TEXT NOT NULL,
    lang TEXT,
    media_type TEXT,
    context TEXT,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX resolver_links_key ON resolver_links (gtin, lot, serial);

CREATE TABLE inspections (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    inspector_id TEXT NOT NULL,
    code TEXT NOT NULL,
    gtin TEXT,
    lot TEXT,
    serial TEXT,
    place TEXT NOT NULL,
    outcome TEXT NOT NULL,
    notes TEXT,
    evidence_sha256 TEXT,
    inspected_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inspections_gtin ON inspections (gtin);

CREATE TABLE alerts (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    reference TEXT,
    title TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    raised_at TIMESTAMP NOT NULL,
    lifted_at TIMESTAMP,
    lift_reason TEXT,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE alert_targets (
    alert_id TEXT NOT NULL REFERENCES alerts (id),
    gtin TEXT NOT NULL,
    lot TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (alert_id, gtin, lot)
);
CREATE INDEX alert_targets_gtin ON alert_targets (gtin);

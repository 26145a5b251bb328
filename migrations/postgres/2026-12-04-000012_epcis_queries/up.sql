-- EPCIS 2.0 named queries (the REST binding's /queries): a query-language definition kept
-- under a name; names are an organisation's own, so two organisations never collide.
CREATE TABLE epcis_queries (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX epcis_queries_name ON epcis_queries (org_id, name);

-- Webhook subscriptions to a named query, with the delivery state the worker resumes from:
-- events recorded after (cursor_time, cursor_id) are still to be delivered; `attempts` failed
-- deliveries of the current batch, the next one not before `due_at`.
CREATE TABLE epcis_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    query_id TEXT NOT NULL REFERENCES epcis_queries (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    dest TEXT NOT NULL,
    signature_token TEXT NOT NULL,
    report_if_empty BOOLEAN NOT NULL,
    stream BOOLEAN NOT NULL,
    schedule TEXT,
    epc_format TEXT NOT NULL,
    initial_record_time TIMESTAMP NOT NULL,
    cursor_time TIMESTAMP NOT NULL,
    cursor_id TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    due_at TIMESTAMP NOT NULL,
    last_notified_at TIMESTAMP,
    last_error TEXT,
    last_error_at TIMESTAMP,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX epcis_subscriptions_query ON epcis_subscriptions (query_id, id);
CREATE INDEX epcis_subscriptions_due ON epcis_subscriptions (due_at);

-- EPCIS 2.0 events (gs1-epcis): one row per event, keyed by its CBV 2.0 hash id so the same
-- event captured twice is stored once; the event itself is kept as JSON-LD (identifiers in
-- canonical Digital Link form), with the fields queries filter on beside it.
CREATE TABLE epcis_events (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    event_time TIMESTAMP NOT NULL,
    record_time TIMESTAMP NOT NULL,
    action TEXT,
    biz_step TEXT,
    disposition TEXT,
    read_point TEXT,
    biz_location TEXT,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    capture_id TEXT NOT NULL,
    declared_error_at TIMESTAMP,
    body TEXT NOT NULL
);
CREATE UNIQUE INDEX epcis_events_event_id ON epcis_events (event_id);
CREATE INDEX epcis_events_event_time ON epcis_events (event_time, id);
CREATE INDEX epcis_events_record_time ON epcis_events (record_time, id);

-- Every identifier an event names as an object, with its role: what MATCH_* queries, the
-- journey and the visibility of an event (the owners of its GTINs) look up.
CREATE TABLE epcis_event_objects (
    epc TEXT NOT NULL,
    event_pk TEXT NOT NULL REFERENCES epcis_events (id),
    role TEXT NOT NULL,
    gtin TEXT,
    PRIMARY KEY (epc, event_pk, role)
);
CREATE INDEX epcis_event_objects_event ON epcis_event_objects (event_pk);
CREATE INDEX epcis_event_objects_gtin ON epcis_event_objects (gtin);

-- One capture request: its outcome and per-event errors (the REST binding's capture job).
CREATE TABLE epcis_captures (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    actor TEXT NOT NULL,
    behaviour TEXT NOT NULL,
    events INTEGER NOT NULL,
    stored INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    success BOOLEAN NOT NULL,
    errors TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL
);
CREATE INDEX epcis_captures_org ON epcis_captures (org_id, id);

-- Events get an integer key in capture order. Keyed by the CBV hash id (random), every
-- capture of 1,000 events wrote about 1,000 scattered pages in each of three indexes (the
-- events' primary key, their eventID and the identifiers' event column); in capture order
-- those writes land on the last pages. The hash id stays unique, and eventID is kept only when
-- the capturer gave one (NULL otherwise; unique where present). The identifiers table has no
-- rowid of its own: its primary key is the table.
CREATE TABLE epcis_events_new (
    seq INTEGER PRIMARY KEY NOT NULL,
    id TEXT NOT NULL,
    event_id TEXT,
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
INSERT INTO epcis_events_new (id, event_id, event_type, event_time, record_time, action,
    biz_step, disposition, read_point, biz_location, org_id, capture_id, declared_error_at, body)
SELECT id, CASE WHEN event_id = id THEN NULL ELSE event_id END, event_type, event_time,
    record_time, action, biz_step, disposition, read_point, biz_location, org_id, capture_id,
    declared_error_at, body
FROM epcis_events ORDER BY record_time, id;

CREATE TABLE epcis_event_objects_new (
    epc TEXT NOT NULL,
    event_seq BIGINT NOT NULL REFERENCES epcis_events_new (seq),
    role TEXT NOT NULL,
    gtin TEXT,
    PRIMARY KEY (epc, event_seq, role)
) WITHOUT ROWID;
INSERT INTO epcis_event_objects_new (epc, event_seq, role, gtin)
SELECT o.epc, e.seq, o.role, o.gtin
FROM epcis_event_objects o JOIN epcis_events_new e ON e.id = o.event_pk;

-- A subscription's cursor names the last event it delivered by its key now.
UPDATE epcis_subscriptions SET cursor_id = COALESCE(
    (SELECT CAST(e.seq AS TEXT) FROM epcis_events_new e WHERE e.id = epcis_subscriptions.cursor_id),
    '');

DROP TABLE epcis_event_objects;
DROP TABLE epcis_events;
ALTER TABLE epcis_events_new RENAME TO epcis_events;
ALTER TABLE epcis_event_objects_new RENAME TO epcis_event_objects;
CREATE UNIQUE INDEX epcis_events_hash ON epcis_events (id);
CREATE UNIQUE INDEX epcis_events_event_id ON epcis_events (event_id);
CREATE INDEX epcis_events_event_time ON epcis_events (event_time, seq);
CREATE INDEX epcis_events_record_time ON epcis_events (record_time, seq);
CREATE INDEX epcis_event_objects_event ON epcis_event_objects (event_seq);
CREATE INDEX epcis_event_objects_gtin ON epcis_event_objects (gtin);

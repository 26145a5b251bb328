CREATE TABLE epcis_events_old (
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
INSERT INTO epcis_events_old SELECT id, COALESCE(event_id, id), event_type, event_time,
    record_time, action, biz_step, disposition, read_point, biz_location, org_id, capture_id,
    declared_error_at, body
FROM epcis_events;
CREATE TABLE epcis_event_objects_old (
    epc TEXT NOT NULL,
    event_pk TEXT NOT NULL REFERENCES epcis_events_old (id),
    role TEXT NOT NULL,
    gtin TEXT,
    PRIMARY KEY (epc, event_pk, role)
);
INSERT INTO epcis_event_objects_old (epc, event_pk, role, gtin)
SELECT o.epc, e.id, o.role, o.gtin FROM epcis_event_objects o JOIN epcis_events e ON e.seq = o.event_seq;
UPDATE epcis_subscriptions SET cursor_id = COALESCE(
    (SELECT e.id FROM epcis_events e WHERE CAST(e.seq AS TEXT) = epcis_subscriptions.cursor_id), '');
DROP TABLE epcis_event_objects;
DROP TABLE epcis_events;
ALTER TABLE epcis_events_old RENAME TO epcis_events;
ALTER TABLE epcis_event_objects_old RENAME TO epcis_event_objects;
CREATE UNIQUE INDEX epcis_events_event_id ON epcis_events (event_id);
CREATE INDEX epcis_events_event_time ON epcis_events (event_time, id);
CREATE INDEX epcis_events_record_time ON epcis_events (record_time, id);
CREATE INDEX epcis_event_objects_event ON epcis_event_objects (event_pk);
CREATE INDEX epcis_event_objects_gtin ON epcis_event_objects (gtin);

DROP TABLE epcis_captures;
DROP TABLE epcis_event_objects;
DROP TABLE epcis_events;

-- When a serial reached its state: the event time of the EPCIS event that moved it (events
-- arrive out of order, and an older one must not undo a newer state), or the time of a
-- state change made through the API. NULL for serials unchanged since commissioning by job.
ALTER TABLE serials ADD COLUMN state_since TIMESTAMP;

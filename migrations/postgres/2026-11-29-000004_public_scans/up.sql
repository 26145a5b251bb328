-- Public scans of serialised items, for the scan-pattern signal (the same serial scanned from
-- many places in a short window). No personal data: time, the item, and a coarse place the
-- scanner chose to give (a province or country code), never an IP address.
CREATE TABLE public_scans (
    id TEXT PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    gtin TEXT NOT NULL,
    serial TEXT NOT NULL,
    place TEXT NOT NULL
);
CREATE INDEX public_scans_item ON public_scans (gtin, serial, at);

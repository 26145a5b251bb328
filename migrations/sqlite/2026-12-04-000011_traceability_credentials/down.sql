DROP TABLE traceability_credentials;

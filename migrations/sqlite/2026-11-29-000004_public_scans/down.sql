DROP TABLE public_scans;

ALTER TABLE organisations DROP COLUMN resolver_root;

-- A brand owner's own GS1 resolver root: the Digital Link on its labels uses it, when set.
ALTER TABLE organisations ADD COLUMN resolver_root TEXT;

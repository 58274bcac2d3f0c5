DROP INDEX organisations_reference_prefix;
ALTER TABLE organisations DROP COLUMN reference_prefix;

-- The words each activity is found by (its own text, the names of the parties it uses, its
-- destinations, its data and subject categories). The column is named `rowid` as SQLite's
-- FTS5 table is, so one schema serves both. A pg_trgm GIN index answers `words LIKE '%abc%'`;
-- where the extension cannot be created (no privilege, no contrib package) the search still
-- works, by scanning.
CREATE TABLE activity_search (
    rowid BIGINT PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
    words TEXT NOT NULL
);
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX activity_search_trigrams ON activity_search USING gin (words gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): text search scans activity_search', SQLERRM;
END
$$;
ALTER TABLE activities DROP COLUMN search_text;

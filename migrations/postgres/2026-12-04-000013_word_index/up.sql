-- The words of each activity's search text as an array (split at ASCII punctuation and
-- spaces, by the store, as SQLite's word index splits them), in a narrow table of its own with a GIN index, and every word ever
-- indexed (`search_terms`): a search word of letters and digits is answered by the indexed
-- words that contain it (`store::search_index::SearchTerms`), the same activities as the
-- pg_trgm index finds, without re-reading the text of every row that shares its trigrams. The
-- rows are written by the store with `activity_search`; those missing (all, here) when the
-- register is next opened, which rewrites the activities with no terms.
CREATE TABLE activity_terms (
    rowid BIGINT PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
    terms TEXT[] NOT NULL
);
CREATE INDEX activity_terms_terms ON activity_terms USING gin (terms);
CREATE TABLE search_terms (term TEXT PRIMARY KEY);
DELETE FROM activity_search;

-- The words each activity is found by (its own text, the names of the parties it uses, its
-- destinations, its data and subject categories), in an FTS5 table with the trigram
-- tokenizer: `words LIKE '%abc%'` is answered from the index (a pattern of three or more
-- characters and no ESCAPE clause). The rowid is the activity's id; the rows are written by
-- the store (`store::search_index`), the missing ones at start-up.
CREATE VIRTUAL TABLE activity_search USING fts5(words, tokenize = 'trigram');
CREATE TRIGGER activity_search_deleted AFTER DELETE ON activities BEGIN
    DELETE FROM activity_search WHERE rowid = old.id;
END;
ALTER TABLE activities DROP COLUMN search_text;

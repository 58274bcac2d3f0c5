-- The words of `activity_search` again, split into words (FTS5 `ascii`: split at ASCII
-- punctuation and spaces only, every other character kept as the store folded it, no
-- positions), and the list of distinct words (`fts5vocab`). A search word of letters and digits is answered by the indexed words that
-- contain it (`store::search_index::SearchTerms`): the same activities as the trigram index,
-- found from one short list per word instead of the lists of all its trigrams. Written by the
-- store with `activity_search`; filled here from it.
CREATE VIRTUAL TABLE activity_words USING fts5(words, tokenize = 'ascii', detail = none);
CREATE VIRTUAL TABLE activity_word_terms USING fts5vocab(activity_words, 'row');
INSERT INTO activity_words (rowid, words) SELECT rowid, words FROM activity_search;
CREATE TRIGGER activity_words_deleted AFTER DELETE ON activities BEGIN
    DELETE FROM activity_words WHERE rowid = old.id;
END;

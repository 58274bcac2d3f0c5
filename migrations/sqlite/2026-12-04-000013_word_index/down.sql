DROP TRIGGER activity_words_deleted;
DROP TABLE activity_word_terms;
DROP TABLE activity_words;

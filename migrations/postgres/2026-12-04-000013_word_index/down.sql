DROP TABLE search_terms;
DROP TABLE activity_terms;

-- Activities whose missing elements are not computed yet (NULL gaps), found at every start
-- without reading the whole table: the index holds only those rows, so it is empty almost
-- always and the start-up check is one look into it.
CREATE INDEX activities_gaps_unknown ON activities (id) WHERE gaps IS NULL;

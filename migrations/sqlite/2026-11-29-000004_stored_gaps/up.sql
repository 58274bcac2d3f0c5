-- The mandatory Art. 30 elements each activity lacks, as comma-separated gap codes ('' when
-- complete), written with the activity and whenever a catalogue change alters them. NULL means
-- "not computed yet": the application fills those in at start (rows written before this
-- migration). The list shows the badges and the start page counts incomplete activities from
-- this column instead of counting every child row of the register on each request.
ALTER TABLE activities ADD COLUMN gaps TEXT;
-- Only the incomplete activities, for the start page's count and the "missing" filter. Partial,
-- so that it never competes with the list's own index for an ordinary page of the list.
CREATE INDEX activities_incomplete ON activities (status, id) WHERE gaps <> '';

ALTER TABLE activities ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE activities SET search_text = coalesce((SELECT words FROM activity_search WHERE rowid = activities.id), '');
DROP TRIGGER activity_search_deleted;
DROP TABLE activity_search;

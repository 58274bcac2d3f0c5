DROP INDEX activities_status_gaps;
ALTER TABLE activities DROP COLUMN gaps;

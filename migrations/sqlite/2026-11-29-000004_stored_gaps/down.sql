DROP INDEX activities_incomplete;
ALTER TABLE activities DROP COLUMN gaps;

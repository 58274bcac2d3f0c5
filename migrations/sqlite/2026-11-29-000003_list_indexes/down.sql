DROP INDEX purpose_bases_activity;
DROP INDEX activities_status_organisation;
DROP INDEX activities_list_reference;

-- The activities list sorts by reference and filters on status: this index lets a page be read
-- in order without sorting the register, and the count be taken without reading the table.
CREATE INDEX activities_list_reference ON activities (reference, id, status, organisation_id);
CREATE INDEX activities_status_organisation ON activities (status, organisation_id);
-- An activity page loads the lawful bases of its purposes by activity.
CREATE INDEX purpose_bases_activity ON purpose_bases (activity_id);

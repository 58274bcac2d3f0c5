-- Issue 15, right in law. Each purpose carries the facts its rights follow from (direct
-- marketing, Art. 21(2)-(3); automated means, Art. 20(1)(b)); automated processing is one of
-- three cases (Art. 22) with the exception, logic and safeguards of solely automated decisions;
-- "none" is declared for recipients and transfers; partial adequacy decisions are evidenced
-- (the party's Data Privacy Framework certification, the transfer's scope statement); the
-- representative of a controller acted for (Art. 30(2)(a)); the DPIA's completion date; and
-- every list keeps the order it was entered in.
ALTER TABLE purposes ADD COLUMN direct_marketing BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE purposes ADD COLUMN automated_means BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE purpose_bases ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_special_conditions ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_subjects ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_data_categories ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_measures ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

ALTER TABLE activities ADD COLUMN automated_processing TEXT NOT NULL DEFAULT 'none';
-- A "yes" of the old flag may have been a solely automated decision: it becomes one, so the
-- Art. 22 rights stay shown and the missing exception, logic and safeguards show as a gap.
UPDATE activities SET automated_processing = 'solely_automated_decisions' WHERE automated_decision;
ALTER TABLE activities DROP COLUMN automated_decision;
ALTER TABLE activities ADD COLUMN automated_exception TEXT;
ALTER TABLE activities ADD COLUMN automated_logic TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN automated_safeguards TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN dpia_completed_on DATE;
ALTER TABLE activities ADD COLUMN no_recipients BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE activities ADD COLUMN no_transfers BOOLEAN NOT NULL DEFAULT FALSE;
-- Before this migration an activity without transfers was complete: its empty list meant
-- "none", so it is kept as declared. An empty list of recipients was already a gap and stays one.
UPDATE activities SET no_transfers = TRUE
    WHERE NOT EXISTS (SELECT 1 FROM transfers t WHERE t.activity_id = activities.id);

ALTER TABLE transfers ADD COLUMN scope_confirmed BOOLEAN NOT NULL DEFAULT FALSE;
-- The date the recipient's active Data Privacy Framework certification was checked on the DPF
-- List; empty when it is not known to be certified.
ALTER TABLE parties ADD COLUMN dpf_checked_on DATE;
ALTER TABLE represented_controllers ADD COLUMN representative TEXT NOT NULL DEFAULT '';

-- National identification numbers are the sensitive identifiers the CNIL says they are (Art. 87).
UPDATE data_categories SET sensitivity = 'national_identifier', article = 'Art. 87'
    WHERE code = 'national_identification_number' AND sensitivity = 'standard';

-- The completeness rules changed: every activity's gaps are computed again at the next start.
UPDATE activities SET gaps = NULL;

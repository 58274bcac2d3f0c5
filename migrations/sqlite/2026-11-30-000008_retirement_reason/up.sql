-- Why an activity was retired, given when it was retired (cleared when it is reactivated);
-- the audit trail keeps every reason given.
ALTER TABLE activities ADD COLUMN retirement_reason TEXT NOT NULL DEFAULT '';

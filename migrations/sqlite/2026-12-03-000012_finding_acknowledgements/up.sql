-- Findings of the register checks a DPO accepted, with who, when, why and until when. Not one
-- of an activity's lists: a save keeps them, and they lapse by themselves when the finding
-- changes (matched by rule, field and what it concerns) or their end date passes.
CREATE TABLE finding_acknowledgements (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    rule_code TEXT NOT NULL,
    field TEXT NOT NULL,
    detail TEXT NOT NULL,
    justification TEXT NOT NULL,
    until DATE,
    acknowledged_by TEXT NOT NULL,
    acknowledged_at TIMESTAMP NOT NULL
);
CREATE INDEX finding_acknowledgements_activity ON finding_acknowledgements (activity_id);

-- The DPIA screening's answers (`code=yes;code=no`, WP248 rev.01 criteria and Art. 35(3)
-- cases: `domain::dpia`), the reason no DPIA is carried out although the screening points to
-- one, and each transfer's impact assessment reference (Schrems II, EDPB Recommendations
-- 01/2020).
ALTER TABLE activities ADD COLUMN dpia_screening TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN dpia_not_required_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN tia_reference TEXT NOT NULL DEFAULT '';

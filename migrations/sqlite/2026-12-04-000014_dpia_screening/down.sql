ALTER TABLE transfers DROP COLUMN tia_reference;
ALTER TABLE activities DROP COLUMN dpia_not_required_reason;
ALTER TABLE activities DROP COLUMN dpia_screening;

ALTER TABLE activities DROP COLUMN retirement_reason;

ALTER TABLE audit_head DROP COLUMN mark;

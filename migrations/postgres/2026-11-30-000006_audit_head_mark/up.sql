-- The audit chain's head marked with a key kept outside the database (store/audit_key.rs):
-- HMAC-SHA256 of the head's sequence number and last hash. Empty until the first keyed start
-- marks an existing chain.
ALTER TABLE audit_head ADD COLUMN mark TEXT NOT NULL DEFAULT '';

-- What the references of an organisation's new activities start with (NR gives NR-001), so
-- that two organisations never show the same reference. Blank until the store makes one from
-- the name, at start-up, for organisations created before; references given already stay.
ALTER TABLE organisations ADD COLUMN reference_prefix TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX organisations_reference_prefix ON organisations (reference_prefix)
    WHERE reference_prefix <> '';

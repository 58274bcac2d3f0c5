//! PDF rendering of a record.

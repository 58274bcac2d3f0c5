//! The register's concepts: vocabularies, catalogues, organisations, parties and activities.
//!
//! Nothing here knows about HTTP or SQL. Forms from any input path are parsed into these values,
//! and storage and export take only these values.
//!
//! Uses only its own submodules.

pub mod activity;
pub mod catalogue;
pub mod changes;
pub mod checks;
pub mod completeness;
pub mod document;
pub mod dpia;
pub mod errors;
pub mod organisation;
pub mod party;
pub mod reference;
pub mod rights;
pub mod text;
pub mod user;
pub mod vocab;

/// Declares an id newtype over the database's `BIGINT` key.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }
    };
}

id_type!(
    /// Identifies an organisation.
    OrganisationId
);
id_type!(
    /// Identifies a party (recipient or counterpart).
    PartyId
);
id_type!(
    /// Identifies a processing activity.
    ActivityId
);
id_type!(
    /// Identifies a personal-data category.
    DataCategoryId
);
id_type!(
    /// Identifies a data-subject category.
    SubjectCategoryId
);
id_type!(
    /// Identifies a security measure.
    MeasureId
);
id_type!(
    /// Identifies an entry in any catalogue (the catalogue kind tells which).
    CatalogueEntryId
);

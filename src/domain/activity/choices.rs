//! What an activity form may refer to: the organisations, parties and catalogue entries that
//! exist, as the form offers them and as parsing checks ids against them.
//!
//! Uses `domain::vocab`.

use crate::domain::vocab::{Country, MeasureFamily, MeasureKind, PartyKind, Sensitivity};
use crate::domain::{DataCategoryId, MeasureId, OrganisationId, PartyId, SubjectCategoryId};

/// An organisation as offered in a choice.
#[derive(Debug, Clone)]
pub struct OrganisationChoice {
    /// Id.
    pub id: OrganisationId,
    /// Name.
    pub name: String,
    /// Months between reviews, for the default next-review date.
    pub review_interval_months: i32,
}

/// A party as offered in a choice.
#[derive(Debug, Clone)]
pub struct PartyChoice {
    /// Id.
    pub id: PartyId,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PartyKind,
    /// Country, if known.
    pub country: Option<Country>,
}

/// A personal-data category as offered in a choice.
#[derive(Debug, Clone)]
pub struct DataCategoryChoice {
    /// Id.
    pub id: DataCategoryId,
    /// Stable code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Standard, Art. 9 or Art. 10.
    pub sensitivity: Sensitivity,
}

/// A data-subject category as offered in a choice.
#[derive(Debug, Clone)]
pub struct SubjectChoice {
    /// Id.
    pub id: SubjectCategoryId,
    /// Stable code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Vulnerable data subjects.
    pub vulnerable: bool,
}

/// A security measure as offered in a choice.
#[derive(Debug, Clone)]
pub struct MeasureChoice {
    /// Id.
    pub id: MeasureId,
    /// Label.
    pub label: String,
    /// Technical or organisational.
    pub kind: MeasureKind,
    /// Family.
    pub family: MeasureFamily,
}

/// Everything an activity may refer to; the form is checked against it.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// Organisations.
    pub organisations: Vec<OrganisationChoice>,
    /// Parties.
    pub parties: Vec<PartyChoice>,
    /// Personal-data categories.
    pub data_categories: Vec<DataCategoryChoice>,
    /// Data-subject categories.
    pub subject_categories: Vec<SubjectChoice>,
    /// Security measures.
    pub measures: Vec<MeasureChoice>,
}

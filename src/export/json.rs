//! The JSON document: the complete register, lossless, versioned. Also the backup format and
//! the way between SQLite and PostgreSQL (`ropa export --format json`, `ropa import`).
//!
//! References between records use stable natural keys: organisations and parties by name,
//! catalogue entries by code, activities by organisation and reference. Documented in
//! docs/exports.md.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::store::activities::ActivityDetail;
use crate::store::catalogues::CatalogueEntry;
use crate::store::organisations::Organisation;
use crate::store::parties::Party;

/// The `format` value every document carries.
pub const FORMAT: &str = "ropa-register";
/// The version of the document layout this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterDocument {
    /// Always `ropa-register`.
    pub format: String,
    /// Layout version, see [`FORMAT_VERSION`].
    pub format_version: u32,
    /// When the document was made (UTC).
    pub generated_at: NaiveDateTime,
    /// Organisations, by name.
    pub organisations: Vec<OrganisationDoc>,
    /// The three catalogues.
    pub catalogues: CataloguesDoc,
    /// Parties, by name.
    pub parties: Vec<PartyDoc>,
    /// Activities, by organisation and reference.
    pub activities: Vec<ActivityDoc>,
}

/// An organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationDoc {
    /// Legal name (the key).
    pub name: String,
    /// Registered address.
    pub legal_address: String,
    /// Contact email.
    pub email: String,
    /// Telephone.
    pub phone: String,
    /// Registration number.
    pub registration_number: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Art. 27 representative.
    pub representative: String,
    /// DPO.
    pub dpo: String,
    /// Lead supervisory authority.
    pub supervisory_authority: String,
    /// Months between reviews.
    pub review_interval_months: i32,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Updated (UTC).
    pub updated_at: NaiveDateTime,
}

/// The catalogues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CataloguesDoc {
    /// Personal-data categories.
    pub data_categories: Vec<DataCategoryDoc>,
    /// Data-subject categories.
    pub subject_categories: Vec<SubjectCategoryDoc>,
    /// Security measures.
    pub security_measures: Vec<MeasureDoc>,
}

/// A personal-data category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataCategoryDoc {
    /// Code (the key).
    pub code: String,
    /// Label.
    pub label: String,
    /// `standard`, `special_category` or `criminal_offence`.
    pub sensitivity: String,
    /// Article.
    pub article: String,
    /// Description.
    pub description: String,
    /// From the vocabularies.
    pub seeded: bool,
}

/// A data-subject category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectCategoryDoc {
    /// Code (the key).
    pub code: String,
    /// Label.
    pub label: String,
    /// Vulnerable data subjects.
    pub vulnerable: bool,
    /// Description.
    pub description: String,
    /// From the vocabularies.
    pub seeded: bool,
}

/// A security measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDoc {
    /// Code (the key).
    pub code: String,
    /// Label.
    pub label: String,
    /// `technical` or `organisational`.
    pub kind: String,
    /// Family code.
    pub family: String,
    /// Article.
    pub article: String,
    /// Description.
    pub description: String,
    /// From the vocabularies.
    pub seeded: bool,
}

/// A party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyDoc {
    /// Name (the key).
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// ISO country code or empty.
    pub country: String,
    /// Contact.
    pub contact: String,
    /// Address.
    pub address: String,
    /// Art. 28 contract reference.
    pub contract_reference: String,
    /// Art. 28 contract date.
    pub contract_date: Option<NaiveDate>,
    /// Notes.
    pub notes: String,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Updated (UTC).
    pub updated_at: NaiveDateTime,
}

/// A purpose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposeDoc {
    /// What for.
    pub description: String,
    /// Art. 6(1) codes.
    pub lawful_bases: Vec<String>,
    /// Interest pursued.
    pub legitimate_interest: String,
    /// Balancing test reference.
    pub balancing_test_ref: String,
}

/// A link to a party with its text (joint controllers, controllers acted for).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JointControllerDoc {
    /// Party name.
    pub party: String,
    /// Arrangement.
    pub responsibilities: String,
}

/// A controller acted for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControllerDoc {
    /// Party name.
    pub party: String,
    /// Categories of processing.
    pub processing_categories: String,
}

/// A recipient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientDoc {
    /// Party name.
    pub party: String,
    /// What it receives.
    pub data_received: String,
    /// Why.
    pub reason: String,
}

/// A transfer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferDoc {
    /// Third country (ISO code), or null.
    pub country: Option<String>,
    /// International organisation, when no country.
    pub international_organisation: String,
    /// Recipient party name, or null.
    pub party: Option<String>,
    /// Chapter V mechanism code.
    pub mechanism: String,
    /// Documentation of safeguards.
    pub safeguards: String,
}

/// A retention rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionDoc {
    /// Personal-data category code.
    pub data_category: String,
    /// Period value.
    pub period_value: Option<i32>,
    /// Period unit code.
    pub period_unit: Option<String>,
    /// Criterion.
    pub criterion: String,
    /// Start event.
    pub start_event: String,
    /// Legal reference.
    pub legal_reference: String,
}

/// An activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityDoc {
    /// Organisation name.
    pub organisation: String,
    /// `controller` or `processor`.
    pub role: String,
    /// Reference, unique within the organisation.
    pub reference: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Business function.
    pub business_function: String,
    /// Owner.
    pub owner: String,
    /// `draft`, `active` or `retired`.
    pub status: String,
    /// Purposes.
    pub purposes: Vec<PurposeDoc>,
    /// Art. 9(2) codes.
    pub special_conditions: Vec<String>,
    /// Law for the Art. 9(2) condition.
    pub special_legal_reference: String,
    /// Art. 10 code.
    pub criminal_basis: Option<String>,
    /// Law under Art. 10.
    pub criminal_legal_reference: String,
    /// Joint controllers.
    pub joint_controllers: Vec<JointControllerDoc>,
    /// Controllers acted for.
    pub controllers: Vec<ControllerDoc>,
    /// Data-subject category codes.
    pub subjects: Vec<String>,
    /// Personal-data category codes.
    pub data_categories: Vec<String>,
    /// Recipients.
    pub recipients: Vec<RecipientDoc>,
    /// Transfers.
    pub transfers: Vec<TransferDoc>,
    /// Retention rules.
    pub retention: Vec<RetentionDoc>,
    /// Security measure codes.
    pub security_measures: Vec<String>,
    /// General description of the security measures.
    pub security_description: String,
    /// Source of the data.
    pub data_source: String,
    /// Systems.
    pub systems: String,
    /// Location.
    pub data_location: String,
    /// Automated decision-making.
    pub automated_decision: bool,
    /// Its description.
    pub automated_decision_description: String,
    /// DPIA required code.
    pub dpia_required: String,
    /// DPIA progress code.
    pub dpia_status: String,
    /// DPIA reference.
    pub dpia_reference: String,
    /// Privacy notice.
    pub privacy_notice_ref: String,
    /// Consent record.
    pub consent_record_ref: String,
    /// Processor contract.
    pub processor_contract_ref: String,
    /// Retention policy.
    pub retention_policy_ref: String,
    /// Breach occurred.
    pub breach_occurred: bool,
    /// Breach record.
    pub breach_record_ref: String,
    /// Last reviewed.
    pub last_reviewed: Option<NaiveDate>,
    /// Next review.
    pub next_review: Option<NaiveDate>,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Updated (UTC).
    pub updated_at: NaiveDateTime,
}

/// An organisation as a document entry.
pub fn organisation_doc(o: &Organisation) -> OrganisationDoc {
    OrganisationDoc {
        name: o.name.clone(),
        legal_address: o.legal_address.clone(),
        email: o.email.clone(),
        phone: o.phone.clone(),
        registration_number: o.registration_number.clone(),
        country: o.country.clone(),
        representative: o.representative.clone(),
        dpo: o.dpo.clone(),
        supervisory_authority: o.supervisory_authority.clone(),
        review_interval_months: o.review_interval_months,
        created_at: o.created_at,
        updated_at: o.updated_at,
    }
}

/// A party as a document entry.
pub fn party_doc(p: &Party) -> PartyDoc {
    PartyDoc {
        name: p.name.clone(),
        kind: p.kind.clone(),
        country: p.country.clone(),
        contact: p.contact.clone(),
        address: p.address.clone(),
        contract_reference: p.contract_reference.clone(),
        contract_date: p.contract_date,
        notes: p.notes.clone(),
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

/// The catalogues as document entries.
pub fn catalogues_doc(
    data: &[CatalogueEntry],
    subjects: &[CatalogueEntry],
    measures: &[CatalogueEntry],
) -> CataloguesDoc {
    CataloguesDoc {
        data_categories: data
            .iter()
            .map(|e| DataCategoryDoc {
                code: e.code.clone(),
                label: e.label.clone(),
                sensitivity: e
                    .sensitivity
                    .map(|s| s.code())
                    .unwrap_or("standard")
                    .to_owned(),
                article: e.article.clone(),
                description: e.description.clone(),
                seeded: e.seeded,
            })
            .collect(),
        subject_categories: subjects
            .iter()
            .map(|e| SubjectCategoryDoc {
                code: e.code.clone(),
                label: e.label.clone(),
                vulnerable: e.vulnerable,
                description: e.description.clone(),
                seeded: e.seeded,
            })
            .collect(),
        security_measures: measures
            .iter()
            .map(|e| MeasureDoc {
                code: e.code.clone(),
                label: e.label.clone(),
                kind: e
                    .kind
                    .map(|k| k.code())
                    .unwrap_or("organisational")
                    .to_owned(),
                family: e.family.map(|f| f.code()).unwrap_or("other").to_owned(),
                article: e.article.clone(),
                description: e.description.clone(),
                seeded: e.seeded,
            })
            .collect(),
    }
}

/// An activity as a document entry; `code_of` maps catalogue ids to codes.
pub fn activity_doc(
    a: &ActivityDetail,
    data_code: &dyn Fn(i64) -> String,
    subject_code: &dyn Fn(i64) -> String,
    measure_code: &dyn Fn(i64) -> String,
) -> ActivityDoc {
    ActivityDoc {
        organisation: a.organisation_name.clone(),
        role: a.role.code().into(),
        reference: a.reference.clone(),
        name: a.name.clone(),
        description: a.description.clone(),
        business_function: a.business_function.clone(),
        owner: a.owner.clone(),
        status: a.status.code().into(),
        purposes: a
            .purposes
            .iter()
            .map(|p| PurposeDoc {
                description: p.description.clone(),
                lawful_bases: p.bases.iter().map(|b| b.code().to_owned()).collect(),
                legitimate_interest: p.legitimate_interest.clone(),
                balancing_test_ref: p.balancing_test_ref.clone(),
            })
            .collect(),
        special_conditions: a
            .special_conditions
            .iter()
            .map(|c| c.code().to_owned())
            .collect(),
        special_legal_reference: a.special_legal_reference.clone(),
        criminal_basis: a.criminal_basis.map(|b| b.code().to_owned()),
        criminal_legal_reference: a.criminal_legal_reference.clone(),
        joint_controllers: a
            .joint_controllers
            .iter()
            .map(|j| JointControllerDoc {
                party: j.name.clone(),
                responsibilities: j.text.clone(),
            })
            .collect(),
        controllers: a
            .controllers
            .iter()
            .map(|c| ControllerDoc {
                party: c.name.clone(),
                processing_categories: c.text.clone(),
            })
            .collect(),
        subjects: a.subjects.iter().map(|s| subject_code(s.id)).collect(),
        data_categories: a.data_categories.iter().map(|c| data_code(c.id)).collect(),
        recipients: a
            .recipients
            .iter()
            .map(|r| RecipientDoc {
                party: r.name.clone(),
                data_received: r.text.clone(),
                reason: r.detail.clone(),
            })
            .collect(),
        transfers: a
            .transfers
            .iter()
            .map(|t| TransferDoc {
                country: t.country.map(|c| c.code().to_owned()),
                international_organisation: t.organisation.clone(),
                party: t.party_id.map(|_| t.party_name.clone()),
                mechanism: t.mechanism.code().into(),
                safeguards: t.safeguards.clone(),
            })
            .collect(),
        retention: a
            .retention
            .iter()
            .map(|r| RetentionDoc {
                data_category: data_code(r.data_category_id),
                period_value: r.period_value,
                period_unit: r.period_unit.map(|u| u.code().to_owned()),
                criterion: r.criterion.clone(),
                start_event: r.start_event.clone(),
                legal_reference: r.legal_reference.clone(),
            })
            .collect(),
        security_measures: a.measures.iter().map(|m| measure_code(m.id)).collect(),
        security_description: a.security_description.clone(),
        data_source: a.data_source.clone(),
        systems: a.systems.clone(),
        data_location: a.data_location.clone(),
        automated_decision: a.automated_decision,
        automated_decision_description: a.automated_decision_description.clone(),
        dpia_required: a.dpia_required.code().into(),
        dpia_status: a.dpia_status.code().into(),
        dpia_reference: a.dpia_reference.clone(),
        privacy_notice_ref: a.privacy_notice_ref.clone(),
        consent_record_ref: a.consent_record_ref.clone(),
        processor_contract_ref: a.processor_contract_ref.clone(),
        retention_policy_ref: a.retention_policy_ref.clone(),
        breach_occurred: a.breach_occurred,
        breach_record_ref: a.breach_record_ref.clone(),
        last_reviewed: a.last_reviewed,
        next_review: a.next_review,
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}

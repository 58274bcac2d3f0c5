//! Loading whole activities ([`ActivityDetail`]) by id, a fixed number of queries for any
//! number of activities.
//!
//! Uses the schema and the detail read model.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::detail::{
    ActivityDetail, EntryRef, PartyLink, PurposeView, RetentionView, TransferView,
};
use crate::domain::dpia::DpiaScreening;
use crate::domain::vocab::{
    AutomatedDecisionException, AutomatedProcessing, Country, CriminalBasis, DpiaRequired,
    DpiaStatus, LawfulBasis, MeasureFamily, MeasureKind, PartyKind, RetentionUnit, Role,
    Sensitivity, SpecialCondition, Status, TransferMechanism,
};
use crate::domain::ActivityId;
use crate::store::schema::{
    activities, activity_data_categories, activity_measures, activity_special_conditions,
    activity_subjects, data_categories, joint_controllers, organisations, parties, purpose_bases,
    purposes, recipients, represented_controllers, retention_rule_categories, retention_rules,
    security_measures, subject_categories, transfers,
};
use crate::store::{code, DbConnection, StoreError, StoreResult};

type TransferRowTuple = (
    i64,
    Option<String>,
    String,
    Option<i64>,
    Option<String>,
    String,
    String,
    bool,
    Option<NaiveDate>,
    String,
);
type RetentionRowTuple = (
    i64,
    i64,
    Option<i32>,
    Option<String>,
    String,
    String,
    String,
);

type ActivityRow = (
    (
        i64,
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ),
    (
        Option<String>,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ),
    (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        bool,
        String,
        String,
    ),
    (
        Option<NaiveDate>,
        Option<NaiveDate>,
        i64,
        NaiveDateTime,
        NaiveDateTime,
        String,
    ),
    (
        Option<String>,
        String,
        String,
        Option<NaiveDate>,
        bool,
        bool,
        String,
        String,
        String,
    ),
);

/// Loads one whole activity: a fixed number of queries whatever its size.
pub fn get(conn: &mut DbConnection, id: ActivityId) -> StoreResult<ActivityDetail> {
    let mut list = load_details(conn, &[id.0])?;
    list.pop().ok_or(StoreError::NotFound)
}

/// Loads whole activities by id, in the order given; a fixed number of queries for any number.
pub fn load_details(conn: &mut DbConnection, ids: &[i64]) -> StoreResult<Vec<ActivityDetail>> {
    let rows: Vec<ActivityRow> = activities::table
        .inner_join(organisations::table)
        .filter(activities::id.eq_any(ids))
        .select((
            (
                activities::id,
                activities::organisation_id,
                organisations::name,
                activities::role,
                activities::reference,
                activities::name,
                activities::description,
                activities::business_function,
                activities::owner,
            ),
            (
                activities::criminal_basis,
                activities::status,
                activities::criminal_legal_reference,
                activities::special_legal_reference,
                activities::data_source,
                activities::systems,
                activities::automated_processing,
                activities::data_location,
            ),
            (
                activities::automated_decision_description,
                activities::dpia_required,
                activities::dpia_status,
                activities::dpia_reference,
                activities::privacy_notice_ref,
                activities::consent_record_ref,
                activities::processor_contract_ref,
                activities::breach_occurred,
                activities::breach_record_ref,
                activities::retention_policy_ref,
            ),
            (
                activities::last_reviewed,
                activities::next_review,
                activities::version,
                activities::created_at,
                activities::updated_at,
                activities::security_description,
            ),
            (
                activities::automated_exception,
                activities::automated_logic,
                activities::automated_safeguards,
                activities::dpia_completed_on,
                activities::no_recipients,
                activities::no_transfers,
                activities::retirement_reason,
                activities::dpia_screening,
                activities::dpia_not_required_reason,
            ),
        ))
        .load(conn)?;

    let mut details: HashMap<i64, ActivityDetail> = HashMap::new();
    for (a, b, c, d, e) in rows {
        let detail = ActivityDetail {
            id: a.0,
            organisation_id: a.1,
            organisation_name: a.2,
            role: code("role", &a.3, Role::from_code)?,
            reference: a.4,
            name: a.5,
            description: a.6,
            business_function: a.7,
            owner: a.8,
            criminal_basis: match b.0 {
                Some(c) => Some(code("Art. 10 basis", &c, CriminalBasis::from_code)?),
                None => None,
            },
            status: code("status", &b.1, Status::from_code)?,
            criminal_legal_reference: b.2,
            special_legal_reference: b.3,
            data_source: b.4,
            systems: b.5,
            automated_processing: code(
                "automated processing",
                &b.6,
                AutomatedProcessing::from_code,
            )?,
            automated_exception: match e.0 {
                Some(x) => Some(code(
                    "Art. 22(2) exception",
                    &x,
                    AutomatedDecisionException::from_code,
                )?),
                None => None,
            },
            automated_logic: e.1,
            automated_safeguards: e.2,
            dpia_completed_on: e.3,
            no_recipients: e.4,
            no_transfers: e.5,
            retirement_reason: e.6,
            dpia_screening: DpiaScreening::decode(&e.7).map_err(|part| {
                diesel::result::Error::DeserializationError(
                    format!("unknown DPIA screening answer `{part}` in the database").into(),
                )
            })?,
            dpia_not_required_reason: e.8,
            data_location: b.7,
            automated_decision_description: c.0,
            dpia_required: code("DPIA required", &c.1, DpiaRequired::from_code)?,
            dpia_status: code("DPIA status", &c.2, DpiaStatus::from_code)?,
            dpia_reference: c.3,
            privacy_notice_ref: c.4,
            consent_record_ref: c.5,
            processor_contract_ref: c.6,
            breach_occurred: c.7,
            breach_record_ref: c.8,
            retention_policy_ref: c.9,
            last_reviewed: d.0,
            next_review: d.1,
            version: d.2,
            created_at: d.3,
            updated_at: d.4,
            security_description: d.5,
            special_conditions: Vec::new(),
            subjects: Vec::new(),
            data_categories: Vec::new(),
            measures: Vec::new(),
            purposes: Vec::new(),
            joint_controllers: Vec::new(),
            controllers: Vec::new(),
            recipients: Vec::new(),
            transfers: Vec::new(),
            retention: Vec::new(),
        };
        details.insert(detail.id, detail);
    }
    if details.is_empty() {
        return Ok(Vec::new());
    }

    let purpose_rows: Vec<(i64, i64, String, String, String, bool, bool)> = purposes::table
        .filter(purposes::activity_id.eq_any(ids))
        .order((purposes::activity_id, purposes::position))
        .select((
            purposes::id,
            purposes::activity_id,
            purposes::description,
            purposes::legitimate_interest,
            purposes::balancing_test_ref,
            purposes::direct_marketing,
            purposes::automated_means,
        ))
        .load(conn)?;
    let basis_rows: Vec<(i64, String)> = purpose_bases::table
        .filter(purpose_bases::activity_id.eq_any(ids))
        .order((purpose_bases::purpose_id, purpose_bases::position))
        .select((purpose_bases::purpose_id, purpose_bases::basis))
        .load(conn)?;
    let mut bases: BTreeMap<i64, Vec<LawfulBasis>> = BTreeMap::new();
    for (purpose, basis) in basis_rows {
        bases.entry(purpose).or_default().push(code(
            "lawful basis",
            &basis,
            LawfulBasis::from_code,
        )?);
    }
    for (pid, aid, description, legitimate_interest, balancing_test_ref, dm, automated) in
        purpose_rows
    {
        if let Some(d) = details.get_mut(&aid) {
            d.purposes.push(PurposeView {
                description,
                bases: bases.remove(&pid).unwrap_or_default(),
                legitimate_interest,
                balancing_test_ref,
                direct_marketing: dm,
                automated_means: automated,
            });
        }
    }

    let conditions: Vec<(i64, String)> = activity_special_conditions::table
        .filter(activity_special_conditions::activity_id.eq_any(ids))
        .order((
            activity_special_conditions::activity_id,
            activity_special_conditions::position,
        ))
        .select((
            activity_special_conditions::activity_id,
            activity_special_conditions::condition_code,
        ))
        .load(conn)?;
    for (aid, c) in conditions {
        if let Some(d) = details.get_mut(&aid) {
            d.special_conditions
                .push(code("Art. 9 condition", &c, SpecialCondition::from_code)?);
        }
    }

    let subjects: Vec<(i64, i64, String, bool)> = activity_subjects::table
        .inner_join(subject_categories::table)
        .filter(activity_subjects::activity_id.eq_any(ids))
        .order((
            activity_subjects::activity_id,
            activity_subjects::position,
            subject_categories::label.asc(),
        ))
        .select((
            activity_subjects::activity_id,
            subject_categories::id,
            subject_categories::label,
            subject_categories::vulnerable,
        ))
        .load(conn)?;
    for (aid, id, label, vulnerable) in subjects {
        if let Some(d) = details.get_mut(&aid) {
            d.subjects.push(EntryRef {
                id,
                label,
                sensitivity: Sensitivity::Standard,
                vulnerable,
                kind: None,
                family: None,
            });
        }
    }

    let categories: Vec<(i64, i64, String, String)> = activity_data_categories::table
        .inner_join(data_categories::table)
        .filter(activity_data_categories::activity_id.eq_any(ids))
        .order((
            activity_data_categories::activity_id,
            activity_data_categories::position,
            data_categories::sensitivity.desc(),
            data_categories::label.asc(),
        ))
        .select((
            activity_data_categories::activity_id,
            data_categories::id,
            data_categories::label,
            data_categories::sensitivity,
        ))
        .load(conn)?;
    for (aid, id, label, sensitivity) in categories {
        if let Some(d) = details.get_mut(&aid) {
            let sensitivity = code("sensitivity", &sensitivity, Sensitivity::from_code)?;
            d.data_categories.push(EntryRef {
                id,
                label,
                sensitivity,
                vulnerable: false,
                kind: None,
                family: None,
            });
        }
    }

    let measures: Vec<(i64, i64, String, String, String)> = activity_measures::table
        .inner_join(security_measures::table)
        .filter(activity_measures::activity_id.eq_any(ids))
        .order((
            activity_measures::activity_id,
            activity_measures::position,
            security_measures::family.asc(),
            security_measures::label.asc(),
        ))
        .select((
            activity_measures::activity_id,
            security_measures::id,
            security_measures::label,
            security_measures::kind,
            security_measures::family,
        ))
        .load(conn)?;
    for (aid, id, label, kind, family) in measures {
        if let Some(d) = details.get_mut(&aid) {
            d.measures.push(EntryRef {
                id,
                label,
                sensitivity: Sensitivity::Standard,
                vulnerable: false,
                kind: MeasureKind::from_code(&kind),
                family: MeasureFamily::from_code(&family),
            });
        }
    }

    type LinkRow = (
        i64,
        i64,
        String,
        (String, String, String, String, String, String, String),
    );
    let party_cols = (
        parties::name,
        parties::kind,
        parties::country,
        parties::contact,
        parties::address,
        parties::contract_reference,
        parties::notes,
    );
    let link = |(
        _,
        party_id,
        text,
        (name, kind, country, contact, address, contract_reference, _),
    ): LinkRow,
                detail: String| PartyLink {
        party_id,
        name,
        kind: PartyKind::from_code(&kind),
        country: Country::parse(&country),
        contact,
        address,
        contract_reference,
        text,
        detail,
    };
    let joint: Vec<LinkRow> = joint_controllers::table
        .inner_join(parties::table)
        .filter(joint_controllers::activity_id.eq_any(ids))
        .order((joint_controllers::activity_id, joint_controllers::position))
        .select((
            joint_controllers::activity_id,
            joint_controllers::party_id,
            joint_controllers::responsibilities,
            party_cols,
        ))
        .load(conn)?;
    for row in joint {
        if let Some(d) = details.get_mut(&row.0) {
            d.joint_controllers.push(link(row, String::new()));
        }
    }
    let controllers: Vec<(String, LinkRow)> = represented_controllers::table
        .inner_join(parties::table)
        .filter(represented_controllers::activity_id.eq_any(ids))
        .order((
            represented_controllers::activity_id,
            represented_controllers::position,
        ))
        .select((
            represented_controllers::representative,
            (
                represented_controllers::activity_id,
                represented_controllers::party_id,
                represented_controllers::processing_categories,
                party_cols,
            ),
        ))
        .load(conn)?;
    for (representative, row) in controllers {
        if let Some(d) = details.get_mut(&row.0) {
            d.controllers.push(link(row, representative));
        }
    }
    let recipient_rows: Vec<(String, LinkRow)> = recipients::table
        .inner_join(parties::table)
        .filter(recipients::activity_id.eq_any(ids))
        .order((recipients::activity_id, recipients::position))
        .select((
            recipients::reason,
            (
                recipients::activity_id,
                recipients::party_id,
                recipients::data_received,
                party_cols,
            ),
        ))
        .load(conn)?;
    for (reason, row) in recipient_rows {
        if let Some(d) = details.get_mut(&row.0) {
            d.recipients.push(link(row, reason));
        }
    }

    let transfer_rows: Vec<TransferRowTuple> = transfers::table
        .left_join(parties::table)
        .filter(transfers::activity_id.eq_any(ids))
        .order((transfers::activity_id, transfers::position))
        .select((
            transfers::activity_id,
            transfers::destination_country,
            transfers::destination_organisation,
            transfers::party_id,
            parties::name.nullable(),
            transfers::mechanism,
            transfers::safeguards,
            transfers::scope_confirmed,
            parties::dpf_checked_on.nullable(),
            transfers::tia_reference,
        ))
        .load(conn)?;
    for (
        aid,
        country,
        organisation,
        party_id,
        party_name,
        mechanism,
        safeguards,
        scope_confirmed,
        dpf_checked_on,
        tia_reference,
    ) in transfer_rows
    {
        if let Some(d) = details.get_mut(&aid) {
            d.transfers.push(TransferView {
                country: country.as_deref().and_then(Country::parse),
                organisation,
                party_id,
                party_name: party_name.unwrap_or_default(),
                mechanism: code(
                    "transfer mechanism",
                    &mechanism,
                    TransferMechanism::from_code,
                )?,
                safeguards,
                scope_confirmed,
                dpf_checked_on,
                tia_reference,
            });
        }
    }

    let retention_rows: Vec<RetentionRowTuple> = retention_rules::table
        .filter(retention_rules::activity_id.eq_any(ids))
        .order((retention_rules::activity_id, retention_rules::position))
        .select((
            retention_rules::activity_id,
            retention_rules::id,
            retention_rules::period_value,
            retention_rules::period_unit,
            retention_rules::criterion,
            retention_rules::start_event,
            retention_rules::legal_reference,
        ))
        .load(conn)?;
    let mut covered: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    let category_rows: Vec<(i64, i64, String)> = retention_rule_categories::table
        .inner_join(data_categories::table)
        .filter(retention_rule_categories::activity_id.eq_any(ids))
        .order((
            retention_rule_categories::rule_id,
            retention_rule_categories::position,
        ))
        .select((
            retention_rule_categories::rule_id,
            retention_rule_categories::data_category_id,
            data_categories::label,
        ))
        .load(conn)?;
    for (rule, category, label) in category_rows {
        covered.entry(rule).or_default().push((category, label));
    }
    for (aid, rule, period_value, period_unit, criterion, start_event, legal_reference) in
        retention_rows
    {
        if let Some(d) = details.get_mut(&aid) {
            let categories = covered.remove(&rule).unwrap_or_default();
            d.retention.push(RetentionView {
                data_category_ids: categories.iter().map(|(id, _)| *id).collect(),
                category: categories
                    .into_iter()
                    .map(|(_, label)| label)
                    .collect::<Vec<_>>()
                    .join("; "),
                period_value,
                period_unit: period_unit.as_deref().and_then(RetentionUnit::from_code),
                criterion,
                start_event,
                legal_reference,
            });
        }
    }

    Ok(ids.iter().filter_map(|id| details.remove(id)).collect())
}

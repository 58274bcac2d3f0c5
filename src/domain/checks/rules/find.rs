//! What each rule looks for: one function a rule, reading the activity's or organisation's
//! document entry and the register around it, pushing a hit for each place it finds.
//!
//! Uses the parent's rule types and the domain's vocabularies.

use chrono::{Duration, NaiveDate};

use super::super::{Hit, Register};
use crate::domain::completeness::transfer_evidenced;
use crate::domain::document::{ActivityDoc, OrganisationDoc, PurposeDoc, TransferDoc};
use crate::domain::reference::ScopeEvidence;
use crate::domain::vocab::{
    AutomatedDecisionException, AutomatedProcessing, Country, CriminalBasis, LawfulBasis,
    PartyKind, Role, Sensitivity, SpecialCondition, Status, TransferMechanism,
};

// ---- helpers -------------------------------------------------------------------------------

pub(super) fn is_controller(a: &ActivityDoc) -> bool {
    Role::from_code(&a.role) != Some(Role::Processor)
}

fn bases(a: &ActivityDoc, i: usize) -> Vec<LawfulBasis> {
    a.purposes[i]
        .lawful_bases
        .iter()
        .filter_map(|b| LawfulBasis::from_code(b))
        .collect()
}

fn sensitivity(r: &Register<'_>, code: &str) -> Sensitivity {
    r.data_categories
        .get(code)
        .and_then(|c| Sensitivity::from_code(&c.sensitivity))
        .unwrap_or(Sensitivity::Standard)
}

fn label<'a>(r: &'a Register<'_>, code: &'a str) -> &'a str {
    r.data_categories
        .get(code)
        .map(|c| c.label.as_str())
        .unwrap_or(code)
}

fn conditions(a: &ActivityDoc) -> Vec<SpecialCondition> {
    a.special_conditions
        .iter()
        .filter_map(|c| SpecialCondition::from_code(c))
        .collect()
}

fn country(t: &TransferDoc) -> Option<Country> {
    t.country.as_deref().and_then(Country::parse)
}

fn mechanism(t: &TransferDoc) -> Option<TransferMechanism> {
    TransferMechanism::from_code(&t.mechanism)
}

pub(super) fn transfer_detail(i: usize, t: &TransferDoc) -> String {
    let place = match country(t) {
        Some(c) => c.name().to_owned(),
        None => t.international_organisation.clone(),
    };
    format!("Transfer {} ({place})", i + 1)
}

fn is_derogation(m: TransferMechanism) -> bool {
    m.article().starts_with("Art. 49")
}

/// "Purpose 2 (Sending the newsletter)": its number and the start of its description, so
/// that a finding (and its acceptance) follows the purpose, not its place in the list.
fn purpose_detail(a: &ActivityDoc, i: usize) -> String {
    let description = a.purposes[i].description.trim();
    if description.is_empty() {
        return format!("Purpose {}", i + 1);
    }
    let mut short: String = description.chars().take(40).collect();
    if description.chars().count() > 40 {
        short.push('…');
    }
    format!("Purpose {} ({short})", i + 1)
}

fn solely_automated(a: &ActivityDoc) -> bool {
    AutomatedProcessing::from_code(&a.automated_processing)
        == Some(AutomatedProcessing::SolelyAutomatedDecisions)
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

// ---- organisations -------------------------------------------------------------------------

pub(super) fn org_contact(_: &Register<'_>, o: &OrganisationDoc, hits: &mut Vec<Hit>) {
    if o.email.trim().is_empty() && o.phone.trim().is_empty() && o.legal_address.trim().is_empty() {
        hits.push(Hit::new("email", ""));
    }
}

pub(super) fn org_dpo(_: &Register<'_>, o: &OrganisationDoc, hits: &mut Vec<Hit>) {
    if o.dpo.trim().is_empty() {
        hits.push(Hit::new("dpo", ""));
    }
}

pub(super) fn org_representative(_: &Register<'_>, o: &OrganisationDoc, hits: &mut Vec<Hit>) {
    let outside = Country::parse(&o.country).is_some_and(|c| !c.in_eea());
    if outside && o.representative.trim().is_empty() {
        hits.push(Hit::new("representative", ""));
    }
}

// ---- (b) purposes and lawfulness -----------------------------------------------------------

pub(super) fn purposes(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if is_controller(a) && a.purposes.is_empty() {
        hits.push(Hit::new("purposes[0].description", ""));
    }
}

pub(super) fn lawful_basis(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return; // a processor's purposes rest on its client's bases
    }
    for i in 0..a.purposes.len() {
        if bases(a, i).is_empty() {
            hits.push(Hit::new(
                format!("purposes[{i}].bases"),
                purpose_detail(a, i),
            ));
        }
    }
}

/// A hit on `field` of each controller purpose resting on legitimate interests whose `text`
/// is blank.
fn li_without(a: &ActivityDoc, field: &str, text: fn(&PurposeDoc) -> &str, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return; // the client controller's to record
    }
    for (i, p) in a.purposes.iter().enumerate() {
        if bases(a, i).contains(&LawfulBasis::LegitimateInterests) && text(p).trim().is_empty() {
            hits.push(Hit::new(
                format!("purposes[{i}].{field}"),
                purpose_detail(a, i),
            ));
        }
    }
}

pub(super) fn li_interest(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    li_without(a, "legitimate_interest", |p| &p.legitimate_interest, hits);
}

pub(super) fn li_balancing(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    li_without(a, "balancing_test_ref", |p| &p.balancing_test_ref, hits);
}

pub(super) fn relies_on_consent(a: &ActivityDoc) -> Option<usize> {
    (0..a.purposes.len()).find(|i| bases(a, *i).contains(&LawfulBasis::Consent))
}

pub(super) fn consent_record(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return; // the client controller's to record
    }
    let explicit = conditions(a).contains(&SpecialCondition::ExplicitConsent);
    if (relies_on_consent(a).is_some() || explicit) && a.consent_record_ref.trim().is_empty() {
        hits.push(Hit::new("consent_record_ref", ""));
    }
}

/// Subject categories in an employment relationship or seeking one (seeded codes).
const EMPLOYMENT_SUBJECTS: &[&str] = &["employees", "job_applicants"];

pub(super) fn consent_employees(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return; // the client controller's to record
    }
    let employed: Vec<&str> = a
        .subjects
        .iter()
        .filter(|s| EMPLOYMENT_SUBJECTS.contains(&s.as_str()))
        .map(|s| {
            r.subjects
                .get(s.as_str())
                .map(|c| c.label.as_str())
                .unwrap_or(s.as_str())
        })
        .collect();
    if employed.is_empty() {
        return;
    }
    if conditions(a).contains(&SpecialCondition::ExplicitConsent) {
        hits.push(Hit::new(
            "special_conditions",
            format!("Art. 9(2)(a) ({})", employed.join(", ")),
        ));
    }
    for (i, _) in a.purposes.iter().enumerate() {
        if bases(a, i).contains(&LawfulBasis::Consent) {
            hits.push(Hit::new(
                format!("purposes[{i}].bases"),
                format!("{} ({})", purpose_detail(a, i), employed.join(", ")),
            ));
        }
    }
}

// ---- (c) data subjects and personal data ---------------------------------------------------

pub(super) fn subjects(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if is_controller(a) && a.subjects.is_empty() {
        hits.push(Hit::new("subjects", ""));
    }
}

pub(super) fn data_categories(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if is_controller(a) && a.data_categories.is_empty() {
        hits.push(Hit::new("data_categories", ""));
    }
}

pub(super) fn special_condition(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return; // the client controller's to record
    }
    let special: Vec<&str> = a
        .data_categories
        .iter()
        .filter(|c| sensitivity(r, c) == Sensitivity::SpecialCategory)
        .map(|c| label(r, c))
        .collect();
    if !special.is_empty() && conditions(a).is_empty() {
        hits.push(Hit::new("special_conditions", special.join(", ")));
    }
}

pub(super) fn special_law(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return; // the client controller's to record
    }
    let needing: Vec<&str> = conditions(a)
        .into_iter()
        .filter(|c| c.needs_basis_in_law())
        .map(|c| c.article())
        .collect();
    if !needing.is_empty() && a.special_legal_reference.trim().is_empty() {
        hits.push(Hit::new("special_legal_reference", needing.join(", ")));
    }
}

pub(super) fn criminal_data(r: &Register<'_>, a: &ActivityDoc) -> bool {
    a.data_categories
        .iter()
        .any(|c| sensitivity(r, c) == Sensitivity::CriminalOffence)
}

pub(super) fn criminal_basis(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return; // the client controller's to record
    }
    let basis = a
        .criminal_basis
        .as_deref()
        .and_then(CriminalBasis::from_code);
    if criminal_data(r, a) && basis.is_none() {
        hits.push(Hit::new("criminal_basis", ""));
    }
}

pub(super) fn criminal_law(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return; // the client controller's to record
    }
    let basis = a
        .criminal_basis
        .as_deref()
        .and_then(CriminalBasis::from_code);
    if basis == Some(CriminalBasis::AuthorisedByLawWithSafeguards)
        && a.criminal_legal_reference.trim().is_empty()
    {
        hits.push(Hit::new("criminal_legal_reference", ""));
    }
}

// ---- (d) recipients ------------------------------------------------------------------------

pub(super) fn recipients(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if is_controller(a) && a.recipients.is_empty() && !a.no_recipients {
        hits.push(Hit::new("recipients", ""));
    }
}

pub(super) fn processor_contract(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    for (i, rec) in a.recipients.iter().enumerate() {
        let Some(party) = r.parties.get(rec.party.as_str()) else {
            continue;
        };
        // A controller contracts with its processors; a sub-processor's contract (Art. 28(4))
        // is its processor's, recorded on the processor's record.
        let needs_contract = match PartyKind::from_code(&party.kind) {
            Some(PartyKind::Processor) => true,
            Some(PartyKind::SubProcessor) => !is_controller(a),
            _ => false,
        };
        if needs_contract && party.contract_reference.trim().is_empty() {
            hits.push(Hit::new(
                format!("recipients[{i}].party_id"),
                format!("Recipient {} ({})", i + 1, party.name),
            ));
        }
    }
}

pub(super) fn party_third_country(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    for (i, rec) in a.recipients.iter().enumerate() {
        let Some(party) = r.parties.get(rec.party.as_str()) else {
            continue;
        };
        let Some(place) = Country::parse(&party.country) else {
            continue;
        };
        if place.in_eea() {
            continue;
        }
        // A transfer names its recipient; one without a recipient named counts for its
        // country.
        let transferred = a.transfers.iter().any(|t| match t.party.as_deref() {
            Some(p) => p == party.name,
            None => country(t) == Some(place),
        });
        if !transferred {
            hits.push(Hit::new(
                format!("recipients[{i}].party_id"),
                format!("Recipient {} ({}, {})", i + 1, party.name, place.name()),
            ));
        }
    }
}

// ---- (e) transfers -------------------------------------------------------------------------

pub(super) fn transfers(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if a.transfers.is_empty() && !a.no_transfers {
        hits.push(Hit::new("transfers", ""));
    }
}

pub(super) fn transfer_recipient(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return;
    }
    for (i, t) in a.transfers.iter().enumerate() {
        if let Some(party) = &t.party {
            if !a.recipients.iter().any(|r| &r.party == party) {
                hits.push(Hit::new(
                    format!("transfers[{i}].party_id"),
                    format!("{} to {party}", transfer_detail(i, t)),
                ));
            }
        }
    }
}

pub(super) fn adequacy_missing(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    for (i, t) in a.transfers.iter().enumerate() {
        if mechanism(t) != Some(TransferMechanism::AdequacyDecision) {
            continue;
        }
        let decision = match country(t) {
            Some(c) => c.adequacy(),
            None => {
                crate::domain::reference::adequacy_for_organisation(&t.international_organisation)
            }
        };
        let in_force = decision.is_some_and(|d| {
            d.expires
                .as_deref()
                .and_then(date)
                .is_none_or(|end| end >= r.today)
        });
        if !in_force {
            hits.push(Hit::new(
                format!("transfers[{i}].mechanism"),
                transfer_detail(i, t),
            ));
        }
    }
}

pub(super) fn adequacy_scope(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    for (i, t) in a.transfers.iter().enumerate() {
        let Some(m) = mechanism(t) else { continue };
        let certified = t
            .party
            .as_deref()
            .and_then(|p| r.parties.get(p))
            .is_some_and(|p| p.dpf_checked_on.is_some());
        if !transfer_evidenced(country(t), m, t.scope_confirmed, certified) {
            hits.push(Hit::new(
                format!("transfers[{i}].scope_confirmed"),
                transfer_detail(i, t),
            ));
        }
    }
}

pub(super) fn dpf_stale(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    for (i, t) in a.transfers.iter().enumerate() {
        if mechanism(t) != Some(TransferMechanism::AdequacyDecision) {
            continue;
        }
        let dpf = country(t)
            .and_then(|c| c.adequacy())
            .and_then(|d| d.scope_evidence())
            == Some(ScopeEvidence::DpfCertification);
        let checked = t
            .party
            .as_deref()
            .and_then(|p| r.parties.get(p))
            .and_then(|p| p.dpf_checked_on);
        if let (true, Some(on)) = (dpf, checked) {
            if on < r.today - Duration::days(365) {
                hits.push(Hit::new(
                    format!("transfers[{i}].party_id"),
                    format!("{}, checked {on}", transfer_detail(i, t)),
                ));
            }
        }
    }
}

pub(super) fn safeguards_documented(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    for (i, t) in a.transfers.iter().enumerate() {
        let Some(m) = mechanism(t) else { continue };
        if m.article().starts_with("Art. 46") && t.safeguards.trim().is_empty() {
            hits.push(Hit::new(
                format!("transfers[{i}].safeguards"),
                transfer_detail(i, t),
            ));
        }
    }
}

pub(super) fn derogation_documented(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    for (i, t) in a.transfers.iter().enumerate() {
        if mechanism(t) == Some(TransferMechanism::CompellingLegitimateInterests)
            && t.safeguards.trim().is_empty()
        {
            hits.push(Hit::new(
                format!("transfers[{i}].safeguards"),
                transfer_detail(i, t),
            ));
        }
    }
}

pub(super) fn derogation_recurring(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if a.status != Status::Active.code() {
        return;
    }
    for (i, t) in a.transfers.iter().enumerate() {
        if mechanism(t).is_some_and(is_derogation) {
            hits.push(Hit::new(
                format!("transfers[{i}].mechanism"),
                transfer_detail(i, t),
            ));
        }
    }
}

// ---- (f) retention -------------------------------------------------------------------------

pub(super) fn covered(a: &ActivityDoc, code: &str) -> bool {
    a.retention.iter().any(|r| {
        r.data_categories.iter().any(|c| c == code) || r.data_category.as_deref() == Some(code)
    })
}

pub(super) fn uncovered(r: &Register<'_>, a: &ActivityDoc, sensitive: bool, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return;
    }
    for code in &a.data_categories {
        let is_sensitive = matches!(
            sensitivity(r, code),
            Sensitivity::SpecialCategory | Sensitivity::CriminalOffence
        );
        if is_sensitive == sensitive && !covered(a, code) {
            hits.push(Hit::new("retention", label(r, code)));
        }
    }
}

pub(super) fn retention(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    uncovered(r, a, false, hits);
}

pub(super) fn retention_special(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    uncovered(r, a, true, hits);
}

// ---- (g) security --------------------------------------------------------------------------

pub(super) fn security(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if a.security_measures.is_empty() && a.security_description.trim().is_empty() {
        hits.push(Hit::new("measures", ""));
    }
}

// ---- processors (Art. 30(2)) ---------------------------------------------------------------

pub(super) fn processor_controller(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) && a.controllers.is_empty() {
        hits.push(Hit::new("controllers[0].party_id", ""));
    }
}

pub(super) fn processor_activity_contract(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    // The contract may be recorded on the activity or on the client controller's party.
    let on_party = !a.controllers.is_empty()
        && a.controllers.iter().all(|c| {
            r.parties
                .get(c.party.as_str())
                .is_some_and(|p| !p.contract_reference.trim().is_empty())
        });
    if !is_controller(a) && a.processor_contract_ref.trim().is_empty() && !on_party {
        hits.push(Hit::new("processor_contract_ref", ""));
    }
}

// ---- Art. 22 -------------------------------------------------------------------------------

pub(super) fn automated_exception(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return; // the client controller's to record
    }
    if solely_automated(a) && a.automated_exception.is_none() {
        hits.push(Hit::new("automated_exception", ""));
    }
}

pub(super) fn automated_safeguards(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return; // the client controller's to record
    }
    // Art. 22(3) binds the exceptions of 22(2)(a) and (c); under (b) the law lays them down.
    let exception = a
        .automated_exception
        .as_deref()
        .and_then(AutomatedDecisionException::from_code);
    let bound = matches!(
        exception,
        Some(AutomatedDecisionException::Contract | AutomatedDecisionException::ExplicitConsent)
    );
    if solely_automated(a) && bound && a.automated_safeguards.trim().is_empty() {
        hits.push(Hit::new("automated_safeguards", ""));
    }
}

pub(super) fn automated_logic(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) {
        return; // the client controller's to record
    }
    if solely_automated(a) && a.automated_logic.trim().is_empty() {
        hits.push(Hit::new("automated_logic", ""));
    }
}

// ---- transparency and upkeep ---------------------------------------------------------------

pub(super) fn privacy_notice(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if is_controller(a) && a.status == Status::Active.code() && a.privacy_notice_ref.is_empty() {
        hits.push(Hit::new("privacy_notice_ref", ""));
    }
}

pub(super) fn review_overdue(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if a.status != Status::Active.code() {
        return;
    }
    if let Some(next) = a.next_review.filter(|d| *d < r.today) {
        hits.push(Hit::new("next_review", format!("due {next}")));
    }
}

pub(super) fn review_missing(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if a.status == Status::Active.code() && a.next_review.is_none() {
        hits.push(Hit::new("next_review", ""));
    }
}

pub(super) fn draft_stale(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if a.status == Status::Draft.code() && a.updated_at.date() < r.today - Duration::days(90) {
        hits.push(Hit::new(
            "status",
            format!("last changed {}", a.updated_at.date()),
        ));
    }
}

pub(super) fn automated_special(r: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if !is_controller(a) || !solely_automated(a) {
        return;
    }
    let special = a
        .data_categories
        .iter()
        .any(|c| sensitivity(r, c) == Sensitivity::SpecialCategory);
    let allowed = conditions(a).iter().any(|c| {
        matches!(
            c,
            SpecialCondition::ExplicitConsent | SpecialCondition::SubstantialPublicInterest
        )
    });
    if special && !allowed {
        hits.push(Hit::new("automated_processing", ""));
    }
}

pub(super) fn scc_module(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if is_controller(a) {
        return; // a controller's record may list its processors' onward transfers (Module 3)
    }
    for (i, t) in a.transfers.iter().enumerate() {
        if matches!(
            mechanism(t),
            Some(TransferMechanism::SccModule1 | TransferMechanism::SccModule2)
        ) {
            hits.push(Hit::new(
                format!("transfers[{i}].mechanism"),
                transfer_detail(i, t),
            ));
        }
    }
}

pub(super) fn processing_categories(_: &Register<'_>, a: &ActivityDoc, hits: &mut Vec<Hit>) {
    if is_controller(a) {
        return;
    }
    for (i, c) in a.controllers.iter().enumerate() {
        if c.processing_categories.trim().is_empty() {
            hits.push(Hit::new(
                format!("controllers[{i}].processing_categories"),
                format!("Controller {} ({})", i + 1, c.party),
            ));
        }
    }
}

//! What the DPIA rules and the transfer impact assessment rule look for: the DPIA record, the
//! screening of an activity (`domain::dpia`) against it, and each Art. 46 transfer's
//! assessment reference.
//!
//! Uses the parent's rule types, `find`'s helpers and `domain::{dpia, document, vocab}`.

use super::super::{Hit, Register};
use super::find::{is_controller, transfer_detail};
use crate::domain::document::ActivityDoc;
use crate::domain::dpia::{DpiaQuestion, DpiaScreening, Recorded, Screening};
use crate::domain::vocab::{DpiaRequired, DpiaStatus, Sensitivity, Status, TransferMechanism};

/// The screening of `a` with what the register's catalogues show.
pub(crate) fn screening(r: &Register<'_>, a: &ActivityDoc) -> Screening {
    let recorded = Recorded::of(
        a,
        |c| {
            r.data_categories
                .get(c)
                .and_then(|d| Sensitivity::from_code(&d.sensitivity))
        },
        |s| r.subjects.get(s).is_some_and(|c| c.vulnerable),
    );
    // A document's answers were read through the form's checks: one not understood counts
    // as not given.
    let given = DpiaScreening::from_document(&a.dpia_screening).unwrap_or_default();
    Screening::of(&given, &recorded)
}

fn required(a: &ActivityDoc) -> Option<DpiaRequired> {
    DpiaRequired::from_code(&a.dpia_required)
}

/// "criterion 4, criterion 7": the questions met, as a finding names them.
fn named(questions: &[DpiaQuestion]) -> String {
    questions
        .iter()
        .map(|q| q.short())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(in crate::domain::checks) fn dpia_mandatory(
    r: &Register<'_>,
    a: &ActivityDoc,
    hits: &mut Vec<Hit>,
) {
    if !is_controller(a) {
        return;
    }
    // Marked required but "not applicable" contradicts a mandatory DPIA as much.
    let field = match required(a) {
        Some(DpiaRequired::Yes) if !not_applicable(a) => return,
        Some(DpiaRequired::Yes) => "dpia_status",
        _ => "dpia_required",
    };
    let cases = screening(r, a).cases_met();
    if !cases.is_empty() {
        hits.push(Hit::new(field, named(&cases)));
    }
}

fn not_applicable(a: &ActivityDoc) -> bool {
    DpiaStatus::from_code(&a.dpia_status) == Some(DpiaStatus::NotApplicable)
}

/// Whether an Art. 35(3) case is met (the mandatory rule then speaks for the DPIA's status).
pub(in crate::domain::checks) fn has_art35_case(r: &Register<'_>, a: &ActivityDoc) -> bool {
    !screening(r, a).cases_met().is_empty()
}

/// Two or more criteria, no Art. 35(3) case (the mandatory rule's): what the DPIA record says.
fn likely_only(r: &Register<'_>, a: &ActivityDoc) -> Option<Vec<DpiaQuestion>> {
    let s = screening(r, a);
    (is_controller(a) && s.cases_met().is_empty() && s.likely()).then(|| s.criteria_met())
}

pub(in crate::domain::checks) fn dpia_likely(
    r: &Register<'_>,
    a: &ActivityDoc,
    hits: &mut Vec<Hit>,
) {
    if required(a) != Some(DpiaRequired::NotAssessed) {
        return;
    }
    if let Some(met) = likely_only(r, a) {
        hits.push(Hit::new("dpia_required", named(&met)));
    }
}

pub(in crate::domain::checks) fn dpia_no_reason(
    r: &Register<'_>,
    a: &ActivityDoc,
    hits: &mut Vec<Hit>,
) {
    if required(a) != Some(DpiaRequired::No) || !a.dpia_not_required_reason.trim().is_empty() {
        return;
    }
    if let Some(met) = likely_only(r, a) {
        hits.push(Hit::new("dpia_not_required_reason", named(&met)));
    }
}

/// Whether the screening points to a DPIA (two criteria or an Art. 35(3) case): the rules
/// above then speak, and the notice that the question is not assessed stays silent.
pub(in crate::domain::checks) fn points_to_dpia(r: &Register<'_>, a: &ActivityDoc) -> bool {
    let s = screening(r, a);
    s.likely() || !s.cases_met().is_empty()
}

pub(in crate::domain::checks) fn dpia_reference(
    r: &Register<'_>,
    a: &ActivityDoc,
    hits: &mut Vec<Hit>,
) {
    if !is_controller(a) {
        return; // the client controller's to record
    }
    if DpiaRequired::from_code(&a.dpia_required) != Some(DpiaRequired::Yes) {
        return;
    }
    if DpiaStatus::from_code(&a.dpia_status) == Some(DpiaStatus::NotApplicable) {
        // With an Art. 35(3) case the mandatory rule says so, as an error.
        if !has_art35_case(r, a) {
            hits.push(Hit::new("dpia_status", ""));
        }
    } else if a.dpia_reference.trim().is_empty() {
        hits.push(Hit::new("dpia_reference", ""));
    }
}

pub(in crate::domain::checks) fn dpia_not_assessed(
    r: &Register<'_>,
    a: &ActivityDoc,
    hits: &mut Vec<Hit>,
) {
    if is_controller(a)
        && a.status == Status::Active.code()
        && DpiaRequired::from_code(&a.dpia_required) == Some(DpiaRequired::NotAssessed)
        && !points_to_dpia(r, a)
    {
        hits.push(Hit::new("dpia_required", ""));
    }
}

pub(in crate::domain::checks) fn transfer_tia(
    _: &Register<'_>,
    a: &ActivityDoc,
    hits: &mut Vec<Hit>,
) {
    for (i, t) in a.transfers.iter().enumerate() {
        let art46 = TransferMechanism::from_code(&t.mechanism)
            .is_some_and(|m| m.article().starts_with("Art. 46"));
        if art46 && t.tia_reference.trim().is_empty() {
            hits.push(Hit::new(
                format!("transfers[{i}].tia_reference"),
                transfer_detail(i, t),
            ));
        }
    }
}

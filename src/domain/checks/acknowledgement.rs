//! Acknowledged findings: a finding a DPO has weighed and accepts for now, with who, when,
//! why and until when. It stays visible as acknowledged; it lapses on its end date, and when
//! the activity changes so that the rule finds something else (the finding is matched by its
//! rule, field and what it concerns).
//!
//! Uses `domain::{errors, text}` and the parent's findings.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{rule, Finding};
use crate::domain::errors::FieldErrors;
use crate::domain::text::{check_form, clean, parse_date};

/// The longest justification, in characters.
const JUSTIFICATION_MAX: usize = 2000;

/// A finding acknowledged, as stored, as the audit trail records it and as the register
/// document holds it.
pub use crate::domain::document::AcknowledgementDoc as Acknowledgement;

impl Acknowledgement {
    /// One read from a register document, checked; `Err` names what is wrong (an unknown
    /// rule, a justification that is empty or too long).
    pub fn checked(d: &Acknowledgement) -> Result<Self, String> {
        if rule(&d.rule).is_none() {
            return Err(format!("rule: there is no rule `{}`", d.rule));
        }
        if clean(&d.justification).is_empty() || d.justification.chars().count() > JUSTIFICATION_MAX
        {
            return Err(format!(
                "justification: give why the finding is accepted, at most {JUSTIFICATION_MAX} characters"
            ));
        }
        Ok(Self {
            rule: d.rule.clone(),
            field: d.field.clone(),
            detail: d.detail.clone(),
            justification: clean(&d.justification),
            until: d.until,
            by: d.by.clone(),
            at: d.at,
        })
    }

    /// Whether it covers `finding` on `today`.
    pub fn covers(&self, finding: &Finding, today: NaiveDate) -> bool {
        self.rule == finding.rule.code
            && self.field == finding.hit.field
            && self.detail == finding.hit.detail
            && self.until.is_none_or(|u| u >= today)
    }
}

/// Marks each finding covered by one of `acknowledgements` on `today`.
pub fn apply(findings: &mut [Finding], acknowledgements: &[Acknowledgement], today: NaiveDate) {
    for f in findings.iter_mut() {
        f.acknowledged = acknowledgements
            .iter()
            .find(|a| a.covers(f, today))
            .cloned();
    }
}

/// The acknowledgement form as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AcknowledgementForm {
    /// The rule's code.
    pub rule: String,
    /// The field the finding is on.
    pub field: String,
    /// What the finding concerns.
    pub detail: String,
    /// Why it is accepted.
    pub justification: String,
    /// The last day it holds (YYYY-MM-DD), blank for no end.
    pub until: String,
}

/// A valid acknowledgement, ready to store with who and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcknowledgementDraft {
    /// The rule's code (a rule of the set).
    pub rule: &'static str,
    /// The field.
    pub field: String,
    /// What it concerns.
    pub detail: String,
    /// Why.
    pub justification: String,
    /// Until.
    pub until: Option<NaiveDate>,
}

impl AcknowledgementForm {
    /// Parses the form on `today`: the rule must exist, the justification be given (at most
    /// 2,000 characters) and the end date, if any, not be past.
    pub fn parse(&self, today: NaiveDate) -> Result<AcknowledgementDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        check_form(self, &["rule", "field", "detail", "until"], &mut errors);
        let found = rule(self.rule.trim());
        if found.is_none() {
            errors.add(
                "rule",
                "This finding's rule is not one of the register checks",
            );
        }
        let justification = clean(&self.justification);
        if justification.is_empty() {
            errors.add(
                "justification",
                "Justification is required: say why this finding is accepted",
            );
        } else if justification.chars().count() > JUSTIFICATION_MAX {
            errors.add("justification", "Justification is at most 2000 characters");
        }
        if self.field.len() > 200 || self.detail.chars().count() > 500 {
            errors.add(
                "justification",
                "This finding is not one the checks give: open it again from the activity's page",
            );
        }
        let until = parse_date(&mut errors, "until", "Until", &self.until);
        if until.is_some_and(|u| u < today) {
            errors.add("until", "Until must be today or later");
        }
        match found {
            Some(r) if errors.is_empty() => Ok(AcknowledgementDraft {
                rule: r.code,
                field: self.field.trim().to_owned(),
                detail: clean(&self.detail),
                justification,
                until,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("date")
    }

    fn form() -> AcknowledgementForm {
        AcknowledgementForm {
            rule: "R-PRIVACY-NOTICE".into(),
            field: "privacy_notice_ref".into(),
            detail: String::new(),
            justification: "Employees are informed by the works agreement".into(),
            until: "2026-12-31".into(),
        }
    }

    #[test]
    fn a_form_parses_and_its_bad_fields_are_named() {
        let draft = form().parse(day(3)).expect("valid");
        assert_eq!(draft.rule, "R-PRIVACY-NOTICE");
        assert_eq!(draft.until, Some(day(31)));
        let bad = AcknowledgementForm {
            rule: "R-WHIM".into(),
            justification: "  ".into(),
            until: "2026-12-01".into(),
            ..form()
        };
        let errors = bad.parse(day(3)).expect_err("invalid");
        for field in ["rule", "justification", "until"] {
            assert!(errors.get(field).is_some(), "{field}: {errors}");
        }
    }

    #[test]
    fn an_acknowledgement_covers_its_finding_until_its_end_or_a_change() {
        let rule = rule("R-PRIVACY-NOTICE").expect("rule");
        let finding = |detail: &str| Finding {
            rule,
            hit: super::super::Hit::new("privacy_notice_ref", detail),
            acknowledged: None,
        };
        let ack = Acknowledgement {
            rule: "R-PRIVACY-NOTICE".into(),
            field: "privacy_notice_ref".into(),
            detail: String::new(),
            justification: "why".into(),
            until: Some(day(31)),
            by: "dpo@example.eu".into(),
            at: day(3).and_hms_opt(9, 0, 0).expect("time"),
        };
        let mut findings = vec![finding(""), finding("something else")];
        apply(&mut findings, std::slice::from_ref(&ack), day(31));
        assert!(findings[0].acknowledged.is_some(), "on its last day");
        assert!(findings[1].acknowledged.is_none(), "another finding");
        apply(
            &mut findings,
            &[ack],
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("d"),
        );
        assert!(findings[0].acknowledged.is_none(), "lapsed after its end");
    }
}

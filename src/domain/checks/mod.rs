//! Register checks: what a supervisory authority would flag in the register, each finding with
//! the rule's stable code, its severity, the article or guidance it rests on and the field to
//! fix. The rules read the register document (`domain::document`), so the same checks run on
//! the stored register, on an export and on an import, and decide on codes, never on free text.
//!
//! - `rules`: the rule set, each rule with its test;
//! - this module: severities, findings, the register the rules read, and running them.
//!
//! Uses `domain::{document, vocab, reference, completeness}`.

pub mod acknowledgement;
mod rules;

use std::collections::HashMap;

use chrono::NaiveDate;

use super::document::{
    ActivityDoc, CataloguesDoc, DataCategoryDoc, OrganisationDoc, PartyDoc, SubjectCategoryDoc,
};
use super::vocab::Status;

pub use acknowledgement::{Acknowledgement, AcknowledgementDraft, AcknowledgementForm};
pub use rules::RULES;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The record does not meet a requirement of the GDPR.
    Error,
    /// Likely to be questioned by an authority; the requirement may be met elsewhere.
    Warning,
    /// Good practice or upkeep.
    Notice,
}

impl Severity {
    /// Every severity, most serious first.
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Notice];

    /// The stable code (`error`, `warning`, `notice`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Notice => "notice",
        }
    }

    /// The label in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "Error",
            Self::Warning => "Warning",
            Self::Notice => "Notice",
        }
    }

    /// Parses a code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What a rule looks at.
#[derive(Clone, Copy)]
pub enum Test {
    /// One activity of the register (not retired).
    Activity(fn(&Register<'_>, &ActivityDoc, &mut Vec<Hit>)),
    /// One organisation.
    Organisation(fn(&Register<'_>, &OrganisationDoc, &mut Vec<Hit>)),
}

/// One rule of the register checks.
pub struct Rule {
    /// Stable code, e.g. `R-TRANSFER-049-DOC`.
    pub code: &'static str,
    /// How serious a finding is.
    pub severity: Severity,
    /// The article or guidance it rests on.
    pub basis: &'static str,
    /// What is wrong, in a few words.
    pub title: &'static str,
    /// Why it matters and what to do, in plain words.
    pub explanation: &'static str,
    /// The test.
    pub test: Test,
}

/// Where a rule found something: the form field to fix and what exactly it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The field of the form to fix (`purposes[1].bases`, `transfers[0].mechanism`, `dpo`).
    pub field: String,
    /// What it concerns ("Purpose 2", "Transfer 1 (India)"); empty for the record as a whole.
    pub detail: String,
}

impl Hit {
    /// A hit on `field`, about `detail`.
    pub fn new(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            detail: detail.into(),
        }
    }
}

/// A finding: a rule and where it applies.
#[derive(Clone)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// The field to fix and what it concerns.
    pub hit: Hit,
    /// The acknowledgement that covers it, if a DPO accepted it.
    pub acknowledged: Option<Acknowledgement>,
}

impl Rule {
    /// The basis as a record of this role shows it: a processor's record cites the points of
    /// Art. 30(2) alone ("Art. 30(1)(e), 30(2)(c)" reads "Art. 30(2)(c)" there).
    pub fn basis_for(&self, processor: bool) -> String {
        if !processor {
            return self.basis.to_owned();
        }
        self.basis
            .split("; ")
            .map(|part| match part.split_once(", 30(2)") {
                Some((first, second)) if first.starts_with("Art. 30(1)") => {
                    format!("Art. 30(2){second}")
                }
                _ => part.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl Finding {
    /// The finding in one line: "Purpose 2: legitimate interests without a balancing test".
    pub fn message(&self) -> String {
        if self.hit.detail.is_empty() {
            self.rule.title.to_owned()
        } else {
            format!("{}: {}", self.hit.detail, self.rule.title)
        }
    }

    /// The finding as an export gives it.
    pub fn to_doc(&self) -> crate::domain::document::FindingDoc {
        crate::domain::document::FindingDoc {
            rule: self.rule.code.to_owned(),
            severity: self.rule.severity.code().to_owned(),
            basis: self.rule.basis.to_owned(),
            field: self.hit.field.clone(),
            detail: self.hit.detail.clone(),
            message: self.message(),
            accepted: self.acknowledged.is_some(),
        }
    }
}

impl std::fmt::Debug for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} ({})",
            self.rule.code,
            self.message(),
            self.hit.field
        )
    }
}

/// What the rules read besides the record checked: the parties, the catalogues and the
/// organisations by their keys, and the day the checks speak for.
pub struct Register<'a> {
    /// Parties by name.
    pub parties: HashMap<&'a str, &'a PartyDoc>,
    /// Personal-data categories by code.
    pub data_categories: HashMap<&'a str, &'a DataCategoryDoc>,
    /// Data-subject categories by code.
    pub subjects: HashMap<&'a str, &'a SubjectCategoryDoc>,
    /// Organisations by name.
    pub organisations: HashMap<&'a str, &'a OrganisationDoc>,
    /// The day of the checks (review dates, certifications, drafts).
    pub today: NaiveDate,
}

impl<'a> Register<'a> {
    /// The DPIA screening of `a`, with what the catalogues show standing in for the questions
    /// not answered (`domain::dpia`).
    pub fn dpia_screening(&self, a: &ActivityDoc) -> crate::domain::dpia::Screening {
        rules::screening(self, a)
    }

    /// The register of `organisations`, `catalogues` and `parties`, checked on `today`.
    pub fn new(
        organisations: &'a [OrganisationDoc],
        catalogues: &'a CataloguesDoc,
        parties: &'a [PartyDoc],
        today: NaiveDate,
    ) -> Self {
        Self {
            parties: parties.iter().map(|p| (p.name.as_str(), p)).collect(),
            data_categories: catalogues
                .data_categories
                .iter()
                .map(|c| (c.code.as_str(), c))
                .collect(),
            subjects: catalogues
                .subject_categories
                .iter()
                .map(|c| (c.code.as_str(), c))
                .collect(),
            organisations: organisations.iter().map(|o| (o.name.as_str(), o)).collect(),
            today,
        }
    }

    /// The findings of one activity, in the order of the rules; none for a retired one (it is
    /// no longer part of the register in force).
    pub fn check_activity(&self, a: &ActivityDoc) -> Vec<Finding> {
        if a.status == Status::Retired.code() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for rule in RULES {
            if let Test::Activity(test) = rule.test {
                let mut hits = Vec::new();
                test(self, a, &mut hits);
                out.extend(hits.into_iter().map(|hit| Finding {
                    rule,
                    hit,
                    acknowledged: None,
                }));
            }
        }
        out
    }

    /// The findings of one organisation, in the order of the rules.
    pub fn check_organisation(&self, o: &OrganisationDoc) -> Vec<Finding> {
        let mut out = Vec::new();
        for rule in RULES {
            if let Test::Organisation(test) = rule.test {
                let mut hits = Vec::new();
                test(self, o, &mut hits);
                out.extend(hits.into_iter().map(|hit| Finding {
                    rule,
                    hit,
                    acknowledged: None,
                }));
            }
        }
        out
    }
}

/// The rule with `code`, if there is one.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// The rule set as a Markdown page (docs/checks.md is this text, checked by a test).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Register checks\n\n\
         What ropa flags in the register, the way a supervisory authority would read it. Each \
         finding names its rule (a stable code), its severity, the article or guidance it rests \
         on and the field to fix. Retired activities are not checked. This page is generated \
         from the rules themselves (`ropa check --rules`); a test fails if it differs.\n\n\
         Severities: **error**, the record does not meet a requirement of the GDPR; \
         **warning**, likely to be questioned by an authority; **notice**, upkeep and good \
         practice.\n\n\
         | Code | Severity | Rests on | Finding | Why, and what to do |\n\
         |---|---|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.code,
            r.severity.code(),
            r.basis,
            r.title,
            r.explanation
        ));
    }
    out.push_str(&format!("\n{} rules.\n", RULES.len()));
    out
}

/// The findings of one activity, with what names it.
#[derive(Debug, Clone)]
pub struct ActivityFindings {
    /// The activity's id in the database.
    pub id: i64,
    /// Its organisation's name.
    pub organisation: String,
    /// Its reference.
    pub reference: String,
    /// Its name.
    pub name: String,
    /// What the rules found, in the order of the rules.
    pub findings: Vec<Finding>,
}

/// The findings of a register (or of one organisation's part of it).
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The day the checks speak for.
    pub today: Option<NaiveDate>,
    /// Each organisation's own findings, by name.
    pub organisations: Vec<(String, Vec<Finding>)>,
    /// Each activity checked with its findings (those without any included).
    pub activities: Vec<ActivityFindings>,
}

impl Report {
    /// Every finding with the organisation and, for an activity's, the activity.
    pub fn all(&self) -> impl Iterator<Item = (&str, Option<&ActivityFindings>, &Finding)> {
        self.organisations
            .iter()
            .flat_map(|(o, fs)| fs.iter().map(move |f| (o.as_str(), None, f)))
            .chain(self.activities.iter().flat_map(|a| {
                a.findings
                    .iter()
                    .map(move |f| (a.organisation.as_str(), Some(a), f))
            }))
    }

    /// Number of open (not accepted) findings of each severity, most serious first.
    pub fn counts(&self) -> [(Severity, usize); 3] {
        Severity::ALL.map(|s| {
            (
                s,
                self.all()
                    .filter(|(_, _, f)| f.rule.severity == s && f.acknowledged.is_none())
                    .count(),
            )
        })
    }

    /// Number of accepted (acknowledged) findings.
    pub fn acknowledged(&self) -> usize {
        self.all()
            .filter(|(_, _, f)| f.acknowledged.is_some())
            .count()
    }

    /// Whether an open finding at `threshold` or more serious exists.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.all()
            .any(|(_, _, f)| f.rule.severity <= threshold && f.acknowledged.is_none())
    }
}

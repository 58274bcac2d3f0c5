//! DPIA screening (Art. 35): the nine criteria of the WP248 rev.01 guidelines (endorsed by the
//! EDPB) and the three cases of Art. 35(3), answered yes or no on each activity; what the
//! register already shows about them (special categories, vulnerable data subjects, monitoring,
//! automated decisions); and what the answers indicate.
//!
//! Two or more criteria: a DPIA is likely required (WP248 rev.01 III.B.a; exceptions possible
//! both ways, so a controller that decides otherwise documents why). An Art. 35(3) case: a DPIA
//! is required.
//!
//! Uses `domain::{document, vocab}`.

use std::collections::BTreeMap;

use super::document::ActivityDoc;
use super::vocab::{vocabulary, AutomatedProcessing, Sensitivity};

vocabulary! {
    /// A question of the DPIA screening: a WP248 rev.01 criterion or an Art. 35(3) case
    /// (`vocabularies.json`: `dpia_criteria`, `dpia_mandatory_cases_art35_3`).
    DpiaQuestion {
        EvaluationOrScoring => "evaluation_or_scoring", "Recitals 71 and 91", "Evaluation or scoring, including profiling and predicting";
        AutomatedDecisionLegalEffect => "automated_decision_legal_effect", "Art. 35(3)(a)", "Automated decision-making with legal or similarly significant effect";
        SystematicMonitoring => "systematic_monitoring", "Art. 35(3)(c)", "Systematic monitoring of data subjects, incl. publicly accessible areas";
        SensitiveData => "sensitive_or_highly_personal_data", "Art. 9; Art. 10", "Sensitive data or data of a highly personal nature (incl. Art. 9 and Art. 10 data)";
        LargeScale => "large_scale", "WP248 rev.01", "Data processed on a large scale";
        MatchingDatasets => "matching_or_combining_datasets", "WP248 rev.01", "Matching or combining datasets";
        // The label names employees, as WP248 rev.01 does (vocabularies.json leaves them out).
        VulnerableSubjects => "vulnerable_data_subjects", "Recital 75", "Data concerning vulnerable data subjects (e.g. employees, children, patients, mentally ill persons)";
        InnovativeTechnology => "innovative_technology", "WP248 rev.01", "Innovative use or application of new technological or organisational solutions";
        PreventsRightOrService => "prevents_exercise_of_right_or_service", "Art. 22; Recital 91", "Processing that in itself prevents data subjects from exercising a right or using a service or a contract";
        SystematicExtensiveEvaluation => "systematic_extensive_evaluation", "Art. 35(3)(a)", "Systematic and extensive evaluation of personal aspects based on automated processing, incl. profiling, with decisions producing legal or similarly significant effects";
        LargeScaleSpecialData => "large_scale_special_or_criminal_data", "Art. 35(3)(b)", "Large-scale processing of special categories (Art. 9(1)) or criminal-offence data (Art. 10)";
        LargeScalePublicMonitoring => "large_scale_public_area_monitoring", "Art. 35(3)(c)", "Systematic monitoring of a publicly accessible area on a large scale";
    }
}

/// Criteria met from which a DPIA is likely required (WP248 rev.01 III.B.a).
pub const LIKELY_FROM: usize = 2;

/// Subject categories WP248 rev.01 (criterion 7) names as vulnerable for the imbalance of power
/// with the controller, besides those the catalogue marks vulnerable: employees and applicants.
const IMBALANCE_OF_POWER: &[&str] = &["employees", "job_applicants"];

impl DpiaQuestion {
    /// Whether this is a case of Art. 35(3), in which a DPIA is required, rather than a
    /// WP248 criterion.
    pub fn is_art35_case(self) -> bool {
        matches!(
            self,
            DpiaQuestion::SystematicExtensiveEvaluation
                | DpiaQuestion::LargeScaleSpecialData
                | DpiaQuestion::LargeScalePublicMonitoring
        )
    }

    /// The WP248 criteria, in their order.
    pub fn criteria() -> impl Iterator<Item = DpiaQuestion> {
        Self::ALL.iter().copied().filter(|q| !q.is_art35_case())
    }

    /// The cases of Art. 35(3), in their order.
    pub fn art35_cases() -> impl Iterator<Item = DpiaQuestion> {
        Self::ALL.iter().copied().filter(|q| q.is_art35_case())
    }

    /// How a message names the question: "criterion 4" or "Art. 35(3)(b)".
    pub fn short(self) -> String {
        if self.is_art35_case() {
            format!("Art. 35(3){}", self.number())
        } else {
            format!("criterion {}", self.number())
        }
    }

    /// The criterion's number in WP248 rev.01 (1-9), or the case's point of Art. 35(3).
    pub fn number(self) -> String {
        match self {
            DpiaQuestion::SystematicExtensiveEvaluation => "(a)".into(),
            DpiaQuestion::LargeScaleSpecialData => "(b)".into(),
            DpiaQuestion::LargeScalePublicMonitoring => "(c)".into(),
            q => (Self::criteria().position(|c| c == q).unwrap_or(0) + 1).to_string(),
        }
    }
}

/// The answers given to the screening: yes (`true`) or no, by question; a question absent is
/// not answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DpiaScreening {
    /// The answers.
    pub answers: BTreeMap<DpiaQuestion, bool>,
}

impl DpiaScreening {
    /// The stored form: `code=yes;code=no` in the questions' order (empty: nothing answered).
    pub fn encode(&self) -> String {
        self.answers
            .iter()
            .map(|(q, yes)| format!("{}={}", q.code(), if *yes { "yes" } else { "no" }))
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Reads the stored form; `Err` names the part not understood.
    pub fn decode(stored: &str) -> Result<Self, String> {
        let mut pairs = Vec::new();
        for part in stored.split(';').filter(|p| !p.is_empty()) {
            pairs.push(part.split_once('=').ok_or_else(|| part.to_owned())?);
        }
        Self::from_pairs(pairs)
    }

    /// The answers as the register document holds them: code to "yes" or "no".
    pub fn to_document(&self) -> BTreeMap<String, String> {
        self.answers
            .iter()
            .map(|(q, yes)| (q.code().to_owned(), if *yes { "yes" } else { "no" }.into()))
            .collect()
    }

    /// Reads the document's answers; `Err` names the answer not understood (`code=answer`).
    pub fn from_document(doc: &BTreeMap<String, String>) -> Result<Self, String> {
        Self::from_pairs(doc.iter().map(|(c, a)| (c.as_str(), a.as_str())))
    }

    /// The answers of (question code, "yes" or "no") pairs; `Err` names the pair not
    /// understood as `code=answer`.
    fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, String> {
        let mut answers = BTreeMap::new();
        for (code, answer) in pairs {
            let yes = DpiaQuestion::from_code(code)
                .zip(yes_no(answer))
                .ok_or_else(|| format!("{code}={answer}"))?;
            answers.insert(yes.0, yes.1);
        }
        Ok(Self { answers })
    }
}

/// "yes" or "no".
pub fn yes_no(answer: &str) -> Option<bool> {
    match answer {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// What an activity's record shows that bears on the screening: its data and subject
/// categories by code, their sensitivity and vulnerable marks as the catalogues give them, and
/// its automated processing.
#[derive(Debug, Clone, Default)]
pub struct Recorded<'a> {
    /// Data categories, by code.
    pub data_categories: Vec<&'a str>,
    /// Subject categories, by code.
    pub subjects: Vec<&'a str>,
    /// Profiling or automated decisions (Art. 22).
    pub automated: Option<AutomatedProcessing>,
    /// Special-category (Art. 9) or criminal-offence (Art. 10) data is recorded.
    pub special_or_criminal: bool,
    /// A subject category the catalogue marks vulnerable is recorded.
    pub vulnerable_subjects: bool,
}

impl<'a> Recorded<'a> {
    /// What `a` records, given each data category's sensitivity and each subject category's
    /// vulnerable mark by code.
    pub fn of(
        a: &'a ActivityDoc,
        sensitivity: impl Fn(&str) -> Option<Sensitivity>,
        vulnerable: impl Fn(&str) -> bool,
    ) -> Self {
        Self {
            data_categories: a.data_categories.iter().map(String::as_str).collect(),
            subjects: a.subjects.iter().map(String::as_str).collect(),
            automated: AutomatedProcessing::from_code(&a.automated_processing),
            special_or_criminal: a.data_categories.iter().any(|c| {
                matches!(
                    sensitivity(c),
                    Some(Sensitivity::SpecialCategory | Sensitivity::CriminalOffence)
                )
            }),
            vulnerable_subjects: a.subjects.iter().any(|s| vulnerable(s)),
        }
    }
}

/// The questions the record already answers yes, each with why: the screening's form offers
/// them ticked, and the checks count them while unanswered.
pub fn suggested(r: &Recorded<'_>) -> Vec<(DpiaQuestion, String)> {
    let mut out = Vec::new();
    let has = |code: &str| r.data_categories.contains(&code);
    if r.automated == Some(AutomatedProcessing::ProfilingWithoutDecisions) {
        out.push((
            DpiaQuestion::EvaluationOrScoring,
            "the activity records profiling or other automated evaluation".to_owned(),
        ));
    }
    if r.automated == Some(AutomatedProcessing::SolelyAutomatedDecisions) {
        out.push((
            DpiaQuestion::EvaluationOrScoring,
            "the activity records solely automated decisions, which usually rest on an \
             evaluation of the person"
                .to_owned(),
        ));
        out.push((
            DpiaQuestion::AutomatedDecisionLegalEffect,
            "the activity records solely automated decisions with legal or similar effects"
                .to_owned(),
        ));
    }
    let cctv = has("images_audio_video") && r.subjects.contains(&"premises_visitors");
    if cctv || has("location_data") || has("internet_tracking") {
        let why = if cctv {
            "the activity records images or video of visitors to premises (e.g. CCTV)"
        } else if has("location_data") {
            "the activity records location data"
        } else {
            "the activity records online tracking data"
        };
        out.push((DpiaQuestion::SystematicMonitoring, why.to_owned()));
    }
    if r.special_or_criminal {
        out.push((
            DpiaQuestion::SensitiveData,
            "the activity records special-category or criminal-offence data".to_owned(),
        ));
    } else if has("location_data") || has("communications_content") {
        out.push((
            DpiaQuestion::SensitiveData,
            "the activity records data of a highly personal nature (WP248: location data, \
             communications)"
                .to_owned(),
        ));
    }
    let imbalance = r.subjects.iter().any(|s| IMBALANCE_OF_POWER.contains(s));
    if r.vulnerable_subjects || imbalance {
        out.push((
            DpiaQuestion::VulnerableSubjects,
            if imbalance {
                "the activity concerns employees or applicants (an imbalance of power)"
            } else {
                "the activity concerns data subjects the catalogue marks vulnerable"
            }
            .to_owned(),
        ));
    }
    out
}

/// The screening of one activity: its answers, with what the register shows standing in for
/// the questions not answered.
#[derive(Debug, Clone)]
pub struct Screening {
    /// Each question's answer: given, suggested by the register (yes), or none.
    pub answers: Vec<(DpiaQuestion, Answer)>,
}

/// One question's answer in a [`Screening`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Answered by the DPO.
    Given(bool),
    /// Not answered; the register shows yes, for this reason.
    Suggested(String),
    /// Not answered, nothing shown.
    None,
}

impl Answer {
    /// Whether the question counts as met.
    pub fn is_yes(&self) -> bool {
        matches!(self, Answer::Given(true) | Answer::Suggested(_))
    }
}

impl Screening {
    /// The screening from the answers `given` and what the record shows.
    pub fn of(given: &DpiaScreening, recorded: &Recorded<'_>) -> Self {
        let mut suggestions = suggested(recorded);
        // Large-scale special-category data (Art. 35(3)(b)) follows from a large scale
        // answered yes and such data recorded.
        if given.answers.get(&DpiaQuestion::LargeScale) == Some(&true)
            && given.answers.get(&DpiaQuestion::SensitiveData) != Some(&false)
            && recorded.special_or_criminal
        {
            suggestions.push((
                DpiaQuestion::LargeScaleSpecialData,
                "answered large scale, and the activity records special-category or \
                 criminal-offence data: answer no if those data themselves are not processed \
                 on a large scale"
                    .to_owned(),
            ));
        }
        let answers = DpiaQuestion::ALL
            .iter()
            .map(|q| {
                let answer = match given.answers.get(q) {
                    Some(yes) => Answer::Given(*yes),
                    None => suggestions
                        .iter()
                        .find(|(s, _)| s == q)
                        .map_or(Answer::None, |(_, why)| Answer::Suggested(why.clone())),
                };
                (*q, answer)
            })
            .collect();
        Self { answers }
    }

    /// The WP248 criteria met.
    pub fn criteria_met(&self) -> Vec<DpiaQuestion> {
        self.answers
            .iter()
            .filter(|(q, a)| !q.is_art35_case() && a.is_yes())
            .map(|(q, _)| *q)
            .collect()
    }

    /// The cases of Art. 35(3) met.
    pub fn cases_met(&self) -> Vec<DpiaQuestion> {
        self.answers
            .iter()
            .filter(|(q, a)| q.is_art35_case() && a.is_yes())
            .map(|(q, _)| *q)
            .collect()
    }

    /// Whether a DPIA is likely required by the criteria (two or more met).
    pub fn likely(&self) -> bool {
        self.criteria_met().len() >= LIKELY_FROM
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity() -> ActivityDoc {
        serde_json::from_value(serde_json::json!({
            "organisation": "Acme", "role": "controller", "reference": "PA-1", "name": "HR",
            "description": "", "business_function": "", "owner": "", "status": "active",
            "purposes": [], "special_conditions": [], "special_legal_reference": "",
            "criminal_basis": null, "criminal_legal_reference": "", "joint_controllers": [],
            "controllers": [], "subjects": ["employees"], "data_categories": ["health_data"],
            "recipients": [], "transfers": [], "retention": [], "security_measures": [],
            "security_description": "", "data_source": "", "systems": "", "data_location": "",
            "automated_decision_description": "", "dpia_required": "not_assessed",
            "dpia_status": "not_started", "dpia_reference": "", "privacy_notice_ref": "",
            "consent_record_ref": "", "processor_contract_ref": "", "retention_policy_ref": "",
            "breach_occurred": false, "breach_record_ref": "", "last_reviewed": null,
            "next_review": null, "created_at": "2026-01-01T00:00:00",
            "updated_at": "2026-01-01T00:00:00"
        }))
        .expect("activity")
    }

    #[test]
    fn the_questions_carry_the_reference_codes() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("vocabularies.json")).expect("parses");
        let codes = |key: &str| -> Vec<String> {
            v[key]
                .as_array()
                .expect("list")
                .iter()
                .map(|c| c["code"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        let ours = |it: &mut dyn Iterator<Item = DpiaQuestion>| -> Vec<String> {
            it.map(|q| q.code().to_owned()).collect()
        };
        assert_eq!(ours(&mut DpiaQuestion::criteria()), codes("dpia_criteria"));
        assert_eq!(
            ours(&mut DpiaQuestion::art35_cases()),
            codes("dpia_mandatory_cases_art35_3")
        );
        assert_eq!(v["dpia_rule_of_thumb"]["threshold"], LIKELY_FROM);
        assert_eq!(DpiaQuestion::VulnerableSubjects.number(), "7");
        assert_eq!(DpiaQuestion::LargeScaleSpecialData.number(), "(b)");
    }

    #[test]
    fn answers_are_stored_and_read_back() {
        let mut s = DpiaScreening::default();
        s.answers.insert(DpiaQuestion::LargeScale, true);
        s.answers.insert(DpiaQuestion::EvaluationOrScoring, false);
        let stored = s.encode();
        assert_eq!(stored, "evaluation_or_scoring=no;large_scale=yes");
        assert_eq!(DpiaScreening::decode(&stored), Ok(s.clone()));
        assert_eq!(DpiaScreening::from_document(&s.to_document()), Ok(s));
        assert_eq!(
            DpiaScreening::decode("large_scale=maybe"),
            Err("large_scale=maybe".into())
        );
        assert_eq!(DpiaScreening::decode(""), Ok(DpiaScreening::default()));
    }

    fn screen(a: &ActivityDoc, special: bool) -> Screening {
        let given = DpiaScreening::from_document(&a.dpia_screening).expect("answers");
        let recorded = Recorded::of(
            a,
            |_| special.then_some(Sensitivity::SpecialCategory),
            |_| false,
        );
        Screening::of(&given, &recorded)
    }

    #[test]
    fn the_register_suggests_what_it_shows_and_answers_prevail() {
        let mut a = activity();
        let s = screen(&a, true);
        assert_eq!(
            s.criteria_met(),
            [
                DpiaQuestion::SensitiveData,
                DpiaQuestion::VulnerableSubjects
            ]
        );
        assert!(s.likely());
        assert!(s.cases_met().is_empty());
        // Answered no: the answer prevails over the suggestion.
        a.dpia_screening
            .insert("vulnerable_data_subjects".into(), "no".into());
        assert!(!screen(&a, true).likely());
        // Large scale answered yes with special categories: Art. 35(3)(b).
        a.dpia_screening.insert("large_scale".into(), "yes".into());
        let s = screen(&a, true);
        assert_eq!(s.cases_met(), [DpiaQuestion::LargeScaleSpecialData]);
        // Nothing recorded: nothing suggested.
        let mut plain = activity();
        plain.subjects = vec!["customers".into()];
        plain.data_categories = vec!["contact_details".into()];
        let none = |_: &str| None;
        assert!(suggested(&Recorded::of(&plain, none, |_| false)).is_empty());
        // CCTV, tracking and automated decisions.
        plain.data_categories = vec!["images_audio_video".into()];
        plain.subjects = vec!["premises_visitors".into()];
        plain.automated_processing = "solely_automated_decisions".into();
        let q: Vec<DpiaQuestion> = suggested(&Recorded::of(&plain, none, |_| false))
            .into_iter()
            .map(|(q, _)| q)
            .collect();
        assert_eq!(
            q,
            [
                DpiaQuestion::EvaluationOrScoring,
                DpiaQuestion::AutomatedDecisionLegalEffect,
                DpiaQuestion::SystematicMonitoring
            ]
        );
    }
}

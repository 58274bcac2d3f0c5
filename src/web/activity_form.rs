//! The activity edit form as a page: the form's values and errors, the choices it offers, the
//! rows of its optional lists, and the DPIA screening's questions with what the form's record
//! suggests. `activities` serves it.
//!
//! Uses `domain::{activity, dpia, errors, reference, vocab}`, `web::page`.

use askama::Template;

use super::page::Layout;
use crate::domain::activity::{
    ActivityForm, Choices, DataCategoryChoice, MeasureChoice, PartyChoice, RowList, FIELD_ORDER,
};
use crate::domain::dpia::{suggested, DpiaQuestion, Recorded};
use crate::domain::errors::FieldErrors;
use crate::domain::reference::adequacy_as_of;
use crate::domain::vocab::{
    AutomatedDecisionException, AutomatedProcessing, Country, CriminalBasis, DpiaRequired,
    DpiaStatus, LawfulBasis, MeasureFamily, PartyKind, RetentionUnit, Role, Sensitivity,
    SpecialCondition, Status, TransferMechanism,
};

#[derive(Template)]
#[template(path = "activities/form.html")]
pub(super) struct FormPage {
    layout: Layout,
    /// On a conflict: (field, value saved meanwhile, value in this form) for each difference.
    pub(super) changes: Vec<(&'static str, String, String)>,
    id: Option<i64>,
    pub(super) clone_of: Option<String>,
    form: ActivityForm,
    errors: FieldErrors,
    choices: Choices,
    pub(super) conflict: bool,
    /// Optional lists with no row: their one row is a disabled, hidden template that appears
    /// when a row is added.
    blank: Vec<RowList>,
    countries: &'static [Country],
    roles: &'static [Role],
    statuses: &'static [Status],
    bases: &'static [LawfulBasis],
    conditions: &'static [SpecialCondition],
    criminal_bases: &'static [CriminalBasis],
    mechanisms: &'static [TransferMechanism],
    units: &'static [RetentionUnit],
    dpia_required: &'static [DpiaRequired],
    dpia_statuses: &'static [DpiaStatus],
    automated_cases: &'static [AutomatedProcessing],
    automated_exceptions: &'static [AutomatedDecisionException],
    organisations_with_adequacy: Vec<&'static str>,
    adequacy_as_of: &'static str,
}

/// One question of the DPIA screening as the form shows it.
pub(super) struct ScreeningQuestion {
    /// The question.
    pub question: DpiaQuestion,
    /// Its answer in the form: yes, no, or none.
    pub answer: Option<bool>,
    /// Why the record suggests yes, for a question not answered.
    pub suggested: Option<String>,
}

impl ScreeningQuestion {
    /// The field's name.
    fn name(&self) -> String {
        format!("dpia_screening.{}", self.question.code())
    }

    /// Whether "yes" is ticked: answered so, or suggested and not answered.
    fn yes(&self) -> bool {
        self.answer == Some(true) || (self.answer.is_none() && self.suggested.is_some())
    }
}

impl FormPage {
    /// The DPIA screening's questions, criteria then the cases of Art. 35(3), each with its
    /// answer in the form and what the categories and automated processing in the form
    /// suggest (`domain::dpia`).
    fn screening(&self) -> Vec<ScreeningQuestion> {
        let chosen = |ids: &[String], id: String| ids.iter().any(|v| v.trim() == id);
        let data: Vec<&DataCategoryChoice> = self
            .choices
            .data_categories
            .iter()
            .filter(|c| chosen(&self.form.data_categories, c.id.0.to_string()))
            .collect();
        let subjects: Vec<_> = self
            .choices
            .subject_categories
            .iter()
            .filter(|c| chosen(&self.form.subjects, c.id.0.to_string()))
            .collect();
        let recorded = Recorded {
            data_categories: data.iter().map(|c| c.code.as_str()).collect(),
            subjects: subjects.iter().map(|c| c.code.as_str()).collect(),
            automated: AutomatedProcessing::from_code(&self.form.automated_processing),
            special_or_criminal: data.iter().any(|c| {
                matches!(
                    c.sensitivity,
                    Sensitivity::SpecialCategory | Sensitivity::CriminalOffence
                )
            }),
            vulnerable_subjects: subjects.iter().any(|c| c.vulnerable),
        };
        let suggestions = suggested(&recorded);
        DpiaQuestion::ALL
            .iter()
            .map(|q| ScreeningQuestion {
                question: *q,
                answer: self
                    .form
                    .dpia_screening
                    .get(q.code())
                    .and_then(|a| crate::domain::dpia::yes_no(a.trim())),
                suggested: suggestions
                    .iter()
                    .find(|(s, _)| s == q)
                    .map(|(_, why)| why.clone()),
            })
            .collect()
    }

    /// The errors in the order the page shows their fields, for the summary at its top.
    fn summary(&self) -> Vec<(&str, &str)> {
        self.errors.in_order(FIELD_ORDER)
    }

    /// Whether the optional list's one row is the template of a row not added yet.
    fn blank(&self, list: RowList) -> bool {
        self.blank.contains(&list)
    }

    /// The page for `form` with its `errors`, the register's `choices`, and its optional lists'
    /// templates.
    pub(super) fn new(
        layout: Layout,
        id: Option<i64>,
        mut form: ActivityForm,
        errors: FieldErrors,
        choices: Choices,
    ) -> Self {
        // Every list has at least one row: the mandatory ones show it blank to fill in (blank
        // rows are ignored on save); the optional ones (joint controllers, recipients,
        // transfers) keep it as a template that appears only when a row is added, so that no
        // empty row with a first choice already made stands in the form.
        form.offer_retention_rows();
        let mut blank = Vec::new();
        for list in [
            RowList::Purposes,
            RowList::JointControllers,
            RowList::Controllers,
            RowList::Recipients,
            RowList::Transfers,
            RowList::Retention,
        ] {
            if form.rows(list) == 0 {
                form.add_row(list);
                if matches!(
                    list,
                    RowList::JointControllers | RowList::Recipients | RowList::Transfers
                ) {
                    blank.push(list);
                }
            }
        }
        // Retiring and reactivating are the page's buttons (a retirement asks why): the form
        // keeps a retired activity retired and offers the others draft or active.
        let statuses: &'static [Status] = if form.status == Status::Retired.code() {
            &[Status::Retired]
        } else {
            &[Status::Draft, Status::Active]
        };
        FormPage {
            layout: layout.at("activities"),
            changes: Vec::new(),
            id,
            clone_of: None,
            blank,
            form,
            errors,
            choices,
            conflict: false,
            countries: Country::third_countries(),
            roles: Role::ALL,
            statuses,
            bases: LawfulBasis::ALL,
            conditions: SpecialCondition::ALL,
            criminal_bases: CriminalBasis::ALL,
            mechanisms: TransferMechanism::ALL,
            units: RetentionUnit::ALL,
            dpia_required: DpiaRequired::ALL,
            dpia_statuses: DpiaStatus::ALL,
            automated_cases: AutomatedProcessing::ALL,
            automated_exceptions: AutomatedDecisionException::ALL,
            organisations_with_adequacy: crate::domain::reference::adequacy_decisions()
                .iter()
                .filter(|a| a.kind == "international_organisation")
                .map(|a| a.name.as_str())
                .collect(),
            adequacy_as_of: adequacy_as_of(),
        }
    }

    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/activities/{id}"),
            None => "/activities".into(),
        }
    }

    fn has(&self, list: &[String], id: &i64) -> bool {
        let id = id.to_string();
        list.iter().any(|v| v.trim() == id)
    }

    fn has_code(&self, list: &[String], code: &str) -> bool {
        list.iter().any(|v| v.trim() == code)
    }

    fn is(&self, value: &str, id: &i64) -> bool {
        value.trim() == id.to_string()
    }

    fn err(&self, list: &str, i: &usize, field: &str) -> Option<String> {
        self.errors
            .get(&format!("{list}[{i}].{field}"))
            .map(str::to_owned)
    }

    fn name(&self, list: &str, i: &usize, field: &str) -> String {
        format!("{list}[{i}].{field}")
    }

    fn data_groups(&self) -> Vec<(Sensitivity, Vec<&DataCategoryChoice>)> {
        Sensitivity::ALL
            .iter()
            .rev()
            .map(|s| {
                (
                    *s,
                    self.choices
                        .data_categories
                        .iter()
                        .filter(|c| c.sensitivity == *s)
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    fn measure_groups(&self) -> Vec<(MeasureFamily, Vec<&MeasureChoice>)> {
        MeasureFamily::ALL
            .iter()
            .map(|f| {
                (
                    *f,
                    self.choices
                        .measures
                        .iter()
                        .filter(|m| m.family == *f)
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    fn joint_parties(&self) -> Vec<&PartyChoice> {
        self.choices
            .parties
            .iter()
            .filter(|p| p.kind == PartyKind::JointController)
            .collect()
    }

    fn client_parties(&self) -> Vec<&PartyChoice> {
        let mut v: Vec<&PartyChoice> = self
            .choices
            .parties
            .iter()
            .filter(|p| p.kind == PartyKind::ClientController)
            .collect();
        v.extend(
            self.choices
                .parties
                .iter()
                .filter(|p| p.kind != PartyKind::ClientController),
        );
        v
    }
}

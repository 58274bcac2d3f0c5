//! The register health page: the register checks' findings counted by severity, rule and
//! organisation, the share of activities without errors, and the activities with the most
//! serious findings first.
//!
//! Uses `domain::checks`, `store::checks`, `web::{auth, errors, page, page_cache}`.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::errors::AppError;
use super::page::Layout;
use super::page_cache::kept_page;
use super::AppState;
use crate::domain::checks::{ActivityFindings, Report, Rule, Severity};
use crate::domain::user::Permission;
use crate::store::DbConnection;

/// How many activities the page lists, worst first.
const WORST: usize = 25;

/// One organisation's line.
struct OrganisationLine {
    name: String,
    activities: usize,
    without_errors: usize,
    counts: [usize; 3],
}

/// One rule's line.
struct RuleLine {
    rule: &'static Rule,
    count: usize,
}

/// One of the worst activities.
struct ActivityLine {
    id: i64,
    organisation: String,
    reference: String,
    name: String,
    counts: [usize; 3],
    first: String,
}

#[derive(Template)]
#[template(path = "checks/health.html")]
struct HealthPage {
    layout: Layout,
    today: chrono::NaiveDate,
    checked: usize,
    without_errors: usize,
    counts: [usize; 3],
    accepted: usize,
    own: Vec<(String, Vec<String>)>,
    organisations: Vec<OrganisationLine>,
    rules: Vec<RuleLine>,
    worst: Vec<ActivityLine>,
}

impl HealthPage {
    /// Whether any error was found.
    fn has_errors(&self) -> bool {
        self.counts[0] > 0
    }

    /// The share of activities without an error, in whole percent.
    fn share(&self, part: &usize, whole: &usize) -> usize {
        if *whole == 0 {
            100
        } else {
            part * 100 / whole
        }
    }
}

fn counts_of(a: &ActivityFindings) -> [usize; 3] {
    Severity::ALL.map(|s| {
        a.findings
            .iter()
            .filter(|f| f.rule.severity == s && f.acknowledged.is_none())
            .count()
    })
}

fn page(report: Report, today: chrono::NaiveDate, layout: Layout) -> HealthPage {
    // Retired activities are not checked: they are not counted either.
    let checked: Vec<&ActivityFindings> = report.activities.iter().collect();
    let without_errors =
        |list: &[&ActivityFindings]| list.iter().filter(|a| counts_of(a)[0] == 0).count();
    let mut by_org: BTreeMap<&str, Vec<&ActivityFindings>> = BTreeMap::new();
    for a in &checked {
        by_org.entry(a.organisation.as_str()).or_default().push(a);
    }
    let organisations = by_org
        .iter()
        .map(|(name, list)| OrganisationLine {
            name: (*name).to_owned(),
            activities: list.len(),
            without_errors: without_errors(list),
            counts: list.iter().fold([0; 3], |mut acc, a| {
                for (i, n) in counts_of(a).into_iter().enumerate() {
                    acc[i] += n;
                }
                acc
            }),
        })
        .collect();
    let mut rules: Vec<RuleLine> = crate::domain::checks::RULES
        .iter()
        .map(|rule| RuleLine {
            rule,
            count: report
                .all()
                .filter(|(_, _, f)| f.rule.code == rule.code && f.acknowledged.is_none())
                .count(),
        })
        .filter(|l| l.count > 0)
        .collect();
    rules.sort_by_key(|l| (l.rule.severity, std::cmp::Reverse(l.count)));
    let mut worst: Vec<ActivityLine> = checked
        .iter()
        .filter(|a| counts_of(a) != [0; 3])
        .map(|a| ActivityLine {
            id: a.id,
            organisation: a.organisation.clone(),
            reference: a.reference.clone(),
            name: a.name.clone(),
            counts: counts_of(a),
            first: a
                .findings
                .iter()
                .filter(|f| f.acknowledged.is_none())
                .min_by_key(|f| f.rule.severity)
                .map(|f| f.message())
                .unwrap_or_default(),
        })
        .collect();
    worst.sort_by(|x, y| {
        y.counts
            .cmp(&x.counts)
            .then_with(|| x.organisation.cmp(&y.organisation))
            .then_with(|| x.reference.cmp(&y.reference))
    });
    worst.truncate(WORST);
    let counts = report.counts().map(|(_, n)| n);
    let accepted = report.acknowledged();
    HealthPage {
        layout: layout.at("checks"),
        today,
        checked: checked.len(),
        without_errors: without_errors(&checked),
        counts,
        accepted,
        own: report
            .organisations
            .iter()
            .filter(|(_, fs)| !fs.is_empty())
            .map(|(name, fs)| {
                (
                    name.clone(),
                    fs.iter()
                        .map(|f| format!("{} ({}, {})", f.message(), f.rule.basis, f.rule.code))
                        .collect(),
                )
            })
            .collect(),
        organisations,
        rules,
        worst,
    }
}

/// `GET /checks`: the register's health.
pub async fn health(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    let load = move |c: &mut DbConnection| {
        let today = chrono::Utc::now().date_naive();
        let report = crate::store::records::in_snapshot(c, |c| {
            crate::store::checks::register_findings(c, None, today)
        })?;
        Ok((report, today))
    };
    kept_page(&req, &state, layout, load, |(report, today), layout| {
        page(report, today, layout)
    })
    .await
}

//! The register checks' report written for people (text) and for programs (JSON): what
//! `ropa check` prints.
//!
//! Uses the domain's checks.

use serde::Serialize;

use crate::domain::checks::Report;

/// One finding as the JSON report gives it.
#[derive(Serialize)]
struct FindingEntry<'a> {
    rule: &'static str,
    severity: &'static str,
    basis: &'static str,
    title: &'static str,
    message: String,
    explanation: &'static str,
    organisation: &'a str,
    activity_id: Option<i64>,
    activity_reference: Option<&'a str>,
    activity_name: Option<&'a str>,
    field: &'a str,
    acknowledged: Option<&'a crate::domain::checks::Acknowledgement>,
}

/// The JSON report.
#[derive(Serialize)]
struct JsonReport<'a> {
    checked_on: Option<chrono::NaiveDate>,
    activities_checked: usize,
    counts: std::collections::BTreeMap<&'static str, usize>,
    acknowledged: usize,
    findings: Vec<FindingEntry<'a>>,
}

/// The report as JSON: the day, the counts by severity and every finding with its rule.
pub fn json(report: &Report) -> Result<String, serde_json::Error> {
    let findings = report
        .all()
        .map(|(organisation, activity, f)| FindingEntry {
            rule: f.rule.code,
            severity: f.rule.severity.code(),
            basis: f.rule.basis,
            title: f.rule.title,
            message: f.message(),
            explanation: f.rule.explanation,
            organisation,
            activity_id: activity.map(|a| a.id),
            activity_reference: activity.map(|a| a.reference.as_str()),
            activity_name: activity.map(|a| a.name.as_str()),
            field: &f.hit.field,
            acknowledged: f.acknowledged.as_ref(),
        })
        .collect();
    serde_json::to_string_pretty(&JsonReport {
        checked_on: report.today,
        activities_checked: report.activities.len(),
        counts: report
            .counts()
            .into_iter()
            .map(|(s, n)| (s.code(), n))
            .collect(),
        acknowledged: report.acknowledged(),
        findings,
    })
}

/// The report as text: by organisation, its own findings then each activity's, and the
/// totals at the end.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let line = |out: &mut String, indent: &str, f: &crate::domain::checks::Finding| {
        out.push_str(&format!(
            "{indent}{:<8} {:<26} {} ({}) [{}]{}\n",
            f.rule.severity.code(),
            f.rule.code,
            f.message(),
            f.rule.basis,
            f.hit.field,
            match &f.acknowledged {
                Some(a) => format!(" accepted by {} on {}", a.by, a.at.date()),
                None => String::new(),
            }
        ));
    };
    for (name, findings) in &report.organisations {
        let activities: Vec<_> = report
            .activities
            .iter()
            .filter(|a| &a.organisation == name && !a.findings.is_empty())
            .collect();
        if findings.is_empty() && activities.is_empty() {
            continue;
        }
        out.push_str(name);
        out.push('\n');
        for f in findings {
            line(&mut out, "  ", f);
        }
        for a in activities {
            out.push_str(&format!("  {} {}\n", a.reference, a.name));
            for f in &a.findings {
                line(&mut out, "    ", f);
            }
        }
    }
    let counts = report.counts();
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = counts
        .iter()
        .map(|(s, n)| format!("{n} {}{}", s.code(), if *n == 1 { "" } else { "s" }))
        .collect();
    let accepted = report.acknowledged();
    out.push_str(&format!(
        "{total} open finding{} ({}){} in {} activit{} checked{}.\n",
        if total == 1 { "" } else { "s" },
        parts.join(", "),
        if accepted > 0 {
            format!(", {accepted} accepted")
        } else {
            String::new()
        },
        report.activities.len(),
        if report.activities.len() == 1 {
            "y"
        } else {
            "ies"
        },
        report.today.map(|d| format!(" on {d}")).unwrap_or_default()
    ));
    out
}

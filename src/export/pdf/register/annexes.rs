//! The annexes of the controller record: parties, transfers, retention and measures across the
//! register (A-D).
//!
//! Uses `export::pdf::engine`, `export::pdf::register::cells`, `store::activities`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::super::engine::*;
use super::cells::*;
use super::Ctx;
use crate::store::activities::PartyLink;

pub(super) fn annexes(f: &mut Flow<'_, '_>, ctx: &Ctx<'_>, entries: &mut Vec<TocEntry>) {
    let r = ctx.record;
    // The first annex starts a page; the others follow it.
    let mut first = true;
    let mut start = |f: &mut Flow<'_, '_>, letter: &str, title: &str| {
        if first {
            f.running = format!("Annex {letter} · {title}");
            f.new_page();
            first = false;
        } else {
            f.gap(18.0);
            f.ensure(140.0);
            f.set_running(format!("Annex {letter} · {title}"));
        }
        entries.push(TocEntry {
            strong: true,
            reference: format!("Annex {letter}"),
            title: title.to_owned(),
            page: f.page_no(),
        });
        f.title(
            "Annexes to the record",
            &format!("Annex {letter}. {title}"),
            H1,
            "",
        );
    };

    // A. Recipients and processors. An annex with nothing in it is left out (a one-activity
    // record without transfers has no annex B); the letters stay those of the full record.
    let mut parties: BTreeMap<(String, i64), (&PartyLink, Vec<&str>)> = BTreeMap::new();
    for a in &r.activities {
        for p in &a.recipients {
            let entry = parties
                .entry((p.name.to_lowercase(), p.party_id))
                .or_insert((p, Vec::new()));
            if entry.1.last() != Some(&a.reference.as_str()) {
                entry.1.push(&a.reference);
            }
        }
    }
    if !parties.is_empty() {
        start(f, "A", "Recipients and processors");
        let rows = parties.values().map(|(p, refs)| {
            row(vec![
                party_cell(p).add(SMALL, &p.contact),
                val(p.kind.map_or("", |k| k.label())),
                party_country(p),
                val(&p.contract_reference),
                val(&refs.join(", ")),
            ])
        });
        f.table(
            TableKind::Grid,
            &[
                col("Party", 26.0),
                col("Kind", 15.0),
                col("Country", 15.0),
                col("Contract reference", 16.0),
                col("Activities", 28.0),
            ],
            rows,
        );
    }

    // B. Transfers by destination
    // (destination, mechanism) -> (activities, recipients)
    type Uses<'r> = (Vec<&'r str>, BTreeSet<&'r str>);
    let mut transfers: BTreeMap<(String, &'static str), Uses<'_>> = BTreeMap::new();
    for a in &r.activities {
        for t in &a.transfers {
            let entry = transfers
                .entry((t.destination(), t.mechanism.code()))
                .or_default();
            if t.party_id.is_some() {
                entry.1.insert(&t.party_name);
            }
            if entry.0.last() != Some(&a.reference.as_str()) {
                entry.0.push(&a.reference);
            }
        }
    }
    if !transfers.is_empty() {
        start(f, "B", "Transfers by destination");
        let mechanisms: HashMap<&str, (&str, &str)> = r
            .activities
            .iter()
            .flat_map(|a| &a.transfers)
            .map(|t| {
                (
                    t.mechanism.code(),
                    (t.mechanism.label(), t.mechanism.article()),
                )
            })
            .collect();
        let rows = transfers
            .iter()
            .map(|((destination, code), (refs, recipients))| {
                let (label_text, article) = mechanisms.get(code).copied().unwrap_or((code, ""));
                row(vec![
                    val(destination),
                    Cell::new().add(BODY, label_text).add(SMALL, article),
                    val(&recipients.iter().copied().collect::<Vec<_>>().join(", ")),
                    val(&refs.join(", ")),
                ])
            });
        f.table(
            TableKind::Grid,
            &[
                col("Destination", 24.0),
                col("Mechanism", 30.0),
                col("Recipients", 20.0),
                col("Activities", 26.0),
            ],
            rows,
        );
    }

    // C. Retention schedule
    // One row per activity: each category with its period and the law that justifies it.
    let mut rows = Vec::new();
    for a in &r.activities {
        let covered: HashSet<i64> = a.retention.iter().map(|x| x.data_category_id).collect();
        let mut periods = Cell::new();
        for x in &a.retention {
            periods = periods
                .add(BODY, format!("{}: {}", x.category, x.period()))
                .add(SMALL, &x.legal_reference);
        }
        for c in a
            .data_categories
            .iter()
            .filter(|c| !covered.contains(&c.id))
        {
            periods = periods.add(BODY, format!("{}: {NONE}", c.label));
        }
        if !a.retention.is_empty() || !a.data_categories.is_empty() {
            rows.push(row(vec![
                val(&format!("{} · {}", a.reference, a.name)),
                periods,
            ]));
        }
    }
    if !rows.is_empty() {
        start(f, "C", "Retention schedule");
        f.table(
            TableKind::Grid,
            &[
                col("Activity", 28.0),
                col("Personal data: period, and the law that justifies it", 72.0),
            ],
            rows,
        );
    }

    // D. Security measures
    let mut measures: BTreeMap<(String, i64), (&crate::store::activities::EntryRef, Vec<&str>)> =
        BTreeMap::new();
    for a in &r.activities {
        for m in &a.measures {
            let entry = measures
                .entry((m.label.to_lowercase(), m.id))
                .or_insert((m, Vec::new()));
            if entry.1.last() != Some(&a.reference.as_str()) {
                entry.1.push(&a.reference);
            }
        }
    }
    if !measures.is_empty() {
        start(f, "D", "Security measures");
        let rows = measures.values().map(|(m, refs)| {
            row(vec![
                val(&m.label),
                Cell::new()
                    .add(BODY, m.kind.map_or("", |k| k.label()))
                    .add(SMALL, m.family.map_or("", |x| x.label()))
                    .or(DASH),
                val(&refs.join(", ")),
            ])
        });
        f.table(
            TableKind::Grid,
            &[
                col("Measure", 40.0),
                col("Type and family", 25.0),
                col("Activities", 35.0),
            ],
            rows,
        );
    }
}

//! The annexes of the controller record: parties, transfers, retention and measures across the
//! register (A-D), gathered while the activities are laid out ([`Annexes::add`]) and laid out
//! after them, so that the activities are gone through once.
//!
//! Uses `export::pdf::engine`, `export::pdf::register::cells`, `store::activities`.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::super::engine::*;
use super::cells::*;
use crate::store::activities::{ActivityDetail, EntryRef, PartyLink};

/// A retention row of annex C: the activity, and each category with its period and law.
struct RetentionRow {
    activity: String,
    /// (category: period, law) of each rule, then (category: not recorded, "") of each
    /// category without one.
    periods: Vec<(String, String)>,
}

/// The activities that transfer to a destination under a mechanism, and the recipients named.
type TransferUses = (Vec<String>, BTreeSet<String>);

/// What the annexes show, gathered activity by activity.
#[derive(Default)]
pub(super) struct Annexes {
    /// A: recipients by name and id, with the activities that disclose to them.
    parties: BTreeMap<(String, i64), (PartyLink, Vec<String>)>,
    /// B: (destination, mechanism code) -> (activities, recipients named).
    transfers: BTreeMap<(String, &'static str), TransferUses>,
    /// B: label and article of each mechanism code.
    mechanisms: BTreeMap<&'static str, (&'static str, &'static str)>,
    /// C: one row per activity with data categories or rules.
    retention: Vec<RetentionRow>,
    /// D: measures by label and id, with the activities that take them.
    measures: BTreeMap<(String, i64), (EntryRef, Vec<String>)>,
}

/// Adds `reference` to `refs` unless it is the last one there (an activity is listed once).
fn push_once(refs: &mut Vec<String>, reference: &str) {
    if refs.last().map(String::as_str) != Some(reference) {
        refs.push(reference.to_owned());
    }
}

impl Annexes {
    /// Gathers what the annexes show of activity `a`.
    pub(super) fn add(&mut self, a: &ActivityDetail) {
        for p in &a.recipients {
            let entry = self
                .parties
                .entry((p.name.to_lowercase(), p.party_id))
                .or_insert_with(|| (p.clone(), Vec::new()));
            push_once(&mut entry.1, &a.reference);
        }
        for t in &a.transfers {
            let code = t.mechanism.code();
            self.mechanisms
                .entry(code)
                .or_insert((t.mechanism.label(), t.mechanism.article()));
            let entry = self.transfers.entry((t.destination(), code)).or_default();
            if t.party_id.is_some() && !entry.1.contains(&t.party_name) {
                entry.1.insert(t.party_name.clone());
            }
            push_once(&mut entry.0, &a.reference);
        }
        if !a.retention.is_empty() || !a.data_categories.is_empty() {
            let covered: HashSet<i64> = a
                .retention
                .iter()
                .flat_map(|x| x.data_category_ids.iter().copied())
                .collect();
            let mut periods: Vec<(String, String)> = a
                .retention
                .iter()
                .map(|x| {
                    (
                        format!("{}: {}", x.category, x.period()),
                        x.legal_reference.clone(),
                    )
                })
                .collect();
            periods.extend(
                a.data_categories
                    .iter()
                    .filter(|c| !covered.contains(&c.id))
                    .map(|c| (format!("{}: {NONE}", c.label), String::new())),
            );
            self.retention.push(RetentionRow {
                activity: format!("{} · {}", a.reference, a.name),
                periods,
            });
        }
        for m in &a.measures {
            let entry = self
                .measures
                .entry((m.label.to_lowercase(), m.id))
                .or_insert_with(|| (m.clone(), Vec::new()));
            push_once(&mut entry.1, &a.reference);
        }
    }
}

/// Lays out the annexes gathered in `data`; an annex with nothing in it is left out.
pub(super) fn annexes(f: &mut Flow<'_, '_>, data: Annexes, entries: &mut Vec<TocEntry>) {
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
    let Annexes {
        parties,
        transfers,
        mechanisms,
        retention,
        measures,
    } = data;
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
    if !transfers.is_empty() {
        start(f, "B", "Transfers by destination");
        let rows = transfers
            .iter()
            .map(|((destination, code), (refs, recipients))| {
                let (label_text, article) = mechanisms.get(code).copied().unwrap_or((*code, ""));
                row(vec![
                    val(destination),
                    Cell::new().add(BODY, label_text).add(SMALL, article),
                    val(&recipients
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")),
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
    if !retention.is_empty() {
        start(f, "C", "Retention schedule");
        let rows = retention.into_iter().map(|r| {
            let mut periods = Cell::new();
            for (period, law) in r.periods {
                periods = periods.add(BODY, period).add(SMALL, law);
            }
            row(vec![val(&r.activity), periods])
        });
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

//! The controller record (Art. 30(1)): one section per activity with the elements (a)-(g) and
//! the recommended extras, then the annexes.
//!
//! Uses `domain::vocab`, `export::pdf::engine`, `export::pdf::register::{annexes, cells}`,
//! `store::activities`.

use std::collections::HashSet;

use super::super::engine::*;
use super::annexes::{annexes, Annexes};
use super::cells::*;
use super::Ctx;
use crate::domain::vocab::{Sensitivity, Status};
use crate::store::activities::{ActivityDetail, PartyLink, TransferView};

pub(super) fn controller_body(f: &mut Flow<'_, '_>, ctx: &Ctx<'_, '_>) -> Vec<TocEntry> {
    let r = ctx.record;
    let mut entries = Vec::with_capacity(r.activities.len() + 5);
    if !r.activities.is_empty() {
        f.running = "Register overview".into();
        f.new_page();
        entries.push(TocEntry {
            strong: true,
            reference: String::new(),
            title: "Register overview".into(),
            page: f.page_no(),
        });
        overview(f, ctx);
    }
    // Activities follow one another; each starts where the one before ended when enough of
    // the page is left for its title and first element. What the annexes show is gathered on
    // the way.
    let mut data = Annexes::default();
    let mut first = true;
    r.activities.for_each(|a| {
        if first {
            f.new_page();
            first = false;
        } else {
            f.gap(18.0);
            f.ensure(160.0);
        }
        start_activity(f, ctx, a, &mut entries);
        activity_title(f, a, "Controller record · Art. 30(1) GDPR", H1);
        controller_activity(f, a);
        data.add(a);
    });
    if !r.activities.is_empty() {
        annexes(f, data, &mut entries);
    }
    entries
}

/// Marks where an activity starts: its contents entry (naming its organisation when the record
/// covers several) and the running header of its pages, which says "DRAFT" for a draft.
pub(super) fn start_activity(
    f: &mut Flow<'_, '_>,
    ctx: &Ctx<'_, '_>,
    a: &ActivityDetail,
    entries: &mut Vec<TocEntry>,
) {
    let draft = if a.status == Status::Draft {
        "DRAFT · "
    } else {
        ""
    };
    f.set_running(format!("{draft}{} · {}", a.reference, a.name));
    let title = if ctx.record.organisations.len() > 1 {
        format!("{}{} — {}", draft, a.name, a.organisation_name)
    } else {
        format!("{draft}{}", a.name)
    };
    entries.push(TocEntry {
        strong: false,
        reference: a.reference.clone(),
        title,
        page: f.page_no(),
    });
}

/// The register on a few pages: one row per activity with what an inspector looks at first.
fn overview(f: &mut Flow<'_, '_>, ctx: &Ctx<'_, '_>) {
    let r = ctx.record;
    let several = r.organisations.len() > 1;
    f.title(
        "Record of processing activities",
        "Register overview",
        H1,
        &format!(
            "{} activities. Special categories: Art. 9 or Art. 10 data. Transfers: to third countries or international organisations (Chapter V).",
            r.activities.len()
        ),
    );
    let mut cols = Vec::new();
    if several {
        cols.push(col("Organisation", 13.0));
    }
    cols.extend([
        col("Ref.", 9.0),
        col("Processing activity", 19.0),
        col("Purposes", 23.0),
        col("Lawful bases", 15.0),
        col("Special categories", 9.0),
        col("Transfers", 9.0),
        col("DPIA", 10.0),
    ]);
    let rows = r.activities.map(|a| {
        let mut cells = Vec::new();
        if several {
            cells.push(val(&a.organisation_name));
        }
        let mut name = Cell::new().add(BODY, &a.name);
        if a.status == Status::Draft {
            name = name.add(BODY_BOLD, "DRAFT");
        } else if a.status == Status::Retired {
            name = name.add(SMALL, "retired");
        }
        let mut purposes = Cell::new();
        for p in &a.purposes {
            purposes = purposes.add(BODY, &p.description);
        }
        let mut bases = Cell::new();
        for b in a.lawful_bases() {
            bases = bases.add(BODY, format!("{} ({})", b.label(), b.article()));
        }
        let special = a.data_categories.iter().any(|c| {
            matches!(
                c.sensitivity,
                Sensitivity::SpecialCategory | Sensitivity::CriminalOffence
            )
        });
        let transfers = if !a.transfers.is_empty() {
            format!("Yes ({})", a.transfers.len())
        } else if a.no_transfers {
            "No".to_owned()
        } else {
            NONE.to_owned()
        };
        let dpia = Cell::new()
            .add(BODY, format!("Required: {}", a.dpia_required.label()))
            .add(SMALL, a.dpia_progress_text());
        cells.extend([
            val(&a.reference),
            name,
            purposes.or(NONE),
            bases.or(NONE),
            val(if special { "Yes" } else { "No" }),
            val(&transfers),
            dpia,
        ]);
        row(cells)
    });
    f.table(TableKind::Grid, &cols, rows);
}

pub(super) fn activity_title(f: &mut Flow<'_, '_>, a: &ActivityDetail, record: &str, style: Style) {
    let eyebrow = format!(
        "{}{} · Processing activity {}",
        if a.status == Status::Draft {
            "DRAFT, not part of the active register · "
        } else {
            ""
        },
        non_empty(&a.organisation_name),
        non_empty(&a.reference)
    );
    let meta = format!(
        "{record} · Status: {} · Version {} · Updated {}",
        a.status.label(),
        a.version,
        a.updated_at.format("%Y-%m-%d")
    );
    f.title(
        &eyebrow,
        &format!("{} · {}", non_empty(&a.reference), non_empty(&a.name)),
        style,
        &meta,
    );
}

pub(super) fn controller_activity(f: &mut Flow<'_, '_>, a: &ActivityDetail) {
    let facts = [col("", 25.0), col("", 75.0)];

    // (a): the controller's name and contact details, its representative and its DPO stand
    // once on the cover; each activity names its controller and its joint controllers.
    f.band("(a) Controller and joint controllers — Art. 30(1)(a)");
    let mut joint = Cell::new();
    for j in &a.joint_controllers {
        joint = joint
            .add(BODY_BOLD, &j.name)
            .add(SMALL, &j.contact)
            .add(SMALL, &j.address)
            .add(BODY, prefixed("Arrangement: ", &j.text));
    }
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact(
                "Controller",
                Cell::new().add(BODY_BOLD, &a.organisation_name).add(
                    SMALL,
                    "Contact details, representative and DPO: see the cover",
                ),
            ),
            // Joint control is "where applicable": none is not a gap.
            fact("Joint controllers (Art. 26)", joint.or("none")),
        ],
    );

    // (b)
    f.band("(b) Purposes of the processing and lawful bases — Art. 30(1)(b); Art. 6(1)");
    if a.purposes.is_empty() {
        f.note(NONE);
    } else {
        let rows = a.purposes.iter().map(|p| {
            let mut bases = Cell::new();
            for b in &p.bases {
                bases = bases.add(BODY, format!("{} ({})", b.label(), b.article()));
            }
            let interest = Cell::new().add(BODY, &p.legitimate_interest).or(DASH).add(
                SMALL,
                if p.balancing_test_ref.trim().is_empty() {
                    String::new()
                } else {
                    format!("Balancing test: {}", p.balancing_test_ref)
                },
            );
            row(vec![val(&p.description), bases.or(NONE), interest])
        });
        f.table(
            TableKind::Grid,
            &[
                col("Purpose", 40.0),
                col("Lawful basis", 27.0),
                col("Legitimate interest and balancing test", 33.0),
            ],
            rows,
        );
    }

    // (c)
    f.band("(c) Categories of data subjects and of personal data — Art. 30(1)(c)");
    // Lists read as one paragraph each ("; " between items); sensitive categories stand out
    // on lines of their own.
    let subjects: Vec<String> = a
        .subjects
        .iter()
        .map(|s| {
            if s.vulnerable {
                format!("{} (vulnerable)", s.label)
            } else {
                s.label.clone()
            }
        })
        .collect();
    let standard: Vec<&str> = a
        .data_categories
        .iter()
        .filter(|c| c.sensitivity == Sensitivity::Standard)
        .map(|c| c.label.as_str())
        .collect();
    let mut categories = Cell::new().add(BODY, standard.join("; "));
    for c in a
        .data_categories
        .iter()
        .filter(|c| c.sensitivity != Sensitivity::Standard)
    {
        categories = categories.add(
            BODY_BOLD,
            format!("{} — {}", c.label, c.sensitivity.label()),
        );
    }
    let mut rows = vec![
        fact(
            "Categories of data subjects",
            val_none(&subjects.join("; ")),
        ),
        fact("Categories of personal data", categories.or(NONE)),
    ];
    let special = a
        .data_categories
        .iter()
        .any(|c| c.sensitivity == Sensitivity::SpecialCategory);
    if special || !a.special_conditions.is_empty() {
        let mut conditions = Cell::new();
        for c in &a.special_conditions {
            conditions = conditions.add(BODY, format!("{} ({})", c.label(), c.article()));
        }
        let law_needed = a.special_conditions.iter().any(|c| c.needs_basis_in_law());
        let law = match (law_needed, a.special_legal_reference.trim().is_empty()) {
            (true, true) => format!("Union or Member State law: {NONE}"),
            (_, false) => format!("Basis in law: {}", a.special_legal_reference),
            (false, true) => String::new(),
        };
        rows.push(fact(
            "Art. 9(2) conditions (special categories)",
            conditions.or(NONE).add(SMALL, law),
        ));
    }
    let criminal_data = a
        .data_categories
        .iter()
        .any(|c| c.sensitivity == Sensitivity::CriminalOffence);
    if criminal_data || a.criminal_basis.is_some() {
        rows.push(fact(
            "Art. 10 basis (criminal-offence data)",
            Cell::new()
                .add(
                    BODY,
                    a.criminal_basis
                        .map(|b| format!("{} ({})", b.label(), b.article()))
                        .unwrap_or_default(),
                )
                .or(NONE)
                .add(SMALL, prefixed("Law: ", &a.criminal_legal_reference)),
        ));
    }
    f.table(TableKind::Facts, &facts, rows);

    // (d)
    f.band("(d) Categories of recipients — Art. 30(1)(d)");
    recipients_table(f, &a.recipients, a.no_recipients);

    // (e)
    f.band("(e) Transfers to third countries or international organisations — Art. 30(1)(e)");
    transfers_table(f, &a.transfers, a.no_transfers);

    // (f)
    f.band("(f) Time limits for erasure — Art. 30(1)(f)");
    let covered: HashSet<i64> = a
        .retention
        .iter()
        .flat_map(|r| r.data_category_ids.iter().copied())
        .collect();
    let mut rows: Vec<Row> = a
        .retention
        .iter()
        .map(|r| {
            row(vec![
                val(&r.category),
                val(&r.period()),
                val(&r.legal_reference),
            ])
        })
        .collect();
    rows.extend(
        a.data_categories
            .iter()
            .filter(|c| !covered.contains(&c.id))
            .map(|c| row(vec![val(&c.label), val_none(""), val("")])),
    );
    if rows.is_empty() {
        f.note(NONE);
    } else {
        f.table(
            TableKind::Grid,
            &[
                col("Personal data", 30.0),
                col("Kept for", 40.0),
                col("Justified by", 30.0),
            ],
            rows,
        );
    }
    f.gap(4.0);
    f.table(
        TableKind::Facts,
        &facts,
        vec![fact(
            "Retention and erasure policy",
            val(&a.retention_policy_ref),
        )],
    );

    // (g)
    f.band("(g) Technical and organisational security measures — Art. 30(1)(g); Art. 32(1)");
    security(f, a);

    // Extras
    f.band("Further information recommended by the supervisory authorities");
    let rights: Vec<String> = a
        .rights()
        .iter()
        .map(|r| r.summary(a.purposes.len()))
        .collect();
    let mut automated = Cell::new();
    for line in a.automated_text().lines() {
        automated = automated.add(BODY, line);
    }
    let breach = if a.breach_occurred {
        Cell::new()
            .add(BODY, "Yes")
            .add(BODY, prefixed("Record: ", &a.breach_record_ref))
    } else {
        Cell::new().add(BODY, "No")
    };
    let when = |d: Option<chrono::NaiveDate>| d.map_or(NONE.to_owned(), |d| d.to_string());
    let mut contracts = Cell::new();
    for c in a.processor_contracts() {
        contracts = contracts.add(BODY, c);
    }
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact(
                "Business function and owner",
                Cell::new()
                    .add(BODY, &a.business_function)
                    .add(SMALL, prefixed("Owner: ", &a.owner))
                    .or(NONE),
            ),
            fact("Description", val(&a.description)),
            fact("Source of the data (Art. 14(2)(f))", val(&a.data_source)),
            fact(
                "Systems and location of the data",
                Cell::new()
                    .add(BODY, &a.systems)
                    .add(BODY, &a.data_location)
                    .or(NONE),
            ),
            fact(
                "Automated decision-making, including profiling (Art. 22)",
                automated,
            ),
            fact(
                "DPIA (Art. 35)",
                Cell::new()
                    .add(
                        BODY,
                        format!(
                            "Required: {}; progress: {}",
                            a.dpia_required.label(),
                            a.dpia_progress_text()
                        ),
                    )
                    .add(SMALL, prefixed("Reference: ", &a.dpia_reference)),
            ),
            fact(
                "Rights available to individuals",
                val_none(&rights.join("; ")),
            ),
            fact("Contracts with processors (Art. 28(3))", contracts.or(DASH)),
        ],
    );
    // The short facts two to a row.
    let short = [
        ("Privacy notice (Arts 13–14)", val(&a.privacy_notice_ref)),
        ("Record of consent (Art. 7(1))", val(&a.consent_record_ref)),
        ("Personal data breach (Art. 33(5))", breach),
        (
            "Review",
            Cell::new()
                .add(BODY, format!("Last {}", when(a.last_reviewed)))
                .add(BODY, format!("Next {}", when(a.next_review))),
        ),
        (
            "Record created",
            val(&a.created_at.format("%Y-%m-%d %H:%M UTC").to_string()),
        ),
        (
            "Record updated",
            val(&format!(
                "{} (version {})",
                a.updated_at.format("%Y-%m-%d %H:%M UTC"),
                a.version
            )),
        ),
    ];
    let mut rows = Vec::new();
    let mut pairs = short.into_iter();
    while let Some((l1, v1)) = pairs.next() {
        let mut cells = vec![label(l1), v1];
        match pairs.next() {
            Some((l2, v2)) => cells.extend([label(l2), v2]),
            None => cells.extend([Cell::new(), Cell::new()]),
        }
        rows.push(row(cells));
    }
    f.table(
        TableKind::Facts,
        &[col("", 25.0), col("", 25.0), col("", 20.0), col("", 30.0)],
        rows,
    );
}

/// The note for an empty list: "none" when declared, "not recorded" (a gap) otherwise.
pub(super) fn empty_list(f: &mut Flow<'_, '_>, declared: bool) {
    f.note(if declared { "none (declared)" } else { NONE });
}

pub(super) fn recipients_table(f: &mut Flow<'_, '_>, recipients: &[PartyLink], declared: bool) {
    if recipients.is_empty() {
        empty_list(f, declared);
        return;
    }
    let rows = recipients.iter().map(|r| {
        // Contact details stand in annex A.
        let name = party_cell(r).add(SMALL, prefixed("Contract: ", &r.contract_reference));
        row(vec![
            name,
            val(r.kind.map_or("", |k| k.label())),
            party_country(r),
            val(&r.text),
            val(&r.detail),
        ])
    });
    f.table(
        TableKind::Grid,
        &[
            col("Recipient", 24.0),
            col("Kind", 15.0),
            col("Country", 15.0),
            col("Receives", 23.0),
            col("Why", 23.0),
        ],
        rows,
    );
}

pub(super) fn transfers_table(f: &mut Flow<'_, '_>, transfers: &[TransferView], declared: bool) {
    if transfers.is_empty() {
        empty_list(f, declared);
        return;
    }
    let rows = transfers.iter().map(|t| {
        row(vec![
            val(&t.destination()),
            val(if t.party_id.is_some() {
                &t.party_name
            } else {
                ""
            }),
            match t.adequacy() {
                Some(d) => Cell::new()
                    .add(BODY, format!("Adequacy decision ({})", d.legal_basis()))
                    .add(SMALL, d.citation())
                    .add(SMALL, t.scope_evidence_text()),
                None => Cell::new()
                    .add(BODY, t.mechanism.label())
                    .add(SMALL, t.mechanism.article()),
            },
            val(&t.documentation()),
        ])
    });
    f.table(
        TableKind::Grid,
        &[
            col("Destination", 20.0),
            col("Recipient", 20.0),
            col("Mechanism", 27.0),
            col("Documentation of safeguards", 33.0),
        ],
        rows,
    );
}

pub(super) fn security(f: &mut Flow<'_, '_>, a: &ActivityDetail) {
    let facts = [col("", 25.0), col("", 75.0)];
    // The catalogue measures by kind, each with its family, as one paragraph per kind.
    let mut by_kind: Vec<(String, Vec<String>)> = Vec::new();
    for m in &a.measures {
        let kind = m.kind.map_or("Other measures".to_owned(), |k| {
            format!("{} measures", k.label())
        });
        let item = match m.family {
            Some(family) => format!("{} ({})", m.label, family.label()),
            None => m.label.clone(),
        };
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, items)) => items.push(item),
            None => by_kind.push((kind, vec![item])),
        }
    }
    let mut rows = vec![fact(
        "General description",
        val_none(&a.security_description),
    )];
    if by_kind.is_empty() {
        rows.push(fact("Measures from the catalogue", val_none("")));
    }
    for (kind, items) in by_kind {
        rows.push(fact(&kind, val(&items.join("; "))));
    }
    f.table(TableKind::Facts, &facts, rows);
}

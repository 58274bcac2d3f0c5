//! The controller record (Art. 30(1)): one section per activity with the elements (a)-(g) and
//! the recommended extras, then the annexes.
//!
//! Uses `domain::vocab`, `export::pdf::engine`, `export::pdf::register::{annexes, cells}`,
//! `store::activities`.

use std::collections::HashSet;

use super::super::engine::*;
use super::annexes::annexes;
use super::cells::*;
use super::Ctx;
use crate::domain::vocab::Sensitivity;
use crate::store::activities::{ActivityDetail, PartyLink, TransferView};

pub(super) fn controller_body(f: &mut Flow<'_, '_>, ctx: &Ctx<'_>) -> Vec<TocEntry> {
    let r = ctx.record;
    let mut entries = Vec::with_capacity(r.activities.len() + 4);
    for a in &r.activities {
        f.running = format!("{} · {}", a.reference, a.name);
        f.new_page();
        entries.push(TocEntry {
            strong: false,
            reference: a.reference.clone(),
            title: a.name.clone(),
            page: f.page_no(),
        });
        activity_title(f, a, "Controller record · Art. 30(1) GDPR", H1);
        controller_activity(f, ctx, a);
    }
    if !r.activities.is_empty() {
        annexes(f, ctx, &mut entries);
    }
    entries
}

pub(super) fn activity_title(f: &mut Flow<'_, '_>, a: &ActivityDetail, record: &str, style: Style) {
    let eyebrow = format!(
        "{} · Processing activity {}",
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

pub(super) fn controller_activity(f: &mut Flow<'_, '_>, ctx: &Ctx<'_>, a: &ActivityDetail) {
    let facts = [col("", 30.0), col("", 70.0)];

    // (a)
    f.band("(a) Controller and joint controllers — Art. 30(1)(a)");
    let org = ctx.org(a);
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact("Controller", organisation_cell(org, &a.organisation_name)),
            fact(
                "Representative (Art. 27)",
                val_none(org.map_or("", |o| &o.representative)),
            ),
            fact(
                "Data protection officer (Art. 37)",
                val_none(org.map_or("", |o| &o.dpo)),
            ),
        ],
    );
    f.sublabel("Joint controllers (Art. 26)");
    if a.joint_controllers.is_empty() {
        f.note(NONE);
    } else {
        let rows = a
            .joint_controllers
            .iter()
            .map(|j| row(vec![party_cell(j), contact_cell(j), val(&j.text)]))
            .collect();
        f.table(
            TableKind::Grid,
            &[
                col("Joint controller", 28.0),
                col("Contact", 30.0),
                col("Responsibilities under the arrangement", 42.0),
            ],
            rows,
        );
    }

    // (b)
    f.band("(b) Purposes of the processing and lawful bases — Art. 30(1)(b); Art. 6(1)");
    if a.purposes.is_empty() {
        f.note(NONE);
    } else {
        let rows = a
            .purposes
            .iter()
            .map(|p| {
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
            })
            .collect();
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
    let mut subjects = Cell::new();
    for s in &a.subjects {
        let text = if s.vulnerable {
            format!("{} · vulnerable", s.label)
        } else {
            s.label.clone()
        };
        subjects = subjects.add(BODY, text);
    }
    let mut categories = Cell::new();
    for c in &a.data_categories {
        let text = match c.sensitivity {
            Sensitivity::Standard => c.label.clone(),
            other => format!("{} — {}", c.label, other.label()),
        };
        let style = if c.sensitivity == Sensitivity::Standard {
            BODY
        } else {
            BODY_BOLD
        };
        categories = categories.add(style, text);
    }
    let mut conditions = Cell::new();
    for c in &a.special_conditions {
        conditions = conditions.add(BODY, format!("{} ({})", c.label(), c.article()));
    }
    let conditions = conditions.or(NONE).add(
        SMALL,
        prefixed("Basis in law: ", &a.special_legal_reference),
    );
    let criminal = Cell::new()
        .add(
            BODY,
            a.criminal_basis
                .map(|b| format!("{} ({})", b.label(), b.article()))
                .unwrap_or_default(),
        )
        .or(NONE)
        .add(SMALL, prefixed("Law: ", &a.criminal_legal_reference));
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact("Categories of data subjects", subjects.or(NONE)),
            fact("Categories of personal data", categories.or(NONE)),
            fact("Art. 9(2) conditions (special categories)", conditions),
            fact("Art. 10 basis (criminal-offence data)", criminal),
        ],
    );

    // (d)
    f.band("(d) Categories of recipients — Art. 30(1)(d)");
    recipients_table(f, &a.recipients, a.no_recipients);

    // (e)
    f.band("(e) Transfers to third countries or international organisations — Art. 30(1)(e)");
    transfers_table(f, &a.transfers, a.no_transfers);

    // (f)
    f.band("(f) Time limits for erasure — Art. 30(1)(f)");
    let covered: HashSet<i64> = a.retention.iter().map(|r| r.data_category_id).collect();
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
    let mut rights = Cell::new();
    for r in a.rights() {
        rights = rights.add(BODY, r.summary(a.purposes.len()));
    }
    let mut automated = Cell::new();
    for line in a.automated_text().lines() {
        automated = automated.add(BODY, line);
    }
    let breach = if a.breach_occurred {
        Cell::new().add(BODY, "Yes")
    } else {
        Cell::new().add(BODY, "No breach recorded")
    };
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact("Business function", val(&a.business_function)),
            fact("Owner", val(&a.owner)),
            fact("Description", val(&a.description)),
            fact("Status", val(a.status.label())),
            fact("Source of the data (Art. 14(2)(f))", val(&a.data_source)),
            fact("Systems", val(&a.systems)),
            fact("Location of the data", val(&a.data_location)),
            fact(
                "Automated decision-making, including profiling (Art. 22)",
                automated,
            ),
            fact("DPIA required (Art. 35)", val(a.dpia_required.label())),
            fact("DPIA progress", val(&a.dpia_progress_text())),
            fact("DPIA reference", val(&a.dpia_reference)),
            fact("Rights available to individuals", rights.or(NONE)),
            fact("Privacy notice (Arts 13–14)", val(&a.privacy_notice_ref)),
            fact("Record of consent (Art. 7(1))", val(&a.consent_record_ref)),
            fact(
                "Contract with processor (Art. 28(3))",
                val(&a.processor_contract_ref),
            ),
            fact("Retention and erasure policy", val(&a.retention_policy_ref)),
            fact("Personal data breach (Art. 33(5))", breach),
            fact("Breach record", val(&a.breach_record_ref)),
            fact("Last reviewed", date_or_none(a.last_reviewed)),
            fact("Next review", date_or_none(a.next_review)),
            fact(
                "Record created",
                val(&a.created_at.format("%Y-%m-%d %H:%M UTC").to_string()),
            ),
            fact(
                "Record updated",
                val(&format!(
                    "{} (version {})",
                    a.updated_at.format("%Y-%m-%d %H:%M UTC"),
                    a.version
                )),
            ),
        ],
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
    let rows = recipients
        .iter()
        .map(|r| {
            let name = party_cell(r)
                .add(SMALL, &r.contact)
                .add(SMALL, prefixed("Contract: ", &r.contract_reference));
            row(vec![
                name,
                val(r.kind.map_or("", |k| k.label())),
                party_country(r),
                val(&r.text),
                val(&r.detail),
            ])
        })
        .collect();
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
    let rows = transfers
        .iter()
        .map(|t| {
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
                val(&t.safeguards),
            ])
        })
        .collect();
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
    f.sublabel("General description");
    if a.security_description.trim().is_empty() {
        f.note(NONE);
    } else {
        f.para_at(
            &a.security_description,
            BODY,
            MARGIN_X + PAD_X,
            CONTENT_W - PAD_X,
        );
    }
    f.sublabel("Measures");
    if a.measures.is_empty() {
        f.note(NONE);
        return;
    }
    let rows = a
        .measures
        .iter()
        .map(|m| {
            row(vec![
                val(&m.label),
                val(m.kind.map_or("", |k| k.label())),
                Cell::new()
                    .add(BODY, m.family.map_or("", |x| x.label()))
                    .or(DASH)
                    .add(SMALL, m.family.map_or("", |x| x.article())),
            ])
        })
        .collect();
    f.table(
        TableKind::Grid,
        &[col("Measure", 50.0), col("Type", 18.0), col("Family", 32.0)],
        rows,
    );
}

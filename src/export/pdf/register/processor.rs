//! The processor record (Art. 30(2)): activities grouped by the controller on whose behalf they
//! are carried out, each with the elements (a)-(d).
//!
//! Uses `export::pdf::engine`, `export::pdf::register::{cells, controller}`,
//! `store::activities`.

use std::collections::BTreeMap;

use super::super::engine::*;
use super::cells::*;
use super::controller::{activity_title, recipients_table, security, transfers_table};
use super::Ctx;
use crate::domain::vocab::PartyKind;
use crate::store::activities::{ActivityDetail, PartyLink};

/// The activities by controller acted for (sorted by name); activities without a controller
/// come last under `None`.
pub(super) type Group<'r> = (
    Option<&'r PartyLink>,
    Vec<(&'r ActivityDetail, Option<&'r PartyLink>)>,
);

pub(super) fn processor_groups(activities: &[ActivityDetail]) -> Vec<Group<'_>> {
    let mut by_controller: BTreeMap<(String, i64), Group<'_>> = BTreeMap::new();
    let mut orphans = Vec::new();
    for a in activities {
        if a.controllers.is_empty() {
            orphans.push((a, None));
        }
        for c in &a.controllers {
            by_controller
                .entry((c.name.to_lowercase(), c.party_id))
                .or_insert_with(|| (Some(c), Vec::new()))
                .1
                .push((a, Some(c)));
        }
    }
    let mut groups: Vec<Group<'_>> = by_controller.into_values().collect();
    if !orphans.is_empty() {
        groups.push((None, orphans));
    }
    groups
}

pub(super) fn processor_body(f: &mut Flow<'_, '_>, ctx: &Ctx<'_, '_>) -> Vec<TocEntry> {
    let mut entries = Vec::new();
    for (controller, activities) in processor_groups(&ctx.loaded) {
        let name = controller.map_or("Controller not recorded", |c| c.name.as_str());
        f.running = format!("On behalf of {name}");
        f.new_page();
        entries.push(TocEntry {
            strong: true,
            reference: "Controller".into(),
            title: name.to_owned(),
            page: f.page_no(),
        });
        f.title(
            "Processing carried out on behalf of the controller",
            name,
            H1,
            &format!(
                "{} processing activit{}",
                activities.len(),
                if activities.len() == 1 { "y" } else { "ies" }
            ),
        );
        if let Some(c) = controller {
            f.table(
                TableKind::Facts,
                &[col("", 25.0), col("", 75.0)],
                vec![
                    fact("Controller", Cell::new().add(BODY_BOLD, &c.name).or(DASH)),
                    fact("Contact", val(&c.contact)),
                    fact("Address", val(&c.address)),
                    fact("Country", party_country(c)),
                ],
            );
        } else {
            f.note("No controller is recorded for these activities.");
        }
        for (a, link) in activities {
            f.gap(18.0);
            f.ensure(150.0);
            entries.push(TocEntry {
                strong: false,
                reference: a.reference.clone(),
                title: a.name.clone(),
                page: f.page_no(),
            });
            activity_title(f, a, "Processor record · Art. 30(2) GDPR", H3);
            processor_activity(f, ctx, a, link);
        }
    }
    entries
}

pub(super) fn processor_activity(
    f: &mut Flow<'_, '_>,
    ctx: &Ctx<'_, '_>,
    a: &ActivityDetail,
    controller: Option<&PartyLink>,
) {
    let facts = [col("", 25.0), col("", 75.0)];
    let org = ctx.org(a);

    f.band("(a) Processor, controller, representative and DPO — Art. 30(2)(a)");
    let controller_cell = match controller {
        Some(c) => party_cell(c)
            .add(BODY, &c.contact)
            .add(BODY, &c.address)
            .add(BODY, c.country.map(|x| x.to_string()).unwrap_or_default()),
        None => Cell::new().or(NONE),
    };
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact("Processor", organisation_cell(org, &a.organisation_name)),
            fact("Controller acted for", controller_cell),
            fact(
                "The controller's representative (Art. 27)",
                val_none(controller.map_or("", |c| &c.detail)),
            ),
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

    f.band("(b) Categories of processing carried out on behalf of the controller — Art. 30(2)(b)");
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact(
                "Categories of processing",
                val_none(controller.map_or("", |c| &c.text)),
            ),
            fact("Description of the activity", val(&a.description)),
        ],
    );

    f.band("(c) Transfers to third countries or international organisations — Art. 30(2)(c)");
    transfers_table(f, &a.transfers, a.no_transfers);

    f.band("Sub-processors engaged — Art. 28(2), (4)");
    let engaged: Vec<PartyLink> = a
        .recipients
        .iter()
        .filter(|r| matches!(r.kind, Some(PartyKind::SubProcessor | PartyKind::Processor)))
        .cloned()
        .collect();
    recipients_table(f, &engaged, a.no_recipients || !a.recipients.is_empty());

    f.band("(d) Technical and organisational security measures — Art. 30(2)(d); Art. 32(1)");
    security(f, a);
}

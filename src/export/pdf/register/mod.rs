//! The register's PDF: the record a supervisory authority receives under Art. 30(4), laid out
//! on the PDF engine. The controller record (Art. 30(1)) in `controller` with its annexes in
//! `annexes`; the processor record (Art. 30(2)) in `processor`; the cover and page decoration
//! here; small cell helpers in `cells`.
//!
//! Uses the engine, the domain and the store's read model ([`Record`]).

mod annexes;
mod cells;
mod controller;
mod processor;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

use super::engine::{self, *};
use crate::domain::vocab::Role;
use crate::export::ExportError;
use crate::store::activities::ActivityDetail;
use crate::store::organisations::Organisation;
use crate::store::records::Record;
use cells::{address_names_country, country_name, non_empty};
use processor::processor_groups;

/// Renders the controller record (Art. 30(1)) of `record` in memory.
///
/// Cover with the controller block, table of contents, one section per activity with the
/// elements (a)–(g) and the recommended extras, then annexes A–D.
pub fn controller_pdf(record: &Record) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    write_pdf(record, Role::Controller, &mut out)?;
    Ok(out)
}

/// Renders the processor record (Art. 30(2)) of `record` in memory.
///
/// Cover with the processor block, table of contents, then the activities grouped by the
/// controller on whose behalf they are carried out, each with the elements (a)–(d).
pub fn processor_pdf(record: &Record) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    write_pdf(record, Role::Processor, &mut out)?;
    Ok(out)
}

/// Lays out the record of `role` and writes it to `out` page by page.
pub fn write_pdf(
    record: &Record,
    role: Role,
    out: &mut (dyn Write + Send),
) -> Result<(), ExportError> {
    engine::write(&context(record, role), out)
}

/// What the whole document shares.
pub(super) struct Ctx<'r, 'c> {
    pub(super) record: &'r Record<'c>,
    /// The processor record's activities, whole (it groups them by the controllers they
    /// serve): the record's own when loaded, otherwise read here once. Empty for a controller
    /// record, which goes through the record's activities as it lays them out.
    pub(super) loaded: Cow<'r, [ActivityDetail]>,
    pub(super) role: Role,
    pub(super) orgs: HashMap<i64, &'r Organisation>,
    pub(super) org_names: String,
    pub(super) generated: String,
    header: String,
}

impl Ctx<'_, '_> {
    pub(super) fn article(&self) -> &'static str {
        match self.role {
            Role::Controller => "Article 30(1) GDPR",
            Role::Processor => "Article 30(2) GDPR",
        }
    }

    pub(super) fn org(&self, a: &ActivityDetail) -> Option<&Organisation> {
        self.orgs.get(&a.organisation_id).copied()
    }
}

fn context<'r, 'c>(record: &'r Record<'c>, role: Role) -> Ctx<'r, 'c> {
    let org_names = if record.organisations.is_empty() {
        DASH.to_owned()
    } else {
        record
            .organisations
            .iter()
            .map(|o| o.name.trim())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let loaded = match (role, record.activities.as_slice()) {
        (Role::Controller, _) => Cow::Borrowed(&[][..]),
        (Role::Processor, Some(all)) => Cow::Borrowed(all),
        (Role::Processor, None) => Cow::Owned(record.activities.map(Clone::clone).collect()),
    };
    Ctx {
        record,
        loaded,
        role,
        orgs: record.organisations.iter().map(|o| (o.id, o)).collect(),
        org_names,
        generated: record.generated_at.format("%Y-%m-%d %H:%M").to_string(),
        header: format!(
            "Record of processing activities, {}",
            match role {
                Role::Controller => "Article 30(1) GDPR",
                Role::Processor => "Article 30(2) GDPR",
            }
        ),
    }
}

impl Document for Ctx<'_, '_> {
    fn cover(&self, f: &mut Flow<'_, '_>) {
        cover_page(f, self);
    }

    /// The body of the record for the document's role; its contents entries.
    fn body(&self, f: &mut Flow<'_, '_>) -> Vec<TocEntry> {
        match self.role {
            Role::Controller => controller::controller_body(f, self),
            Role::Processor => processor::processor_body(f, self),
        }
    }

    fn decorate(&self, page: &mut PageBuf, kit: Kit<'_>, first: bool) {
        decorate(page, kit, self, &self.header, first);
    }

    fn number(&self, page: &mut PageBuf, kit: Kit<'_>, n: usize, total: usize) {
        let number = format!("Page {n} of {total}");
        let w = kit.fonts.width(&number, FOOT);
        page.show(kit, PAGE_W - MARGIN_X - w, 38.0, FOOT, &number);
    }

    fn incomplete(&self) -> Option<ExportError> {
        self.record
            .activities
            .failure()
            .map(|e| ExportError::Pdf(format!("the activities could not all be read: {e}")))
    }

    fn info(&self) -> Info {
        Info {
            title: format!("Record of processing activities – {}", self.org_names),
            author: self.org_names.clone(),
            subject: match self.role {
                Role::Controller => format!(
                    "Record of processing activities of the controller under Article 30(1) GDPR: {}",
                    self.org_names
                ),
                Role::Processor => format!(
                    "Record of processing activities of the processor under Article 30(2) GDPR: {}",
                    self.org_names
                ),
            },
            keywords: "GDPR, Article 30, record of processing activities".into(),
            created: self.record.generated_at,
        }
    }
}

/// Running header (all pages but the first) and footer (every page), but for the page number,
/// which is drawn at the end (`Document::number`) in the room left for it here.
fn decorate(page: &mut PageBuf, kit: Kit<'_>, ctx: &Ctx<'_, '_>, header: &str, first: bool) {
    let fonts = kit.fonts;
    let number_w = fonts.width("Page 88888 of 88888", FOOT);
    if !first {
        let base = PAGE_H - 40.0;
        let left_w = fonts.width(header, FOOT);
        page.show(kit, MARGIN_X, base, FOOT, header);
        if !page.running.is_empty() {
            let room = CONTENT_W - left_w - 18.0;
            if room > 30.0 {
                let running = fonts.fit(&page.running, FOOT, room);
                let w = fonts.width(&running, FOOT);
                page.show(kit, PAGE_W - MARGIN_X - w, base, FOOT, &running);
            }
        }
        page.fill(MARGIN_X, base - 6.0, CONTENT_W, 0.4, RULE);
    }
    page.fill(MARGIN_X, 48.0, CONTENT_W, 0.4, RULE);
    let orgs = fonts.fit(&ctx.org_names, FOOT, CONTENT_W - number_w - 18.0);
    page.show(kit, MARGIN_X, 38.0, FOOT, &orgs);
    let generated = format!("Generated {} UTC", ctx.generated);
    page.show(kit, MARGIN_X, 28.0, FOOT, &generated);
    let as_of = format!("Record as of {}", ctx.record.as_of);
    let w = fonts.width(&as_of, FOOT);
    page.show(kit, PAGE_W - MARGIN_X - w, 28.0, FOOT, &as_of);
}

fn cover_page(f: &mut Flow<'_, '_>, ctx: &Ctx<'_, '_>) {
    let r = ctx.record;
    f.new_page();
    f.gap(0.0);
    f.y -= 40.0;
    f.para(
        "Regulation (EU) 2016/679 (General Data Protection Regulation)",
        EYEBROW,
    );
    f.gap(6.0);
    let title = format!("Record of processing activities, {}", ctx.article());
    let at_one_pt = f
        .kit
        .fonts
        .width(&title, Style::new(Face::Bold, 1.0, ACCENT));
    let size = (0.97 * CONTENT_W / at_one_pt.max(1.0)).clamp(12.0, 22.0);
    f.para(&title, Style::new(Face::Bold, size, ACCENT));
    f.gap(6.0);
    f.rule(ACCENT, 2.0);
    f.gap(14.0);
    f.para(&format!("Record as of {}", r.as_of), LEAD);
    f.gap(4.0);
    let n = r.activities.len();
    f.para(&format!("Number of processing activities: {n}"), BODY);
    if ctx.role == Role::Processor {
        let controllers = processor_groups(&ctx.loaded)
            .iter()
            .filter(|g| g.0.is_some())
            .count();
        f.para(
            &format!("Controllers on whose behalf processing is carried out: {controllers}"),
            BODY,
        );
    }
    f.para(&format!("Scope: {}", non_empty(&r.scope)), BODY);
    f.para(
        &format!(
            "Adequacy decisions (Art. 45) as checked up to {}",
            crate::domain::reference::adequacy_as_of()
        ),
        BODY,
    );
    f.para(&format!("Generated {} UTC", ctx.generated), BODY);
    if n == 0 {
        f.gap(10.0);
        f.para("There are no processing activities in this record.", LEAD);
    }
    let (who, article) = match ctx.role {
        Role::Controller => ("Controller", "Art. 30(1)(a)"),
        Role::Processor => ("Processor", "Art. 30(2)(a)"),
    };
    let plural = if r.organisations.len() > 1 { "s" } else { "" };
    f.band(&format!(
        "{who}{plural}: name and contact details — {article}"
    ));
    if r.organisations.is_empty() {
        f.note(NONE);
    }
    for (i, org) in r.organisations.iter().enumerate() {
        if i > 0 {
            f.gap(8.0);
        }
        organisation_table(f, org);
    }
}

/// The organisation block of point (a).
pub(super) fn organisation_table(f: &mut Flow<'_, '_>, o: &Organisation) {
    let cols = [col("", 25.0), col("", 75.0)];
    let mut rows = vec![
        Row {
            cells: vec![label("Name"), Cell::new().add(BODY_BOLD, &o.name).or(DASH)],
            kind: RowKind::Strong,
            link: None,
        },
        fact("Legal address", val(&o.legal_address)),
        fact("Email", val(&o.email)),
        fact("Telephone", val(&o.phone)),
        fact("Registration number", val(&o.registration_number)),
    ];
    // The country is not repeated under an address that already names it.
    if !address_names_country(&o.legal_address, &o.country) {
        rows.push(fact("Country", val(&country_name(&o.country))));
    }
    rows.extend([
        fact("Representative (Art. 27)", val_none(&o.representative)),
        fact("Data protection officer (Art. 37)", val_none(&o.dpo)),
        fact("Lead supervisory authority", val(&o.supervisory_authority)),
    ]);
    f.table(TableKind::Facts, &cols, rows);
}

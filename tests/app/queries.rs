//! No N+1 queries: the SQL statements a list, an activity page or an export issues do not grow
//! with the number of rows it shows. Counted with diesel's connection instrumentation, on the
//! same store functions the pages and exports call.

use std::sync::{Arc, Mutex};

use diesel::connection::{Connection, InstrumentationEvent};

use ropa::demo::synthetic::{generate, Size};
use ropa::domain::activity::{ActivityForm, Choices};
use ropa::domain::vocab::{PartyKind, Role, Sensitivity};
use ropa::domain::ActivityId;
use ropa::store::activities::{self, ActivityFilter, StatusFilter};
use ropa::store::audit::Actor;
use ropa::store::records::{self, Selection};
use ropa::store::DbConnection;

use crate::helpers::{spawn_empty_app, TestApp};

/// The statements `f` runs on `conn`, as SQL text.
fn statements<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> T,
) -> (T, Vec<String>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            sink.lock().expect("lock").push(query.to_string());
        }
    });
    let out = f(conn);
    conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    let seen = seen.lock().expect("lock").clone();
    (out, seen)
}

fn assert_same_count(what: &str, small: &[String], large: &[String]) {
    assert_eq!(
        small.len(),
        large.len(),
        "{what}: {} statements for few rows but {} for many rows\nfew:\n{}\nmany:\n{}",
        small.len(),
        large.len(),
        small.join("\n"),
        large.join("\n")
    );
}

async fn register_of(activities: usize) -> TestApp {
    let app = spawn_empty_app().await;
    let mut conn = app.pool.get().expect("conn");
    generate(
        &mut conn,
        Size {
            activities,
            organisations: 2,
            seed: 7,
        },
    )
    .expect("synthetic register");
    app
}

fn every_status() -> ActivityFilter {
    ActivityFilter {
        status: StatusFilter::All,
        page: 1,
        ..Default::default()
    }
}

#[tokio::test]
async fn the_activities_list_issues_as_many_statements_for_60_rows_as_for_10() {
    let app = register_of(60).await;
    let mut conn = app.pool.get().expect("conn");
    let (few, few_sql) = statements(&mut conn, |c| {
        activities::search(
            c,
            &ActivityFilter {
                per_page: 10,
                ..every_status()
            },
        )
    });
    let (many, many_sql) = statements(&mut conn, |c| {
        activities::search(
            c,
            &ActivityFilter {
                per_page: 60,
                ..every_status()
            },
        )
    });
    assert_eq!(few.expect("search").rows.len(), 10);
    assert_eq!(many.expect("search").rows.len(), 60);
    assert_same_count("activities::search", &few_sql, &many_sql);

    let (_, text_sql) = statements(&mut conn, |c| {
        activities::search(
            c,
            &ActivityFilter {
                per_page: 60,
                text: "customers".into(),
                lawful_basis: Some(ropa::domain::vocab::LawfulBasis::Contract),
                ..every_status()
            },
        )
    });
    assert_eq!(
        text_sql.len(),
        few_sql.len(),
        "a filtered search issues the same statements as the plain list"
    );
}

/// An activity with `n` rows in every nested list (purposes with `n` bases each where the
/// vocabulary allows, subjects, categories, measures, conditions, joint controllers, controllers
/// acted for, recipients, transfers, retention rules).
fn activity_with_rows(choices: &Choices, n: usize, reference: &str) -> ActivityForm {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut put = |k: String, v: String| pairs.push((k, v));
    put(
        "organisation_id".into(),
        choices.organisations[0].id.to_string(),
    );
    put("role".into(), "processor".into());
    put("status".into(), "active".into());
    put("reference".into(), reference.into());
    put("name".into(), format!("Activity with {n} rows per list"));
    let parties = |kind: PartyKind| -> Vec<String> {
        choices
            .parties
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.id.to_string())
            .collect()
    };
    let joint = parties(PartyKind::JointController);
    let clients = parties(PartyKind::ClientController);
    let processors = parties(PartyKind::Processor);
    let standard: Vec<String> = choices
        .data_categories
        .iter()
        .filter(|c| c.sensitivity == Sensitivity::Standard)
        .map(|c| c.id.to_string())
        .take(n)
        .collect();
    assert_eq!(standard.len(), n, "enough standard categories");
    let special = choices
        .data_categories
        .iter()
        .find(|c| c.sensitivity == Sensitivity::SpecialCategory)
        .map(|c| c.id.to_string())
        .expect("a special category");
    let conditions = [
        "explicit_consent",
        "employment_social_security_law",
        "vital_interests_no_capacity",
        "not_for_profit_body",
        "manifestly_made_public",
        "legal_claims_or_courts",
        "substantial_public_interest",
        "health_or_social_care",
    ];
    let bases = [
        "consent",
        "contract",
        "legal_obligation",
        "vital_interests",
        "public_task",
    ];
    for c in conditions.iter().take(n) {
        put("special_conditions".into(), (*c).into());
    }
    put(
        "special_legal_reference".into(),
        "National data protection act".into(),
    );
    put("data_categories".into(), special.clone());
    for (i, id) in standard.iter().enumerate() {
        put("data_categories".into(), id.clone());
        put(format!("retention[{i}].data_category_id"), id.clone());
        put(format!("retention[{i}].period_value"), "3".into());
        put(format!("retention[{i}].period_unit"), "years".into());
    }
    for s in choices.subject_categories.iter().take(n) {
        put("subjects".into(), s.id.to_string());
    }
    for m in choices.measures.iter().take(n) {
        put("measures".into(), m.id.to_string());
    }
    for i in 0..n {
        put(format!("purposes[{i}].description"), format!("Purpose {i}"));
        for b in bases.iter().take(n.min(bases.len())) {
            put(format!("purposes[{i}].bases"), (*b).into());
        }
        put(
            format!("joint_controllers[{i}].party_id"),
            joint[i % joint.len()].clone(),
        );
        put(
            format!("joint_controllers[{i}].responsibilities"),
            "Art. 26 arrangement".into(),
        );
        put(
            format!("controllers[{i}].party_id"),
            clients[i % clients.len()].clone(),
        );
        put(
            format!("controllers[{i}].processing_categories"),
            "Hosting".into(),
        );
        put(
            format!("recipients[{i}].party_id"),
            processors[i % processors.len()].clone(),
        );
        put(format!("recipients[{i}].reason"), "Support".into());
        put(format!("transfers[{i}].country"), "US".into());
        put(
            format!("transfers[{i}].mechanism"),
            "scc_2021_914_module_3_p2p".into(),
        );
    }
    ActivityForm::from_pairs(&pairs)
}

#[tokio::test]
async fn an_activity_page_issues_as_many_statements_for_8_rows_per_list_as_for_1() {
    let app = register_of(3).await;
    let mut conn = app.pool.get().expect("conn");
    let choices = activities::choices(&mut conn).expect("choices");
    let actor = Actor::system("test set-up");
    let mut insert = |n: usize, reference: &str| -> ActivityId {
        let draft = activity_with_rows(&choices, n, reference)
            .parse(&choices)
            .expect("valid activity");
        activities::insert(&mut conn, &actor, &draft).expect("insert")
    };
    let small = insert(1, "SMALL-1");
    let large = insert(8, "LARGE-8");

    let (one, one_sql) = statements(&mut conn, |c| activities::get(c, small));
    let (eight, eight_sql) = statements(&mut conn, |c| activities::get(c, large));
    let (one, eight) = (one.expect("small"), eight.expect("large"));
    assert_eq!(one.purposes.len(), 1);
    assert_eq!(eight.purposes.len(), 8);
    for (list, rows) in [
        ("subjects", eight.subjects.len()),
        ("measures", eight.measures.len()),
        ("special conditions", eight.special_conditions.len()),
        ("joint controllers", eight.joint_controllers.len()),
        ("controllers", eight.controllers.len()),
        ("recipients", eight.recipients.len()),
        ("transfers", eight.transfers.len()),
        ("retention", eight.retention.len()),
    ] {
        assert_eq!(rows, 8, "the large activity has 8 {list}");
    }
    assert_same_count("activities::get", &one_sql, &eight_sql);

    let (both, both_sql) = statements(&mut conn, |c| {
        activities::load_details(c, &[small.0, large.0])
    });
    assert_eq!(both.expect("both").len(), 2);
    assert_same_count("activities::load_details", &one_sql, &both_sql);
}

#[tokio::test]
async fn exports_issue_as_many_statements_for_60_activities_as_for_5() {
    let few_app = register_of(5).await;
    let many_app = register_of(60).await;
    let mut few_conn = few_app.pool.get().expect("conn");
    let mut many_conn = many_app.pool.get().expect("conn");
    let selection = Selection {
        role: Role::Controller,
        activity: None,
        filter: every_status(),
    };
    let at = ropa::store::now();

    let pdf = |c: &mut DbConnection| records::load_record(c, &selection, "All".into(), at);
    let (few, few_sql) = statements(&mut few_conn, pdf);
    let (many, many_sql) = statements(&mut many_conn, pdf);
    assert!(few.expect("record").activities.len() < many.expect("record").activities.len());
    assert_same_count("records::load_record (PDF)", &few_sql, &many_sql);

    let csv = |c: &mut DbConnection| {
        records::for_each_activity(
            c,
            &selection,
            |_, _| -> Result<(), ropa::store::StoreError> { Ok(()) },
        )
    };
    let (few, few_sql) = statements(&mut few_conn, csv);
    let (many, many_sql) = statements(&mut many_conn, csv);
    assert!(few.expect("rows") < many.expect("rows"));
    assert_same_count("records::for_each_activity (CSV)", &few_sql, &many_sql);

    let json = |c: &mut DbConnection| records::register_document(c, None, at);
    let (few, few_sql) = statements(&mut few_conn, json);
    let (many, many_sql) = statements(&mut many_conn, json);
    assert_eq!(few.expect("document").activities.len(), 5);
    assert_eq!(many.expect("document").activities.len(), 60);
    assert_same_count("records::register_document (JSON)", &few_sql, &many_sql);

    // The JSON download writes the document streamed from the database: the same bytes as the
    // whole document, in statements that do not grow with the activities either.
    let streamed = |c: &mut DbConnection| -> ropa::store::StoreResult<Vec<u8>> {
        let doc = records::streamed_document(c, None, at)?;
        let mut out = Vec::new();
        ropa::export::json::write(&doc, &mut out).map_err(|e| {
            ropa::store::StoreError::Db(diesel::result::Error::QueryBuilderError(
                e.to_string().into(),
            ))
        })?;
        Ok(out)
    };
    let (few, few_sql) = statements(&mut few_conn, streamed);
    let (many, many_sql) = statements(&mut many_conn, streamed);
    assert_same_count(
        "records::streamed_document (JSON download)",
        &few_sql,
        &many_sql,
    );
    for (bytes, conn) in [(few, &mut few_conn), (many, &mut many_conn)] {
        let whole = records::register_document(conn, None, at).expect("document");
        assert_eq!(
            String::from_utf8(bytes.expect("streamed")).expect("utf8"),
            serde_json::to_string_pretty(&whole).expect("json"),
            "streamed and whole documents are the same bytes"
        );
    }
}

#[tokio::test]
async fn the_synthetic_register_is_the_same_for_the_same_seed() {
    let first = register_of(40).await;
    let second = register_of(40).await;
    let at = ropa::store::now();
    let document = |app: &TestApp| {
        let mut conn = app.pool.get().expect("conn");
        let mut doc = records::register_document(&mut conn, None, at).expect("document");
        for a in &mut doc.activities {
            a.created_at = at;
            a.updated_at = at;
        }
        for o in &mut doc.organisations {
            o.created_at = at;
            o.updated_at = at;
        }
        for p in &mut doc.parties {
            p.created_at = at;
            p.updated_at = at;
        }
        serde_json::to_string(&doc).expect("json")
    };
    let doc = document(&first);
    assert_eq!(doc, document(&second));
    assert!(doc.contains("\"role\":\"processor\""), "{doc}");
    let mut conn = first.pool.get().expect("conn");
    let audit = ropa::store::audit::list(&mut conn, &Default::default()).expect("audit trail");
    assert_eq!(audit.1, 1, "one audit entry for the whole register");
}

#[tokio::test]
async fn the_missing_elements_stored_on_writing_match_a_count_of_the_stored_rows() {
    // Gaps are written from the draft as the activity is saved; recomputing them from the rows
    // (what a catalogue change and the start-up backfill do) must change nothing.
    let app = register_of(300).await;
    let mut conn = app.pool.get().expect("conn");
    // Incomplete ones beside the synthetic register (which is complete): nothing but a name; a
    // processor activity for nobody; personal data without retention or recipients.
    let choices = activities::choices(&mut conn).expect("choices");
    let org = choices.organisations[0].id.to_string();
    let standard = choices
        .data_categories
        .iter()
        .find(|c| c.sensitivity == Sensitivity::Standard)
        .expect("a standard category")
        .id
        .to_string();
    let subject = choices.subject_categories[0].id.to_string();
    let actor = Actor::system("test set-up");
    let variants: [&[(&str, &str)]; 4] = [
        &[("role", "controller")],
        &[("role", "processor")],
        &[
            ("role", "controller"),
            ("purposes[0].description", "Marketing"),
            ("purposes[0].bases", "consent"),
            ("subjects", &subject),
            ("data_categories", &standard),
            ("security_description", "Access control"),
        ],
        // Declared none for recipients; a US transfer on adequacy without the recipient's
        // certification; an Art. 9(2) condition without its law; solely automated decisions
        // without their exception, logic and safeguards.
        &[
            ("role", "controller"),
            ("purposes[0].description", "Scoring"),
            ("purposes[0].bases", "contract"),
            ("subjects", &subject),
            ("data_categories", &standard),
            ("retention[0].data_category_id", &standard),
            ("retention[0].period_value", "1"),
            ("retention[0].period_unit", "weeks"),
            ("security_description", "Access control"),
            ("no_recipients", "on"),
            ("transfers[0].country", "US"),
            ("transfers[0].mechanism", "adequacy_decision"),
            ("special_conditions", "substantial_public_interest"),
            ("automated_processing", "solely_automated_decisions"),
            ("automated_decision_description", "Credit scoring"),
        ],
    ];
    for (i, extra) in variants.iter().enumerate() {
        let mut pairs: Vec<(String, String)> = vec![
            ("organisation_id".into(), org.clone()),
            ("status".into(), "draft".into()),
            ("name".into(), format!("Incomplete {i}")),
            ("reference".into(), format!("INC-{i}")),
        ];
        pairs.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        let draft = ActivityForm::from_pairs(&pairs)
            .parse(&choices)
            .expect("a valid draft");
        activities::insert(&mut conn, &actor, &draft).expect("insert");
    }
    let stored = |conn: &mut ropa::store::DbConnection| -> Vec<(i64, Option<String>)> {
        use diesel::prelude::*;
        use ropa::store::schema::activities;
        activities::table
            .select((activities::id, activities::gaps))
            .order(activities::id)
            .load(conn)
            .expect("gaps")
    };
    let before = stored(&mut conn);
    assert_eq!(before.len(), 304);
    assert!(
        before.iter().all(|(_, g)| g.is_some()),
        "every activity has its gaps"
    );
    let incomplete: Vec<&str> = before
        .iter()
        .filter_map(|(_, g)| g.as_deref().filter(|g| !g.is_empty()))
        .collect();
    assert_eq!(
        incomplete,
        [
            "purposes,subjects,data_categories,recipients,transfers,retention,security",
            "transfers,controllers,security",
            "recipients,transfers,retention",
            "transfer_scope,special_law,automated_decisions",
        ]
    );
    let n = ropa::store::gaps::refresh_gaps(&mut conn, ropa::store::gaps::GapScope::All)
        .expect("refresh");
    assert_eq!(n, 304);
    assert_eq!(before, stored(&mut conn));
}

#[tokio::test]
async fn the_pdf_read_a_chunk_at_a_time_is_the_pdf_of_the_record_loaded_whole() {
    // More than one chunk, and a last chunk that is not full.
    let app = register_of(records::CHUNK + 60).await;
    let mut conn = app.pool.get().expect("conn");
    let selection = Selection {
        role: Role::Controller,
        activity: None,
        filter: every_status(),
    };
    let at = ropa::store::now();
    let whole = records::load_record(&mut conn, &selection, "All".into(), at).expect("record");
    let n = whole.activities.len();
    assert!(n > records::CHUNK, "{n} controller activities");
    let expected = ropa::export::pdf::controller_pdf(&whole).expect("pdf of the loaded record");

    let ids: Vec<i64> = whole
        .activities
        .map(|a| a.id)
        .take(records::CHUNK)
        .collect();
    let (_, one_chunk) = statements(&mut conn, |c| activities::load_details(c, &ids));
    let (read, sql) = statements(&mut conn, |c| {
        records::in_snapshot(c, |c| -> Result<Vec<u8>, ropa::export::ExportError> {
            let record = records::read_record(c, &selection, "All".into(), at)?;
            assert!(
                record.activities.as_slice().is_none(),
                "the controller record is read as it is laid out"
            );
            let mut out = Vec::new();
            ropa::export::pdf::write_pdf(&record, Role::Controller, &mut out)?;
            Ok(out)
        })
    });
    let read = read.expect("pdf of the record read in chunks");
    assert!(
        read == expected,
        "the same file: {} and {} bytes",
        read.len(),
        expected.len()
    );
    // Two passes (the overview, then the activities), each reading a chunk at a time.
    let chunks = n.div_ceil(records::CHUNK);
    assert!(
        sql.len() <= 2 * chunks * one_chunk.len() + 12,
        "{} statements for {n} activities in {chunks} chunks of {} statements",
        sql.len(),
        one_chunk.len()
    );
}

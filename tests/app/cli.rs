//! The command line and the storage set-up.

use std::collections::BTreeSet;
use std::process::Command;

use crate::helpers::{drop_pg, fresh_database, ropa};

fn folders(path: &str) -> BTreeSet<String> {
    std::fs::read_dir(path)
        .expect("migrations folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_two_migration_trees_have_the_same_migrations() {
    let root = env!("CARGO_MANIFEST_DIR");
    let sqlite = folders(&format!("{root}/migrations/sqlite"));
    let postgres = folders(&format!("{root}/migrations/postgres"));
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres must hold the same folder names"
    );
    for name in &sqlite {
        for tree in ["sqlite", "postgres"] {
            for file in ["up.sql", "down.sql"] {
                let path = format!("{root}/migrations/{tree}/{name}/{file}");
                assert!(std::path::Path::new(&path).is_file(), "{path} exists");
            }
        }
    }
}

#[test]
fn the_demo_loads_a_convincing_register_once() {
    let dir = tempfile::tempdir().expect("dir");
    let (url, pg) = fresh_database(&dir);
    let out = ropa(&url, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2 organisations") && stdout.contains("15 activities"),
        "{stdout}"
    );
    let pool = ropa::store::open(&url, 1).expect("open");
    let mut conn = pool.get().expect("conn");
    let page = ropa::store::activities::search(
        &mut conn,
        &ropa::store::activities::ActivityFilter {
            status: ropa::store::activities::StatusFilter::All,
            page: 1,
            per_page: 100,
            ..Default::default()
        },
    )
    .expect("search");
    assert_eq!(page.total, 15);
    assert!(page
        .rows
        .iter()
        .any(|r| r.role == ropa::domain::vocab::Role::Processor));
    assert!(page
        .rows
        .iter()
        .any(|r| r.status == ropa::domain::vocab::Status::Retired));
    let ids: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
    let details = ropa::store::activities::load_details(&mut conn, &ids).expect("details");
    let mechanisms: Vec<&str> = details
        .iter()
        .flat_map(|d| d.transfers.iter().map(|t| t.mechanism.code()))
        .collect();
    assert!(mechanisms.contains(&"adequacy_decision"));
    assert!(mechanisms.iter().any(|m| m.starts_with("scc_")));
    assert!(mechanisms.iter().any(|m| m.starts_with("derogation_")));
    assert!(details
        .iter()
        .any(|d| d.data_categories.iter().any(|c| c.label.contains("health"))));
    assert!(details.iter().any(|d| d
        .data_categories
        .iter()
        .any(|c| c.label.contains("Biometric"))));
    // The showcase a DPO reads closely: every activity complete but the draft in preparation, and the corrections of the
    // review (#15) in place.
    for d in details
        .iter()
        .filter(|d| d.status != ropa::domain::vocab::Status::Draft)
    {
        assert!(
            d.gaps().is_empty(),
            "{} {} lacks {:?}",
            d.reference,
            d.name,
            d.gaps()
        );
    }
    let by_name = |name: &str| {
        details
            .iter()
            .find(|d| d.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(
        by_name("CCTV in stores").retention[0].period(),
        "72 hours from recording"
    );
    let payroll = by_name("Payroll");
    let bureau = by_name("Payroll processing for client companies");
    for d in [payroll, bureau] {
        assert_eq!(d.transfers[0].mechanism.code(), "scc_2021_914_module_3_p2p");
        assert!(d.recipients.iter().any(|r| r.name.starts_with("Bangalore")
            && r.kind == Some(ropa::domain::vocab::PartyKind::SubProcessor)));
    }
    let biometric = by_name("Biometric access control to the warehouse");
    assert!(!biometric
        .lawful_bases()
        .contains(&ropa::domain::vocab::LawfulBasis::Consent));
    assert!(!biometric
        .special_conditions
        .contains(&ropa::domain::vocab::SpecialCondition::ExplicitConsent));
    assert!(payroll
        .data_categories
        .iter()
        .any(|c| c.sensitivity == ropa::domain::vocab::Sensitivity::NationalIdentifier));
    let newsletter = by_name("Newsletter marketing");
    assert!(newsletter.purposes[0].direct_marketing);
    assert!(!by_name("CCTV in stores").purposes[0].direct_marketing);
    drop(conn);
    drop(pool);

    // The regulator's copy of one organisation: the active register, an overview, activities
    // one after another (41 pages before this layout, drafts included).
    let pdf = dir.path().join("retail.pdf");
    let export = |status: &str| {
        let out = ropa(
            &url,
            &[
                "export",
                "--format",
                "pdf",
                "--organisation",
                "Nordlicht Retail GmbH",
                "--status",
                status,
                "--output",
                pdf.to_str().expect("path"),
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&pdf).expect("pdf");
        pdf_extract::extract_text_from_mem_by_pages(&bytes).expect("text")
    };
    let active = export("active");
    assert!(active.len() <= 25, "{} pages", active.len());
    let text = active.concat();
    assert!(text.contains("Register overview"));
    assert!(!text.contains("DRAFT"), "no draft in the active register");
    assert!(!text.contains("Business travel management"));
    let current = export("current");
    assert!(current.len() <= 28, "{} pages", current.len());
    assert!(current.concat().contains("DRAFT"));
    assert!(current.concat().contains("Business travel management"));

    let again = ropa(&url, &["demo"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already loaded"));
    drop_pg(pg);
}

#[test]
fn an_unknown_database_scheme_is_a_clear_error_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let out = Command::new(env!("CARGO_BIN_EXE_ropa"))
        .arg("demo")
        .env("ROPA_DATABASE_URL", "mysql://localhost/ropa")
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unsupported database URL scheme `mysql`")
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        0,
        "no file was created"
    );
}

#[test]
fn help_lists_every_setting() {
    let out = Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(["serve", "--help"])
        .output()
        .expect("run");
    let help = String::from_utf8_lossy(&out.stdout);
    for setting in [
        "ROPA_DATABASE_URL",
        "ROPA_DB_POOL_SIZE",
        "ROPA_BIND",
        "ROPA_WORKERS",
        "ROPA_PAGE_CACHE_MB",
        "ROPA_AUDIT_KEY_FILE",
        "ROPA_PUBLIC_URL",
        "ROPA_EXPORT_SLOTS",
        "ROPA_TRUST_PROXY",
    ] {
        assert!(help.contains(setting), "{setting} in --help");
    }
}

/// Runs the real `ropa` binary on a pseudo-terminal (util-linux `script`), as a user at a
/// terminal does; what the terminal showed.
fn ropa_on_a_terminal(database_url: &str, args: &[&str]) -> String {
    let command = std::iter::once(env!("CARGO_BIN_EXE_ropa"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ");
    let out = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env("ROPA_DATABASE_URL", database_url)
        .env("ROPA_AUDIT_KEY", crate::helpers::TEST_AUDIT_KEY)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run ropa under script (util-linux)");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn long_commands_show_progress_on_a_terminal_and_stay_quiet_otherwise() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, pg) = fresh_database(&dir);
    let shown = ropa_on_a_terminal(&url, &["demo", "--activities", "600"]);
    assert!(shown.contains("Generating activities ["), "{shown}");
    assert!(shown.contains("600 activities"), "{shown}");
    let pdf = dir.path().join("register.pdf");
    let pdf = pdf.to_string_lossy();
    let shown = ropa_on_a_terminal(
        &url,
        &[
            "export", "--format", "pdf", "--status", "all", "--output", &pdf,
        ],
    );
    assert!(shown.contains("Laying out the PDF ["), "{shown}");

    // Piped, as in a script or a cron job: only the result, no bar.
    for args in [
        vec![
            "export", "--format", "pdf", "--status", "all", "--output", &pdf,
        ],
        vec!["export", "--format", "csv"],
    ] {
        let out = ropa(&url, &args);
        assert!(out.status.success(), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("Laying out") && !err.contains("Writing") && !err.contains('\r'),
            "{args:?}: {err}"
        );
    }
    drop_pg(pg);
}

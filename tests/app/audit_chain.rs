//! The audit chain against someone who can write the database but does not hold the key:
//! cutting the tail, rewriting entries with every later hash recomputed, replaying an old head,
//! and the first keyed start of a chain written before keys existed.

use diesel::prelude::*;

use crate::helpers::*;
use ropa::store::audit::{entry_hash, AuditRow};
use ropa::store::schema::{audit_head, audit_log};

/// A register with a few changes in its trail.
async fn trail() -> TestApp {
    let app = spawn_app().await;
    for name in ["Alpha", "Bravo", "Charlie", "Delta"] {
        app.create_organisation(name).await;
    }
    app
}

fn verify(app: &TestApp, extra: &[&str]) -> (bool, String) {
    let mut args = vec!["audit", "verify"];
    args.extend_from_slice(extra);
    let out = ropa(&app.database_url, &args);
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn head(app: &TestApp) -> (i64, String, String) {
    let mut conn = app.pool.get().expect("conn");
    audit_head::table
        .select((audit_head::seq, audit_head::last_hash, audit_head::mark))
        .first(&mut **conn)
        .expect("head")
}

fn rows(app: &TestApp) -> Vec<AuditRow> {
    let mut conn = app.pool.get().expect("conn");
    audit_log::table
        .order(audit_log::seq.asc())
        .select(AuditRow::as_select())
        .load(&mut **conn)
        .expect("rows")
}

/// Moves the head as a writer of the database can: sequence number and last hash.
fn set_head(app: &TestApp, seq: i64, hash: &str) {
    let mut conn = app.pool.get().expect("conn");
    diesel::update(audit_head::table)
        .set((audit_head::seq.eq(seq), audit_head::last_hash.eq(hash)))
        .execute(&mut **conn)
        .expect("head");
}

#[tokio::test]
async fn cutting_the_tail_and_moving_the_head_back_is_detected() {
    let app = trail().await;
    assert!(verify(&app, &[]).0);
    let (seq, _, _) = head(&app);
    let keep = seq - 2;
    let kept_hash = rows(&app)
        .into_iter()
        .find(|r| r.seq == keep)
        .map(|r| r.hash)
        .expect("entry");
    {
        let mut conn = app.pool.get().expect("conn");
        diesel::delete(audit_log::table.filter(audit_log::seq.gt(keep)))
            .execute(&mut **conn)
            .expect("cut");
    }
    set_head(&app, keep, &kept_hash);
    let (ok, message) = verify(&app, &[]);
    assert!(!ok, "{message}");
    assert!(message.contains("audit key's mark"), "{message}");
    // Appending afterwards (a change in the running app) does not bless the forged head.
    app.create_organisation("After the cut").await;
    let (ok, message) = verify(&app, &[]);
    assert!(!ok, "{message}");
    // And a command that writes refuses to start on such a trail.
    let out = ropa_env(
        &app.database_url,
        &[
            "user",
            "add",
            "--email",
            "late@example.eu",
            "--role",
            "editor",
        ],
        &[("ROPA_PASSWORD", PASSWORD)],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not carry the mark"));
}

#[tokio::test]
async fn rewriting_an_entry_and_every_later_hash_is_detected() {
    let app = trail().await;
    let mut all = rows(&app);
    let mut prev = String::new();
    for row in all.iter_mut() {
        if row.seq == 3 {
            row.entity_label = "nothing to see".into();
        }
        row.prev_hash = prev.clone();
        row.hash = entry_hash(row);
        prev = row.hash.clone();
    }
    {
        let mut conn = app.pool.get().expect("conn");
        for row in &all {
            diesel::update(audit_log::table.find(row.seq))
                .set((
                    audit_log::entity_label.eq(&row.entity_label),
                    audit_log::prev_hash.eq(&row.prev_hash),
                    audit_log::hash.eq(&row.hash),
                ))
                .execute(&mut **conn)
                .expect("rewrite");
        }
    }
    let last = all.last().expect("entries");
    set_head(&app, last.seq, &last.hash);
    let (ok, message) = verify(&app, &[]);
    assert!(!ok, "{message}");
    assert!(
        message.contains("audit key's mark") && !message.contains("was altered"),
        "every hash matches; only the key's mark gives it away: {message}"
    );
}

#[tokio::test]
async fn a_kept_head_proves_the_trail_was_not_cut_back_to_an_old_head() {
    let app = trail().await;
    let old = head(&app);
    app.create_organisation("Echo").await;
    app.create_organisation("Foxtrot").await;
    let printed = ropa(&app.database_url, &["audit", "head"]);
    assert!(printed.status.success());
    let kept = String::from_utf8_lossy(&printed.stdout).trim().to_owned();
    let (seq, hash, _) = head(&app);
    assert_eq!(kept, format!("{seq}:{hash}"));
    assert!(
        verify(&app, &["--expect-head", &kept]).0,
        "the kept head is held"
    );

    // Cut back to an old head, replayed whole with its mark: the chain alone cannot tell.
    {
        let mut conn = app.pool.get().expect("conn");
        diesel::delete(audit_log::table.filter(audit_log::seq.gt(old.0)))
            .execute(&mut **conn)
            .expect("cut");
        diesel::update(audit_head::table)
            .set((
                audit_head::seq.eq(old.0),
                audit_head::last_hash.eq(&old.1),
                audit_head::mark.eq(&old.2),
            ))
            .execute(&mut **conn)
            .expect("replay");
    }
    assert!(
        verify(&app, &[]).0,
        "a replayed head is consistent in itself"
    );
    let (ok, message) = verify(&app, &["--expect-head", &kept]);
    assert!(!ok, "{message}");
    assert!(message.contains(&format!("entry {seq}")), "{message}");
    let (ok, message) = verify(&app, &["--expect-head", "not a head"]);
    assert!(!ok && message.contains("SEQ:HASH"), "{message}");
}

#[tokio::test]
async fn a_chain_from_before_the_key_is_marked_once_at_the_first_keyed_start() {
    let app = trail().await;
    let blank = |app: &TestApp| {
        let mut conn = app.pool.get().expect("conn");
        diesel::update(audit_head::table)
            .set(audit_head::mark.eq(""))
            .execute(&mut **conn)
            .expect("blank");
    };
    blank(&app);
    let dir = tempfile::tempdir().expect("dir");
    let key_file = dir.path().join("audit.key");
    let key_path = key_file.to_str().expect("path");
    let with_file = |args: &[&str]| {
        ropa_env(
            &app.database_url,
            args,
            &[("ROPA_AUDIT_KEY", ""), ("ROPA_AUDIT_KEY_FILE", key_path)],
        )
    };
    // Reading commands never make a key.
    let read = with_file(&["audit", "verify"]);
    assert!(!read.status.success());
    assert!(String::from_utf8_lossy(&read.stderr).contains("no audit key"));
    assert!(!key_file.exists());
    // The first start of a command that writes, with a new key, marks the chain it finds:
    // migrated, not broken.
    let add = |email: &str| {
        ropa_env(
            &app.database_url,
            &["user", "add", "--email", email, "--role", "editor"],
            &[
                ("ROPA_AUDIT_KEY", ""),
                ("ROPA_AUDIT_KEY_FILE", key_path),
                ("ROPA_PASSWORD", PASSWORD),
            ],
        )
    };
    let first = add("first@example.eu");
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(key_file.exists(), "the key file was made");
    assert!(String::from_utf8_lossy(&first.stderr).contains("back it up"));
    assert!(with_file(&["audit", "verify"]).status.success());
    // Later, a mark stripped from the head is not put back: reported, and writing refused.
    blank(&app);
    let again = with_file(&["audit", "verify"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("carries no mark"));
    assert!(!add("second@example.eu").status.success());
}

//! The `ropa` command line: serve the register, load the demo.

use std::net::TcpListener;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use ropa::config::{DatabaseConfig, ServeConfig};

/// ropa: a register of processing activities under GDPR Article 30.
#[derive(Debug, Parser)]
#[command(name = "ropa", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Settings of `serve`, which runs when no command is given.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the register in the browser (the default).
    Serve(ServeArgs),
    /// Load the example register (two organisations of one group, about 15 activities).
    Demo(DemoArgs),
    /// Export the record as PDF, CSV or JSON (to standard output unless --output is given).
    Export(ExportArgs),
    /// Import a JSON register document into an empty database (backup restore, backend move).
    Import(ImportArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Check the register as a supervisory authority would: each finding with its rule, the
    /// article behind it and the field to fix. Exits 3 when a finding at or above --fail-on
    /// exists (1 when the check cannot run), so a scheduled job can alert.
    Check(CheckArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Notice,
}

#[derive(Debug, Clone, Args)]
struct CheckArgs {
    #[command(flatten)]
    db: DatabaseConfig,
    /// Only this organisation: its id, exact name or reference prefix.
    #[arg(long)]
    organisation: Option<String>,
    /// Text for people, JSON for programs.
    #[arg(long, value_enum, default_value = "text")]
    format: CheckFormat,
    /// The least serious finding that makes the exit status 3.
    #[arg(long = "fail-on", value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Print the rule set as Markdown (docs/checks.md) instead of checking.
    #[arg(long)]
    rules: bool,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add an account. The password is read from ROPA_PASSWORD or asked for at the terminal.
    Add(UserAddArgs),
}

#[derive(Debug, Clone, Args)]
struct UserAddArgs {
    #[command(flatten)]
    db: DatabaseConfig,
    /// Email, the log-in name.
    #[arg(long)]
    email: String,
    /// Role: admin, editor or auditor.
    #[arg(long, value_parser = ["admin", "editor", "auditor"])]
    role: String,
    /// Display name.
    #[arg(long, default_value = "")]
    name: String,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Walk the hash chain and name the first entry that was altered, inserted or removed;
    /// check the head's mark under the audit key, and that the trail still holds a kept head.
    Verify(VerifyArgs),
    /// Print the chain's head (SEQ:HASH): keep it apart, and `verify --expect-head` proves the
    /// trail was not rewritten or cut back since.
    Head(DbArgs),
}

#[derive(Debug, Clone, Args)]
struct VerifyArgs {
    #[command(flatten)]
    db: DatabaseConfig,
    /// A head printed earlier by `ropa audit head` that the trail must still hold.
    #[arg(long = "expect-head")]
    expect_head: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    Pdf,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RoleArg {
    Controller,
    Processor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum StatusArg {
    Current,
    Draft,
    Active,
    Retired,
    All,
}

#[derive(Debug, Clone, Args)]
struct ExportArgs {
    #[command(flatten)]
    db: DatabaseConfig,
    /// File format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Only this organisation: its id or exact name.
    #[arg(long)]
    organisation: Option<String>,
    /// Controller record (Art. 30(1)) or processor record (Art. 30(2)); ignored for JSON.
    #[arg(long, value_enum, default_value = "controller")]
    role: RoleArg,
    /// Which activities: the active register (the default: what a supervisory authority
    /// receives), the current one with drafts (each marked), one status, or all.
    #[arg(long, value_enum, default_value = "active")]
    status: StatusArg,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<std::path::PathBuf>,
    /// Start the CSV with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    bom: bool,
}

#[derive(Debug, Clone, Args)]
struct ImportArgs {
    #[command(flatten)]
    db: DatabaseConfig,
    /// The JSON document made by `ropa export --format json`.
    file: std::path::PathBuf,
}

#[derive(Debug, Clone, Args)]
struct ServeArgs {
    #[command(flatten)]
    db: DatabaseConfig,
    #[command(flatten)]
    serve: ServeConfig,
}

#[derive(Debug, Clone, Args)]
struct DbArgs {
    #[command(flatten)]
    db: DatabaseConfig,
}

#[derive(Debug, Clone, Args)]
struct DemoArgs {
    #[command(flatten)]
    db: DatabaseConfig,
    /// Instead of the hand-written demo, generate a synthetic register of this many activities.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    activities: Option<u32>,
    /// With --activities: the number of organisations (default: one per 500 activities, 2-40).
    #[arg(long, requires = "activities", value_parser = clap::value_parser!(u32).range(1..=1000))]
    organisations: Option<u32>,
    /// With --activities: the seed; the same seed gives the same register.
    #[arg(long, requires = "activities", default_value_t = ropa::demo::synthetic::DEFAULT_SEED)]
    seed: u64,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Serve(args)) => serve(args),
        None => serve(cli.serve),
        Some(Command::Demo(args)) => demo(args),
        Some(Command::Export(args)) => export(args),
        Some(Command::Import(args)) => import(args),
        Some(Command::User(UserCommand::Add(args))) => user_add(args),
        Some(Command::Audit(AuditCommand::Verify(args))) => audit_verify(args),
        Some(Command::Audit(AuditCommand::Head(args))) => audit_head(args),
        Some(Command::Check(args)) => match check(args) {
            Ok(true) => return ExitCode::from(3),
            Ok(false) => Ok(()),
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    if let Some(url) = &args.serve.public_url {
        if ropa::config::origin_of(url).is_none() {
            anyhow::bail!(
                "ROPA_PUBLIC_URL `{url}` is not an http(s) address such as https://ropa.example.eu"
            );
        }
    }
    ropa::domain::catalogue::check()
        .map_err(|e| anyhow::anyhow!("embedded vocabularies are broken: {e}"))?;
    let pool = open_register(&args.db, args.db.pool_size, true)?;
    let listener = TcpListener::bind(&args.serve.bind)
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.serve.bind))?;
    let address = listener.local_addr()?;
    tracing::info!(
        "ropa serves the register at http://{address} (database: {})",
        describe(&args.db.database_url)
    );
    let settings = ropa::config::WebSettings::from_config(&args.serve, &address);
    actix_web::rt::System::new().block_on(async move {
        ropa::web::server(listener, pool, settings, args.serve.workers)?.await
    })?;
    Ok(())
}

fn demo(args: DemoArgs) -> anyhow::Result<()> {
    let pool = open_register(&args.db, 1, true)?;
    let mut conn = pool.get()?;
    let (what, summary) = match args.activities {
        None => ("the demo register", ropa::demo::load(&mut conn)?),
        Some(n) => {
            let mut size = ropa::demo::synthetic::Size::new(n as usize);
            if let Some(k) = args.organisations {
                size.organisations = k as usize;
            }
            size.seed = args.seed;
            let bar = progress_bar(u64::from(n), "Generating activities");
            let summary = ropa::demo::synthetic::generate_with(&mut conn, size, &|done| {
                bar.set_position(done as u64)
            })?;
            bar.finish_and_clear();
            ("a synthetic register", summary)
        }
    };
    println!(
        "Loaded {what} into {}: {} organisations, {} parties, {} activities.",
        describe(&args.db.database_url),
        summary.organisations,
        summary.parties,
        summary.activities
    );
    Ok(())
}

fn export(args: ExportArgs) -> anyhow::Result<()> {
    use ropa::domain::vocab::{Role, Status};
    use ropa::store::activities::{ActivityFilter, StatusFilter};
    use ropa::store::records::{self, Selection};
    use std::io::Write;

    let pool = open_register(&args.db, 1, false)?;
    let mut conn = pool.get()?;
    let organisation = match &args.organisation {
        None => None,
        Some(wanted) => {
            let all = ropa::store::organisations::list(&mut conn)?;
            let found = all
                .into_iter()
                .find(|o| o.id.to_string() == *wanted || o.name == *wanted)
                .ok_or_else(|| {
                    anyhow::anyhow!("--organisation: no organisation with id or name `{wanted}`")
                })?;
            Some(found)
        }
    };
    let generated_at = ropa::store::now();
    let mut out: Box<dyn Write + Send> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| anyhow::anyhow!("--output: cannot create {}: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let role = match args.role {
        RoleArg::Controller => Role::Controller,
        RoleArg::Processor => Role::Processor,
    };
    let status = match args.status {
        StatusArg::Current => StatusFilter::Current,
        StatusArg::Draft => StatusFilter::Only(Status::Draft),
        StatusArg::Active => StatusFilter::Only(Status::Active),
        StatusArg::Retired => StatusFilter::Only(Status::Retired),
        StatusArg::All => StatusFilter::All,
    };
    let selection = Selection {
        role,
        activity: None,
        filter: ActivityFilter {
            organisation: organisation.as_ref().map(|o| o.id()),
            status,
            ..Default::default()
        },
    };
    match args.format {
        ExportFormat::Json => {
            let doc = records::streamed_document(
                &mut conn,
                organisation.as_ref().map(|o| o.id()),
                generated_at,
            )?;
            let bar = spinner("Writing the register document");
            ropa::export::json::write(&doc, &mut out)?;
            out.write_all(b"\n")?;
            bar.finish_and_clear();
        }
        ExportFormat::Csv => {
            let context = records::CheckContext::load(&mut conn)?;
            let mut w = ropa::export::csv::CsvWriter::new(&mut out, args.bom)?
                .with_findings(context, chrono::Utc::now().date_naive());
            match role {
                Role::Controller => w.controller_header()?,
                Role::Processor => w.processor_header()?,
            }
            let bar = counter("Writing the CSV");
            records::for_each_activity(
                &mut conn,
                &selection,
                |org, a| -> Result<(), ropa::export::ExportError> {
                    bar.inc(1);
                    match role {
                        Role::Controller => w.controller_row(org, a),
                        Role::Processor => w.processor_row(org, a),
                    }
                },
            )?;
            w.finish()?;
            bar.finish_and_clear();
        }
        ExportFormat::Pdf => {
            let scope = ropa::web::exports::describe(
                &selection,
                organisation.as_ref().map(|o| o.name.as_str()),
            );
            // The activities are read a chunk at a time, in one snapshot, as the pages are laid
            // out.
            records::in_snapshot(&mut conn, |conn| -> anyhow::Result<()> {
                let mut record = records::read_record(conn, &selection, scope, generated_at)?;
                // The layout goes through the activities twice: the overview, then each one.
                let bar = if record.activities.is_read() {
                    progress_bar(2 * record.activities.len() as u64, "Laying out the PDF")
                } else {
                    spinner("Laying out the PDF")
                };
                let reading = bar.clone();
                record.activities.on_read(move |n| reading.inc(n as u64));
                ropa::export::pdf::write_pdf(&record, role, &mut out)?;
                bar.finish_and_clear();
                Ok(())
            })?;
        }
    }
    out.flush()?;
    Ok(())
}

fn import(args: ImportArgs) -> anyhow::Result<()> {
    let json = std::fs::read_to_string(&args.file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.file.display()))?;
    let doc = ropa::store::import::parse_document(&json)?;
    let pool = open_register(&args.db, 1, true)?;
    let mut conn = pool.get()?;
    let bar = progress_bar(doc.activities.len() as u64, "Checking the activities");
    let summary = ropa::store::import::import_with(
        &mut conn,
        &ropa::store::audit::Actor::system("command line (import)"),
        &doc,
        &|n| bar.set_position(n as u64),
    )?;
    bar.finish_and_clear();
    println!(
        "Imported {} organisations, {} parties and {} activities into {}.",
        summary.organisations,
        summary.parties,
        summary.activities,
        describe(&args.db.database_url)
    );
    Ok(())
}

fn user_add(args: UserAddArgs) -> anyhow::Result<()> {
    let password = match std::env::var("ROPA_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let first = rpassword::prompt_password("Password: ")?;
            let again = rpassword::prompt_password("Password again: ")?;
            if first != again {
                anyhow::bail!("the two passwords differ");
            }
            first
        }
    };
    let form = ropa::domain::user::UserForm {
        email: args.email.clone(),
        name: args.name.clone(),
        role: args.role.clone(),
        password_confirm: password.clone(),
        password: password.clone(),
        ..Default::default()
    };
    let draft = form.parse(true).map_err(|e| anyhow::anyhow!("{e}"))?;
    let pool = open_register(&args.db, 1, true)?;
    let mut conn = pool.get()?;
    let id = ropa::store::users::insert(
        &mut conn,
        &ropa::store::audit::Actor::system("command line (user add)"),
        &draft,
        &password,
    )?;
    println!(
        "Added account {} ({}), id {id}.",
        draft.email,
        draft.role.label()
    );
    Ok(())
}

fn audit_verify(args: VerifyArgs) -> anyhow::Result<()> {
    let pool = open_register(&args.db, 1, false)?;
    let mut conn = pool.get()?;
    let verdict = ropa::store::audit::verify(&mut conn)?;
    if let Some(problem) = verdict.problem {
        anyhow::bail!(
            "the audit trail is broken: {problem} ({} entries verified before it)",
            verdict.entries
        );
    }
    if let Some(kept) = &args.expect_head {
        if let Some(problem) = ropa::store::audit::holds_kept_head(&mut conn, kept)? {
            anyhow::bail!("the audit trail is not the one whose head was kept: {problem}");
        }
    }
    println!(
        "The audit trail is intact: {} entries verify{}.",
        verdict.entries,
        if args.expect_head.is_some() {
            ", and it holds the kept head"
        } else {
            ""
        }
    );
    Ok(())
}

/// Runs the register checks and prints the report; `true` when a finding at or above the
/// threshold exists.
fn check(args: CheckArgs) -> anyhow::Result<bool> {
    use ropa::domain::checks::{rules_markdown, Severity};
    if args.rules {
        print!("{}", rules_markdown());
        return Ok(false);
    }
    let pool = open_register(&args.db, 1, false)?;
    let mut conn = pool.get()?;
    let organisation = match &args.organisation {
        None => None,
        Some(wanted) => Some(
            ropa::store::organisations::list(&mut conn)?
                .into_iter()
                .find(|o| {
                    o.id.to_string() == *wanted
                        || o.name == *wanted
                        || o.reference_prefix.eq_ignore_ascii_case(wanted)
                })
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "--organisation: no organisation with id, name or reference prefix `{wanted}`"
                    )
                })?
                .id(),
        ),
    };
    let today = chrono::Utc::now().date_naive();
    let report = ropa::store::records::in_snapshot(&mut conn, |c| {
        ropa::store::checks::register_findings(c, organisation, today)
    })?;
    match args.format {
        CheckFormat::Text => print!("{}", ropa::export::findings::text(&report)),
        CheckFormat::Json => println!("{}", ropa::export::findings::json(&report)?),
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Notice => Severity::Notice,
    };
    Ok(report.fails(threshold))
}

fn audit_head(args: DbArgs) -> anyhow::Result<()> {
    let pool = open_register(&args.db, 1, false)?;
    let mut conn = pool.get()?;
    let (seq, hash) = ropa::store::audit::head(&mut conn)?;
    println!("{seq}:{hash}");
    Ok(())
}

/// Installs the audit key (`ROPA_AUDIT_KEY`, else the key file) and opens the register. Only a
/// command that writes (`writes`) may make the key file, on its first start; it then refuses to
/// start if the trail's head does not carry the key's mark (another instance's key, or a trail
/// changed without the key), so it never appends to such a trail.
fn open_register(
    db: &DatabaseConfig,
    pool_size: u32,
    writes: bool,
) -> anyhow::Result<ropa::store::Pool> {
    use ropa::store::audit_key::{self, AuditKey};
    // A URL that opens nothing makes no key file either.
    let url = ropa::store::DatabaseUrl::parse(&db.database_url)?;
    let (key, made) = match std::env::var("ROPA_AUDIT_KEY") {
        Ok(hex) if !hex.trim().is_empty() => (AuditKey::from_hex(&hex, "ROPA_AUDIT_KEY")?, None),
        _ => {
            let path = audit_key_path(db, &url);
            if !writes && !path.exists() {
                anyhow::bail!(
                    "there is no audit key at {}: set ROPA_AUDIT_KEY or ROPA_AUDIT_KEY_FILE to \
                     the key the trail was marked with (ropa serve makes one on its first start)",
                    path.display()
                );
            }
            let key = AuditKey::load_or_create(&path)?;
            let made = key.created().then(|| path.clone());
            (key, made)
        }
    };
    audit_key::install(key);
    let pool = ropa::store::open(&db.database_url, pool_size)?;
    if writes {
        let mut conn = pool.get()?;
        if !ropa::store::audit::head_carries_key(&mut conn)? {
            if let Some(path) = &made {
                // Not this trail's key: leave no stray key behind.
                let _ = std::fs::remove_file(path);
            }
            anyhow::bail!(
                "the audit trail's head does not carry the mark of this audit key: either this \
                 instance has another key than the one the trail was marked with (give it the \
                 same ROPA_AUDIT_KEY or key file), or the trail was changed without the key \
                 (ropa audit verify names what it finds)"
            );
        }
    }
    if let Some(path) = made {
        tracing::warn!(
            "made a new audit key in {}: back it up apart from the database; without it the \
             audit trail cannot be verified",
            path.display()
        );
    }
    Ok(pool)
}

/// The database URL without any password, for messages.
fn describe(url: &str) -> String {
    match ropa::store::DatabaseUrl::parse(url) {
        Ok(ropa::store::DatabaseUrl::Sqlite(path)) => format!("SQLite file {}", path.display()),
        Ok(ropa::store::DatabaseUrl::Postgres(u)) => {
            let host = u
                .rsplit_once('@')
                .map(|(_, h)| h)
                .unwrap_or(u.split("://").nth(1).unwrap_or(""));
            format!("PostgreSQL {host}")
        }
        Err(_) => url.to_owned(),
    }
}

/// Where the audit key file is: the setting, else `audit.key` beside a SQLite file, else
/// `data/audit.key` (set the file or `ROPA_AUDIT_KEY` for PostgreSQL deployments, so every
/// instance has the same key).
fn audit_key_path(db: &DatabaseConfig, url: &ropa::store::DatabaseUrl) -> std::path::PathBuf {
    if let Some(path) = &db.audit_key_file {
        return path.clone();
    }
    match url {
        ropa::store::DatabaseUrl::Sqlite(path) => path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(|d| d.join("audit.key"))
            .unwrap_or_else(|| std::path::PathBuf::from("audit.key")),
        ropa::store::DatabaseUrl::Postgres(_) => std::path::PathBuf::from("data/audit.key"),
    }
}

/// A progress bar of `len` steps on standard error, drawn only when it is a terminal (piped or
/// redirected, the command stays quiet).
fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:32}] {pos}/{len} ({eta} left)")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_owned());
    bar
}

/// A counter of activities done, for work whose total is not known ahead, drawn as
/// [`progress_bar`] is.
fn counter(what: &str) -> indicatif::ProgressBar {
    ticking(what, "{spinner} {msg}: {pos} activities")
}

/// A sign of work going on, for work that tells no progress, drawn as [`progress_bar`] is.
fn spinner(what: &str) -> indicatif::ProgressBar {
    ticking(what, "{spinner} {msg}")
}

fn ticking(what: &str, template: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.set_message(what.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

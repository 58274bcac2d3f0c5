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
}

#[derive(Debug, Clone, Args)]
struct ServeArgs {
    #[command(flatten)]
    db: DatabaseConfig,
    #[command(flatten)]
    serve: ServeConfig,
}

#[derive(Debug, Clone, Args)]
struct DemoArgs {
    #[command(flatten)]
    db: DatabaseConfig,
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
    ropa::domain::catalogue::check()
        .map_err(|e| anyhow::anyhow!("embedded vocabularies are broken: {e}"))?;
    let pool = ropa::store::open(&args.db.database_url, args.db.pool_size)?;
    let listener = TcpListener::bind(&args.serve.bind)
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.serve.bind))?;
    let address = listener.local_addr()?;
    tracing::info!(
        "ropa serves the register at http://{address} (database: {})",
        describe(&args.db.database_url)
    );
    actix_web::rt::System::new()
        .block_on(async move { ropa::web::server(listener, pool, args.serve.workers)?.await })?;
    Ok(())
}

fn demo(args: DemoArgs) -> anyhow::Result<()> {
    let pool = ropa::store::open(&args.db.database_url, 1)?;
    let mut conn = pool.get()?;
    let summary = ropa::demo::load(&mut conn)?;
    println!(
        "Loaded the demo register into {}: {} organisations, {} parties, {} activities.",
        describe(&args.db.database_url),
        summary.organisations,
        summary.parties,
        summary.activities
    );
    Ok(())
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

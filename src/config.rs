//! Every setting of ropa: its type, default and meaning; read from flags or environment variables.

use clap::Args;

/// Settings shared by every command that opens the register.
#[derive(Debug, Clone, Args)]
pub struct DatabaseConfig {
    /// Database URL: `postgres://user@host/db`, `sqlite://PATH` or a file path.
    #[arg(
        long = "database-url",
        env = "ROPA_DATABASE_URL",
        default_value = "data/ropa.sqlite3"
    )]
    pub database_url: String,
    /// Maximum number of pooled database connections.
    #[arg(long = "db-pool-size", env = "ROPA_DB_POOL_SIZE", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub pool_size: u32,
}

/// Settings of the web server.
#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address and port to listen on.
    #[arg(long = "bind", env = "ROPA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Number of worker threads (0: one per core).
    #[arg(long = "workers", env = "ROPA_WORKERS", default_value_t = 0)]
    pub workers: usize,
}

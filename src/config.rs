//! Every setting of ropa: its type, default and meaning; read from flags or environment variables.
//!
//! Uses nothing else of the crate.

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
    /// File holding the audit chain's key (made on first start; back it up apart from the
    /// database). Default: `audit.key` beside a SQLite file, `data/audit.key` for PostgreSQL.
    /// `ROPA_AUDIT_KEY` (64 hex digits) takes precedence over any file.
    #[arg(long = "audit-key-file", env = "ROPA_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<std::path::PathBuf>,
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
    /// Minutes of inactivity after which a session ends.
    #[arg(long = "session-idle-minutes", env = "ROPA_SESSION_IDLE_MINUTES", default_value_t = 60, value_parser = clap::value_parser!(i64).range(1..=10080))]
    pub session_idle_minutes: i64,
    /// Secure flag of the session cookie: `auto` sets it unless ropa listens on a loopback address
    /// (plain-http local use); `always` behind a TLS-terminating proxy; `never` only for testing.
    #[arg(long = "cookie-secure", env = "ROPA_COOKIE_SECURE", default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub cookie_secure: String,
    /// Take the client address from `X-Forwarded-For` / `Forwarded` (only behind a trusted proxy).
    #[arg(
        long = "trust-proxy",
        env = "ROPA_TRUST_PROXY",
        default_value_t = false
    )]
    pub trust_proxy: bool,
    /// Memory for rendered pages kept while the register is unchanged, in MB (0: none kept).
    #[arg(long = "page-cache-mb", env = "ROPA_PAGE_CACHE_MB", default_value_t = 32, value_parser = clap::value_parser!(u32).range(0..=4096))]
    pub page_cache_mb: u32,
    /// The address users reach ropa at, e.g. `https://ropa.example.eu` behind a proxy: forms
    /// are then accepted only from this origin, not from whatever `Host` a request names.
    #[arg(long = "public-url", env = "ROPA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Downloads of the register made at the same time (PDF, CSV, JSON); more are answered
    /// "busy, retry" (503) instead of taking the memory and the cores from everyone else.
    #[arg(long = "export-slots", env = "ROPA_EXPORT_SLOTS", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub export_slots: u32,
}

/// The default memory for kept pages (`--page-cache-mb 32`).
pub const DEFAULT_PAGE_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// The web settings handlers need, resolved from [`ServeConfig`].
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Idle time after which a session ends.
    pub session_idle: chrono::Duration,
    /// Whether the session cookie carries the Secure flag.
    pub secure_cookies: bool,
    /// Whether to believe forwarding headers for the client address.
    pub trust_proxy: bool,
    /// Bytes of rendered pages kept per register revision (0: none kept).
    pub page_cache_bytes: usize,
    /// The one origin forms are accepted from (`scheme://host[:port]`), when configured.
    pub public_origin: Option<String>,
    /// Downloads of the register made at the same time.
    pub export_slots: usize,
}

/// The origin (`scheme://host[:port]`, lower-cased, without a default port) of a public URL;
/// `None` if it is not an http(s) URL with a host.
pub fn origin_of(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let host = rest.split('/').next()?.to_ascii_lowercase();
    if host.is_empty() || !matches!(scheme.as_str(), "http" | "https") || host.contains('@') {
        return None;
    }
    let host = match (scheme.as_str(), host.rsplit_once(':')) {
        ("http", Some((h, "80"))) | ("https", Some((h, "443"))) => h.to_owned(),
        _ => host,
    };
    Some(format!("{scheme}://{host}"))
}

impl WebSettings {
    /// Resolves the settings for a server listening on `bind`.
    pub fn from_config(config: &ServeConfig, bind: &std::net::SocketAddr) -> Self {
        let secure_cookies = match config.cookie_secure.as_str() {
            "always" => true,
            "never" => false,
            _ => !bind.ip().is_loopback(),
        };
        WebSettings {
            session_idle: chrono::Duration::minutes(config.session_idle_minutes),
            secure_cookies,
            trust_proxy: config.trust_proxy,
            page_cache_bytes: config.page_cache_mb as usize * 1024 * 1024,
            public_origin: config.public_url.as_deref().and_then(origin_of),
            export_slots: config.export_slots as usize,
        }
    }

    /// Settings for tests and local use: one hour idle, no Secure flag, no proxy.
    pub fn local() -> Self {
        WebSettings {
            session_idle: chrono::Duration::minutes(60),
            secure_cookies: false,
            trust_proxy: false,
            page_cache_bytes: DEFAULT_PAGE_CACHE_BYTES,
            public_origin: None,
            export_slots: 2,
        }
    }
}

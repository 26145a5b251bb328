//! The command line: clap structs that only parse, then convert into `Settings` and a `Command`.

use std::{path::PathBuf, time::Duration};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::access_log::AccessLog;
use crate::config::{DEFAULT_BIND, DEFAULT_DATABASE_URL, Secret, Settings};

/// gs1dpp-server: the gs1-dpp registry, resolver and passport service.
#[derive(Debug, Parser)]
#[command(name = "gs1dpp-server", version, about)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Settings, from flags or the environment.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: String,
    /// Redis URL (optional): shared login throttling and, later, the cache.
    #[arg(long, env = "REDIS_URL", global = true, hide_env_values = true)]
    pub redis_url: Option<String>,
    /// Prefix of every Redis key.
    #[arg(
        long,
        env = "REDIS_KEY_PREFIX",
        default_value = "gs1dpp:",
        global = true
    )]
    pub redis_key_prefix: String,
    /// The longest a request waits on Redis, in milliseconds, before going on without it (a
    /// timeout also skips Redis for a second).
    #[arg(long, env = "REDIS_TIMEOUT_MS", default_value_t = 25, global = true)]
    pub redis_timeout_ms: u64,
    /// Listen address.
    #[arg(long, env = "BIND", default_value = DEFAULT_BIND, global = true)]
    pub bind: String,
    /// The resolver's public root (default: http://<BIND>).
    #[arg(long, env = "PUBLIC_BASE_URL", global = true)]
    pub public_base_url: Option<String>,
    /// Directory for the JWT secret and the signing key.
    #[arg(long, env = "DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// Access token lifetime in seconds.
    #[arg(long, env = "TOKEN_TTL_SECS", default_value_t = 900, global = true)]
    pub token_ttl_secs: u64,
    /// HTTP worker threads (0: one per core).
    #[arg(long, env = "WORKERS", default_value_t = 0, global = true)]
    pub workers: usize,
    /// Lifetime of cached responses in seconds.
    #[arg(long, env = "CACHE_TTL_SECS", default_value_t = 60, global = true)]
    pub cache_ttl_secs: u64,
    /// Cached responses kept in the process at most.
    #[arg(
        long,
        env = "CACHE_MAX_ENTRIES",
        default_value_t = 100_000,
        global = true
    )]
    pub cache_max_entries: u64,
    /// SQLite: page cache of each resolver reader, in MiB (one reader per HTTP worker; 32 holds
    /// the GTIN index of about a million products).
    #[arg(
        long,
        env = "SQLITE_READER_CACHE_MB",
        default_value_t = 32,
        global = true
    )]
    pub sqlite_reader_cache_mb: u32,
    /// Public requests per client IP per minute (0: no limit).
    #[arg(
        long,
        env = "RATE_LIMIT_PER_MINUTE",
        default_value_t = 600,
        global = true
    )]
    pub rate_limit_per_minute: u32,
    /// Take the client IP from the first X-Forwarded-For entry (only behind a proxy that sets it).
    #[arg(
        long,
        env = "TRUST_FORWARDED_FOR",
        global = true,
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    pub trust_forwarded_for: bool,
    /// Access log of public requests (resolver, pages, lookups, probes): all, errors (failed
    /// or slow ones), sample:N (those and one in N of the rest) or off. Requests under /api/
    /// are always logged.
    #[arg(long, env = "ACCESS_LOG", default_value_t = AccessLog::Errors, global = true)]
    pub access_log: AccessLog,
    /// A request taking at least this many milliseconds is slow, and logged.
    #[arg(long, env = "ACCESS_LOG_SLOW_MS", default_value_t = 500, global = true)]
    pub access_log_slow_ms: u64,
    /// How often the subscription worker looks for due deliveries, in milliseconds.
    #[arg(
        long,
        env = "SUBSCRIPTION_POLL_MS",
        default_value_t = 2000,
        global = true
    )]
    pub subscription_poll_ms: u64,
    /// The wait before retrying a failed delivery the first time (doubling each time), ms.
    #[arg(
        long,
        env = "SUBSCRIPTION_RETRY_MS",
        default_value_t = 1000,
        global = true
    )]
    pub subscription_retry_ms: u64,
    /// The longest wait between retries of a delivery, ms.
    #[arg(
        long,
        env = "SUBSCRIPTION_RETRY_MAX_MS",
        default_value_t = 300_000,
        global = true
    )]
    pub subscription_retry_max_ms: u64,
    /// Attempts at one delivery before its failure is recorded and it waits the longest.
    #[arg(
        long,
        env = "SUBSCRIPTION_ATTEMPTS",
        default_value_t = 8,
        global = true
    )]
    pub subscription_attempts: u32,
    /// How far behind now a delivery stops (captures still committing), ms.
    #[arg(
        long,
        env = "SUBSCRIPTION_SETTLE_MS",
        default_value_t = 2000,
        global = true
    )]
    pub subscription_settle_ms: u64,
    /// Deliver to receivers on loopback or private addresses (closed deployments only).
    #[arg(long, env = "SUBSCRIPTION_ALLOW_PRIVATE", global = true)]
    pub subscription_allow_private: bool,
    /// Log format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

/// How logs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (migrates the database first).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Administration.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Load demo data (`--demo`) or synthetic products (`--products N`); prints JSON.
    Seed(SeedArgs),
}

/// `seed`.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct SeedArgs {
    /// Load the demo data set (idempotent).
    #[arg(long)]
    pub demo: bool,
    /// Create this many synthetic products for load tests.
    #[arg(long)]
    pub products: Option<u64>,
}

/// Administration commands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user (and its organisation if it does not exist).
    CreateUser(CreateUserArgs),
    /// Replace the passport signing key; the old public key stays in the JWKS, retired.
    RotateSigningKey,
}

/// `admin create-user`.
#[derive(Debug, Args)]
pub struct CreateUserArgs {
    /// The user's e-mail.
    #[arg(long)]
    pub email: String,
    /// The organisation's name; created if no organisation has it.
    #[arg(long)]
    pub org: String,
    /// admin, exporter, certifier or inspector.
    #[arg(long)]
    pub role: String,
    /// Kind of a new organisation (default: authority for admins, else exporter).
    #[arg(long)]
    pub org_kind: Option<String>,
    /// Country of a new organisation (ISO 3166-1 alpha-2).
    #[arg(long, default_value = "VN")]
    pub country: String,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

/// Audit log commands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; name the first broken entry.
    Verify,
}

impl GlobalArgs {
    /// The settings these flags describe.
    pub fn settings(&self) -> Settings {
        let mut s = Settings::new(self.database_url.clone(), self.data_dir.clone());
        s.redis_url = self
            .redis_url
            .clone()
            .filter(|u| !u.is_empty())
            .map(Secret::new);
        s.redis_key_prefix.clone_from(&self.redis_key_prefix);
        s.redis_timeout = Duration::from_millis(self.redis_timeout_ms.max(1));
        s.bind.clone_from(&self.bind);
        s.public_base_url = self.public_base_url.clone().filter(|u| !u.is_empty());
        s.token_ttl = Duration::from_secs(self.token_ttl_secs.max(1));
        s.workers = self.workers;
        s.cache_ttl = Duration::from_secs(self.cache_ttl_secs.max(1));
        s.cache_max_entries = self.cache_max_entries;
        s.sqlite_reader_cache_mb = self.sqlite_reader_cache_mb;
        s.rate_limit_per_minute = self.rate_limit_per_minute;
        s.trust_forwarded_for = self.trust_forwarded_for;
        s.access_log = self.access_log;
        s.access_log_slow = Duration::from_millis(self.access_log_slow_ms);
        s.subscriptions = crate::subscriptions::DeliveryConfig {
            poll: Duration::from_millis(self.subscription_poll_ms.max(10)),
            retry: Duration::from_millis(self.subscription_retry_ms),
            retry_max: Duration::from_millis(self.subscription_retry_max_ms),
            attempts: self.subscription_attempts.max(1),
            settle: Duration::from_millis(self.subscription_settle_ms),
            allow_private: self.subscription_allow_private,
            ..crate::subscriptions::DeliveryConfig::default()
        };
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_is_the_default_and_flags_are_global() {
        let cli = Cli::try_parse_from(["gs1dpp-server", "--bind", "127.0.0.1:0"])
            .map_err(|e| e.to_string());
        assert!(matches!(cli, Ok(Cli { command: None, .. })));
        let cli = Cli::try_parse_from([
            "gs1dpp-server",
            "audit",
            "verify",
            "--database-url",
            "sqlite://x.db",
        ]);
        assert!(matches!(&cli, Ok(c) if c.global.database_url == "sqlite://x.db"));
        assert!(
            Cli::try_parse_from(["gs1dpp-server", "admin", "create-user", "--email", "a@b"])
                .is_err()
        );
    }

    #[test]
    fn cache_and_rate_limit_flags_reach_the_settings() {
        let cli = Cli::try_parse_from([
            "gs1dpp-server",
            "--cache-ttl-secs",
            "5",
            "--cache-max-entries",
            "10",
            "--rate-limit-per-minute",
            "0",
            "--trust-forwarded-for",
            "--sqlite-reader-cache-mb",
            "64",
        ]);
        let Ok(cli) = cli else {
            panic!("{cli:?}");
        };
        let s = cli.global.settings();
        assert_eq!(s.cache_ttl, Duration::from_secs(5));
        assert_eq!(s.cache_max_entries, 10);
        assert_eq!(s.rate_limit_per_minute, 0);
        assert!(s.trust_forwarded_for);
        assert_eq!(s.sqlite_reader_cache_mb, 64);
    }

    #[test]
    fn access_log_flags_reach_the_settings_and_bad_modes_are_refused() {
        let parse = |args: &[&str]| {
            Cli::try_parse_from(std::iter::once("gs1dpp-server").chain(args.iter().copied()))
        };
        let Ok(cli) = parse(&["--access-log", "sample:20", "--access-log-slow-ms", "250"]) else {
            panic!("sample:20 refused");
        };
        let s = cli.global.settings();
        assert_eq!(s.access_log.to_string(), "sample:20");
        assert_eq!(s.access_log_slow, Duration::from_millis(250));
        let Ok(cli) = parse(&[]) else { panic!() };
        assert_eq!(cli.global.settings().access_log, AccessLog::Errors);
        let err = parse(&["--access-log", "verbose"]).map(|_| ()).unwrap_err();
        assert!(err.to_string().contains("sample:N"), "{err}");
    }
}

//! The command line, as clap sees it. Every value here is converted in
//! `input.rs` and handed to the core; nothing is decided here.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use jwt_accord_cli::envfile::Format;

use crate::fetch;

/// Find JWT secret drift between services before it becomes a 401.
///
/// Every command reads env files (or the process environment) and the clock,
/// then asks the jwt-accord core. Secrets are never printed, only their
/// fingerprints (the first 16 hex characters of SHA-256 over the secret:
/// `printf '%s' "$SECRET" | sha256sum | cut -c1-16`).
///
/// Exit status: 0 success, 1 refused (drift, a rejected token, a refused
/// secret), 2 bad input (missing or malformed file, invalid JSON, garbage token).
#[derive(Debug, Parser)]
#[command(name = "jwt-accord", version, max_term_width = 100)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show which secret one service resolves: environment, source,
    /// fingerprint, every candidate source and the warnings.
    Resolve(ResolveArgs),
    /// Compare several services: do they all resolve the same secret in the
    /// same environment? Exit 0 consistent, 1 drift, mismatch or incomplete.
    Check(CheckArgs),
    /// Sign a token with the secret a service resolves; prints the token.
    Sign(SignArgs),
    /// Verify a token with the secret a service resolves; prints the claims,
    /// or the error code and the reason.
    Verify(VerifyArgs),
    /// Show a token's header, claims and expiry, and which service's secret
    /// signed it (by `kid` and by checking the signature with each).
    Inspect(InspectArgs),
    /// Generate a new secret from the OS's random source: prints it once on
    /// stdout (alone on its line, so `$(jwt-accord generate)` captures it) and
    /// its fingerprint on stderr; what `openssl rand -base64 48` does.
    Generate(GenerateArgs),
}

/// Where a service's secret comes from.
#[derive(Debug, Args)]
pub struct SecretArgs {
    /// The service's env file (NAME=value lines); default: the process environment.
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
    /// The environment (development, test, staging, production, an alias or a
    /// custom name); default: ENVIRONMENT from the env file or process environment.
    #[arg(long, value_name = "NAME")]
    pub environment: Option<String>,
    /// Secret-store entries already fetched (jwt-secret-<env>, jwt-secret-key,
    /// jwt-secret, each with -next and -previous): a JSON object of strings,
    /// or name=value lines.
    #[arg(long, value_name = "FILE")]
    pub store_file: Option<PathBuf>,
    /// A directory store: each entry is the file named after it in DIR (a
    /// Kubernetes secret volume, /run/secrets). Default: CREDENTIALS_DIRECTORY
    /// when set.
    #[arg(long, value_name = "DIR", conflicts_with = "store_file")]
    pub secret_dir: Option<PathBuf>,
    #[command(flatten)]
    pub env_format: EnvFormatArg,
}

/// `--env-format`: which loader's rules env files are read by.
#[derive(Debug, Args)]
pub struct EnvFormatArg {
    /// Read env files exactly as this loader does: python-dotenv, node-dotenv,
    /// docker (docker run --env-file), compose (env_file, .env), systemd
    /// (EnvironmentFile=) or env (a raw NAME=value dump). Default: accept a
    /// value only where python-dotenv, Node's dotenv and docker agree, else
    /// refuse the line (exit 2).
    #[arg(long = "env-format", value_name = "NAME", value_parser = parse_env_format)]
    pub format: Option<Format>,
}

fn parse_env_format(name: &str) -> Result<Format, String> {
    Format::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        format!("expected one of {}", names.join(", "))
    })
}

/// `resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    #[command(flatten)]
    pub secret: SecretArgs,
    /// Print the core's JSON report (schema jwt-accord/resolution/v2).
    #[arg(long)]
    pub json: bool,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// One per service: SERVICE=FILE or SERVICE:ROLE=FILE (ROLE issuer or
    /// verifier). FILE is the service's env file, or a report JSON file
    /// written by `resolve --json` or a binding's to_json(). Or a running
    /// service's published report: URL or SERVICE[:ROLE]=URL, an http:// or
    /// https:// URL (without a path: /.well-known/jwt-accord); a bare URL is
    /// named by its report, or host:port when none comes back. A service that
    /// cannot be read is a failure `unreachable` (incomplete), not an error.
    #[arg(
        value_name = "SERVICE[:ROLE]=FILE|URL",
        required_unless_present = "prometheus"
    )]
    pub services: Vec<String>,
    /// The environment for every env file; default: each file's ENVIRONMENT.
    /// With --prometheus, only the services that resolved this environment
    /// (the label value, exactly).
    #[arg(long, value_name = "NAME")]
    pub environment: Option<String>,
    /// Also check every service the Prometheus server at URL scrapes: one
    /// report per service from its jwt_accord_key_info series; a target that
    /// is down is a failure `unreachable` naming its instance.
    #[arg(long, value_name = "URL")]
    pub prometheus: Option<String>,
    /// Also write the result as a self-contained HTML page to FILE: the
    /// services x keys matrix, findings, rotation step and warnings.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    #[command(flatten)]
    pub env_format: EnvFormatArg,
    /// Seconds each URL may take in all (connect, TLS, response, body); a
    /// decimal above 0, at most 600. URLs are fetched concurrently (up to 32
    /// at a time), without following redirects.
    #[arg(long, value_name = "SECONDS", default_value = fetch::DEFAULT_TIMEOUT,
          value_parser = fetch::parse_timeout)]
    pub timeout: Duration,
    /// Print the core's consistency result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    #[command(flatten)]
    pub secret: SecretArgs,
    /// The claims, a JSON object.
    #[arg(long, value_name = "JSON", default_value = "{}")]
    pub claims: String,
    /// Seconds until `exp`.
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    pub expires_in: Option<i64>,
    /// Seconds until `nbf` (0: valid from now).
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    pub not_before: Option<i64>,
    /// `iss`.
    #[arg(long)]
    pub issuer: Option<String>,
    /// `aud`; repeat for a list.
    #[arg(long)]
    pub audience: Vec<String>,
    /// `sub`.
    #[arg(long)]
    pub subject: Option<String>,
    /// `token_type` (e.g. access, refresh).
    #[arg(long)]
    pub token_type: Option<String>,
    /// `jti`.
    #[arg(long)]
    pub jti: Option<String>,
    /// Do not set `iat`.
    #[arg(long)]
    pub no_iat: bool,
    /// The header's `kid` (default: the secret's fingerprint).
    #[arg(long, conflicts_with = "no_kid")]
    pub kid: Option<String>,
    /// No `kid` in the header.
    #[arg(long)]
    pub no_kid: bool,
    /// The current time in seconds since the epoch (default: the system clock).
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    pub now: Option<f64>,
    /// Print {"token", "kid", "fingerprint", "environment", "source"}.
    #[arg(long)]
    pub json: bool,
}

/// `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The token (`-` reads it from standard input).
    #[arg(value_name = "TOKEN", allow_hyphen_values = true)]
    pub token: String,
    #[command(flatten)]
    pub secret: SecretArgs,
    /// Accepted `iss`; repeat for several.
    #[arg(long)]
    pub issuer: Vec<String>,
    /// Accepted `aud`; repeat for several.
    #[arg(long)]
    pub audience: Vec<String>,
    /// Seconds of clock tolerance for exp, nbf and iat.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 0,
        allow_hyphen_values = true
    )]
    pub leeway: u64,
    /// Expected `token_type`.
    #[arg(long)]
    pub token_type: Option<String>,
    /// Oldest accepted `iat`, in seconds.
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    pub max_age: Option<u64>,
    /// The current time in seconds since the epoch (default: the system clock).
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    pub now: Option<f64>,
    /// Print {"valid", "claims", "header", "key_fingerprint"} or {"valid", "error"}.
    #[arg(long)]
    pub json: bool,
}

/// `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The token (`-` reads it from standard input).
    #[arg(value_name = "TOKEN", allow_hyphen_values = true)]
    pub token: String,
    /// Services whose secret may have signed it: SERVICE=ENV_FILE.
    #[arg(value_name = "SERVICE=FILE")]
    pub services: Vec<String>,
    /// The environment for every env file; default: each file's ENVIRONMENT.
    #[arg(long, value_name = "NAME")]
    pub environment: Option<String>,
    #[command(flatten)]
    pub env_format: EnvFormatArg,
    /// The current time in seconds since the epoch (default: the system clock).
    #[arg(long, value_name = "SECONDS", allow_hyphen_values = true)]
    pub now: Option<f64>,
    /// Print {"header", "claims", "times", "services", "signed_by"}.
    #[arg(long)]
    pub json: bool,
}

/// `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Random bytes (32 to 1024); the secret is their base64, 4 characters
    /// per 3 bytes (64 for 48).
    #[arg(long, value_name = "N", default_value_t = 48,
          value_parser = clap::value_parser!(u16).range(32..=1024))]
    pub bytes: u16,
    /// Print {"secret", "fingerprint", "bytes"} on stdout.
    #[arg(long)]
    pub json: bool,
}

//! `jwt-accord`: the command-line binding of the jwt-accord core.
//!
//! Like every binding it only converts: it reads env files, the process
//! environment and the clock, hands them to the core, and prints what the core
//! returns. Secrets are never printed, only fingerprints.

mod args;
mod check;
mod escape;
mod fetch;
mod generate;
mod html;
mod input;
mod matrix;
mod prometheus;
mod resolve;
mod style;
mod token;

use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

use crate::args::{Cli, Command};
use crate::escape::{shown, terminal_safe};
use crate::input::InputError;
use crate::style::Style;

/// What a command prints, and its exit status.
#[derive(Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub status: u8,
}

/// Exit status: the core refused (drift, a rejected token, a refused secret).
pub const REFUSED: u8 = 1;
/// Exit status: bad input (usage, files, JSON, garbage tokens).
pub const BAD_INPUT: u8 = 2;

/// Colour decisions for both streams.
#[derive(Clone, Copy)]
pub struct Styles {
    pub out: Style,
    pub err: Style,
}

/// `error: <code>: <message>`, the one line every refusal prints on stderr.
pub fn error_line(style: Style, context: &str, error: &jwt_accord::Error) -> String {
    let context = if context.is_empty() {
        String::new()
    } else {
        format!("{context}: ")
    };
    format!(
        "{} {}{}: {}\n",
        style.red("error:"),
        shown(&context),
        style.bold(error.code().as_str()),
        shown(error.message())
    )
}

fn main() -> ExitCode {
    // A bug must not print a backtrace at an operator: one line, exit 101.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("error: internal error in jwt-accord: {message} (please report this)");
    }));

    let styles = Styles {
        out: Style::detect(&std::io::stdout()),
        err: Style::detect(&std::io::stderr()),
    };
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, styles.err),
    };
    let result = match &cli.command {
        Command::Resolve(a) => resolve::run(a, styles),
        Command::Check(a) => check::run(a, styles),
        Command::Sign(a) => token::sign(a, styles),
        Command::Verify(a) => token::verify(a, styles),
        Command::Inspect(a) => token::inspect(a, styles),
        Command::Generate(a) => generate::run(a, styles),
    };
    let output = result.unwrap_or_else(|InputError(message)| Output {
        stderr: format!("{} {}\n", styles.err.red("error:"), shown(&message)),
        status: BAD_INPUT,
        ..Output::default()
    });
    // A closed pipe (`| head`) is not an error worth a panic. Untrusted text
    // was escaped where it was printed; `terminal_safe` is the last net (and
    // escapes what serde_json leaves raw in `--json` output).
    let _ = std::io::stdout().write_all(terminal_safe(&output.stdout).as_bytes());
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().write_all(terminal_safe(&output.stderr).as_bytes());
    ExitCode::from(output.status)
}

/// Help and version print as clap renders them; a usage error becomes one line.
fn usage_error(e: &clap::Error, style: Style) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        let _ = e.print();
        return ExitCode::from(
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                BAD_INPUT
            } else {
                0
            },
        );
    }
    let rendered = e.render().to_string();
    let first = rendered.split("\n\n").next().unwrap_or_default();
    let line = first
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let line = line.strip_prefix("error: ").unwrap_or(&line);
    eprintln!(
        "{} {} (see jwt-accord --help)",
        style.red("error:"),
        shown(line)
    );
    ExitCode::from(BAD_INPUT)
}

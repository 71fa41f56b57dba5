//! `jwt-accord resolve`: one service's resolution, as the core reports it.

use jwt_accord::{error_report_json, Outcome, Resolution, Source};

use crate::args::ResolveArgs;
use crate::escape::shown;
use crate::input::{Input, Snapshot};
use crate::style::{fp, table, Style};
use crate::{error_line, Output, Styles, REFUSED};

pub fn run(args: &ResolveArgs, styles: Styles) -> Input<Output> {
    let snapshot = Snapshot::read(&args.secret)?;
    Ok(match snapshot.resolve(args.secret.environment.as_deref()) {
        Ok(resolution) => Output {
            stdout: if args.json {
                resolution.to_json() + "\n"
            } else {
                human(&snapshot.label, &resolution, styles.out)
            },
            ..Output::default()
        },
        Err(error) => Output {
            stdout: if args.json {
                error_report_json(&error) + "\n"
            } else {
                String::new()
            },
            stderr: error_line(styles.err, &snapshot.label, &error),
            status: REFUSED,
        },
    })
}

/// The report for a person: the winner, every candidate, the warnings.
pub fn human(label: &str, r: &Resolution, s: Style) -> String {
    let mut out = format!("{}\n", s.bold(&shown(label)));
    let source = r.source();
    out += &table(
        &[
            vec![
                "environment".into(),
                format!(
                    "{} (from {})",
                    r.environment(),
                    r.environment_origin().as_str()
                ),
            ],
            vec!["source".into(), described(source)],
            vec!["fingerprint".into(), fp(r.fingerprint())],
        ],
        |_, c, cell| {
            if c == 1 {
                s.bold(cell)
            } else {
                cell.to_owned()
            }
        },
    );

    // Every key held (docs/spec.md §14): current signs, all three verify.
    out += &format!("\n{}\n", s.bold("keys held"));
    let mut rows = vec![vec![
        "slot".to_owned(),
        "source".into(),
        "fingerprint".into(),
    ]];
    for key in r.keys() {
        rows.push(vec![
            key.slot.as_str().into(),
            described(&key.source),
            fp(key.fingerprint()),
        ]);
    }
    out += &table(&rows, |row, col, cell| match (row, col) {
        (0, _) => s.dim(cell),
        (_, 0) => s.bold(cell),
        _ => cell.to_owned(),
    });

    out += &format!("\n{}\n", s.bold("candidates, in resolution order"));
    let mut rows = vec![vec![
        "#".to_owned(),
        "source".into(),
        "kind".into(),
        "fingerprint".into(),
        "outcome".into(),
    ]];
    for (i, c) in r.candidates().iter().enumerate() {
        rows.push(vec![
            (i + 1).to_string(),
            c.name.clone(),
            c.kind.as_str().into(),
            c.fingerprint.as_deref().map_or_else(|| "-".into(), fp),
            c.outcome.as_str().into(),
        ]);
    }
    let outcomes: Vec<Outcome> = r.candidates().iter().map(|c| c.outcome).collect();
    out += &table(&rows, |row, col, cell| {
        if row == 0 {
            return s.dim(cell);
        }
        match (col, outcomes[row - 1]) {
            (4, Outcome::Used) => s.green(cell),
            (4, Outcome::Shadowed | Outcome::Empty) => s.yellow(cell),
            (_, Outcome::NotSet) => s.dim(cell),
            _ => cell.to_owned(),
        }
    });

    let warnings = r.warnings();
    if warnings.is_empty() {
        out += &format!("\n{}\n", s.green("no warnings"));
    } else {
        out += &format!("\n{}\n", s.bold(&format!("warnings ({})", warnings.len())));
        for w in warnings {
            out += &format!(
                "  {} {}\n",
                s.yellow(&format!("{}:", w.code)),
                shown(&w.message)
            );
        }
    }
    out
}

/// `NAME (kind)`, or `NAME (file PATH)` for a key read from a file (a `_FILE`
/// variable or a directory store's entry).
fn described(source: &Source) -> String {
    match &source.path {
        Some(path) => format!("{} ({} {path})", source.name, source.kind.as_str()),
        None => format!("{} ({})", source.name, source.kind.as_str()),
    }
}

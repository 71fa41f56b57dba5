//! `jwt-accord check`: several services' reports, compared by the core.

use std::collections::HashMap;

use jwt_accord::{
    check_consistency, error_report_json, Consistency, Level, Role, RotationStep, Status,
};
use serde_json::Value;

use crate::args::CheckArgs;
use crate::escape::shown;
use crate::input::{read_service_file, service_arg, Input, ServiceFile};
use crate::style::{fp, table, Style};
use crate::{Output, Styles, REFUSED};

pub fn run(args: &CheckArgs, styles: Styles) -> Input<Output> {
    let mut reports = Vec::with_capacity(args.services.len());
    for arg in &args.services {
        let named = service_arg(arg, true)?;
        let mut report = match read_service_file(&named.path, args.env_format.format)? {
            ServiceFile::Report(value) => value,
            ServiceFile::Env(snapshot) => match snapshot.resolve(args.environment.as_deref()) {
                Ok(resolution) => resolution.to_json_value(),
                Err(error) => {
                    serde_json::from_str(&error_report_json(&error)).expect("the core writes JSON")
                }
            },
        };
        let map = report.as_object_mut().expect("a report is a JSON object");
        map.insert("service".into(), named.service.into());
        if let Some(role) = named.role {
            map.insert("role".into(), role.into());
        }
        reports.push(report);
    }

    let result = check_consistency(&reports);
    // A rotation under way refuses nothing: every issuer's current key is
    // accepted everywhere (docs/spec.md §14).
    let status = if matches!(result.status, Status::Consistent | Status::Rotating) {
        0
    } else {
        REFUSED
    };
    Ok(Output {
        stdout: if args.json {
            result.to_json() + "\n"
        } else {
            human(&result, &reports, styles.out)
        },
        status,
        ..Output::default()
    })
}

fn role_name(role: Option<Role>) -> &'static str {
    role.map_or("-", Role::as_str)
}

fn human(c: &Consistency, reports: &[Value], s: Style) -> String {
    let status = Status::as_str(c.status);
    let level = Level::as_str(c.level);
    let mut out = format!(
        "{}\n",
        s.bold(&format!("check: {} services", reports.len()))
    );
    out += &table(
        &[
            vec!["status".into(), status.into()],
            vec!["level".into(), level.into()],
            vec!["environment".into(), c.environments.join(", ")],
        ],
        |row, col, cell| match (row, col) {
            (0 | 1, 1) if c.status == Status::Consistent => s.green(cell),
            (0, 1) if c.status == Status::Rotating => s.yellow(cell),
            (1, 1) if c.level == Level::Info => s.green(cell),
            (0, 1) => s.red(cell),
            (1, 1) if c.level == Level::Warning => s.yellow(cell),
            (1, 1) => s.red(cell),
            _ => cell.to_owned(),
        },
    );

    out += &format!(
        "\n{}\n",
        s.bold(&format!(
            "services by secret fingerprint ({} distinct)",
            c.groups.len()
        ))
    );
    let mut rows = vec![vec![
        "fingerprint".to_owned(),
        "service".into(),
        "role".into(),
        "source".into(),
    ]];
    // The next and previous keys, as columns only when some service holds one.
    let members = || c.groups.iter().flat_map(|g| &g.services);
    let with_next = members().any(|m| m.next.is_some());
    let with_previous = members().any(|m| m.previous.is_some());
    let optional = |key: &Option<String>| key.as_deref().map_or_else(|| "-".into(), fp);
    if with_next {
        rows[0].push("next".into());
    }
    if with_previous {
        rows[0].push("previous".into());
    }
    for group in &c.groups {
        for (i, m) in group.services.iter().enumerate() {
            let mut row = vec![
                if i == 0 {
                    fp(&group.fingerprint)
                } else {
                    String::new()
                },
                m.service.clone(),
                role_name(m.role).into(),
                m.source.clone(),
            ];
            if with_next {
                row.push(optional(&m.next));
            }
            if with_previous {
                row.push(optional(&m.previous));
            }
            rows.push(row);
        }
    }
    // Each service's role, from its first report: one pass, not one per failure.
    let mut roles: HashMap<&str, &str> = HashMap::new();
    for r in reports {
        if let Some(service) = r.get("service").and_then(Value::as_str) {
            let role = r.get("role").and_then(Value::as_str).unwrap_or("-");
            roles.entry(service).or_insert(role);
        }
    }
    for f in &c.failures {
        let role = roles.get(f.service.as_str()).copied().unwrap_or("-");
        rows.push(vec![
            "(not resolved)".into(),
            f.service.clone(),
            role.into(),
            format!("refused: {}", f.code),
        ]);
    }
    let several = c.groups.len() > 1;
    out += &table(&rows, |row, col, cell| match (row, col) {
        (0, _) => s.dim(cell),
        (_, 0) if cell == "(not resolved)" => s.red(cell),
        (_, 0) if several => s.yellow(cell),
        (_, 0) => s.cyan(cell),
        _ => cell.to_owned(),
    });

    // The services' own resolution warnings, as their reports carry them.
    let mut warnings = Vec::new();
    for report in reports {
        let service = report.get("service").and_then(Value::as_str).unwrap_or("?");
        for w in report
            .get("warnings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let code = w.get("code").and_then(Value::as_str).unwrap_or("?");
            let message = w.get("message").and_then(Value::as_str).unwrap_or("");
            warnings.push(format!(
                "  {}: {} {}\n",
                shown(service),
                s.yellow(&format!("{}:", shown(code))),
                shown(message)
            ));
        }
    }
    if !warnings.is_empty() {
        out += &format!("\n{}\n", s.bold("warnings in the services' reports"));
        out += &warnings.concat();
    }

    if let Some(rotation) = &c.rotation {
        let keys: Vec<String> = rotation.keys.iter().map(|k| fp(k)).collect();
        let waiting = if rotation.waiting_for.is_empty() {
            "-".to_owned()
        } else {
            rotation.waiting_for.join(", ")
        };
        out += &format!("\n{}\n", s.bold("rotation under way"));
        out += &table(
            &[
                vec!["step".into(), rotation.step.as_str().into()],
                vec!["keys".into(), keys.join(", ")],
                vec!["waiting for".into(), waiting],
            ],
            |_, col, cell| {
                if col == 1 {
                    s.bold(cell)
                } else {
                    cell.to_owned()
                }
            },
        );
        out += &format!("  {}\n", s.dim(step_hint(rotation.step)));
    }

    if c.findings.is_empty() {
        out += &format!("\n{}\n", s.green("every service resolves the same secret"));
    } else {
        out += &format!("\n{}\n", s.bold("findings"));
        for f in &c.findings {
            out += &format!("  {} {}\n", s.red("-"), shown(f));
        }
    }
    out
}

/// What a rotation step asks of the operator (docs/rotation.md), for people.
fn step_hint(step: RotationStep) -> &'static str {
    match step {
        RotationStep::PreSeedNext => {
            "next: add the key as _NEXT on the services waited for, restarting them one at a time"
        }
        RotationStep::SwitchIssuers => {
            "next: on the issuers waited for, make the key current and keep the old one as _PREVIOUS"
        }
        RotationStep::RetirePrevious => {
            "next: once the longest token lifetime has passed, drop these keys from the services waited for"
        }
    }
}

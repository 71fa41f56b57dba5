//! `jwt-accord check`: several services' reports (files or published
//! reports fetched over HTTP), compared by the core.

use std::collections::HashMap;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use jwt_accord::{
    check_consistency, error_report_json, Consistency, Level, Role, RotationStep, Status,
};
use serde_json::Value;

use crate::args::CheckArgs;
use crate::escape::shown;
use crate::fetch::{self, is_url, Endpoint, UNREACHABLE};
use crate::input::{read_service_file, service_arg, Input, InputError, ServiceArg, ServiceFile};
use crate::style::{fp, table, utc, Style};
use crate::{html, matrix, prometheus};
use crate::{Output, Styles, REFUSED};

/// One `check` argument: a file (env or report) or a published report's URL,
/// each with the name and role the argument gives it.
enum Source {
    File(ServiceArg),
    Url {
        named: Option<ServiceArg>,
        endpoint: Endpoint,
    },
}

impl Source {
    fn parse(arg: &str) -> Input<Source> {
        if is_url(arg) {
            let endpoint = Endpoint::parse(arg)?;
            return Ok(Source::Url {
                named: None,
                endpoint,
            });
        }
        let named = service_arg(arg, true)?;
        match named.path.to_str().filter(|p| is_url(p)) {
            Some(url) => Ok(Source::Url {
                endpoint: Endpoint::parse(url)?,
                named: Some(named),
            }),
            None => Ok(Source::File(named)),
        }
    }
}

pub fn run(args: &CheckArgs, styles: Styles) -> Input<Output> {
    let sources: Vec<Source> = args
        .services
        .iter()
        .map(|a| Source::parse(a))
        .collect::<Input<_>>()?;
    // Files first: bad input exits 2 before any request is made.
    let mut files = Vec::new();
    for source in &sources {
        if let Source::File(named) = source {
            files.push(file_report(args, &named.path)?);
        }
    }
    let endpoints: Vec<&Endpoint> = sources
        .iter()
        .filter_map(|s| match s {
            Source::Url { endpoint, .. } => Some(endpoint),
            Source::File(_) => None,
        })
        .collect();
    let mut fetched = fetch::fetch_all(&endpoints, args.timeout).into_iter();
    let mut files = files.into_iter();

    let mut reports = Vec::with_capacity(sources.len());
    for source in &sources {
        let (mut report, named, fallback) = match source {
            Source::File(named) => (files.next(), Some(named), None),
            Source::Url { named, endpoint } => {
                (fetched.next(), named.as_ref(), Some(&endpoint.name))
            }
        };
        let map = report
            .as_mut()
            .and_then(Value::as_object_mut)
            .expect("one report object per argument");
        if let Some(named) = named {
            map.insert("service".into(), named.service.clone().into());
            if let Some(role) = &named.role {
                map.insert("role".into(), role.clone().into());
            }
        } else if let Some(name) = fallback {
            // A published report names its service; one that does not is
            // named after its URL.
            map.entry("service").or_insert_with(|| name.clone().into());
        }
        reports.extend(report);
    }
    if let Some(url) = &args.prometheus {
        reports.extend(prometheus::reports(
            url,
            args.environment.as_deref(),
            args.timeout,
        )?);
    }

    let result = check_consistency(&reports);
    let mut stderr = String::new();
    if let Some(path) = &args.html {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        std::fs::write(path, html::page(&result, &reports, &utc(now)))
            .map_err(|e| InputError(format!("--html {}: cannot write it: {e}", path.display())))?;
        stderr = format!("check: the page is in {}\n", path.display());
    }
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
        stderr,
        status,
    })
}

/// A file's report: as written, or the core's resolution of an env file.
fn file_report(args: &CheckArgs, path: &Path) -> Input<Value> {
    Ok(match read_service_file(path, args.env_format.format)? {
        ServiceFile::Report(value) => value,
        ServiceFile::Env(snapshot) => match snapshot.resolve(args.environment.as_deref()) {
            Ok(resolution) => resolution.to_json_value(),
            Err(error) => {
                serde_json::from_str(&error_report_json(&error)).expect("the core writes JSON")
            }
        },
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
            if f.code == UNREACHABLE {
                UNREACHABLE.to_owned()
            } else {
                format!("refused: {}", f.code)
            },
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
    out += &matrix::terminal(c, s, matrix::width());

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
pub fn step_hint(step: RotationStep) -> &'static str {
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

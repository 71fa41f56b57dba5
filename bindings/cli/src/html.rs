//! `check --html FILE`: the result as one self-contained HTML page for an
//! incident: the services × keys matrix (from the core's
//! `Consistency::key_matrix`), the status and level, the rotation step, the
//! findings each linked to the cells it names, and the services' warnings.
//!
//! No script, no font, no image, nothing fetched: inline CSS only. Every
//! state has a symbol and a word (readable without colour), the matrix
//! scrolls under sticky headers (the same page for 2 services or 200), and
//! `@media print` lays it out flat. Every string from a report is escaped.

use std::fmt::Write;

use jwt_accord::{Consistency, Level, Status};
use serde_json::Value;

use crate::matrix::{cell_label, pointers, role_label};
use crate::style::fp;

const STYLE: &str = r#"
:root { color-scheme: light; --red: #b00020; --green: #1b5e20; --blue: #0d47a1; --grey: #616161; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; padding: 1rem 1.5rem; color: #111; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
code, .fp { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.verdict { display: inline-block; font-weight: 700; font-size: 1.1rem; padding: .3rem .7rem; border: 2px solid; border-radius: 4px; }
.verdict.ok { color: var(--green); }
.verdict.rotating { color: var(--blue); }
.verdict.bad { color: var(--red); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .7rem 0; }
dl.facts dt { color: var(--grey); }
dl.facts dd { margin: 0; }
.legend { color: var(--grey); }
.scroll { max-height: 75vh; overflow: auto; border: 1px solid #ccc; }
table.matrix { border-collapse: separate; border-spacing: 0; }
.matrix th, .matrix td { padding: .25rem .6rem; border-bottom: 1px solid #e0e0e0; white-space: nowrap; text-align: left; }
.matrix thead th { position: sticky; top: 0; background: #f5f5f5; z-index: 2; border-bottom: 2px solid #999; vertical-align: bottom; }
.matrix tbody th { position: sticky; left: 0; background: #fff; z-index: 1; font-weight: 600; }
.matrix thead th.service { left: 0; z-index: 3; }
.matrix .signed { display: block; font-weight: 400; font-size: .8rem; color: var(--grey); }
.cell.current { color: var(--green); font-weight: 600; }
.cell.next { color: var(--blue); }
.cell.previous { color: var(--grey); }
.cell.missing { color: #fff; background: var(--red); font-weight: 700; }
.cell.absent { color: #bbb; }
.matrix td.why { white-space: normal; min-width: 24rem; color: var(--grey); }
.cell.failed, tr.failed th { color: var(--red); font-weight: 700; }
.cell sup a { color: inherit; }
:target { outline: 3px solid #ff9800; outline-offset: -3px; }
ol.findings li { margin: .3rem 0; }
.points { color: var(--grey); font-size: .9rem; }
.points a { margin-right: .5rem; }
@media print {
  body { padding: 0; font-size: 10pt; }
  .scroll { max-height: none; overflow: visible; border: none; }
  .matrix thead th, .matrix tbody th { position: static; }
  .cell.missing { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
}
"#;

/// Text for HTML content and attribute values: `& < > " '` as entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The verdict's class: `ok`, `rotating` or `bad`, and its symbol.
fn verdict(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Consistent => ("ok", "✔"),
        Status::Rotating => ("rotating", "◐"),
        _ => ("bad", "✖"),
    }
}

/// The page. `reports` are the reports `c` was computed from (for their
/// warnings and roles); `generated` says when, for the reader.
pub fn page(c: &Consistency, reports: &[Value], generated: &str) -> String {
    let m = c.key_matrix();
    let status = c.status.as_str();
    let level = Level::as_str(c.level);
    let (class, symbol) = verdict(c.status);
    let mut h = String::with_capacity(4096 + 200 * m.rows.len() * (4 + m.keys.len()));
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>jwt-accord check: {status} ({level})</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header>\n<h1>jwt-accord check</h1>\n\
         <p id=\"verdict\" class=\"verdict {class}\">{symbol} {status} · {level}</p>\n\
         <dl class=\"facts\">\n<dt>services</dt><dd id=\"count\">{}</dd>\n\
         <dt>environments</dt><dd>{}</dd>\n<dt>keys</dt><dd>{}</dd>\n\
         <dt>generated</dt><dd>{}</dd>\n</dl>\n</header>\n",
        reports.len(),
        escape(&c.environments.join(", ")),
        m.keys.len(),
        escape(generated),
    );

    // Which findings point at each cell, row and failure: back-links.
    let all: Vec<_> = c.findings.iter().map(|f| pointers(f, c, &m)).collect();
    let mut cell_notes = vec![vec![Vec::new(); m.keys.len()]; m.rows.len()];
    let mut failure_notes = vec![Vec::new(); c.failures.len()];
    for (f, p) in all.iter().enumerate() {
        for &(r, k) in &p.cells {
            cell_notes[r][k].push(f + 1);
        }
        for &i in &p.failures {
            failure_notes[i].push(f + 1);
        }
    }
    let notes = |found: &[usize]| -> String {
        found
            .iter()
            .map(|n| format!(" <sup><a href=\"#finding-{n}\">[{n}]</a></sup>"))
            .collect()
    };

    h += "<section id=\"matrix\">\n<h2>Keys by service</h2>\n";
    let _ = writeln!(
        h,
        "<p class=\"legend\">{}<br>{}</p>",
        escape(crate::matrix::LEGEND[0]),
        escape(crate::matrix::LEGEND[1])
    );
    h += "<div class=\"scroll\">\n<table class=\"matrix\">\n<thead>\n<tr>\
          <th class=\"service\" scope=\"col\">service</th><th scope=\"col\">role</th>";
    for (k, key) in m.keys.iter().enumerate() {
        let signed = if m.signed[k] {
            "signs tokens"
        } else {
            "verifies only"
        };
        let _ = write!(
            h,
            "<th scope=\"col\" id=\"key-{k}\" class=\"fp\">{}<span class=\"signed\">{signed}</span></th>",
            escape(key)
        );
    }
    h +=
        "<th scope=\"col\">environment</th><th scope=\"col\">source</th></tr>\n</thead>\n<tbody>\n";
    for (r, row) in m.rows.iter().enumerate() {
        let mm = row.member;
        let _ = write!(
            h,
            "<tr id=\"service-{r}\" class=\"{}\"><th scope=\"row\">{}</th><td>{}</td>",
            role_label(mm.role),
            escape(&mm.service),
            role_label(mm.role),
        );
        for (k, &cell) in row.cells.iter().enumerate() {
            let _ = write!(
                h,
                "<td id=\"cell-{r}-{k}\" class=\"cell {}\">{}{}</td>",
                cell.as_str(),
                cell_label(cell),
                notes(&cell_notes[r][k])
            );
        }
        let _ = writeln!(
            h,
            "<td>{}</td><td><code>{}</code></td></tr>",
            escape(&mm.environment),
            escape(&mm.source)
        );
    }
    for (i, failure) in c.failures.iter().enumerate() {
        let role = reports
            .iter()
            .find(|r| r.get("service").and_then(Value::as_str) == Some(failure.service.as_str()))
            .and_then(|r| r.get("role"))
            .and_then(Value::as_str)
            .unwrap_or("both");
        let _ = writeln!(
            h,
            "<tr id=\"failure-{i}\" class=\"failed\"><th scope=\"row\">{}</th><td>{}</td>\
             <td class=\"cell failed\" colspan=\"{}\">✖ not resolved: {}{}</td>\
             <td class=\"why\" colspan=\"2\">{}</td></tr>",
            escape(&failure.service),
            escape(role),
            m.keys.len().max(1),
            escape(&failure.code),
            notes(&failure_notes[i]),
            escape(&failure.message),
        );
    }
    h += "</tbody>\n</table>\n</div>\n</section>\n";

    if let Some(rotation) = &c.rotation {
        let keys: Vec<String> = rotation.keys.iter().map(|k| escape(&fp(k))).collect();
        let waiting = if rotation.waiting_for.is_empty() {
            "-".to_owned()
        } else {
            escape(&rotation.waiting_for.join(", "))
        };
        let _ = write!(
            h,
            "<section id=\"rotation\">\n<h2>Rotation under way</h2>\n<dl class=\"facts\">\n\
             <dt>step</dt><dd id=\"rotation-step\"><strong>{}</strong></dd>\n\
             <dt>keys</dt><dd class=\"fp\">{}</dd>\n<dt>waiting for</dt><dd id=\"waiting-for\">{}</dd>\n\
             <dt>next</dt><dd>{}</dd>\n</dl>\n</section>\n",
            rotation.step.as_str(),
            keys.join(", "),
            waiting,
            escape(crate::check::step_hint(rotation.step)),
        );
    }

    h += "<section id=\"findings\">\n<h2>Findings</h2>\n";
    if c.findings.is_empty() {
        h += "<p>✔ every service resolves the same secret</p>\n";
    } else {
        h += "<ol class=\"findings\">\n";
        for (f, finding) in c.findings.iter().enumerate() {
            let p = &all[f];
            let mut links = String::new();
            for &(r, k) in &p.cells {
                let _ = write!(
                    links,
                    "<a href=\"#cell-{r}-{k}\">{} × {}</a>",
                    escape(&m.rows[r].member.service),
                    &m.keys[k][..8]
                );
            }
            for &r in &p.rows {
                let _ = write!(
                    links,
                    "<a href=\"#service-{r}\">{}</a>",
                    escape(&m.rows[r].member.service)
                );
            }
            for &i in &p.failures {
                let _ = write!(
                    links,
                    "<a href=\"#failure-{i}\">{}</a>",
                    escape(&c.failures[i].service)
                );
            }
            if !links.is_empty() {
                links = format!("<br><span class=\"points\">see: {links}</span>");
            }
            let _ = writeln!(
                h,
                "<li id=\"finding-{}\">{}{links}</li>",
                f + 1,
                escape(finding)
            );
        }
        h += "</ol>\n";
    }
    h += "</section>\n";

    let mut warnings = String::new();
    for report in reports {
        let list: Vec<&Value> = report
            .get("warnings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        if list.is_empty() {
            continue;
        }
        let service = report.get("service").and_then(Value::as_str).unwrap_or("?");
        let _ = write!(warnings, "<dt>{}</dt><dd><ul>", escape(service));
        for w in list {
            let code = w.get("code").and_then(Value::as_str).unwrap_or("?");
            let message = w.get("message").and_then(Value::as_str).unwrap_or("");
            let _ = write!(
                warnings,
                "<li><code>{}</code>: {}</li>",
                escape(code),
                escape(message)
            );
        }
        warnings += "</ul></dd>\n";
    }
    if !warnings.is_empty() {
        let _ = write!(
            h,
            "<section id=\"warnings\">\n<h2>Warnings in the services' reports</h2>\n<dl>\n{warnings}</dl>\n</section>\n"
        );
    }
    let _ = write!(
        h,
        "<footer><p class=\"legend\">jwt-accord {} · fingerprints only, never a secret</p></footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_is_escaped() {
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }
}

//! The services × keys matrix of `check`, for people: the words and symbols
//! of each cell (the same in the terminal and the HTML page), the terminal
//! rendering when it fits the width, and which cells each finding names.
//! The cells themselves come from the core (`Consistency::key_matrix`).

use std::io::IsTerminal;

use jwt_accord::{Consistency, KeyCell, KeyMatrix, Role};

use crate::style::{table, Style};

/// The width assumed when stdout is not a terminal and `COLUMNS` is unset.
const DEFAULT_WIDTH: usize = 80;

/// A cell as a symbol and a word, readable without colour.
pub fn cell_label(cell: KeyCell) -> &'static str {
    match cell {
        KeyCell::Current => "● current",
        KeyCell::Next => "◐ next",
        KeyCell::Previous => "○ previous",
        KeyCell::Missing => "✖ missing",
        KeyCell::Absent => "·",
    }
}

/// The legend of [`cell_label`], in two short lines.
pub const LEGEND: [&str; 2] = [
    "● current  ◐ next  ○ previous  · not held",
    "✖ missing: a verifier without a key some service signs with: 401s",
];

/// A role as the matrix shows it: `issuer`, `verifier`, or `both` (no
/// declared role: it signs and verifies).
pub fn role_label(role: Option<Role>) -> &'static str {
    role.map_or("both", Role::as_str)
}

/// The terminal's width: stdout's terminal, else `COLUMNS`, else 80.
pub fn width() -> usize {
    let stdout = std::io::stdout();
    if stdout.is_terminal() {
        if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size_of(&stdout) {
            return usize::from(w);
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&c| c > 0)
        .unwrap_or(DEFAULT_WIDTH)
}

/// The matrix section of `check`'s human output: the table when every line
/// fits in `width` characters, else one line saying so.
pub fn terminal(c: &Consistency, s: Style, width: usize) -> String {
    let m = c.key_matrix();
    if m.rows.is_empty() {
        return String::new();
    }
    let mut rows = vec![["service", "role"]
        .into_iter()
        .map(str::to_owned)
        .chain(m.keys.iter().map(|k| (*k).to_owned()))
        .collect::<Vec<String>>()];
    for row in &m.rows {
        let mut line = vec![
            row.member.service.clone(),
            role_label(row.member.role).into(),
        ];
        line.extend(row.cells.iter().map(|&cell| cell_label(cell).to_owned()));
        rows.push(line);
    }
    let drawn = table(&rows, |r, col, cell| match (r, col) {
        (0, _) => s.dim(cell),
        (_, 0 | 1) => cell.to_owned(),
        _ => match cell.split(' ').nth(1) {
            Some("missing") => s.red(cell),
            Some("current") => s.green(cell),
            Some("next" | "previous") => s.cyan(cell),
            _ => s.dim(cell),
        },
    });
    // Measured without colour: the same table drawn plain.
    let widest = table(&rows, |_, _, cell| cell.to_owned())
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let title = s.bold(&format!(
        "keys by service ({} x {})",
        plural(m.rows.len(), "service"),
        plural(m.keys.len(), "key")
    ));
    if widest > width {
        return format!(
            "\n{title}\n  {}\n",
            s.dim(&format!(
                "the matrix is {widest} characters wide, wider than {width}: see check --html FILE, \
                 or a wider terminal (COLUMNS)"
            ))
        );
    }
    format!(
        "\n{title}\n  {}\n  {}\n{drawn}",
        s.dim(LEGEND[0]),
        s.dim(LEGEND[1])
    )
}

/// Which cells a finding points at: `(row, key)` of the matrix for every
/// service and key fingerprint it names (cells the service holds, or misses),
/// and the rows of services it names without naming one of their keys.
/// Findings are sentences (docs/spec.md §9); a service is named when its name
/// stands in the sentence between spaces, commas or parentheses.
pub struct Pointers {
    pub cells: Vec<(usize, usize)>,
    pub rows: Vec<usize>,
    /// Indices into `Consistency::failures`.
    pub failures: Vec<usize>,
}

/// [`Pointers`] of `finding` in `m` (and the failures of `c`).
pub fn pointers(finding: &str, c: &Consistency, m: &KeyMatrix<'_>) -> Pointers {
    let keys: Vec<usize> = (0..m.keys.len())
        .filter(|&k| finding.contains(m.keys[k]))
        .collect();
    let mut cells = Vec::new();
    let mut rows = Vec::new();
    for (r, row) in m.rows.iter().enumerate() {
        if !names(finding, &row.member.service) {
            continue;
        }
        let before = cells.len();
        for &k in &keys {
            if row.cells[k] != KeyCell::Absent {
                cells.push((r, k));
            }
        }
        if cells.len() == before {
            rows.push(r);
        }
    }
    let failures = (0..c.failures.len())
        .filter(|&i| names(finding, &c.failures[i].service))
        .collect();
    Pointers {
        cells,
        rows,
        failures,
    }
}

/// Whether `name` stands in `text` as a word: preceded by the start, a space
/// or `(`, followed by the end, a space, `,`, `(` or `)`.
fn names(text: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        matches!(before, None | Some(' ' | '('))
            && matches!(after, None | Some(' ' | ',' | '(' | ')' | ':'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_stands_as_a_word() {
        assert!(names("auth, api and ws resolve", "api"));
        assert!(names("api resolves", "api"));
        assert!(names("profile failed to resolve: x", "profile"));
        assert!(!names("api@h2:80 resolves", "api"));
        assert!(!names("rapid resolves", "api"));
        assert!(!names("anything", ""));
    }
}

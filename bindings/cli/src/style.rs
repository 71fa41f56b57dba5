//! Human output: plain ANSI colour (only on a terminal, never with NO_COLOR),
//! aligned columns and dates. Display only: no decisions are made here.

use std::io::IsTerminal;

use crate::escape::shown;

/// Colour on or off for one stream.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    colour: bool,
}

impl Style {
    /// Colour when `stream` is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect(stream: &impl IsTerminal) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            colour: stream.is_terminal() && !no_color,
        }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
    pub fn red(self, text: &str) -> String {
        self.paint("1;31", text)
    }
    pub fn green(self, text: &str) -> String {
        self.paint("1;32", text)
    }
    pub fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }
    pub fn cyan(self, text: &str) -> String {
        self.paint("36", text)
    }
}

/// Rows of cells, each column padded to its widest cell (measured before
/// colour is applied), indented by two spaces. `paint` colours a cell by
/// (row, column). Every cell is [`shown`]: cells may hold untrusted text.
pub fn table(rows: &[Vec<String>], paint: impl Fn(usize, usize, &str) -> String) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| shown(cell)).collect())
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (r, row) in rows.iter().enumerate() {
        out.push_str("  ");
        for (c, cell) in row.iter().enumerate() {
            let pad = if c + 1 == row.len() {
                0
            } else {
                widths[c] - cell.chars().count() + 2
            };
            out.push_str(&paint(r, c, cell));
            out.push_str(&" ".repeat(pad));
        }
        out.push('\n');
    }
    out
}

/// `sha256:` + fingerprint, the display form.
pub fn fp(fingerprint: &str) -> String {
    format!("sha256:{fingerprint}")
}

/// A UTC date for seconds since the epoch, e.g. `2023-11-14 22:13:20 UTC`
/// (days-to-civil from Howard Hinnant's date algorithms).
pub fn utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3_600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
    }

    #[test]
    fn tables_align() {
        let rows = vec![
            vec!["a".into(), "bb".into(), "c".into()],
            vec!["ddd".into(), "e".into(), "f".into()],
        ];
        assert_eq!(
            table(&rows, |_, _, s| s.to_owned()),
            "  a    bb  c\n  ddd  e   f\n"
        );
    }
}

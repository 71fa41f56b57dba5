//! The default reading: a file is accepted only where python-dotenv, Node's
//! dotenv and Docker's `--env-file` give the same pairs; otherwise the first
//! line where they differ is refused, naming the construct (docs/spec.md §18).

use super::text::{strip_bom, universal_newlines};
use super::{docker, node, python, EnvError, Pair, Parsed};

/// Reads `text` where the three loaders agree. A value holding `$` is
/// refused even when they do: compose (and a shell sourcing the file)
/// expands `$NAME`, so two services can read it differently.
pub fn parse(text: &str) -> Parsed {
    let readings = [
        python::read(text),
        (node::parse(text).unwrap_or_default(), None),
        docker::read(text, false),
    ];
    let pairs = agreement(text, &readings, "choose --env-format")?;
    match pairs.iter().find(|p| p.value.contains('$')) {
        Some(p) => Err(EnvError::new(
            p.line,
            format!("{DOLLAR}: choose --env-format"),
        )),
        None => Ok(pairs),
    }
}

const DOLLAR: &str = "the value contains '$' (python-dotenv expands ${...}, compose and shells \
     $NAME; Node's dotenv and docker keep it)";

/// A secret-store file: where python-dotenv and Node's dotenv agree, and
/// every line that is neither blank nor a `#` comment is an assignment.
pub fn parse_store(text: &str) -> Parsed {
    // No loader reads a store file, so a byte-order mark is simply dropped.
    let text = strip_bom(text);
    let readings = [
        python::read(text),
        (node::parse(text).unwrap_or_default(), None),
    ];
    let pairs = agreement(text, &readings, "write the store file as JSON")?;
    // Lines the loaders skip (no `=`, unparseable) are mistakes in a store file.
    let normalized = universal_newlines(strip_bom(text));
    let mut covered = vec![false; normalized.lines().count() + 2];
    for pair in &pairs {
        covered[pair.line] = true;
    }
    let mut in_value_until = 0;
    for (index, line) in normalized.lines().enumerate() {
        let number = index + 1;
        if covered[number] {
            // A quoted value may continue on the next lines.
            in_value_until = number + value_lines(&pairs, number);
            continue;
        }
        let trimmed = line.trim();
        if number <= in_value_until || trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        return Err(EnvError::new(number, "not a name=value line"));
    }
    Ok(pairs)
}

/// How many line breaks the value of the pair on `line` holds: the lines a
/// multi-line quoted value covers (at most; a `\n` escape counts too, which
/// only skips checking a line).
fn value_lines(pairs: &[Pair], line: usize) -> usize {
    pairs
        .iter()
        .filter(|p| p.line == line)
        .map(|p| p.value.matches('\n').count())
        .max()
        .unwrap_or(0)
}

/// The common pairs of `readings` (each: the pairs read, up to its refusal
/// if any), or the first line where they differ or one refuses.
fn agreement(text: &str, readings: &[(Vec<Pair>, Option<EnvError>)], remedy: &str) -> Parsed {
    let mut line: Option<usize> = None;
    let mut earliest = |l: usize| line = Some(line.map_or(l, |m| m.min(l)));
    for (_, error) in readings {
        if let Some(e) = error {
            earliest(e.line);
        }
    }
    let (first, first_error) = &readings[0];
    for (other, other_error) in &readings[1..] {
        let same = |a: &Pair, b: &Pair| a.name == b.name && a.value == b.value;
        match first.iter().zip(other).position(|(a, b)| !same(a, b)) {
            Some(i) => earliest(first[i].line.min(other[i].line)),
            // A reading cut short by its refusal is compared up to there.
            None if first.len() != other.len()
                && first_error.is_none()
                && other_error.is_none() =>
            {
                let i = first.len().min(other.len());
                let extra = first.get(i).or(other.get(i)).map_or(1, |p| p.line);
                earliest(extra);
            }
            None => {}
        }
    }
    match line {
        None => Ok(first.clone()),
        Some(line) => Err(EnvError::new(
            line,
            format!("{}: {remedy}", construct(text, line)),
        )),
    }
}

/// What on `line` makes the loaders disagree, in words.
fn construct(text: &str, line: usize) -> String {
    let (raw, lone_cr) = raw_line(text, line);
    let content = raw.trim_start();
    let content = content
        .strip_prefix("export")
        .filter(|rest| rest.starts_with([' ', '\t']))
        .map_or(content, str::trim_start);
    let (name, value) = match content.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (content, None),
    };
    let value_trimmed = value.map(|v| v.trim_start_matches([' ', '\t']));
    let first = value_trimmed.and_then(|v| v.chars().next());
    let what = if line == 1 && text.starts_with('\u{feff}') {
        "a byte-order mark (python-dotenv before 1.2.3 reads it into the first name)"
    } else if lone_cr {
        "a CR-only line end (docker reads one line, the dotenv loaders two)"
    } else if raw.trim_start().starts_with("export") && content.len() != raw.trim_start().len() {
        "an 'export ' prefix (docker reads it as part of the name)"
    } else if value.is_none() {
        "a line without '=' (docker copies the variable from the host, the dotenv loaders skip it)"
    } else if name.ends_with([' ', '\t'])
        || name.trim().contains([' ', '\t'])
        || name.trim().is_empty()
    {
        "whitespace in or around the name, or no name (docker refuses it, the dotenv loaders differ)"
    } else if value.is_some_and(|v| v.contains('$')) {
        DOLLAR
    } else if matches!(first, Some('\'' | '"' | '`')) {
        "a quoted value (docker keeps the quotes; python-dotenv and Node's dotenv remove them, and unescape differently)"
    } else if value.is_some_and(|v| v.contains(['\'', '"', '`'])) {
        "a quote inside an unquoted value (the loaders read it differently)"
    } else if value.is_some_and(|v| v.contains('#')) {
        "a '#' in the value (docker keeps it; Node's dotenv cuts at any '#', python-dotenv only at ' #')"
    } else if value.is_some_and(|v| v.trim_end().ends_with('\\')) {
        "a trailing '\\' (no loader continues the line, and they differ on the backslash)"
    } else if value.is_some_and(|v| v.contains('\\')) {
        "a backslash in the value (the loaders unescape differently)"
    } else if value != value_trimmed || value.is_some_and(|v| v.ends_with([' ', '\t'])) {
        "whitespace around the value (docker keeps it, the dotenv loaders trim it)"
    } else if value_trimmed == Some("") {
        "an empty value followed by a line the dotenv loaders join to it"
    } else {
        "a line the loaders read differently"
    };
    what.to_owned()
}

/// The text of `line` (lines ended by LF, CRLF or CR) and whether it ends
/// with a lone CR.
fn raw_line(text: &str, line: usize) -> (&str, bool) {
    let mut number = 1;
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            let lone_cr = bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            if number == line {
                return (&text[start..i], lone_cr);
            }
            if bytes[i] == b'\r' && !lone_cr {
                i += 1;
            }
            number += 1;
            start = i + 1;
        }
        i += 1;
    }
    (&text[start.min(text.len())..], false)
}

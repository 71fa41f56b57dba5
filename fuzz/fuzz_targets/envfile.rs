//! The CLI's env-file reader (bindings/cli/src/envfile) on arbitrary text, in
//! every format and by default: never a panic, every refusal names a line of
//! the file, every pair obeys its format's rules, and the default reading
//! accepts a file only when python-dotenv, Node's dotenv and docker each give
//! the same pairs, with no `$` in a value. Slow inputs (not linear) are caught
//! by libFuzzer's -timeout.
#![no_main]

use jwt_accord_cli::envfile::{parse, Format, Pair};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Lines as an editor counts them (LF, CRLF or CR), plus one for a
    // refusal at the very end.
    let lines = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .matches('\n')
        .count()
        + 2;
    let mut readings = Vec::new();
    for format in Format::ALL.into_iter().map(Some).chain([None]) {
        let result = parse(text, format);
        match &result {
            Ok(pairs) => {
                for pair in pairs {
                    assert!(pair.line >= 1 && pair.line <= lines, "{format:?} {pair:?}");
                    check_rules(format, pair);
                }
            }
            Err(e) => {
                assert!(e.line >= 1 && e.line <= lines, "{format:?}: {e}");
                assert!(!e.what.is_empty());
            }
        }
        readings.push((format, result));
    }
    let get = |f: Option<Format>| &readings.iter().find(|(g, _)| *g == f).unwrap().1;
    if let Ok(agreed) = get(None) {
        let same = |a: &[Pair], b: &[Pair]| {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| x.name == y.name && x.value == y.value)
        };
        for dialect in [Format::PythonDotenv, Format::NodeDotenv, Format::Docker] {
            match get(Some(dialect)) {
                Ok(pairs) => assert!(same(agreed, pairs), "default vs {dialect:?}"),
                // Only docker's 64 KiB line limit may refuse what the default reads.
                Err(e) => assert!(
                    dialect == Format::Docker && e.what.contains("64 KiB"),
                    "default accepted what {dialect:?} refuses: {e}"
                ),
            }
        }
        assert!(agreed.iter().all(|p| !p.value.contains('$')));
    }
});

/// What each format's pairs can never hold.
fn check_rules(format: Option<Format>, pair: &Pair) {
    let name = pair.name.as_str();
    let value = pair.value.as_str();
    assert!(!name.is_empty(), "{format:?}: empty name");
    assert!(!name.contains('\0') && !value.contains('\0'));
    match format {
        Some(Format::Docker) => {
            // One line per variable, the name without space, tab or `=`
            // (docker's only checks; a lone CR is kept).
            assert!(!value.contains('\n'), "{pair:?}");
            assert!(!name.contains([' ', '\t', '=', '\n']), "{pair:?}");
        }
        None => {
            // What all three loaders read alike: one line, no CR, a name
            // Node's dotenv accepts.
            assert!(!value.contains(['\n', '\r', '$']), "{pair:?}");
            assert!(name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b)));
        }
        Some(Format::Env) => {
            assert!(!value.contains(['\n', '\r']) && !name.contains(['=', '\n', '\r']));
        }
        Some(Format::NodeDotenv) => {
            assert!(name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b)));
        }
        Some(Format::Systemd) => {
            let mut bytes = name.bytes();
            let first = bytes.next().unwrap();
            assert!(first.is_ascii_alphabetic() || first == b'_');
            assert!(bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_'));
            assert!(!value.contains('\r'), "{pair:?}");
        }
        Some(Format::Compose) => {
            assert!(name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b)));
        }
        // A python-dotenv key may be quoted and hold anything but `'`.
        Some(Format::PythonDotenv) => {}
    }
}

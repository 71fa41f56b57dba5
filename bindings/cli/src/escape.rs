//! Untrusted text made safe for a terminal (docs/cli.md, "Escaping"). Token
//! headers, report files, env files and file names can hold ESC, CSI and OSC
//! sequences (a fake green line, OSC 52 writing the clipboard) or bidi
//! overrides that disguise text; none reaches the terminal raw.
//!
//! One notation everywhere: `\u` and four hex digits, as JSON writes it, so a
//! value looks the same in human and `--json` output. A backslash itself is
//! not escaped (paths stay readable); `--json` gives the exact text.

/// Whether `c` is escaped in human output: C0 controls (tab and newline
/// included), DEL, C1 controls (U+0080 to U+009F), and the bidi embeddings,
/// overrides and isolates (U+202A to U+202E, U+2066 to U+2069).
fn escaped(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// What `serde_json` leaves raw in a JSON string: DEL, C1 and the bidi
/// controls (it escapes C0 itself).
fn raw_in_json(c: char) -> bool {
    (c.is_control() && c > '\u{1f}') || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn replace(text: &str, escape: impl Fn(char) -> bool) -> String {
    if !text.chars().any(&escape) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escape(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// An untrusted string for human output: every control character and bidi
/// control as `\u001b`. Idempotent: what it returns holds none of them.
pub fn shown(text: &str) -> String {
    replace(text, escaped)
}

/// The last pass over everything the CLI writes: DEL, C1 and bidi controls as
/// `\u009b`. Our own colour codes (ESC, C0) and line ends stay; in `--json`
/// output the replacement is the JSON escape of the same character (these
/// characters only occur inside JSON strings), so the value is unchanged.
pub fn terminal_safe(text: &str) -> String {
    replace(text, raw_in_json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped() {
        assert_eq!(shown("\x1b[32mvalid"), "\\u001b[32mvalid");
        assert_eq!(shown("a\tb\nc\x07\x7f"), "a\\u0009b\\u000ac\\u0007\\u007f");
        assert_eq!(
            shown("\u{9b}31m \u{202e}txt.exe"),
            "\\u009b31m \\u202etxt.exe"
        );
        assert_eq!(shown("\u{2066}x\u{2069}"), "\\u2066x\\u2069");
        assert_eq!(shown("C:\\path é ✓ 🔑"), "C:\\path é ✓ 🔑");
        let once = shown("\x1b]52;c;aGk=\x07");
        assert_eq!(shown(&once), once);
    }

    #[test]
    fn terminal_safe_keeps_colour_and_json() {
        assert_eq!(terminal_safe("\x1b[1mok\x1b[0m\n"), "\x1b[1mok\x1b[0m\n");
        let json = serde_json::json!({"h": "\u{9b}\u{7f}\u{202e}\x1b"}).to_string();
        let safe = terminal_safe(&json);
        assert!(!safe.contains(['\u{9b}', '\u{7f}', '\u{202e}', '\x1b']));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["h"], "\u{9b}\u{7f}\u{202e}\x1b");
    }
}

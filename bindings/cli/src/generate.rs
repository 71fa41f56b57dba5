//! `jwt-accord generate`: a new secret from the OS's random source, printed
//! once with its fingerprint (what `openssl rand -base64 48` does, plus the
//! fingerprint every jwt-accord report shows). Randomness is host I/O, so it
//! lives here, never in the core.

use std::fmt::Write as _;
use std::io::Write as _;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use zeroize::Zeroizing;

use crate::args::GenerateArgs;
use crate::input::{Input, InputError};
use crate::style::fp;
use crate::{Output, Styles};

/// The secret as openssl prints it: standard base64, with padding.
fn encoded(bytes: &[u8]) -> Zeroizing<String> {
    // Reserved up front so the buffer never grows: no unwiped copy is freed.
    let mut text = Zeroizing::new(String::with_capacity(bytes.len().div_ceil(3) * 4));
    STANDARD.encode_string(bytes, &mut text);
    text
}

pub fn run(args: &GenerateArgs, styles: Styles) -> Input<Output> {
    let mut bytes = Zeroizing::new(vec![0u8; usize::from(args.bytes)]);
    getrandom::fill(&mut bytes)
        .map_err(|e| InputError(format!("the OS random source failed: {e}")))?;
    let secret = encoded(&bytes);
    let fingerprint = jwt_accord::fingerprint(secret.as_bytes());
    // Written here, from wiped buffers, not through `Output` (whose text is
    // copied and freed unwiped): the secret is printed once and nowhere else.
    let mut line = Zeroizing::new(String::with_capacity(secret.len() + 80));
    if args.json {
        // Base64 and hex need no JSON escaping.
        let _ = write!(
            line,
            "{{\"secret\":\"{}\",\"fingerprint\":\"{fingerprint}\",\"bytes\":{}}}",
            secret.as_str(),
            args.bytes
        );
    } else {
        line.push_str(&secret);
    }
    line.push('\n');
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(line.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| InputError(format!("cannot write the secret to standard output: {e}")))?;
    Ok(Output {
        stderr: if args.json {
            String::new()
        } else {
            format!(
                "{} {} ({} random bytes, base64; shown once: store it now)\n",
                styles.err.dim("fingerprint"),
                fp(&fingerprint),
                args.bytes
            )
        },
        ..Output::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_as_openssl_does() {
        assert_eq!(encoded(b"").as_str(), "");
        assert_eq!(encoded(b"\xfb\xff").as_str(), "+/8=");
        let text = encoded(&[7; 48]);
        assert_eq!((text.len(), text.capacity()), (64, 64));
        assert_eq!(encoded(&[7; 32]).len(), 44);
    }
}

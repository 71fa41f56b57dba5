//! Public-key material offered as an HMAC secret (docs/spec.md §5 and §8.1,
//! extended in docs/decisions.md): anyone holding the public key could forge
//! tokens with it, the algorithm-confusion family of CVE-2024-33663.
//!
//! Every check scans the value once or reads a bounded prefix. Nothing is
//! copied except a base64 or hex prefix decoded into a small stack buffer,
//! which is wiped before returning.

use zeroize::Zeroize;

/// Why `bytes` looks like public-key material, if it does.
pub(crate) fn reason(bytes: &[u8]) -> Option<&'static str> {
    if contains(bytes, b"-----BEGIN") {
        return Some("it contains a PEM block (-----BEGIN)");
    }
    if contains(bytes, b"---- BEGIN SSH2 PUBLIC KEY") {
        return Some("it is an RFC 4716 SSH2 public key");
    }
    if let Some(reason) = ssh(bytes) {
        return Some(reason);
    }
    if let Some(form) = der(bytes, true) {
        return Some(form.reason(Encoding::Raw));
    }
    if let Some(reason) = encoded_der(bytes) {
        return Some(reason);
    }
    jwk(bytes)
}

/// OpenSSH key types, matched case-insensitively as a whole word. A prefix
/// ends in `-` where the rest names a curve or a certificate variant.
const SSH_KEY_TYPES: [&[u8]; 6] = [
    b"ssh-rsa",
    b"ssh-dss",
    b"ssh-ed25519",
    b"ssh-ed448",
    b"ecdsa-sha2-",
    b"sk-",
];

/// An OpenSSH public key: today's rule (the value starts with `ssh-` or
/// `ecdsa-sha2-`), a key type in any case, a FIDO (`sk-`) key, or an
/// authorized_keys line whose options come before the key type. Apart from
/// the first, a key type must be followed by its base64 blob (`AAAA`).
fn ssh(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"ssh-") || bytes.starts_with(b"ecdsa-sha2-") {
        return Some("it is an SSH public key");
    }
    let mut at = 0;
    let mut first = true;
    while at < bytes.len() {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let start = at;
        while bytes.get(at).is_some_and(|b| !b.is_ascii_whitespace()) {
            at += 1;
        }
        let token = &bytes[start..at];
        let mut blob = at;
        while bytes.get(blob).is_some_and(u8::is_ascii_whitespace) {
            blob += 1;
        }
        if blob > at && bytes[blob..].starts_with(b"AAAA") && is_ssh_key_type(token) {
            return Some(match (first, starts_with_ignore_case(token, b"sk-")) {
                (_, true) => "it is a FIDO security-key SSH public key",
                (true, false) => "it is an SSH public key",
                (false, false) => "it is an authorized_keys line holding an SSH public key",
            });
        }
        first = false;
    }
    None
}

fn is_ssh_key_type(token: &[u8]) -> bool {
    SSH_KEY_TYPES.iter().any(|t| {
        if t.ends_with(b"-") {
            token.len() > t.len() && starts_with_ignore_case(token, t)
        } else {
            starts_with_ignore_case(token, t)
                && matches!(token.get(t.len()), None | Some(b'-' | b'@'))
        }
    })
}

/// The DER structures that hold a public key.
#[derive(Clone, Copy)]
enum Form {
    /// X.509 SubjectPublicKeyInfo, what `-----BEGIN PUBLIC KEY-----` armours.
    SubjectPublicKeyInfo,
    /// PKCS#1 RSAPublicKey, what `-----BEGIN RSA PUBLIC KEY-----` armours.
    Pkcs1Rsa,
    /// An X.509 certificate, which carries a SubjectPublicKeyInfo.
    Certificate,
}

#[derive(Clone, Copy)]
enum Encoding {
    Raw,
    Base64,
    Hex,
}

impl Form {
    fn reason(self, encoding: Encoding) -> &'static str {
        match (self, encoding) {
            (Form::SubjectPublicKeyInfo, Encoding::Raw) => "it is a DER SubjectPublicKeyInfo",
            (Form::SubjectPublicKeyInfo, Encoding::Base64) => {
                "it is a base64 DER SubjectPublicKeyInfo, a PEM public key without its armour"
            }
            (Form::SubjectPublicKeyInfo, Encoding::Hex) => "it is a hex DER SubjectPublicKeyInfo",
            (Form::Pkcs1Rsa, Encoding::Raw) => "it is a DER PKCS#1 RSA public key",
            (Form::Pkcs1Rsa, Encoding::Base64) => {
                "it is a base64 DER PKCS#1 RSA public key, a PEM public key without its armour"
            }
            (Form::Pkcs1Rsa, Encoding::Hex) => "it is a hex DER PKCS#1 RSA public key",
            (Form::Certificate, Encoding::Raw) => "it is a DER X.509 certificate",
            (Form::Certificate, Encoding::Base64) => {
                "it is a base64 DER X.509 certificate, a PEM certificate without its armour"
            }
            (Form::Certificate, Encoding::Hex) => "it is a hex DER X.509 certificate",
        }
    }
}

/// Public-key algorithm OIDs (content bytes): rsaEncryption, RSASSA-PSS,
/// id-ecPublicKey, id-dsa, X25519, X448, Ed25519, Ed448.
const PUBLIC_KEY_OIDS: [&[u8]; 8] = [
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a],
    &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01],
    &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01],
    &[0x2b, 0x65, 0x6e],
    &[0x2b, 0x65, 0x6f],
    &[0x2b, 0x65, 0x70],
    &[0x2b, 0x65, 0x71],
];

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OID: u8 = 0x06;

/// A DER element's header at `at` with tag `tag`: the content's start and end.
/// Only minimal definite lengths of up to three bytes are DER.
fn element(b: &[u8], at: usize, tag: u8) -> Option<(usize, usize)> {
    if *b.get(at)? != tag {
        return None;
    }
    let first = *b.get(at + 1)?;
    if first < 0x80 {
        return Some((at + 2, at + 2 + usize::from(first)));
    }
    let count = usize::from(first & 0x7f);
    if count == 0 || count > 3 || *b.get(at + 2)? == 0 {
        return None;
    }
    let mut length = 0usize;
    for k in 0..count {
        length = length << 8 | usize::from(*b.get(at + 2 + k)?);
    }
    if length < 0x80 {
        return None;
    }
    Some((at + 2 + count, at + 2 + count + length))
}

/// Which public-key structure `b` is. `complete`: `b` is the whole value,
/// so the outer element must span it exactly; otherwise `b` is a decoded
/// prefix and only what it holds is checked (every inner element must still
/// fit inside its parent).
fn der(b: &[u8], complete: bool) -> Option<Form> {
    let (start, end) = element(b, 0, SEQUENCE)?;
    if complete && end != b.len() {
        return None;
    }
    if let Some((inner, inner_end)) = element(b, start, SEQUENCE) {
        if inner_end > end {
            return None;
        }
        // SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID, params }, BIT STRING }.
        if let Some((oid, oid_end)) = element(b, inner, OID) {
            let known = oid_end <= inner_end
                && b.get(oid..oid_end)
                    .is_some_and(|id| PUBLIC_KEY_OIDS.contains(&id));
            let key = match element(b, inner_end, BIT_STRING) {
                Some((_, key_end)) => !complete || key_end == end,
                None => !complete && b.len() < inner_end + 4,
            };
            return (known && key).then_some(Form::SubjectPublicKeyInfo);
        }
        // Certificate: SEQUENCE { tbsCertificate SEQUENCE { [0] { INTEGER v }, INTEGER serial, ...
        let version = b.get(inner..inner + 5)?;
        return (version[..4] == [0xa0, 0x03, INTEGER, 0x01]
            && version[4] <= 2
            && *b.get(inner + 5)? == INTEGER)
            .then_some(Form::Certificate);
    }
    // PKCS#1: SEQUENCE { INTEGER modulus (at least 512 bits), INTEGER exponent (1 to 4 bytes) }.
    let (modulus, modulus_end) = element(b, start, INTEGER)?;
    let exponent_bytes = end.checked_sub(modulus_end)?.checked_sub(2)?;
    let positive = *b.get(modulus)? == 0 && *b.get(modulus + 1)? >= 0x80;
    if modulus_end - modulus < 65 || !positive || !(1..=4).contains(&exponent_bytes) {
        return None;
    }
    if complete {
        let (_, exponent_end) = element(b, modulus_end, INTEGER)?;
        if exponent_end != end {
            return None;
        }
    }
    Some(Form::Pkcs1Rsa)
}

/// A DER public key written as base64 (standard or URL-safe) or hex, found by
/// decoding a bounded prefix: enough for every header [`der`] reads.
fn encoded_der(bytes: &[u8]) -> Option<&'static str> {
    let bytes = skip_space(bytes);
    // 0x30 is `M` as the first base64 character, `30` in hex.
    let encoding = match bytes {
        [b'M', ..] => Encoding::Base64,
        [b'3', b'0', ..] => Encoding::Hex,
        _ => return None,
    };
    let mut buffer = [0u8; 36];
    let decoded = match encoding {
        Encoding::Base64 => decode_base64_prefix(bytes, &mut buffer),
        _ => decode_hex_prefix(bytes, &mut buffer),
    };
    let form = der(&buffer[..decoded], false);
    buffer.zeroize();
    form.map(|f| f.reason(encoding))
}

fn decode_base64_prefix(text: &[u8], out: &mut [u8]) -> usize {
    let mut bits = 0u32;
    let mut held = 0;
    let mut written = 0;
    for &c in text {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => break,
        };
        bits = (bits << 6 | u32::from(value)) & 0xfff;
        held += 6;
        if held >= 8 {
            held -= 8;
            let Some(slot) = out.get_mut(written) else {
                break;
            };
            *slot = (bits >> held) as u8;
            written += 1;
        }
    }
    bits.zeroize();
    written
}

fn decode_hex_prefix(text: &[u8], out: &mut [u8]) -> usize {
    let mut written = 0;
    for (slot, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let (Some(high), Some(low)) = (hex_digit(pair[0]), hex_digit(pair[1])) else {
            break;
        };
        *slot = high << 4 | low;
        written += 1;
    }
    written
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// A JSON Web Key (RFC 7517) for an asymmetric algorithm: a JSON object text
/// with a `"kty"` member of `RSA`, `EC` or `OKP` (a key set included).
fn jwk(bytes: &[u8]) -> Option<&'static str> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    if bytes[start] != b'{' {
        return None;
    }
    let mut rest = &bytes[start..];
    while let Some(at) = find(rest, b"\"kty\"") {
        rest = &rest[at + 5..];
        let Some(value) = skip_space(rest).strip_prefix(b":") else {
            continue;
        };
        let value = skip_space(value);
        if [&b"\"RSA\""[..], b"\"EC\"", b"\"OKP\""]
            .iter()
            .any(|kty| value.starts_with(kty))
        {
            return Some("it is a JSON Web Key of type RSA, EC or OKP");
        }
    }
    None
}

fn skip_space(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes
        .get(..prefix.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(prefix))
}

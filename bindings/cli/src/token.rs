//! `jwt-accord sign`, `verify` and `inspect`.

use jwt_accord::{
    decode_unverified, human_duration, is_fingerprint_form, Audience, Error, ErrorCode, HeldKey,
    Key, Kid, Resolution, SignOptions, Signer, Verified, Verifier, VerifyOptions,
};
use serde_json::{json, Map, Value};

use crate::args::{InspectArgs, SignArgs, VerifyArgs};
use crate::escape::shown;
use crate::input::{self, display, is_json, service_arg, Input, InputError, Snapshot};
use crate::style::{fp, table, utc, Style};
use crate::{error_line, Output, Styles, BAD_INPUT, REFUSED};

/// A refused resolution: the one error line, and the report JSON with `--json`.
fn refused(label: &str, error: &Error, json: bool, styles: Styles) -> Output {
    Output {
        stdout: if json {
            json!({ "error": error.to_json_value() }).to_string() + "\n"
        } else {
            String::new()
        },
        stderr: error_line(styles.err, label, error),
        status: REFUSED,
    }
}

pub fn sign(args: &SignArgs, styles: Styles) -> Input<Output> {
    let snapshot = Snapshot::read(&args.secret)?;
    let now = input::now(args.now)?;
    let resolution = match snapshot.resolve(args.secret.environment.as_deref()) {
        Ok(r) => r,
        Err(e) => return Ok(refused(&snapshot.label, &e, args.json, styles)),
    };
    let kid = match (&args.kid, args.no_kid) {
        (_, true) => Kid::Omit,
        (Some(kid), false) => Kid::Custom(kid.clone()),
        (None, false) => Kid::Fingerprint,
    };
    let audience = match args.audience.as_slice() {
        [] => None,
        [one] => Some(Audience::One(one.clone())),
        many => Some(Audience::Many(many.to_vec())),
    };
    let options = SignOptions {
        expires_in: args.expires_in,
        issuer: args.issuer.clone(),
        audience,
        subject: args.subject.clone(),
        token_type: args.token_type.clone(),
        not_before: args.not_before,
        jti: args.jti.clone(),
        set_issued_at: !args.no_iat,
        kid,
    };
    let signer = Signer::new(Key::from_resolution(&resolution), options);
    // Every signing failure is about the claims or the options given.
    let token = signer
        .sign_json(&args.claims, now)
        .map_err(|e| InputError(format!("--claims: {}: {}", e.code().as_str(), e.message())))?;
    let stdout = if args.json {
        let kid = decode_unverified(&token)
            .ok()
            .and_then(|t| t.header.get("kid").cloned());
        json!({
            "token": token,
            "kid": kid,
            "fingerprint": resolution.fingerprint(),
            "key_slot": "current",
            "environment": resolution.environment().as_str(),
            "source": resolution.source().name,
        })
        .to_string()
    } else {
        token
    };
    Ok(Output {
        stdout: stdout + "\n",
        ..Output::default()
    })
}

/// `malformed` and `token_too_large`: the token cannot be read at all, which is
/// bad input (exit 2); every other failure is a rejection (exit 1).
fn unreadable(error: &Error) -> bool {
    matches!(
        error.code(),
        ErrorCode::Malformed | ErrorCode::TokenTooLarge
    )
}

pub fn verify(args: &VerifyArgs, styles: Styles) -> Input<Output> {
    let token = input::token(&args.token)?;
    let snapshot = Snapshot::read(&args.secret)?;
    let now = input::now(args.now)?;
    let resolution = match snapshot.resolve(args.secret.environment.as_deref()) {
        Ok(r) => r,
        Err(e) => return Ok(refused(&snapshot.label, &e, args.json, styles)),
    };
    let list = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
    let options = VerifyOptions {
        issuer: list(&args.issuer),
        audience: list(&args.audience),
        leeway: args.leeway,
        token_type: args.token_type.clone(),
        max_age: args.max_age,
        ..VerifyOptions::default()
    };
    match Verifier::new(Key::from_resolution(&resolution), options).verify(&token, now) {
        Ok(verified) => Ok(Output {
            stdout: if args.json {
                json!({
                    "valid": true,
                    "claims": claims_of(&verified)?,
                    "header": *verified.header,
                    "key_fingerprint": verified.key_fingerprint,
                    "key_slot": verified.key_slot.map(|slot| slot.as_str()),
                })
                .to_string()
                    + "\n"
            } else {
                let claims = claims_of(&verified)?;
                verified_human(
                    &verified,
                    claims,
                    &snapshot.label,
                    &resolution,
                    now,
                    styles.out,
                )
            },
            ..Output::default()
        }),
        Err(error) => Ok(Output {
            stdout: if args.json {
                json!({ "valid": false, "error": error.to_json_value() }).to_string() + "\n"
            } else {
                String::new()
            },
            stderr: error_line(
                styles.err,
                if unreadable(&error) { "TOKEN" } else { "" },
                &error,
            ),
            status: if unreadable(&error) {
                BAD_INPUT
            } else {
                REFUSED
            },
        }),
    }
}

fn verified_human(
    v: &Verified,
    claims: Map<String, Value>,
    label: &str,
    r: &Resolution,
    now: i64,
    s: Style,
) -> String {
    // The key that verified, by slot (docs/spec.md §14): a resolution's
    // keys are all slotted, so the fallback is never taken.
    let key = held(r, &v.key_fingerprint);
    let (slot, source) = key.map_or(("current", &r.source().name), |k| {
        (k.slot.as_str(), &k.source.name)
    });
    let mut out = format!(
        "{} signature verified with the {slot} key {} ({} from {})\n",
        s.green("valid:"),
        fp(&v.key_fingerprint),
        shown(source),
        shown(label)
    );
    for (claim, line) in times(&claims, now) {
        out += &format!("  {claim}  {}\n", shown(&line));
    }
    out += &format!(
        "{}\n{}\n",
        s.bold("claims"),
        indent(&pretty(&Value::Object(claims)))
    );
    out
}

/// The key of `r` whose fingerprint is `fingerprint`.
fn held<'r>(r: &'r Resolution, fingerprint: &str) -> Option<&'r HeldKey> {
    r.keys().iter().find(|k| k.fingerprint() == fingerprint)
}

/// The verified claims, parsed from the payload text the core hands over.
fn claims_of(verified: &Verified) -> Input<Map<String, Value>> {
    serde_json::from_str(&verified.claims_json)
        .map_err(|e| InputError(format!("TOKEN: its verified claims cannot be shown: {e}")))
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("JSON serialises")
}

/// Pretty JSON indented for human output, each line [`shown`] (serde_json
/// leaves DEL, C1 and bidi controls raw in strings).
fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {}", shown(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `exp`, `nbf` and `iat` in human terms, relative to `now`.
fn times(claims: &Map<String, Value>, now: i64) -> Vec<(&'static str, String)> {
    let mut lines = Vec::new();
    for claim in ["iat", "nbf", "exp"] {
        let Some(value) = claims.get(claim) else {
            continue;
        };
        let Some(at) = value.as_f64().filter(|v| v.is_finite()) else {
            lines.push((claim, format!("{value} (not a number of seconds)")));
            continue;
        };
        let delta = at - now as f64;
        let later = human_duration(delta.abs());
        let relative = match (claim, delta > 0.0) {
            ("exp", true) => format!("expires in {later}"),
            ("exp", false) => format!("expired {later} ago"),
            ("nbf", true) => format!("not valid for another {later}"),
            ("nbf", false) => format!("valid since {later} ago"),
            (_, true) => format!("issued {later} in the future"),
            (_, false) => format!("issued {later} ago"),
        };
        lines.push((claim, format!("{} ({relative})", utc(at as i64))));
    }
    lines
}

/// Whether a service's key produced the token's signature.
enum Signature {
    /// One of its keys did: this fingerprint.
    Verifies(String),
    DoesNotVerify,
    /// The token cannot be checked with any key (e.g. another algorithm).
    Unchecked(Error),
}

impl Signature {
    fn as_str(&self) -> &'static str {
        match self {
            Signature::Verifies(_) => "verifies",
            Signature::DoesNotVerify => "does_not_verify",
            Signature::Unchecked(_) => "unchecked",
        }
    }
}

/// Converts the core's signature-only check (docs/spec.md §8.2 steps 1 to 7).
fn signature(result: jwt_accord::Result<Option<String>>) -> Signature {
    match result {
        Ok(Some(fingerprint)) => Signature::Verifies(fingerprint),
        Ok(None) => Signature::DoesNotVerify,
        Err(e) => Signature::Unchecked(e),
    }
}

struct Checked {
    service: String,
    file: String,
    outcome: Result<(Resolution, bool, Signature), Error>,
}

pub fn inspect(args: &InspectArgs, styles: Styles) -> Input<Output> {
    let token = input::token(&args.token)?;
    let now = input::now(args.now)?;
    let decoded = decode_unverified(&token)
        .map_err(|e| InputError(format!("TOKEN: {}: {}", e.code().as_str(), e.message())))?;
    let kid = decoded.header.get("kid").and_then(Value::as_str);

    let mut checked = Vec::new();
    for arg in &args.services {
        let named = service_arg(arg, false)?;
        let file = display(&named.path);
        if is_json(&named.path, "") {
            return Err(InputError(format!(
                "argument {arg:?}: a report holds no secret; inspect needs the service's env file"
            )));
        }
        let snapshot = Snapshot::env_file(&named.path, args.env_format.format)?;
        let outcome = snapshot.resolve(args.environment.as_deref()).map(|r| {
            let key = Key::from_resolution(&r);
            let kid_matches = key.keys().iter().any(|k| kid == Some(k.fingerprint()));
            // Only whose key signed it: no claim is looked at.
            let sig = signature(Verifier::new(key, VerifyOptions::default()).signed_by(&token));
            (r, kid_matches, sig)
        });
        checked.push(Checked {
            service: named.service,
            file,
            outcome,
        });
    }
    let signed_by: Vec<&str> = checked
        .iter()
        .filter(|c| matches!(c.outcome, Ok((_, _, Signature::Verifies(_)))))
        .map(|c| c.service.as_str())
        .collect();
    let status = if checked.is_empty() || !signed_by.is_empty() {
        0
    } else {
        REFUSED
    };

    let stdout = if args.json {
        inspect_json(&decoded.header, &decoded.claims, now, &checked, &signed_by)
    } else {
        inspect_human(
            &decoded.header,
            &decoded.claims,
            kid,
            now,
            &checked,
            &signed_by,
            styles.out,
        )
    };
    Ok(Output {
        stdout,
        status,
        ..Output::default()
    })
}

fn inspect_json(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    now: i64,
    checked: &[Checked],
    signed_by: &[&str],
) -> String {
    let mut times = Map::new();
    for (claim, line) in self::times(claims, now) {
        times.insert(
            claim.into(),
            json!({ "value": claims[claim], "human": line }),
        );
    }
    let services: Vec<Value> = checked
        .iter()
        .map(|c| match &c.outcome {
            Ok((r, kid_matches, sig)) => {
                let key = match sig {
                    Signature::Verifies(fingerprint) => held(r, fingerprint),
                    _ => None,
                };
                json!({
                    "service": c.service,
                    "file": c.file,
                    "environment": r.environment().as_str(),
                    "source": r.source().name,
                    "fingerprint": r.fingerprint(),
                    "keys": r.keys(),
                    "kid_matches": kid_matches,
                    "signature": sig.as_str(),
                    "key_slot": key.map(|k| k.slot.as_str()),
                    "key_source": key.map(|k| &k.source.name),
                    "error": match sig { Signature::Unchecked(e) => e.to_json_value(), _ => Value::Null },
                })
            }
            Err(e) => json!({
                "service": c.service,
                "file": c.file,
                "fingerprint": Value::Null,
                "kid_matches": false,
                "signature": "unchecked",
                "error": e.to_json_value(),
            }),
        })
        .collect();
    json!({
        "header": header,
        "claims": claims,
        "now": now,
        "times": times,
        "services": services,
        "signed_by": signed_by,
    })
    .to_string()
        + "\n"
}

fn inspect_human(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    kid: Option<&str>,
    now: i64,
    checked: &[Checked],
    signed_by: &[&str],
    s: Style,
) -> String {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out = format!(
        "{} {}\n",
        s.bold("header"),
        s.dim("(decoded, not yet verified)")
    );
    let rows: Vec<Vec<String>> = header
        .iter()
        .map(|(k, v)| vec![k.clone(), text(v)])
        .collect();
    out += &table(&rows, |_, _, cell| cell.to_owned());
    if kid.is_some_and(is_fingerprint_form) {
        out += &format!(
            "  {}\n",
            s.dim("(kid has the fingerprint form: a jwt-accord signer puts its secret's fingerprint here)")
        );
    }

    out += &format!(
        "\n{}\n{}\n",
        s.bold("claims"),
        indent(&pretty(&Value::Object(claims.clone())))
    );

    out += &format!(
        "\n{} {}\n",
        s.bold("times"),
        s.dim(&format!("(now {})", utc(now)))
    );
    let lines = times(claims, now);
    if lines.is_empty() {
        out += "  no iat, nbf or exp claim: this token never expires\n";
    } else if !claims.contains_key("exp") {
        out += "  no exp claim: this token never expires\n";
    }
    for (claim, line) in lines {
        let line = if line.contains("expired") {
            s.red(&shown(&line))
        } else {
            shown(&line)
        };
        out += &format!("  {claim}  {line}\n");
    }

    out += &format!("\n{}\n", s.bold("whose secret signed it"));
    if checked.is_empty() {
        out += "  not checked: pass SERVICE=ENV_FILE arguments to test each service's secret\n";
        return out;
    }
    let mut rows = Vec::new();
    for c in checked {
        rows.push(match &c.outcome {
            Ok((r, kid_matches, sig)) => vec![
                c.service.clone(),
                r.source().name.clone(),
                fp(r.fingerprint()),
                match (kid, kid_matches) {
                    (None, _) => "no kid".into(),
                    (Some(_), true) => "kid matches".into(),
                    (Some(_), false) => "kid differs".into(),
                },
                match sig {
                    Signature::Verifies(fingerprint) => match held(r, fingerprint) {
                        Some(k) if k.slot != jwt_accord::KeySlot::Current => format!(
                            "signature verifies with its {} key ({})",
                            k.slot.as_str(),
                            k.source.name
                        ),
                        _ => "signature verifies".into(),
                    },
                    Signature::DoesNotVerify => "signature does not verify".into(),
                    Signature::Unchecked(e) => {
                        format!("not checked: {}: {}", e.code().as_str(), e.message())
                    }
                },
            ],
            Err(e) => vec![
                c.service.clone(),
                "-".into(),
                "-".into(),
                "-".into(),
                format!("cannot resolve: {}: {}", e.code().as_str(), e.message()),
            ],
        });
    }
    out += &table(&rows, |row, col, cell| match (&checked[row].outcome, col) {
        (Ok((_, _, Signature::Verifies(_))), 4) => s.green(cell),
        (Ok(_), 4) | (Err(_), 4) => s.red(cell),
        _ => cell.to_owned(),
    });
    out += "\n";
    // The first service whose key verifies: its slot, source and fingerprint.
    let signer = checked.iter().find_map(|c| match &c.outcome {
        Ok((r, _, Signature::Verifies(fingerprint))) => held(r, fingerprint).map(|k| {
            (
                k.slot.as_str(),
                format!("{}, {}", shown(&k.source.name), fp(fingerprint)),
            )
        }),
        _ => None,
    });
    out += &match (signed_by, signer) {
        ([one], Some((slot, how))) => format!(
            "{} {}'s {slot} key ({how})\n",
            s.green("signed with"),
            shown(one)
        ),
        ([first, _, ..], Some((slot, how))) => format!(
            "{} the key that {} hold ({}'s {slot} key: {how})\n",
            s.green("signed with"),
            shown(&signed_by.join(", ")),
            shown(first)
        ),
        _ => format!(
            "{}\n",
            s.red("none of these services' secrets signed this token")
        ),
    };
    out
}

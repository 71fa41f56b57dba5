//! The sentences of a consistency result (`docs/spec.md §9`), collapsed: one
//! per distinct disagreement, naming at most [`NAMED`] services and counting
//! the rest, so a fleet of any size gives findings linear in its size.

use std::fmt::Write;

/// How many services (or reference fingerprints) a finding names before it
/// counts the rest: "a, b, c, d, e and 1,995 more".
pub const NAMED: usize = 5;

/// `n` with thousands separated by commas: `1995` -> `1,995`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The first [`NAMED`] of `total` items joined as English: `a`, `a and b`,
/// `a, b and c`, or `a, b, c, d, e and 7 more`. `named` holds at most
/// [`NAMED`] items; `total` is how many there are in all.
pub fn list(named: &[String], total: usize) -> String {
    let mut out = String::new();
    let rest = total.saturating_sub(named.len());
    for (i, item) in named.iter().enumerate() {
        if i > 0 {
            let last = i + 1 == named.len() && rest == 0;
            out.push_str(if last { " and " } else { ", " });
        }
        out.push_str(item);
    }
    if rest > 0 {
        let _ = write!(out, " and {} more", count(rest));
    }
    out
}

/// Who resolves what: `backend resolves JWT_SECRET_STAGING (cb6e...)`, or for
/// several services `api and jobs resolve JWT_SECRET_KEY (1f0c...)`; when
/// their sources differ, each named service carries its own:
/// `api (JWT_SECRET_KEY) and jobs (JWT_SECRET) resolve 1f0c...`.
pub struct Subject<'a> {
    /// The first [`NAMED`] services and their sources.
    pub named: Vec<(&'a str, &'a str)>,
    /// How many services in all.
    pub total: usize,
    /// Whether every one of them (named or counted) resolves the same source.
    pub one_source: bool,
    /// Their fingerprint (of the `current` key).
    pub fingerprint: &'a str,
    /// Their `next` key's fingerprint, if they hold one.
    pub next: Option<&'a str>,
    /// Their `previous` key's fingerprint, if they hold one.
    pub previous: Option<&'a str>,
}

impl Subject<'_> {
    /// The clause, its verb agreeing with the number of services.
    pub fn resolves(&self) -> String {
        let verb = if self.total == 1 {
            "resolves"
        } else {
            "resolve"
        };
        if self.one_source {
            let names: Vec<String> = self.named.iter().map(|(s, _)| (*s).to_owned()).collect();
            let source = self.named.first().map_or("", |(_, source)| source);
            format!(
                "{} {verb} {source} ({}{})",
                list(&names, self.total),
                self.fingerprint,
                self.companions(", ")
            )
        } else {
            let names: Vec<String> = self
                .named
                .iter()
                .map(|(service, source)| format!("{service} ({source})"))
                .collect();
            let companions = self.companions("");
            let companions = if companions.is_empty() {
                companions
            } else {
                format!(" ({companions})")
            };
            format!(
                "{} {verb} {}{companions}",
                list(&names, self.total),
                self.fingerprint
            )
        }
    }

    /// `next 1f0c..., previous 9d8e...` (each when held), after `lead`.
    fn companions(&self, lead: &str) -> String {
        let held: Vec<String> = [("next", self.next), ("previous", self.previous)]
            .into_iter()
            .filter_map(|(slot, fp)| fp.map(|fp| format!("{slot} {fp}")))
            .collect();
        if held.is_empty() {
            String::new()
        } else {
            format!("{lead}{}", held.join(", "))
        }
    }
}

/// `auth resolves JWT_SECRET_KEY (1f0c...)`: one service of a reference group.
pub fn one_resolves(service: &str, source: &str, fingerprint: &str) -> String {
    format!("{service} resolves {source} ({fingerprint})")
}

/// The reference side of a finding: the first [`NAMED`] of `total` distinct
/// fingerprints, each as [`one_resolves`] of its first service, then
/// `and N more issuers resolve other fingerprints`.
pub fn references(named: &[String], total: usize) -> String {
    let rest = total.saturating_sub(named.len());
    if rest == 0 {
        return list(named, named.len());
    }
    let noun = if rest == 1 {
        "issuer resolves another fingerprint"
    } else {
        "issuers resolve other fingerprints"
    };
    format!("{} and {} more {noun}", named.join(", "), count(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("s{i}")).collect()
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_995), "1,995");
        assert_eq!(count(1_000_999), "1,000,999");
    }

    #[test]
    fn lists_name_five_and_count_the_rest() {
        assert_eq!(list(&names(1), 1), "s1");
        assert_eq!(list(&names(2), 2), "s1 and s2");
        assert_eq!(list(&names(3), 3), "s1, s2 and s3");
        assert_eq!(list(&names(5), 2_000), "s1, s2, s3, s4, s5 and 1,995 more");
        assert_eq!(references(&names(2), 2), "s1 and s2");
        assert_eq!(
            references(&names(5), 6),
            "s1, s2, s3, s4, s5 and 1 more issuer resolves another fingerprint"
        );
    }
}

//! The services × keys matrix of a consistency result: what each service
//! holds of every key in the fleet, and where a token would be refused. A
//! picture of [`Consistency`] for people (the CLI's `check` draws it), by the
//! same rules as [`super::check_consistency`]: an issuer signs with its
//! `current`, a verifier accepts all its keys, a service without a role is both.

use super::{Consistency, Member};

/// What one service holds of one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCell {
    /// Its `current` key.
    Current,
    /// Its `next` key.
    Next,
    /// Its `previous` key.
    Previous,
    /// It verifies but does not hold this key, which some service signs with
    /// (its `current`): tokens signed with it are refused here (a 401).
    Missing,
    /// It does not hold this key, and that refuses nothing.
    Absent,
}

impl KeyCell {
    /// `current`, `next`, `previous`, `missing` or `absent`.
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyCell::Current => "current",
            KeyCell::Next => "next",
            KeyCell::Previous => "previous",
            KeyCell::Missing => "missing",
            KeyCell::Absent => "absent",
        }
    }
}

/// One service's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRow<'a> {
    /// The service (its role, environment, source, next and previous).
    pub member: &'a Member,
    /// The fingerprint of its `current` key.
    pub fingerprint: &'a str,
    /// One cell per [`KeyMatrix::keys`], in that order.
    pub cells: Vec<KeyCell>,
}

/// Services down one side, key fingerprints across.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyMatrix<'a> {
    /// The distinct fingerprints: the groups' `current` keys in group order,
    /// then the `next` and `previous` keys no service holds as `current`, in
    /// order of first appearance.
    pub keys: Vec<&'a str>,
    /// Whether some service signs with each key (its `current`, from a
    /// service that is not a declared verifier); same order as `keys`.
    pub signed: Vec<bool>,
    /// One row per resolved service, in group order (the services that failed
    /// to resolve have no keys: [`Consistency::failures`]).
    pub rows: Vec<KeyRow<'a>>,
}

impl Consistency {
    /// The services × keys matrix of this result. Linear in the services
    /// times the distinct keys (few: a fleet holds one to three in a rotation).
    pub fn key_matrix(&self) -> KeyMatrix<'_> {
        let members = || {
            self.groups
                .iter()
                .flat_map(|g| g.services.iter().map(move |m| (m, g.fingerprint.as_str())))
        };
        let mut keys: Vec<&str> = self.groups.iter().map(|g| g.fingerprint.as_str()).collect();
        for (m, _) in members() {
            for fp in [&m.next, &m.previous].into_iter().flatten() {
                if !keys.contains(&fp.as_str()) {
                    keys.push(fp);
                }
            }
        }
        let signed: Vec<bool> = self
            .groups
            .iter()
            .map(|g| g.services.iter().any(Member::signs))
            .chain(std::iter::repeat(false))
            .take(keys.len())
            .collect();
        let rows = members()
            .map(|(m, current)| KeyRow {
                member: m,
                fingerprint: current,
                cells: keys
                    .iter()
                    .zip(&signed)
                    .map(|(&key, &signed)| {
                        if key == current {
                            KeyCell::Current
                        } else if m.next.as_deref() == Some(key) {
                            KeyCell::Next
                        } else if m.previous.as_deref() == Some(key) {
                            KeyCell::Previous
                        } else if signed && m.verifies() {
                            KeyCell::Missing
                        } else {
                            KeyCell::Absent
                        }
                    })
                    .collect(),
            })
            .collect();
        KeyMatrix { keys, signed, rows }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::KeyCell::{Absent, Current, Missing, Next, Previous};
    use crate::check_consistency;

    const A: &str = "aaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbb";
    const C: &str = "cccccccccccccccc";

    fn report(service: &str, role: Option<&str>, keys: &[(&str, &str)]) -> Value {
        let keys: Vec<Value> = keys
            .iter()
            .map(|(slot, fp)| json!({"slot": slot, "source": {"name": "JWT_SECRET"}, "fingerprint": fp}))
            .collect();
        let mut r = json!({"schema": "jwt-accord/resolution/v2", "service": service,
            "environment": "staging", "source": {"name": "JWT_SECRET"},
            "fingerprint": keys[0]["fingerprint"], "keys": keys});
        if let Some(role) = role {
            r["role"] = role.into();
        }
        r
    }

    #[test]
    fn drift_marks_the_verifier_cells_that_refuse() {
        let c = check_consistency(&[
            report("auth", Some("issuer"), &[("current", A)]),
            report("api", Some("verifier"), &[("current", B)]),
            report("ws", Some("verifier"), &[("current", A), ("previous", C)]),
        ]);
        let m = c.key_matrix();
        assert_eq!(m.keys, [A, B, C]);
        assert_eq!(m.signed, [true, false, false]);
        let rows: Vec<(&str, Vec<_>)> = m
            .rows
            .iter()
            .map(|r| (r.member.service.as_str(), r.cells.clone()))
            .collect();
        assert_eq!(
            rows,
            [
                ("auth", vec![Current, Absent, Absent]),
                ("ws", vec![Current, Absent, Previous]),
                ("api", vec![Missing, Current, Absent]),
            ]
        );
    }

    #[test]
    fn a_rotation_has_no_missing_cell_and_services_without_roles_both_sign_and_verify() {
        let c = check_consistency(&[
            report("auth", None, &[("current", A), ("next", B)]),
            report("api", None, &[("current", A), ("next", B)]),
        ]);
        let m = c.key_matrix();
        assert!(m.rows.iter().all(|r| r.cells == [Current, Next]));
        let drift = check_consistency(&[
            report("auth", None, &[("current", A)]),
            report("api", None, &[("current", B)]),
        ]);
        let m = drift.key_matrix();
        assert_eq!(m.rows[0].cells, [Current, Missing]);
        assert_eq!(m.rows[1].cells, [Missing, Current]);
    }
}

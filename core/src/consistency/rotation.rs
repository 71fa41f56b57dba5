//! What a rotation in progress waits for (docs/spec.md §14): pre-seed `next`
//! on every service, switch the issuers to it, retire the keys no issuer signs
//! with any more. Linear: each service holds at most three keys.

use super::findings::{list, NAMED};
use super::{Distinct, Resolved, Rotation, RotationStep};

/// The next step, with its finding pushed onto `findings`; `None` when no
/// service holds a key beyond what the issuers sign with. `signed` holds
/// the `current` keys of the services that sign. Call only without drift.
pub(super) fn next_step(
    resolved: &[Resolved],
    signed: &Distinct<'_>,
    findings: &mut Vec<String>,
) -> Option<Rotation> {
    if signed.len() == 0 {
        return None;
    }
    let mut nexts = Distinct::new();
    for (i, r) in resolved.iter().enumerate() {
        if let Some(next) = &r.member.next {
            nexts.add(next, i);
        }
    }
    if nexts.len() > 0 {
        let lacking: Vec<&Resolved> = resolved
            .iter()
            .filter(|r| nexts.missing_for(r) > 0)
            .collect();
        if !lacking.is_empty() {
            findings.push(format!(
                "switching the issuers to next {} is unsafe: {} {} not accept it yet; pre-seed \
                 it there first",
                keys(&nexts),
                services(&lacking),
                if lacking.len() == 1 { "does" } else { "do" }
            ));
            return Some(rotation(RotationStep::PreSeedNext, &nexts, &lacking));
        }
        let switching: Vec<&Resolved> = resolved
            .iter()
            .filter(|r| r.signs() && r.member.next.is_some())
            .collect();
        if !switching.is_empty() {
            findings.push(format!(
                "every service accepts next {}: switching {} to it is safe",
                keys(&nexts),
                services(&switching)
            ));
            return Some(rotation(RotationStep::SwitchIssuers, &nexts, &switching));
        }
    }
    let mut unused = Distinct::new();
    let mut holding = Vec::new();
    for (i, r) in resolved.iter().enumerate() {
        let (current, next, previous) = r.key_set();
        let mut holds = false;
        for fp in [Some(current), next, previous].into_iter().flatten() {
            if !signed.contains(fp) {
                unused.add(fp, i);
                holds = true;
            }
        }
        if holds {
            holding.push(r);
        }
    }
    if holding.is_empty() {
        return None;
    }
    findings.push(format!(
        "no issuer signs with {} any more: retire {} from {} once the longest token lifetime \
         has passed",
        keys(&unused),
        if unused.len() == 1 { "it" } else { "them" },
        services(&holding)
    ));
    Some(rotation(RotationStep::RetirePrevious, &unused, &holding))
}

fn rotation(step: RotationStep, keys: &Distinct<'_>, services: &[&Resolved]) -> Rotation {
    Rotation {
        step,
        keys: keys.values.iter().map(|(fp, _)| (*fp).to_owned()).collect(),
        waiting_for: services.iter().map(|r| r.member.service.clone()).collect(),
    }
}

/// The first five fingerprints, counting the rest.
fn keys(keys: &Distinct<'_>) -> String {
    let named: Vec<String> = keys
        .values
        .iter()
        .take(NAMED)
        .map(|(fp, _)| (*fp).to_owned())
        .collect();
    list(&named, keys.len())
}

/// The first five services, counting the rest.
fn services(services: &[&Resolved]) -> String {
    let named: Vec<String> = services
        .iter()
        .take(NAMED)
        .map(|r| r.member.service.clone())
        .collect();
    list(&named, services.len())
}

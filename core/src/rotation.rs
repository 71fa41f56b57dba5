//! Rotation slots (docs/spec.md §14): a resolution holds up to three keys,
//! `current` (signs and verifies), `next` and `previous` (verify only), taken
//! from the companions of the winning source.

use std::fmt;

/// The slot of a held key.
///
/// A rotation keyring: a verifier pre-seeded with `JWT_SECRET_STAGING_NEXT`
/// accepts tokens from issuers that already switched to it, and says so.
///
/// ```
/// use std::collections::HashMap;
/// use jwt_accord::{resolve, Key, KeySlot, SignOptions, Signer, Verifier, VerifyOptions};
///
/// let old = "staging-secret-in-use-today-7f3a9c2e5b8d1f4a";
/// let new = "staging-secret-of-tomorrow-0b1c2d3e4f5a6b7c";
/// let verifier_vars: HashMap<String, String> = [
///     ("JWT_SECRET_STAGING", old),
///     ("JWT_SECRET_STAGING_NEXT", new),
/// ]
/// .into_iter()
/// .map(|(k, v)| (k.to_owned(), v.to_owned()))
/// .collect();
/// let resolution = resolve(&verifier_vars, &(), Some("staging"))?;
/// let slots: Vec<KeySlot> = resolution.keys().iter().map(|k| k.slot).collect();
/// assert_eq!(slots, [KeySlot::Current, KeySlot::Next]);
/// assert!(resolution.summary().contains(" next=sha256:"));
///
/// // The keyring: current, next, previous. A signer signs with current.
/// let keys = Key::from_resolution(&resolution);
/// let claims = serde_json::json!({"sub": "user-1"});
/// let options = SignOptions { expires_in: Some(900), ..Default::default() };
/// let ours = Signer::new(keys.clone(), options.clone()).sign(&claims, 1_700_000_000)?;
///
/// // An issuer that already switched signs with the new secret.
/// let switched = Signer::new(Key::from_text(new)?, options).sign(&claims, 1_700_000_000)?;
///
/// let verifier = Verifier::new(keys, VerifyOptions::default());
/// assert_eq!(verifier.verify(&ours, 1_700_000_100)?.key_slot, Some(KeySlot::Current));
/// assert_eq!(verifier.verify(&switched, 1_700_000_100)?.key_slot, Some(KeySlot::Next));
/// # Ok::<(), jwt_accord::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeySlot {
    /// The winning source itself: signs and verifies.
    Current,
    /// `S_NEXT` / `S-next`: verifies only, pre-seeded before issuers switch to it.
    Next,
    /// `S_PREVIOUS` / `S-previous`: verifies only, until tokens signed with it expire.
    Previous,
}

impl KeySlot {
    /// `current`, `next` or `previous`, as in the JSON form and in `key_slot`.
    pub const fn as_str(self) -> &'static str {
        match self {
            KeySlot::Current => "current",
            KeySlot::Next => "next",
            KeySlot::Previous => "previous",
        }
    }

    /// The slot named `text`, if any.
    pub fn parse(text: &str) -> Option<KeySlot> {
        match text {
            "current" => Some(KeySlot::Current),
            "next" => Some(KeySlot::Next),
            "previous" => Some(KeySlot::Previous),
            _ => None,
        }
    }
}

impl fmt::Display for KeySlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The companion slots, in keyring order.
pub(crate) const COMPANIONS: [KeySlot; 2] = [KeySlot::Next, KeySlot::Previous];

/// The name of `source`'s companion in `slot`: `S_NEXT` / `S_PREVIOUS` for a
/// variable, `S-next` / `S-previous` for a store entry.
pub(crate) fn companion_name(source: &str, store: bool, slot: KeySlot) -> String {
    match (store, slot) {
        (false, KeySlot::Next) => format!("{source}_NEXT"),
        (false, _) => format!("{source}_PREVIOUS"),
        (true, KeySlot::Next) => format!("{source}-next"),
        (true, _) => format!("{source}-previous"),
    }
}

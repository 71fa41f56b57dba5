//! Rotation slots (docs/spec.md §14): a resolution holds up to three keys,
//! `current` (signs and verifies), `next` and `previous` (verify only), taken
//! from the companions of the winning source.

use std::fmt;

/// The slot of a held key.
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

//! The segment codec (`jwt_accord::token::base64url`) against the `base64`
//! crate's `URL_SAFE_NO_PAD`, which accepts exactly canonical unpadded
//! base64url: the same bytes out, the same strings accepted and refused.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jwt_accord::token::base64url;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn encodes_as_the_base64_crate(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let ours = base64url::encode(&bytes);
        prop_assert_eq!(&ours, &URL_SAFE_NO_PAD.encode(&bytes));
        prop_assert_eq!(base64url::decode(&ours), Some(bytes));
    }

    #[test]
    fn accepts_and_refuses_as_the_base64_crate(text in "[A-Za-z0-9_=+/ .-]{0,24}") {
        prop_assert_eq!(base64url::decode(&text), URL_SAFE_NO_PAD.decode(&text).ok());
    }

    #[test]
    fn refuses_stray_bits_as_the_base64_crate(text in "[A-Za-z0-9_-]{0,23}") {
        // Mostly valid characters: lengths 4n+2 and 4n+3 with non-zero stray bits.
        prop_assert_eq!(base64url::decode(&text), URL_SAFE_NO_PAD.decode(&text).ok());
    }
}

#[test]
fn known_cases() {
    assert_eq!(base64url::encode(b""), "");
    assert_eq!(base64url::encode(b"f"), "Zg");
    assert_eq!(base64url::encode(b"fo"), "Zm8");
    assert_eq!(base64url::encode(b"foo"), "Zm9v");
    assert_eq!(base64url::encode(&[0xfb, 0xff]), "-_8");
    assert_eq!(base64url::decode("-_8"), Some(vec![0xfb, 0xff]));
    for refused in [
        "Z", "Zh", "Zm9", "Zg==", "Zm+v", "Zm/v", "Zm9v\n", "Zm 9v", "é",
    ] {
        assert_eq!(base64url::decode(refused), None, "{refused:?}");
    }
    // "Zh" has stray bits ("Zg" is the canonical form of "f").
    assert_eq!(base64url::decode("Zg"), Some(b"f".to_vec()));
}

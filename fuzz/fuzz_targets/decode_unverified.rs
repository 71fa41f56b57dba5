//! `decode_unverified` on arbitrary text; byte 0 odd = the rest is
//! `header \n claims`, base64url-encoded into a token so the JSON parser runs.
#![no_main]

use jwt_accord::{decode_unverified, ErrorCode};
use jwt_accord_fuzz::signed_token;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let token = if mode & 1 == 1 {
        signed_token(rest, 0)
    } else {
        String::from_utf8_lossy(rest).into_owned()
    };
    match decode_unverified(&token) {
        Ok(_) => assert!(token.len() <= jwt_accord::DEFAULT_MAX_TOKEN_BYTES),
        Err(e) => assert!(
            matches!(e.code(), ErrorCode::Malformed | ErrorCode::TokenTooLarge),
            "{e}"
        ),
    }
});

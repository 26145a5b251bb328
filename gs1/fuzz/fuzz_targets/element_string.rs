//! Element strings: no panic on any bytes, and parse -> render -> parse is stable.
#![no_main]

use gs1::element::{AiString, Options, Validations};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    for permit_unknown_ais in [false, true] {
        for validations in [Validations::default(), Validations::NONE] {
            let opts = Options { permit_unknown_ais, validations };
            // Unknown AIs can only be read back unbracketed where their length is known, as in
            // GS1's engine, so only messages of known AIs must round-trip that way.
            if let Ok(m) = AiString::parse_bracketed(s, &opts).map_err(drop).and_then(|m| if m.iter().all(|e| e.known) { Ok(m) } else { Err(()) }) {
                let again = AiString::parse_unbracketed(m.as_unbracketed(), &opts)
                    .unwrap_or_else(|e| panic!("{s:?} -> {:?} does not reparse: {e}", m.as_unbracketed()));
                assert_eq!(again.to_bracketed(), m.to_bracketed(), "{s:?}");
            }
            if let Ok(m) = AiString::parse_unbracketed(s, &opts) {
                let bracketed = m.to_bracketed();
                let again = AiString::parse_bracketed(&bracketed, &opts)
                    .unwrap_or_else(|e| panic!("{s:?} -> {bracketed:?} does not reparse: {e}"));
                assert_eq!(again.to_bracketed(), bracketed, "{s:?}");
                let _ = m.hri(true);
            }
        }
    }
});

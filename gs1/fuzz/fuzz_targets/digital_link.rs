//! Digital Link URIs: no panic on any bytes; parse -> canonical -> parse keeps the AIs; compress
//! -> decompress keeps the AIs.
#![no_main]

use gs1::digital_link::{CompressOptions, DigitalLink, DlOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let opts = DlOptions::default();
    let _ = DigitalLink::decompress(s, &opts);
    let Ok(dl) = DigitalLink::parse(s, &opts) else { return };
    let canonical = dl.to_canonical(None);
    let again = DigitalLink::parse(&canonical, &opts).unwrap_or_else(|e| panic!("{s:?} -> {canonical:?} does not reparse: {e}"));
    assert_eq!(again.ai_string().to_bracketed(), dl.ai_string().to_bracketed(), "{s:?}");
    // Generation from the bare message may legitimately fail where the URI's path held a
    // qualifier that cannot be a query attribute (e.g. /01/.../235/...?10=...), as in GS1's engine.
    if let Ok(built) = dl.ai_string().to_digital_link(None) {
        DigitalLink::parse(&built, &opts).unwrap_or_else(|e| panic!("{s:?} -> {built:?} does not reparse: {e}"));
    }
    if let Ok(packed) = dl.to_compressed(None, &CompressOptions::default()) {
        let back = DigitalLink::decompress(&packed, &opts).unwrap_or_else(|e| panic!("{s:?} -> {packed:?} does not decompress: {e}"));
        let mut want: Vec<String> = dl.ai_string().iter().map(|e| format!("({}){}", e.ai, e.value)).collect();
        let mut got: Vec<String> = back.ai_string().iter().map(|e| format!("({}){}", e.ai, e.value)).collect();
        want.sort();
        got.sort();
        want.dedup();
        got.dedup();
        assert_eq!(got, want, "{s:?} -> {packed:?}");
    }
});

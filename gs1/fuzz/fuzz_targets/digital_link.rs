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
    // The canonical form orders query attributes (predefined-length AIs first), so compare the
    // AIs as a set.
    assert_eq!(sorted(&again), sorted(&dl), "{s:?} -> {canonical:?}");
    // Generation from the bare message may legitimately fail where the URI's path held a
    // qualifier that cannot be a query attribute (e.g. /01/.../235/...?10=...), as in GS1's engine.
    if let Ok(built) = dl.ai_string().to_digital_link(None) {
        DigitalLink::parse(&built, &opts).unwrap_or_else(|e| panic!("{s:?} -> {built:?} does not reparse: {e}"));
    }
    if let Ok(packed) = dl.to_compressed(None, &CompressOptions::default()) {
        let back = DigitalLink::decompress(&packed, &opts).unwrap_or_else(|e| panic!("{s:?} -> {packed:?} does not decompress: {e}"));
        assert_eq!(sorted(&back), sorted(&dl), "{s:?} -> {packed:?}");
    }
});

/// The link's AIs as `(ai)value` strings, sorted, repeats once.
fn sorted(dl: &DigitalLink) -> Vec<String> {
    let mut v: Vec<String> = dl.ai_string().iter().map(|e| format!("({}){}", e.ai, e.value)).collect();
    v.sort();
    v.dedup();
    v
}

//! Scanner output and `identify`: no panic on any bytes, and parse -> render -> parse is stable.
#![no_main]

use gs1::{
    date::Date,
    element::Options,
    scan::{ScanData, identify},
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let today = Date::new(2026, 11, 22).unwrap();
    let _ = identify(s, today);
    let opts = Options::default();
    if let Ok(scan) = ScanData::parse(s, &opts) {
        let rendered = ScanData::render(&scan.data, scan.symbology, false)
            .unwrap_or_else(|e| panic!("{s:?} parsed but does not render: {e}"));
        let again = ScanData::parse(&rendered, &opts).unwrap_or_else(|e| panic!("{s:?} -> {rendered:?} does not reparse: {e}"));
        assert_eq!(again.data.as_data_str(), scan.data.as_data_str(), "{s:?}");
    }
});

//! `check_consistency` on arbitrary JSON: an array is the list of reports,
//! anything else one report.
#![no_main]

use jwt_accord::{check_consistency, Status};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let reports = match value {
        Value::Array(reports) => reports,
        one => vec![one],
    };
    let result = check_consistency(&reports);
    let _ = result.to_json_value().to_string();
    // Every report lands in exactly one group or in the failures.
    let grouped: usize = result.groups.iter().map(|g| g.services.len()).sum();
    assert_eq!(grouped + result.failures.len(), reports.len());
    if result.status == Status::Consistent {
        assert!(result.groups.len() == 1 && result.failures.is_empty());
    }
});

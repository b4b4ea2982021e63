//! Access to the shared benchmark data beside the repository.
// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::PathBuf;

/// `shared/benchmarks`, found relative to this crate (`../../../shared/benchmarks`). Panics
/// with a clear message when it is missing: these tests must never silently skip.
pub fn benchmarks() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/benchmarks");
    assert!(
        dir.join("README.md").is_file(),
        "benchmark data not found at {}: clone the repository beside a copy of `shared/` \
         (so that shared/benchmarks/README.md exists) and run the tests again",
        dir.display()
    );
    dir
}

/// Reads a file under `shared/benchmarks`, panicking with the path on failure.
pub fn read(rel: &str) -> String {
    let path = benchmarks().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Rows of a CSV file with a header, as (header → value) maps. The benchmark CSVs have no
/// quoted commas.
pub fn csv(rel: &str) -> Vec<std::collections::HashMap<String, String>> {
    let text = read(rel);
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or_else(|| panic!("{rel} is empty"))
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

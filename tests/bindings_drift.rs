//! The committed TypeScript bindings must be exactly what the Rust types
//! generate; otherwise the UI compiles against a boundary that is not there.

#[test]
fn committed_bindings_match_the_rust_types() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(root.join("ui/src/bindings.ts")).expect("ui/src/bindings.ts is committed");
    let dir = tempfile::tempdir().unwrap();
    let fresh_path = dir.path().join("bindings.ts");
    devteam_app::export_bindings(&fresh_path).expect("bindings generate");
    let fresh = std::fs::read_to_string(&fresh_path).unwrap();
    assert!(
        committed == fresh,
        "ui/src/bindings.ts is stale: run `scripts/dev bindings` and commit the result"
    );
}

#[test]
fn no_64_bit_integer_crosses_as_a_number() {
    // specta refuses i64/u64 by default; this guards the setting itself.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(root.join("ui/src/bindings.ts")).unwrap();
    assert!(!committed.contains("bigint"), "a 64-bit integer leaked into the bindings");
}

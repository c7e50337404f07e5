#![no_main]
// CSL-JSON references.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = dossier_export::references::read_csl_json(&doc);
    }
});

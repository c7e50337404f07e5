#![no_main]
// W3C / Hypothesis annotation JSON.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = dossier_export::w3c::looks_like_annotations(&doc);
        let _ = dossier_export::w3c::parse(&doc);
    }
});

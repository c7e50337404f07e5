#![no_main]
// Any bytes named *.txt must give text or an error — never a panic, hang or crash.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = dossier_ingest::extract_unisolated(data, "fuzz.txt");
});

#![no_main]
// RIS.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = dossier_export::references::read_ris(&String::from_utf8_lossy(data));
});

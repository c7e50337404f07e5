#![no_main]
// BibTeX / biblatex.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = dossier_export::references::read_bibtex(&String::from_utf8_lossy(data));
});

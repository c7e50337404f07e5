#![no_main]
// A REFI-QDA archive, and its project.qde on its own.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(mut archive) = dossier_export::qda::QdpxArchive::open(data) {
        let names: Vec<String> = archive
            .project
            .sources
            .iter()
            .flat_map(|s| [Some(&s.text), s.pdf.as_ref()])
            .filter_map(|t| match t {
                Some(dossier_export::qda::SourceText::Internal(rel)) => Some(rel.clone()),
                _ => None,
            })
            .collect();
        for rel in names {
            let _ = archive.source(&rel);
        }
    }
    if let Ok(xml) = std::str::from_utf8(data) {
        let _ = dossier_export::qda::parse_project(xml);
    }
});

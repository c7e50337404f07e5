//! Language detection for articles that do not declare one.

/// A BCP 47 tag for `text`: `de`, `en`, `zh`… or `und` when nothing can be told.
pub fn detect_language(text: &str) -> String {
    // A prefix is plenty and keeps detection cheap on long articles.
    let sample: String = text.chars().take(4000).collect();
    let Some(info) = whatlang::detect(&sample) else {
        return "und".into();
    };
    use whatlang::Lang::*;
    let tag = match info.lang() {
        Deu => "de",
        Eng => "en",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Fra => "fr",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Rus => "ru",
        Ukr => "uk",
        Nld => "nl",
        Pol => "pl",
        Swe => "sv",
        Dan => "da",
        Tur => "tr",
        Ara => "ar",
        other => return other.code().to_string(),
    };
    tag.to_string()
}

//! Which characters belong to scripts written without spaces between words:
//! one definition for extraction, language detection and search analysis.

/// Han, kana and Hangul: the letters of Chinese, Japanese and Korean.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x3134F  // CJK Extensions B–H (beyond the BMP)
    )
}

/// CJK punctuation and full-width forms (`。`, `，`, `（`): not letters, but
/// like them never separated by spaces.
pub fn is_cjk_punctuation(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFF60)
}

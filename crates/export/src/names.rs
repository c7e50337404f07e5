//! File names that every desktop OS accepts.

/// A file name stem from free text: no path separators or characters Windows
/// rejects, no control characters, no trailing dots or spaces, not a reserved
/// device name (CON, NUL, COM1…), at most 80 characters. Never empty.
pub fn safe_file_name(raw: &str) -> String {
    let mut name: String = raw
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*') {
                '_'
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    name = name.chars().take(80).collect();
    let trimmed = name
        .trim_matches(|c: char| c == '.' || c == ' ')
        .to_string();
    let stem = trimmed.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    match (trimmed.is_empty(), reserved) {
        (true, _) => "untitled".to_string(),
        (false, true) => format!("_{trimmed}"),
        _ => trimmed,
    }
}

/// The part of an id that goes into a file name beside a title, so two articles
/// with the same title (or titles that differ only in case, which Windows and
/// macOS treat as one name) get two files: the last 12 hex digits of a UUID,
/// all random in a UUIDv7 (48 bits: among 100 000 articles a clash has odds of
/// about 1 in 50 000; the folder writer refuses one rather than overwrite).
pub fn id_suffix(id: &str) -> &str {
    let tail = id.rsplit('-').next().unwrap_or(id);
    let mut start = tail.len().saturating_sub(12);
    while !tail.is_char_boundary(start) {
        start += 1;
    }
    &tail[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_and_reserved_names_become_safe() {
        assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_name("a:b*c?\"d\"<e>|f\\g"), "a_b_c__d__e__f_g");
        assert_eq!(safe_file_name("CON"), "_CON");
        assert_eq!(safe_file_name("com1.txt"), "_com1.txt");
        assert_eq!(safe_file_name("..."), "untitled");
        assert_eq!(safe_file_name("Bericht. "), "Bericht");
        assert_eq!(safe_file_name("模型 😀").as_str(), "模型 😀");
        assert_eq!(safe_file_name(&"x".repeat(200)).len(), 80);
    }
}

//! Language detection for articles that do not declare one (or declare one
//! their text contradicts).
//!
//! A text's language is decided by its blocks, over the whole text (blocks
//! sampled evenly when there are many), each weighted by how much it says:
//! a CJK character carries about as much as a short Latin word, so a Chinese
//! article full of English commands and model names (`pip install`, Qwen,
//! GPU) is Chinese, although most of its letters are Latin. Script decides
//! CJK blocks (Han → zh, with kana → ja, Hangul → ko); whatlang decides the
//! Latin ones that are long enough to tell; short Latin blocks (commands,
//! names) count for the text's main Latin language.

use dossier_model::LanguageShare;

/// At most this many characters of a text are looked at (spread over it).
const SAMPLE_CHARS: usize = 30_000;
/// Characters of one block that are looked at.
const BLOCK_CHARS: usize = 2_000;
/// Latin blocks whatlang reads per text, at most.
const MAX_TOLD_BLOCKS: usize = 48;
/// Characters of a Latin block whatlang reads (it is sure well before this).
const WHATLANG_CHARS: usize = 600;
/// A Latin block shorter than this (in characters) is not given to whatlang.
const MIN_LATIN_BLOCK: usize = 40;
/// From this share of CJK (in word units, code-like blocks left out) on, a
/// text's main language is its CJK one.
const CJK_MAIN_SHARE: f64 = 0.4;

/// The longest declared language tag taken (BCP 47 allows 35 characters
/// for the tags registered in practice).
const MAX_TAG_CHARS: usize = 35;

/// The languages of a text with their shares (summing to 1), largest first.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageMix {
    pub shares: Vec<LanguageShare>,
}

impl LanguageMix {
    /// The main language, `und` when nothing could be told.
    pub fn main(&self) -> &str {
        self.shares.first().map_or("und", |l| l.tag.as_str())
    }

    pub fn share(&self, tag: &str) -> f32 {
        self.shares
            .iter()
            .find(|l| l.tag == tag)
            .map_or(0.0, |l| l.share)
    }
}

/// A BCP 47 tag for `text`: `de`, `en`, `zh`… or `und` when nothing can be told.
pub fn detect_language(text: &str) -> String {
    detect_mix(text).main().to_string()
}

/// The language to store for a text that declares `declared` (HTML `lang`,
/// EPUB/DOCX metadata): the declaration wins when the text does not plainly
/// contradict it (a page declared `en` whose text is mostly Chinese is `zh`).
pub fn language_for(text: &str, declared: Option<&str>) -> String {
    languages_for(text, declared).0
}

/// `language_for` with the mix it was decided on (the text's languages and
/// their shares), so callers that store both detect once.
pub fn languages_for(text: &str, declared: Option<&str>) -> (String, LanguageMix) {
    // A declaration comes from the file (HTML `lang`, EPUB/ODT metadata, front
    // matter, PDF `/Lang`): only something shaped like a BCP 47 tag is taken.
    let declared = declared.map(str::trim).filter(|d| {
        !d.is_empty()
            && d.len() <= MAX_TAG_CHARS
            && d.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && !d.eq_ignore_ascii_case("und")
    });
    let mix = detect_mix(text);
    let tag = match declared {
        Some(d) => {
            let primary = d.split(['-', '_']).next().unwrap_or(d).to_ascii_lowercase();
            let contradicted = mix.main() != "und"
                && mix.main() != primary
                && mix.share(&primary) < 0.2
                && mix.shares.first().is_some_and(|l| l.share >= 0.6);
            if contradicted {
                mix.main().to_string()
            } else {
                d.to_string()
            }
        }
        None => mix.main().to_string(),
    };
    (tag, mix)
}

#[derive(Default)]
struct Counts {
    han: usize,
    kana: usize,
    hangul: usize,
    latin_words: usize,
    latin_chars: usize,
    /// Characters that are neither letters nor spaces (digits, punctuation, symbols).
    other: usize,
}

fn count(block: &str) -> Counts {
    let mut c = Counts::default();
    let mut in_word = false;
    for ch in block.chars().take(BLOCK_CHARS) {
        match ch as u32 {
            0x3040..=0x30FF => {
                c.kana += 1;
                in_word = false;
            }
            0xAC00..=0xD7AF | 0x1100..=0x11FF => {
                c.hangul += 1;
                in_word = false;
            }
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F => {
                c.han += 1;
                in_word = false;
            }
            _ if ch.is_alphabetic() => {
                c.latin_chars += 1;
                if !in_word {
                    c.latin_words += 1;
                    in_word = true;
                }
            }
            _ => {
                if !ch.is_whitespace() {
                    c.other += 1;
                }
                in_word = false;
            }
        }
    }
    c
}

/// A Latin block long enough, and prose enough, for whatlang to read.
fn is_candidate(c: &Counts) -> bool {
    let cjk = c.han + c.kana + c.hangul;
    cjk < c.latin_words && c.latin_chars >= MIN_LATIN_BLOCK && !looks_like_code(c)
}

/// Commands, paths, tables of codes: as many symbols and digits as letters
/// over three. Such blocks say little about the language a text is written in.
fn looks_like_code(c: &Counts) -> bool {
    c.other * 3 > c.latin_chars
}

fn whatlang_tag(lang: whatlang::Lang) -> String {
    use whatlang::Lang::*;
    match lang {
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
    }
    .to_string()
}

/// Blocks of the canonical text (joined by blank lines), sampled evenly so
/// that at most `SAMPLE_CHARS` characters are looked at.
fn sampled_blocks(text: &str) -> Vec<&str> {
    let blocks: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .collect();
    let total: usize = blocks.iter().map(|b| b.len().min(BLOCK_CHARS * 3)).sum();
    // Bytes stand in for characters here: a ratio, not a count.
    let budget = SAMPLE_CHARS * 3;
    if total <= budget {
        return blocks;
    }
    let step = total as f64 / budget as f64;
    let mut out = Vec::new();
    let mut next = 0.0f64;
    let mut seen = 0.0f64;
    for b in blocks {
        if seen >= next {
            out.push(b);
            next += step * b.len().min(BLOCK_CHARS * 3) as f64;
        }
        seen += b.len().min(BLOCK_CHARS * 3) as f64;
    }
    out
}

/// The languages of `text` and their shares.
pub fn detect_mix(text: &str) -> LanguageMix {
    let mut weights: Vec<(String, f64)> = Vec::new();
    fn add(weights: &mut Vec<(String, f64)>, tag: String, w: f64) {
        match weights.iter_mut().find(|(t, _)| *t == tag) {
            Some((_, x)) => *x += w,
            None => weights.push((tag, w)),
        }
    }
    let mut short_latin = 0.0f64;
    let mut latin_sample = String::new();
    let counted: Vec<(&str, Counts)> = sampled_blocks(text)
        .into_iter()
        .map(|b| (b, count(b)))
        .collect();
    // whatlang reads at most MAX_TOLD_BLOCKS Latin blocks, spread evenly; each
    // speaks for the `stride` blocks around it.
    let candidates = counted.iter().filter(|(_, c)| is_candidate(c)).count();
    let stride = candidates.div_ceil(MAX_TOLD_BLOCKS).max(1);
    let mut candidate = 0usize;
    for (block, c) in counted {
        let cjk = c.han + c.kana + c.hangul;
        if cjk == 0 && c.latin_words == 0 {
            continue;
        }
        if cjk >= c.latin_words {
            // The CJK characters carry the block; its Latin words (names,
            // commands) count with it.
            let tag = if c.hangul > c.han + c.kana {
                "ko"
            } else if c.kana * 10 > c.han {
                "ja"
            } else {
                "zh"
            };
            add(&mut weights, tag.into(), (cjk + c.latin_words) as f64);
            continue;
        }
        // A Latin block; its CJK characters (if any) count for CJK.
        if cjk > 0 {
            add(
                &mut weights,
                if c.kana * 10 > c.han {
                    "ja".into()
                } else {
                    "zh".into()
                },
                cjk as f64,
            );
        }
        if looks_like_code(&c) {
            // Commands, paths, tables: written in no language (a Chinese manual's
            // shell commands do not make it English).
            continue;
        }
        if !is_candidate(&c) {
            // Short prose: too little to tell; counts for the main Latin language.
            short_latin += c.latin_words as f64;
            continue;
        }
        candidate += 1;
        if !(candidate - 1).is_multiple_of(stride) {
            continue;
        }
        let weight = (c.latin_words * stride) as f64;
        let sample: String = block.chars().take(WHATLANG_CHARS).collect();
        // Only a block whatlang is sure of counts for its own language; the rest
        // goes to the text's main Latin language.
        match whatlang::detect(&sample).filter(|i| i.is_reliable()) {
            Some(info) => add(&mut weights, whatlang_tag(info.lang()), weight),
            None => {
                short_latin += weight;
                if latin_sample.len() < SAMPLE_CHARS {
                    latin_sample.push_str(&sample);
                    latin_sample.push('\n');
                }
            }
        }
    }
    // Unsure Latin blocks belong to the main language of the sure ones; when
    // no block was sure, to what their text read together says.
    if short_latin > 0.0 {
        let main_latin = weights
            .iter()
            .filter(|(t, _)| !matches!(t.as_str(), "zh" | "ja" | "ko"))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(t, _)| t.clone())
            .or_else(|| {
                let sample = if latin_sample.trim().is_empty() {
                    text.chars().take(SAMPLE_CHARS).collect()
                } else {
                    latin_sample
                };
                whatlang::detect(&sample).map(|i| whatlang_tag(i.lang()))
            });
        if let Some(t) = main_latin {
            add(&mut weights, t, short_latin);
        }
    }
    // Nothing but code-like blocks (a short note that is mostly a link, a
    // command listing): the whole text, read together, is the best guess.
    if weights.is_empty() {
        let whole: String = text.chars().take(SAMPLE_CHARS).collect();
        if let Some(info) = whatlang::detect(&whole) {
            add(&mut weights, whatlang_tag(info.lang()), 1.0);
        }
    }
    // A text with a substantial share of CJK is a CJK text with Latin terms
    // (commands, names, code), not the other way round.
    let cjk: f64 = weights
        .iter()
        .filter(|(t, _)| matches!(t.as_str(), "zh" | "ja" | "ko"))
        .map(|(_, w)| w)
        .sum();
    let all: f64 = weights.iter().map(|(_, w)| w).sum();
    if cjk > 0.0 && cjk >= CJK_MAIN_SHARE * all {
        let top_cjk = weights
            .iter()
            .filter(|(t, _)| matches!(t.as_str(), "zh" | "ja" | "ko"))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(t, _)| t.clone())
            .unwrap_or_else(|| "zh".into());
        let mut shares = shares_of(weights);
        if let Some(i) = shares.iter().position(|l| l.tag == top_cjk) {
            let main = shares.remove(i);
            shares.insert(0, main);
        }
        return LanguageMix { shares };
    }
    LanguageMix {
        shares: shares_of(weights),
    }
}

/// Weights as shares summing to 1, largest first.
fn shares_of(weights: Vec<(String, f64)>) -> Vec<LanguageShare> {
    let total: f64 = weights.iter().map(|(_, w)| w).sum();
    let mut shares: Vec<LanguageShare> = weights
        .into_iter()
        .filter(|(_, w)| *w > 0.0)
        .map(|(tag, w)| LanguageShare {
            tag,
            share: (w / total) as f32,
        })
        .collect();
    shares.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.tag.cmp(&b.tag)));
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_with_english_commands_is_chinese() {
        let text = "安装\n\n使用 pip install transformers 命令安装，然后运行 python -m qwen.serve --model Qwen2-7B-Instruct --port 8000。\n\n\
                    export CUDA_VISIBLE_DEVICES=0,1 && torchrun --nproc_per_node 2 train.py --config configs/qwen.yaml\n\n\
                    模型的透明度和数据完整性是信任的核心。";
        assert_eq!(detect_language(text), "zh");
        let mix = detect_mix(text);
        assert!(mix.share("zh") > 0.5, "{mix:?}");
    }

    #[test]
    fn german_and_english_by_their_words() {
        assert_eq!(
            detect_language("Die Bundesregierung prüft, ob offene Modelle den Anforderungen an Transparenz genügen, und sie veröffentlicht ihre Ergebnisse im Frühjahr."),
            "de"
        );
        assert_eq!(
            detect_language("The government is reviewing whether open models meet the requirements for transparency, and it will publish its findings in spring."),
            "en"
        );
        assert_eq!(detect_language("   "), "und");
    }

    #[test]
    fn a_note_that_is_mostly_a_link_keeps_its_language() {
        let note = "Exportkontrollen wirken?\nWiderspruch zu [[claim:01a22d2e-811a-7380-8323-55ababce1972]]";
        assert_eq!(detect_language(note), "de");
    }

    #[test]
    fn a_contradicted_declaration_gives_way() {
        let zh = "开源模型的透明度和数据完整性仍然是信任的核心问题。阿里巴巴发布了通义千问的权重，百度发布了文心一言。";
        assert_eq!(language_for(zh, Some("en")), "zh");
        assert_eq!(language_for(zh, Some("zh-CN")), "zh-CN");
        let de = "Die Bundesregierung prüft, ob offene Modelle den Anforderungen an Transparenz genügen.";
        // A plausible declaration wins, even where detection would differ.
        assert_eq!(language_for(de, Some("de-AT")), "de-AT");
        // Not shaped like a tag: the text decides.
        assert_eq!(language_for(de, Some("<script>x</script>")), "de");
        assert_eq!(language_for(de, Some(&"x".repeat(36))), "de");
    }
}

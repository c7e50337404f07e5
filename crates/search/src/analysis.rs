//! Text analysis shared by indexing, querying and snippets.
//!
//! Positions are spaced two apart: a word or a CJK character takes position
//! `2k`, and the bigram starting at that character takes `2k + 1`. A phrase of
//! Han characters is then searched as its bigrams at offsets 0, 2, 4…, and a
//! single character in a field of its own ([`CjkChars`], no positions) — so
//! recall equals a substring scan for CJK, while alphabetic words keep
//! ordinary phrase semantics. Keeping single characters out of the positional
//! fields halves what Chinese text costs in the index.

use std::cell::RefCell;
use std::collections::HashMap;

use frostem::Algorithm;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
};

use crate::stem_cache::CachedStemmer;

/// Which tokens a CJK run produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Indexing and queries: bigrams for runs of two or more characters, the
    /// unigram of a run of one (single characters of longer runs are in [`CjkChars`]).
    Index,
    /// The same as `Index`, named for the query side.
    Query,
    /// Snippets: unigrams and bigrams, so that any query term can be marked.
    Snippet,
}

/// The analysis families. A document's text goes into the fields of its language's family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    German,
    English,
    French,
    Spanish,
    Russian,
    /// Everything else, Chinese and Japanese included: no stemming, CJK as
    /// unigrams and bigrams, Latin letters folded to ASCII.
    Other,
}

/// How many families there are: the length of every per-family field array.
pub const FAMILIES: usize = 6;

impl Family {
    pub const ALL: [Family; FAMILIES] = [
        Family::German,
        Family::English,
        Family::French,
        Family::Spanish,
        Family::Russian,
        Family::Other,
    ];

    pub fn for_language(bcp47: &str) -> Family {
        let primary = bcp47
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "de" => Family::German,
            "en" => Family::English,
            "fr" => Family::French,
            "es" => Family::Spanish,
            "ru" => Family::Russian,
            _ => Family::Other,
        }
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Family::German => "de",
            Family::English => "en",
            Family::French => "fr",
            Family::Spanish => "es",
            Family::Russian => "ru",
            Family::Other => "xx",
        }
    }

    pub fn tokenizer_name(self) -> String {
        format!("dossier_{}", self.suffix())
    }

    pub fn index(self) -> usize {
        self as usize
    }

    fn stemmer(self) -> Option<Algorithm> {
        match self {
            Family::German => Some(Algorithm::German),
            Family::English => Some(Algorithm::English),
            Family::French => Some(Algorithm::French),
            Family::Spanish => Some(Algorithm::Spanish),
            Family::Russian => Some(Algorithm::Russian),
            Family::Other => None,
        }
    }

    pub fn analyzer(self, mode: Mode) -> TextAnalyzer {
        let base = TextAnalyzer::builder(MixedScriptTokenizer { mode })
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser);
        // Stem before folding: the German stemmer expects umlauts and removes
        // them itself; folding afterwards makes `Datenintegritat` meet `Datenintegrität`.
        // Folding leaves Cyrillic alone, so Russian keeps `ё` ≠ `е` only where the stemmer does.
        match self.stemmer() {
            Some(lang) => base
                .filter(CachedStemmer::new(lang))
                .filter(AsciiFoldingFilter)
                .build(),
            None => base.filter(AsciiFoldingFilter).build(),
        }
    }

    /// Runs `f` with this thread's analyser for the family and mode. Queries
    /// and snippets analyse a little text many times (every keystroke, every
    /// hit); a fresh analyser each time would start with an empty stem cache.
    pub fn with_analyzer<R>(self, mode: Mode, f: impl FnOnce(&mut TextAnalyzer) -> R) -> R {
        thread_local! {
            static ANALYZERS: RefCell<HashMap<(Family, Mode), TextAnalyzer>> = RefCell::default();
        }
        let key = (self, mode);
        // Taken out while in use, so a nested call builds its own instead of
        // finding the map borrowed.
        let mut analyzer = ANALYZERS
            .with(|m| m.borrow_mut().remove(&key))
            .unwrap_or_else(|| self.analyzer(mode));
        let out = f(&mut analyzer);
        ANALYZERS.with(|m| m.borrow_mut().insert(key, analyzer));
        out
    }

    /// [`tokens`] with this thread's analyser (see [`Family::with_analyzer`]).
    pub fn tokens(self, mode: Mode, text: &str) -> Vec<(std::ops::Range<usize>, usize, String)> {
        self.with_analyzer(mode, |a| tokens(a, text))
    }
}

/// The German analysis with every term written backwards, indexed in its own
/// field: a compound's head (`Integrität` in `Datenintegrität`) is then a
/// *prefix* of the reversed term, which the term dictionary finds without
/// scanning every term.
#[derive(Clone)]
pub struct ReversedGerman {
    inner: TextAnalyzer,
}

impl ReversedGerman {
    pub const NAME: &'static str = "dossier_de_reversed";

    pub fn analyzer() -> TextAnalyzer {
        TextAnalyzer::from(ReversedGerman {
            inner: Family::German.analyzer(Mode::Index),
        })
    }
}

impl Tokenizer for ReversedGerman {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        let mut stream = self.inner.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            // Compound parts are words of their own: short terms and CJK add nothing.
            if t.text.chars().count() >= 6 && !t.text.chars().any(is_cjk) {
                let mut r = t.clone();
                r.text = t.text.chars().rev().collect();
                tokens.push(r);
            }
        }
        VecTokenStream { tokens, next: 0 }
    }
}

/// Every CJK character of a text, as its own term, for one-character queries.
#[derive(Clone)]
pub struct CjkChars;

impl CjkChars {
    pub const NAME: &'static str = "dossier_cjk_chars";
}

impl Tokenizer for CjkChars {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = text
            .char_indices()
            .filter(|(_, c)| is_cjk(*c))
            .enumerate()
            .map(|(n, (i, c))| token(text, i, i + c.len_utf8(), n))
            .collect();
        VecTokenStream { tokens, next: 0 }
    }
}

/// Chinese words (jieba's segmentation) of every CJK run of a text, two
/// characters or longer, as terms of a field of their own without positions.
/// Recall stays with the bigram index; this field is for ranking: a query's
/// word `模型` then scores as a word of the document, not as any pair of
/// characters that happens to read `模型` across a word boundary.
#[derive(Clone)]
pub struct CjkWords;

impl CjkWords {
    pub const NAME: &'static str = "dossier_cjk_words";
}

fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: std::sync::OnceLock<jieba_rs::Jieba> = std::sync::OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// The byte ranges of the CJK runs of `text`.
fn cjk_runs(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_cjk(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(s..text.len());
    }
    runs
}

/// The words of `text`'s CJK runs, in order, with their byte ranges: jieba's
/// segmentation (its dictionary, no HMM guessing, so the same text always
/// gives the same words).
pub fn cjk_words(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    for run in cjk_runs(text) {
        for t in jieba().cut(&text[run.clone()], false) {
            out.push((run.start + t.byte_start..run.start + t.byte_end, t.word));
        }
    }
    out
}

impl Tokenizer for CjkWords {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = cjk_words(text)
            .into_iter()
            .filter(|(_, w)| w.chars().nth(1).is_some())
            .enumerate()
            .map(|(n, (r, _))| token(text, r.start, r.end, n))
            .collect();
        VecTokenStream { tokens, next: 0 }
    }
}

/// Words a question or a remembered phrase carries that do not say what it is
/// about: articles, pronouns, auxiliaries, prepositions, question words. They
/// need not match (all-words search) and do not count (partial matches).
/// German and English, lower-case; Chinese function words and question words.
pub fn is_stop_word(word: &str) -> bool {
    const STOP: &[&str] = &[
        // English
        "a",
        "about",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "should",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        // German (those spelt like English ones are listed there)
        "aber",
        "als",
        "am",
        "auch",
        "auf",
        "aus",
        "bei",
        "bin",
        "bis",
        "da",
        "damit",
        "dann",
        "das",
        "dass",
        "dem",
        "den",
        "denn",
        "der",
        "des",
        "die",
        "dies",
        "diese",
        "diesem",
        "diesen",
        "dieser",
        "dieses",
        "doch",
        "du",
        "durch",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "er",
        "es",
        "für",
        "gegen",
        "hat",
        "hatte",
        "hatten",
        "ich",
        "ihr",
        "ihre",
        "ihrem",
        "ihren",
        "ihrer",
        "im",
        "ist",
        "ja",
        "kann",
        "können",
        "mit",
        "nach",
        "nicht",
        "noch",
        "nur",
        "ob",
        "oder",
        "sein",
        "seine",
        "sich",
        "sie",
        "sind",
        "über",
        "um",
        "und",
        "uns",
        "unter",
        "vom",
        "von",
        "vor",
        "wann",
        "war",
        "waren",
        "warum",
        "welche",
        "welchem",
        "welchen",
        "welcher",
        "welches",
        "wer",
        "werden",
        "wie",
        "wieso",
        "wir",
        "wird",
        "wo",
        "woher",
        "wurde",
        "wurden",
        "zu",
        "zum",
        "zur",
        // Chinese
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "吗",
        "呢",
        "吧",
        "啊",
        "哪些",
        "哪个",
        "什么",
        "怎么",
        "怎样",
        "如何",
        "为什么",
        "是否",
        "有没有",
        "谁",
        "哪",
        "这",
        "那",
        "这些",
        "那些",
        "一个",
        "有",
        "也",
        "都",
        "就",
        "被",
        "把",
        "对",
        "从",
        "向",
    ];
    STOP.contains(&word)
}

/// True for a query term that is one CJK character: it is looked up in the
/// [`CjkChars`] field, which has no positions.
pub fn is_single_cjk(term: &str) -> bool {
    let mut chars = term.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_cjk(c))
}

/// How often [`slot_marks`] records where a slot begins.
pub const SLOT_MARK_EVERY: usize = 256;

/// The code-point offset where every [`SLOT_MARK_EVERY`]th token slot begins
/// (slot 0 first). Stored with an article, it lets a snippet read just the
/// part of a long text around a match instead of the whole text.
pub fn slot_marks(text: &str) -> Vec<u32> {
    let mut marks = Vec::new();
    let mut seen = 0usize;
    let mut in_word = false;
    for (chars, c) in text.chars().enumerate() {
        let starts = if is_word_char(c) {
            let s = !in_word;
            in_word = true;
            s
        } else {
            in_word = false;
            is_cjk(c)
        };
        if starts {
            if seen.is_multiple_of(SLOT_MARK_EVERY) {
                marks.push(chars as u32);
            }
            seen += 1;
        }
    }
    marks
}

/// The byte offset where token slot `slot` begins (see the module comment:
/// a word or a CJK character is one slot, at position `2 * slot`), or the
/// text's length when there are fewer slots. Mirrors [`MixedScriptTokenizer`]
/// without building tokens, so a snippet can jump to a match cheaply.
pub fn slot_offset(text: &str, slot: usize) -> usize {
    let mut seen = 0usize;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            if !in_word {
                if seen == slot {
                    return i;
                }
                seen += 1;
                in_word = true;
            }
        } else {
            in_word = false;
            if is_cjk(c) {
                if seen == slot {
                    return i;
                }
                seen += 1;
            }
        }
    }
    text.len()
}

/// Analyses `text` and returns `(byte range, position, term)` for each token.
pub fn tokens(
    analyzer: &mut TextAnalyzer,
    text: &str,
) -> Vec<(std::ops::Range<usize>, usize, String)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push((t.offset_from..t.offset_to, t.position, t.text.clone()));
    }
    out
}

pub use dossier_model::script::is_cjk;

/// A letter or digit outside CJK. ASCII is decided first: Unicode's
/// alphabetic table is a slow lookup, and most text is ASCII.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        !is_cjk(c) && c.is_alphanumeric()
    }
}

#[derive(Clone)]
pub struct MixedScriptTokenizer {
    mode: Mode,
}

pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for MixedScriptTokenizer {
    type TokenStream<'a> = MixedScriptStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MixedScriptStream<'a> {
        MixedScriptStream {
            text,
            mode: self.mode,
            next_byte: 0,
            slot: 0,
            run: None,
            pending: None,
            token: Token::default(),
        }
    }
}

/// Where the stream stands inside a run of CJK characters.
#[derive(Clone, Copy)]
struct CjkRun {
    /// Byte offset of the run's next character.
    at: usize,
    /// True while `at` is the run's first character.
    first: bool,
}

/// Tokens one at a time into a single reused [`Token`]: indexing allocates
/// nothing per word (a `Vec` of tokens with a `String` each was a fifth of
/// the indexer's time in malloc and free).
pub struct MixedScriptStream<'a> {
    text: &'a str,
    mode: Mode,
    /// Byte offset where scanning for the next word or run resumes.
    next_byte: usize,
    slot: usize,
    run: Option<CjkRun>,
    /// A second token produced at the same character (a bigram after a unigram).
    pending: Option<(usize, usize, usize)>,
    token: Token,
}

impl MixedScriptStream<'_> {
    fn emit(&mut self, from: usize, to: usize, position: usize) -> bool {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = position;
        self.token.position_length = 1;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        true
    }

    /// The next token of the CJK run at `run`: the character's unigram and/or
    /// the bigram it starts (see [`Mode`]).
    fn advance_in_run(&mut self, run: CjkRun) -> bool {
        let text = self.text;
        let c = text[run.at..]
            .chars()
            .next()
            .expect("a character in the run");
        let end = run.at + c.len_utf8();
        let next = text[end..].chars().next().filter(|n| is_cjk(*n));
        let pos = 2 * self.slot;
        self.slot += 1;
        self.run = next.map(|_| CjkRun {
            at: end,
            first: false,
        });
        if next.is_none() {
            self.next_byte = end;
        }
        let bigram = next.map(|n| (run.at, end + n.len_utf8(), pos + 1));
        let unigram = self.mode == Mode::Snippet || (run.first && next.is_none());
        match (unigram, bigram) {
            (true, Some(b)) => {
                self.pending = Some(b);
                self.emit(run.at, end, pos)
            }
            (true, None) => self.emit(run.at, end, pos),
            (false, Some((from, to, p))) => self.emit(from, to, p),
            // The last character of a longer run: its bigram came before it.
            (false, None) => self.advance(),
        }
    }
}

impl TokenStream for MixedScriptStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some((from, to, pos)) = self.pending.take() {
            return self.emit(from, to, pos);
        }
        if let Some(run) = self.run {
            return self.advance_in_run(run);
        }
        let text = self.text;
        let mut chars = text[self.next_byte..].char_indices();
        while let Some((rel, c)) = chars.next() {
            let start = self.next_byte + rel;
            if is_cjk(c) {
                return self.advance_in_run(CjkRun {
                    at: start,
                    first: true,
                });
            }
            if is_word_char(c) {
                let mut end = start + c.len_utf8();
                for (rel, ch) in chars.by_ref() {
                    if !is_word_char(ch) {
                        break;
                    }
                    end = self.next_byte + rel + ch.len_utf8();
                }
                self.next_byte = end;
                let pos = 2 * self.slot;
                self.slot += 1;
                return self.emit(start, end, pos);
            }
        }
        self.next_byte = text.len();
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

fn token(text: &str, from: usize, to: usize, position: usize) -> Token {
    Token {
        offset_from: from,
        offset_to: to,
        position,
        text: text[from..to].to_string(),
        position_length: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(f: Family, mode: Mode, text: &str) -> Vec<String> {
        tokens(&mut f.analyzer(mode), text)
            .into_iter()
            .map(|t| t.2)
            .collect()
    }

    #[test]
    fn german_stems_and_folds() {
        assert_eq!(
            terms(Family::German, Mode::Query, "Modelle"),
            terms(Family::German, Mode::Query, "Modell")
        );
        assert_eq!(
            terms(Family::German, Mode::Query, "Datenintegrität"),
            terms(Family::German, Mode::Query, "Datenintegritat")
        );
    }

    #[test]
    fn english_stems() {
        assert_eq!(
            terms(Family::English, Mode::Query, "auditing"),
            vec!["audit"]
        );
    }

    #[test]
    fn french_spanish_russian_stem() {
        assert_eq!(
            terms(Family::French, Mode::Query, "transparentes"),
            terms(Family::French, Mode::Query, "transparente")
        );
        assert_eq!(
            terms(Family::Spanish, Mode::Query, "modelos"),
            terms(Family::Spanish, Mode::Query, "modelo")
        );
        assert_eq!(
            terms(Family::Russian, Mode::Query, "модели"),
            terms(Family::Russian, Mode::Query, "модель")
        );
        assert_eq!(Family::for_language("fr-CA"), Family::French);
        assert_eq!(Family::for_language("ja"), Family::Other);
    }

    #[test]
    fn reversed_german_holds_long_terms_backwards() {
        let toks = tokens(
            &mut ReversedGerman::analyzer(),
            "Die Datenintegrität 透明度",
        );
        let t: Vec<&str> = toks.iter().map(|t| t.2.as_str()).collect();
        assert_eq!(t, vec!["tatirgetninetad"]);
    }

    #[test]
    fn slot_offsets_match_the_tokenizer() {
        let text = "Qwen, 模型 😀 𠀋𠀌 — Daten-Integrität";
        let toks = tokens(&mut Family::Other.analyzer(Mode::Snippet), text);
        for (range, pos, _) in toks.iter().filter(|t| t.1 % 2 == 0) {
            assert_eq!(slot_offset(text, pos / 2), range.start, "slot {}", pos / 2);
        }
        assert_eq!(slot_offset(text, 1000), text.len());
        let long = "Wort 模型 ".repeat(400);
        let marks = slot_marks(&long);
        assert_eq!(marks.len(), (1200usize).div_ceil(SLOT_MARK_EVERY));
        for (k, &m) in marks.iter().enumerate() {
            let byte = slot_offset(&long, k * SLOT_MARK_EVERY);
            assert_eq!(long[..byte].chars().count() as u32, m);
        }
    }

    #[test]
    fn cjk_runs_become_unigrams_and_bigrams() {
        assert_eq!(
            terms(Family::Other, Mode::Snippet, "透明度"),
            vec!["透", "透明", "明", "明度", "度"]
        );
        assert_eq!(
            terms(Family::Other, Mode::Index, "透明度 信"),
            vec!["透明", "明度", "信"]
        );
        let chars: Vec<String> = tokens(&mut TextAnalyzer::from(CjkChars), "Qwen 透明 𠀋")
            .into_iter()
            .map(|t| t.2)
            .collect();
        assert_eq!(chars, vec!["透", "明", "𠀋"]);
        assert_eq!(
            terms(Family::Other, Mode::Query, "透明度"),
            vec!["透明", "明度"]
        );
        assert_eq!(terms(Family::Other, Mode::Query, "信"), vec!["信"]);
        let toks = tokens(
            &mut Family::Other.analyzer(Mode::Snippet),
            "Qwen 模型 😀 𠀋𠀌",
        );
        let positions: Vec<usize> = toks.iter().map(|t| t.1).collect();
        assert_eq!(positions, vec![0, 2, 3, 4, 6, 7, 8]);
        assert_eq!(
            toks[5].2, "𠀋𠀌",
            "characters beyond the BMP pair up like any other"
        );
    }
}

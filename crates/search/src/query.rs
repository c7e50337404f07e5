//! The query language, parsed by hand and compiled into tantivy queries.
//!
//! Words (all must match), `"phrases"`, `-exclusion`, `a OR b`, grouping with
//! parentheses, prefixes `netw*`, and the fields `kind:`, `code:`, `lang:`,
//! `stance:`, `title:`, `claimant:`, `analyst:`, `date:2024..2025` and
//! `attr:NAME=VALUE` (also `>`, `>=`, `<`, `<=`) and `set:NAME` (the articles
//! an attribute or a set selects come from SQLite through [`ArticleSets`]). German
//! words also find the compounds they are part of. Nothing here fails: a query
//! that does not parse is searched as its plain words and the result says so.

use std::collections::HashSet;
use std::ops::Bound;

use dossier_model::attributes::{valid_name, ArticleFilter, AttributeFilter};
use dossier_model::{Kind, SearchRequest, Stance};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery,
    FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analysis::{cjk_words, is_cjk, is_single_cjk, is_stop_word, Family, Mode, FAMILIES};
use crate::document::primary_language;
use crate::prefix::PrefixQuery;
use crate::schema::Fields;
use dossier_model::dates::PartialDate;

const TITLE_BOOST: f32 = 2.0;
/// A compound part or a typo correction counts for less than the word itself.
const PART_BOOST: f32 = 0.5;
/// Words shorter than this are not looked for inside compounds: too ambiguous
/// (`Rat` in `Ratgeber`)…
const MIN_PART_CHARS: usize = 5;
/// …nor stems shorter than this as a compound's head (`Daten` stems to `dat`,
/// which ends `Kandidat`; `Zeilen` to `zeil`, which is fine).
const MIN_HEAD_STEM_CHARS: usize = 4;
/// Typos are tolerated only for words at least this long (one edit; two from 8).
const MIN_FUZZY_CHARS: usize = 5;
/// What each matched query word adds to a partial match's score, far above
/// any BM25 score: hits are ranked by how many words they match, then by BM25.
pub const PARTIAL_WORD_SCORE: f32 = 1000.0;
/// A partial match weighs at most this many of the query's words.
const MAX_PARTIAL_WORDS: usize = 16;

/// What a snippet marks, per analysis family.
#[derive(Debug, Default, Clone)]
pub struct Highlight {
    pub exact: HashSet<String>,
    pub prefixes: Vec<String>,
    pub suffixes: Vec<String>,
    /// Term and the edits allowed.
    pub fuzzy: Vec<(String, u32)>,
    /// Single CJK characters: the index keeps no positions for them.
    pub single_chars: bool,
}

impl Highlight {
    pub fn matches(&self, term: &str) -> bool {
        self.exact.contains(term)
            || self.prefixes.iter().any(|p| term.starts_with(p.as_str()))
            || self
                .suffixes
                .iter()
                .any(|s| term.len() > s.len() && term.ends_with(s.as_str()))
            || self
                .fuzzy
                .iter()
                .any(|(f, d)| within_edits(f, term, *d as usize))
    }

    /// Whether the index's positions can place every match of these terms
    /// (not typos, not single CJK characters): when none is found in a text,
    /// there is none.
    pub fn placeable(&self) -> bool {
        self.fuzzy.is_empty() && !self.single_chars
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
            && self.prefixes.is_empty()
            && self.suffixes.is_empty()
            && self.fuzzy.is_empty()
    }
}

pub struct Compiled {
    pub query: Box<dyn Query>,
    /// An `attr:` filter could not be resolved (unknown attribute, bad operand).
    pub error: Option<dossier_model::Error>,
    pub highlight: [Highlight; FAMILIES],
    /// The query did not parse and was searched as plain words.
    pub plain_fallback: bool,
    /// Some word could be matched with a typo (a retry with `fuzzy` may help).
    pub fuzzable: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Or,
    Not,
    Quoted(String),
    Bare(String),
    /// `field:"quoted value"`.
    FieldQuoted(String, String),
}

/// Splits the query; `None` when a quote is left open.
fn lex(input: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    let read_quoted = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| -> Option<String> {
        let mut s = String::new();
        for c in chars.by_ref() {
            if c == '"' {
                return Some(s);
            }
            s.push(c);
        }
        None
    };
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Token::Open);
            }
            ')' => {
                chars.next();
                out.push(Token::Close);
            }
            '"' => {
                chars.next();
                out.push(Token::Quoted(read_quoted(&mut chars)?));
            }
            '-' => {
                chars.next();
                if chars.peek().is_some_and(|n| !n.is_whitespace()) {
                    out.push(Token::Not);
                }
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '"') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                if word.ends_with(':') && chars.peek() == Some(&'"') {
                    chars.next();
                    let value = read_quoted(&mut chars)?;
                    word.pop();
                    out.push(Token::FieldQuoted(word, value));
                } else if word == "OR" {
                    out.push(Token::Or);
                } else {
                    out.push(Token::Bare(word));
                }
            }
        }
    }
    Some(out)
}

/// The ids of the articles an `attr:` or `set:` filter selects (the notebook
/// answers from SQLite); an unknown attribute or set, or an operand an
/// attribute's type cannot read, is an error the search reports.
pub type ArticleSets<'a> =
    &'a dyn Fn(&ArticleFilter) -> dossier_model::Result<std::sync::Arc<Vec<String>>>;

/// For compiling without a notebook: no article has an attribute or is in a set.
pub fn no_attributes(_: &ArticleFilter) -> dossier_model::Result<std::sync::Arc<Vec<String>>> {
    Ok(Default::default())
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    /// `attr:…`, `set:…`: the articles (and their claims and notes) it selects.
    Articles(ArticleFilter),
    Kind(Kind),
    Code(String),
    Lang(String),
    Stance(Stance),
    Analyst(String),
    Claimant(String),
    /// Inclusive `yyyymmdd` bounds.
    Date(Option<u64>, Option<u64>),
    Verdict(String),
    Hedging(String),
    Relation(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text {
        text: String,
        quoted: bool,
        prefix: bool,
        title_only: bool,
    },
    Filter(Filter),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
}

struct Malformed;

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// Groups open around the current token: bounded, because each one is a
    /// level of recursion here and in every pass over the tree.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn or(&mut self) -> Result<Node, Malformed> {
        let mut alternatives = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            alternatives.push(self.and()?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.pop().expect("one")
        } else {
            Node::Or(alternatives)
        })
    }

    fn and(&mut self) -> Result<Node, Malformed> {
        let mut items = Vec::new();
        while !matches!(self.peek(), None | Some(Token::Close) | Some(Token::Or)) {
            items.push(self.unary()?);
        }
        match items.len() {
            0 => Err(Malformed),
            1 => Ok(items.pop().expect("one")),
            _ => Ok(Node::And(items)),
        }
    }

    fn unary(&mut self) -> Result<Node, Malformed> {
        if self.peek() == Some(&Token::Not) {
            self.at += 1;
            return Ok(Node::Not(Box::new(self.primary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Node, Malformed> {
        let token = self.peek().cloned().ok_or(Malformed)?;
        self.at += 1;
        match token {
            Token::Open => {
                if self.depth >= dossier_model::limits::MAX_QUERY_DEPTH {
                    return Err(Malformed);
                }
                self.depth += 1;
                let inner = self.or()?;
                self.depth -= 1;
                if self.peek() != Some(&Token::Close) {
                    return Err(Malformed);
                }
                self.at += 1;
                Ok(inner)
            }
            Token::Quoted(text) => Ok(Node::Text {
                text,
                quoted: true,
                prefix: false,
                title_only: false,
            }),
            Token::FieldQuoted(name, value) => field(&name, &value, true)?.ok_or(Malformed),
            Token::Bare(word) => {
                if let Some((name, value)) = word.split_once(':') {
                    if let Some(node) = field(name, value, false)? {
                        return Ok(node);
                    }
                }
                let prefix = word.len() > 1 && word.ends_with('*');
                Ok(Node::Text {
                    text: word.trim_end_matches('*').to_string(),
                    quoted: false,
                    prefix,
                    title_only: false,
                })
            }
            Token::Close | Token::Or | Token::Not => Err(Malformed),
        }
    }
}

/// `name:value` as a field, `Ok(None)` when `name` is not a field (then the
/// whole thing is a word, e.g. a URL), an error for a bad value of a known field.
fn field(name: &str, value: &str, quoted: bool) -> Result<Option<Node>, Malformed> {
    let name = name.to_ascii_lowercase();
    let known = [
        "kind", "code", "lang", "stance", "title", "claimant", "analyst", "date", "verdict",
        "hedging", "relation", "attr", "set",
    ];
    if !known.contains(&name.as_str()) {
        return Ok(None);
    }
    let value = value.trim();
    if value.is_empty() {
        return Err(Malformed);
    }
    let filter = match name.as_str() {
        "title" => {
            return Ok(Some(Node::Text {
                text: value.trim_end_matches('*').to_string(),
                quoted,
                prefix: !quoted && value.len() > 1 && value.ends_with('*'),
                title_only: true,
            }))
        }
        "attr" => Filter::Articles(ArticleFilter::Attribute(
            AttributeFilter::parse(value).ok_or(Malformed)?,
        )),
        "set" => Filter::Articles(ArticleFilter::Set(
            valid_name(value).map_err(|_| Malformed)?,
        )),
        "kind" => Filter::Kind(Kind::parse(value).ok_or(Malformed)?),
        "code" => Filter::Code(value.trim_matches('/').to_string()),
        "lang" => Filter::Lang(primary_language(value)),
        "stance" => Filter::Stance(Stance::parse(value).ok_or(Malformed)?),
        "analyst" => Filter::Analyst(value.to_lowercase()),
        "claimant" => Filter::Claimant(value.to_string()),
        "verdict" => Filter::Verdict(
            dossier_model::Verdict::parse(value)
                .ok_or(Malformed)?
                .as_str()
                .into(),
        ),
        "hedging" => Filter::Hedging(
            dossier_model::Hedging::parse(value)
                .ok_or(Malformed)?
                .as_str()
                .into(),
        ),
        "relation" => Filter::Relation(
            dossier_model::RelationKind::parse(value)
                .ok_or(Malformed)?
                .as_str()
                .into(),
        ),
        _ => {
            let (from, to) = parse_date_range(value).ok_or(Malformed)?;
            Filter::Date(from, to)
        }
    };
    Ok(Some(Node::Filter(filter)))
}

/// `2024`, `2024-03`, `2024-03-05`, `2024..2025`, `..2024-06`, `2024..`:
/// inclusive `yyyymmdd` bounds, each side widened to its whole year or month.
fn parse_date_range(value: &str) -> Option<(Option<u64>, Option<u64>)> {
    let (lo, hi) = match value.split_once("..") {
        Some((lo, hi)) => (lo, hi),
        None => (value, value),
    };
    let from = if lo.is_empty() {
        None
    } else {
        Some(parse_day(lo, false)?)
    };
    let to = if hi.is_empty() {
        None
    } else {
        Some(parse_day(hi, true)?)
    };
    if from.is_none() && to.is_none() {
        return None;
    }
    Some((from, to))
}

fn parse_day(s: &str, end: bool) -> Option<u64> {
    let d = PartialDate::parse_exact(s)?;
    Some(if end { d.last_day() } else { d.first_day() })
}

/// The query's words without any syntax, any of them: what a malformed query
/// is searched as (any, because a bad field value is among the words too).
fn plain_words(input: &str) -> Node {
    let words: Vec<Node> = input
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"' | ':' | '*'))
        .map(|w| w.trim_start_matches('-'))
        .filter(|w| !w.is_empty() && *w != "OR")
        .map(|w| Node::Text {
            text: w.to_string(),
            quoted: false,
            prefix: false,
            title_only: false,
        })
        .collect();
    Node::Or(words)
}

fn parse(input: &str) -> (Node, bool) {
    // A query is typed (or pasted) by a person: past the limit it is cut, not refused.
    let input = match input
        .char_indices()
        .nth(dossier_model::limits::MAX_QUERY_CHARS)
    {
        Some((cut, _)) => &input[..cut],
        None => input,
    };
    let Some(tokens) = lex(input) else {
        return (plain_words(input), true);
    };
    if tokens.is_empty() {
        return (Node::And(Vec::new()), false);
    }
    let mut p = Parser {
        tokens,
        at: 0,
        depth: 0,
    };
    match p.or() {
        Ok(node) if p.at == p.tokens.len() => (node, false),
        _ => (plain_words(input), true),
    }
}

/// An unquoted, plain word that is a stop word.
fn is_stop(node: &Node) -> bool {
    matches!(node, Node::Text { text, quoted: false, prefix: false, .. }
        if is_stop_word(&text.to_lowercase()))
}

fn term_query_freqs(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqs,
    ))
}

fn term_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if boost == 1.0 {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// Terms of `field` starting with `literal` (and longer than it, with
/// `longer`); `None` unless `literal` is letters and digits only.
fn prefix_query(literal: &str, longer: bool, field: Field) -> Option<Box<dyn Query>> {
    if literal.is_empty() || !literal.chars().all(char::is_alphanumeric) {
        return None;
    }
    Some(Box::new(PrefixQuery::new(field, literal, longer)))
}

struct Compiler<'a> {
    fields: &'a Fields,
    sets: ArticleSets<'a>,
    /// The first `attr:` filter that could not be resolved.
    error: Option<dossier_model::Error>,
    fuzzy: bool,
    /// Every word required, stop words included (`SearchRequest::all_words`).
    strict: bool,
    highlight: [Highlight; FAMILIES],
    fuzzable: bool,
}

impl<'a> Compiler<'a> {
    fn new(fields: &'a Fields, sets: ArticleSets<'a>, fuzzy: bool, strict: bool) -> Compiler<'a> {
        Compiler {
            fields,
            sets,
            error: None,
            fuzzy,
            strict,
            highlight: Default::default(),
            fuzzable: false,
        }
    }

    fn node(&mut self, node: &Node) -> Option<Box<dyn Query>> {
        match node {
            Node::Text {
                text,
                quoted,
                prefix,
                title_only,
            } => self.text(text, *quoted, *prefix, *title_only),
            Node::Filter(f) => Some(self.filter(f)),
            Node::Not(inner) => {
                let q = self.excluded(inner)?;
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, q),
                ])))
            }
            Node::And(items) => {
                let mut clauses = Vec::new();
                // Stop words (`die`, `the`, `which`) need not match, unless
                // the query is nothing else.
                let content = !self.strict && items.iter().any(|i| !is_stop(i));
                for item in items {
                    if let Node::Not(inner) = item {
                        if let Some(q) = self.excluded(inner) {
                            clauses.push((Occur::MustNot, q));
                        }
                    } else if content && is_stop(item) {
                        // Optional, and not marked in snippets: `die` everywhere
                        // would hide the words that matter.
                        let marks = self.highlight.clone();
                        if let Some(q) = self.node(item) {
                            clauses.push((Occur::Should, q));
                        }
                        self.highlight = marks;
                    } else if let Some(q) = self.node(item) {
                        clauses.push((Occur::Must, q));
                    }
                }
                if clauses.is_empty() {
                    return None;
                }
                if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(items) => {
                let should: Vec<_> = items
                    .iter()
                    .filter_map(|i| self.node(i))
                    .map(|q| (Occur::Should, q))
                    .collect();
                (!should.is_empty()).then(|| Box::new(BooleanQuery::new(should)) as Box<dyn Query>)
            }
        }
    }

    /// An excluded part: compiled exactly (no typos) and not highlighted.
    fn excluded(&mut self, node: &Node) -> Option<Box<dyn Query>> {
        let mut exact = Compiler::new(self.fields, self.sets, false, self.strict);
        let q = exact.node(node);
        if self.error.is_none() {
            self.error = exact.error;
        }
        q
    }

    fn text(
        &mut self,
        text: &str,
        quoted: bool,
        prefix: bool,
        title_only: bool,
    ) -> Option<Box<dyn Query>> {
        let f = self.fields;
        if prefix && !text.chars().any(is_cjk) {
            if let Some(q) = self.prefix(text, title_only) {
                return Some(q);
            }
        }
        let mut per_field: Vec<Box<dyn Query>> = Vec::new();
        for family in Family::ALL {
            let toks = family.tokens(Mode::Query, text);
            if toks.is_empty() {
                continue;
            }
            let fi = family.index();
            self.highlight[fi]
                .exact
                .extend(toks.iter().map(|t| t.2.clone()));
            let mut targets = vec![(f.title[fi], TITLE_BOOST)];
            if !title_only {
                targets.push((f.body[fi], 1.0));
                if family == Family::Other {
                    targets.push((f.codes_text, 1.0));
                }
            }
            let single = toks.len() == 1;
            if single && is_single_cjk(&toks[0].2) {
                // One CJK character: its own field (plus runs of one in the text fields).
                self.highlight[fi].single_chars = true;
                per_field.push(Box::new(TermQuery::new(
                    Term::from_field_text(f.cjk_chars, &toks[0].2),
                    IndexRecordOption::WithFreqs,
                )));
            }
            for &(field, boost) in &targets {
                let q: Box<dyn Query> = if single {
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &toks[0].2),
                        IndexRecordOption::WithFreqsAndPositions,
                    ))
                } else {
                    let base = toks[0].1;
                    let terms = toks
                        .iter()
                        .map(|t| (t.1 - base, Term::from_field_text(field, &t.2)))
                        .collect();
                    Box::new(PhraseQuery::new_with_offset(terms))
                };
                per_field.push(boosted(q, boost));
            }
            if !single || quoted || toks[0].2.chars().any(is_cjk) {
                continue;
            }
            let term = &toks[0].2;
            if family == Family::German && !title_only {
                self.compound_parts(text, term, &mut per_field);
            }
            if term.chars().count() >= MIN_FUZZY_CHARS {
                self.fuzzable = true;
                if self.fuzzy {
                    let edits = if term.chars().count() >= 8 { 2 } else { 1 };
                    self.highlight[fi].fuzzy.push((term.clone(), edits));
                    for &(field, _) in &targets {
                        let q = FuzzyTermQuery::new(
                            Term::from_field_text(field, term),
                            edits as u8,
                            true,
                        );
                        per_field.push(boosted(Box::new(q), PART_BOOST));
                    }
                }
            }
        }
        if per_field.is_empty() {
            return None;
        }
        let matched: Box<dyn Query> =
            Box::new(DisjunctionMaxQuery::with_tie_breaker(per_field, 0.1));
        // Chinese: the bigrams above find every occurrence; the query's words
        // (jieba) rank a document where they stand as words above one where
        // the characters only meet across a word boundary.
        let words: Vec<Box<dyn Query>> = cjk_words(text)
            .into_iter()
            .filter(|(_, w)| w.chars().nth(1).is_some())
            .map(|(_, w)| term_query_freqs(f.cjk_words, w))
            .collect();
        if words.is_empty() || title_only {
            return Some(matched);
        }
        let mut clauses = vec![(Occur::Must, matched)];
        clauses.extend(words.into_iter().map(|q| (Occur::Should, q)));
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// A query of several words, matched by any of them: each word's query is
    /// worth [`PARTIAL_WORD_SCORE`] plus its BM25 score, so documents are
    /// ranked by how many words they match. Stop words do not count; a
    /// Chinese run counts by its words. Filters and exclusions still apply.
    /// `None` for a query of fewer than two such words, or with `OR`.
    fn partial(&mut self, node: &Node) -> Option<(Box<dyn Query>, usize)> {
        let items: Vec<&Node> = match node {
            Node::And(items) => items.iter().collect(),
            text @ Node::Text { .. } => vec![text],
            _ => return None,
        };
        let mut words: Vec<(String, bool, bool, bool)> = Vec::new();
        let mut other: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for item in items {
            match item {
                Node::Text {
                    text,
                    quoted,
                    prefix,
                    title_only,
                } => {
                    if *quoted || *prefix || !text.chars().any(is_cjk) {
                        if !is_stop(item) {
                            words.push((text.clone(), *quoted, *prefix, *title_only));
                        }
                        continue;
                    }
                    // A Chinese run: its words, and what lies between them.
                    let mut at = 0;
                    for (range, word) in cjk_words(text) {
                        let before = text[at..range.start].trim();
                        if !before.is_empty() {
                            words.push((before.to_string(), false, false, *title_only));
                        }
                        if !is_stop_word(word) {
                            words.push((word.to_string(), false, false, *title_only));
                        }
                        at = range.end;
                    }
                    let rest = text[at..].trim();
                    if !rest.is_empty() {
                        words.push((rest.to_string(), false, false, *title_only));
                    }
                }
                Node::Filter(f) => other.push((Occur::Must, self.filter(f))),
                Node::Not(inner) => {
                    if let Some(q) = self.excluded(inner) {
                        other.push((Occur::MustNot, q));
                    }
                }
                Node::And(_) | Node::Or(_) => return None,
            }
        }
        // A word asked twice counts once.
        let mut seen = HashSet::new();
        words.retain(|w| seen.insert(w.clone()));
        words.truncate(MAX_PARTIAL_WORDS);
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (text, quoted, prefix, title_only) in &words {
            let Some(q) = self.text(text, *quoted, *prefix, *title_only) else {
                continue;
            };
            let counted: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(q.box_clone(), PARTIAL_WORD_SCORE)),
                ),
                (Occur::Should, q),
            ]));
            any.push((Occur::Should, counted));
        }
        let n = any.len();
        if n < 2 {
            return None;
        }
        other.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        Some((Box::new(BooleanQuery::new(other)), n))
    }

    /// German compounds: `Integrität` finds `Datenintegrität` (the head, a
    /// prefix of the reversed term) and `Daten` finds `Datenschutz` (the
    /// unstemmed word as a prefix of longer terms).
    fn compound_parts(&mut self, word: &str, stem: &str, out: &mut Vec<Box<dyn Query>>) {
        let f = self.fields;
        let de = Family::German.index();
        // `Other` lower-cases and folds but does not stem.
        let toks = Family::Other.tokens(Mode::Query, word);
        let [(_, _, unstemmed)] = toks.as_slice() else {
            return;
        };
        if unstemmed.chars().count() < MIN_PART_CHARS {
            return;
        }
        if stem.chars().count() >= MIN_HEAD_STEM_CHARS {
            let reversed: String = stem.chars().rev().collect();
            if let Some(q) = prefix_query(&reversed, true, f.reversed_de) {
                out.push(boosted(q, PART_BOOST));
                self.highlight[de].suffixes.push(stem.to_string());
            }
        }
        if unstemmed.chars().all(char::is_alphanumeric) {
            for field in [f.body[de], f.title[de]] {
                out.extend(prefix_query(unstemmed, true, field).map(|q| boosted(q, PART_BOOST)));
            }
            self.highlight[de].prefixes.push(unstemmed.clone());
        }
    }

    /// `netw*`: every term starting with the (unstemmed) prefix, in every family.
    fn prefix(&mut self, text: &str, title_only: bool) -> Option<Box<dyn Query>> {
        let f = self.fields;
        // `Other` lower-cases and folds but does not stem.
        let toks = Family::Other.tokens(Mode::Query, text);
        let [(_, _, literal)] = toks.as_slice() else {
            return None;
        };
        if !literal.chars().all(char::is_alphanumeric) {
            return None;
        }
        let mut per_field: Vec<Box<dyn Query>> = Vec::new();
        for family in Family::ALL {
            let fi = family.index();
            let mut targets = vec![(f.title[fi], TITLE_BOOST)];
            if !title_only {
                targets.push((f.body[fi], 1.0));
            }
            for (field, boost) in targets {
                per_field.extend(prefix_query(literal, false, field).map(|q| boosted(q, boost)));
            }
            self.highlight[fi].prefixes.push(literal.clone());
        }
        Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
            per_field, 0.1,
        )))
    }

    fn filter(&mut self, filter: &Filter) -> Box<dyn Query> {
        let f = self.fields;
        match filter {
            Filter::Articles(a) => match (self.sets)(a) {
                // An article by its id, a claim or note by its article's.
                Ok(ids) => Box::new(TermSetQuery::new(ids.iter().flat_map(|id| {
                    [
                        Term::from_field_text(f.id, id),
                        Term::from_field_text(f.article_id, id),
                    ]
                }))),
                Err(e) => {
                    self.error.get_or_insert(e);
                    Box::new(EmptyQuery)
                }
            },
            Filter::Kind(k) => term_query(f.kind, k.as_str()),
            Filter::Code(c) => term_query(f.code, c),
            Filter::Lang(l) => term_query(f.lang, l),
            Filter::Stance(s) => term_query(f.stance, s.as_str()),
            Filter::Analyst(a) => term_query(f.analyst, a),
            Filter::Verdict(v) => term_query(f.verdict, v),
            Filter::Hedging(h) => term_query(f.hedging, h),
            Filter::Relation(r) => term_query(f.relation, r),
            Filter::Claimant(name) => {
                let toks = Family::Other.tokens(Mode::Query, name);
                match toks.len() {
                    0 => Box::new(AllQuery),
                    1 => term_query(f.claimant, &toks[0].2),
                    _ => {
                        let base = toks[0].1;
                        Box::new(PhraseQuery::new_with_offset(
                            toks.iter()
                                .map(|t| (t.1 - base, Term::from_field_text(f.claimant, &t.2)))
                                .collect(),
                        ))
                    }
                }
            }
            Filter::Date(from, to) => {
                let bound = |b: Option<u64>| match b {
                    Some(v) => Bound::Included(Term::from_field_u64(f.date, v)),
                    None => Bound::Unbounded,
                };
                Box::new(RangeQuery::new(bound(*from), bound(*to)))
            }
        }
    }
}

/// The request's own filters (kind, code, language), as clauses every hit must meet.
fn request_filters(req: &SearchRequest, fields: &Fields) -> Vec<(Occur, Box<dyn Query>)> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(k) = req.kind {
        clauses.push((Occur::Must, term_query(fields.kind, k.as_str())));
    }
    if let Some(code) = req.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        clauses.push((Occur::Must, term_query(fields.code, code.trim_matches('/'))));
    }
    if let Some(l) = req
        .language
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        clauses.push((Occur::Must, term_query(fields.lang, &primary_language(l))));
    }
    clauses
}

/// Each word or quoted phrase that is a term of the glossary (`synonyms`:
/// groups of equivalent terms, compared without case) becomes "it OR any
/// other term of its group"; a term of several words is looked for as a
/// phrase. Filters, exclusions and the tree's shape stay as they are.
fn expand(node: Node, synonyms: &[Vec<String>]) -> Node {
    if synonyms.is_empty() {
        return node;
    }
    let mut groups: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, g) in synonyms.iter().enumerate() {
        for t in g {
            groups.entry(t.to_lowercase()).or_insert(i);
        }
    }
    fn walk(
        node: Node,
        synonyms: &[Vec<String>],
        groups: &std::collections::HashMap<String, usize>,
    ) -> Node {
        match node {
            Node::Text {
                text,
                quoted,
                prefix: false,
                title_only,
            } => match groups.get(&text.to_lowercase()) {
                Some(&g) => {
                    let mut alternatives = vec![Node::Text {
                        text: text.clone(),
                        quoted,
                        prefix: false,
                        title_only,
                    }];
                    for other in &synonyms[g] {
                        if other.to_lowercase() != text.to_lowercase() {
                            alternatives.push(Node::Text {
                                quoted: other.contains(char::is_whitespace),
                                text: other.clone(),
                                prefix: false,
                                title_only,
                            });
                        }
                    }
                    Node::Or(alternatives)
                }
                None => Node::Text {
                    text,
                    quoted,
                    prefix: false,
                    title_only,
                },
            },
            Node::Not(inner) => Node::Not(Box::new(walk(*inner, synonyms, groups))),
            Node::And(items) => Node::And(
                items
                    .into_iter()
                    .map(|n| walk(n, synonyms, groups))
                    .collect(),
            ),
            Node::Or(items) => Node::Or(
                items
                    .into_iter()
                    .map(|n| walk(n, synonyms, groups))
                    .collect(),
            ),
            other => other,
        }
    }
    walk(node, synonyms, &groups)
}

pub fn compile(
    req: &SearchRequest,
    fields: &Fields,
    sets: ArticleSets<'_>,
    fuzzy: bool,
) -> Compiled {
    let (node, plain_fallback) = parse(&req.query);
    let node = expand(node, &req.synonyms);
    let mut c = Compiler::new(fields, sets, fuzzy, req.all_words);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    match c.node(&node) {
        Some(q) => clauses.push((Occur::Must, q)),
        // Typed something, but nothing searchable (`-`, `*`, punctuation): no hits,
        // rather than everything. A blank query lists everything under the filters.
        None if !req.query.trim().is_empty() => clauses.push((Occur::Must, Box::new(EmptyQuery))),
        None => {}
    }
    clauses.extend(request_filters(req, fields));
    if clauses.is_empty() {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Compiled {
        query: Box::new(BooleanQuery::new(clauses)),
        error: c.error,
        highlight: c.highlight,
        plain_fallback,
        fuzzable: c.fuzzable,
    }
}

/// For a query of several words: the query that matches any of them, scored
/// [`PARTIAL_WORD_SCORE`] per word matched plus BM25, under the request's
/// filters, and how many words there are. Built only when all-words matching
/// found less than a page; `None` for a strict request, a query that did not
/// parse, or one of fewer than two words.
pub fn compile_partial(
    req: &SearchRequest,
    fields: &Fields,
    sets: ArticleSets<'_>,
) -> Option<(Box<dyn Query>, usize)> {
    if req.all_words {
        return None;
    }
    let (node, plain_fallback) = parse(&req.query);
    if plain_fallback {
        return None;
    }
    let node = expand(node, &req.synonyms);
    let (query, words) = Compiler::new(fields, sets, false, false).partial(&node)?;
    let mut clauses = request_filters(req, fields);
    clauses.push((Occur::Must, query));
    Some((Box::new(BooleanQuery::new(clauses)), words))
}

/// Whether `a` and `b` are at most `max` edits apart (insert, delete, substitute,
/// swap of neighbours), for marking typo-tolerant matches in snippets.
fn within_edits(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut prev2: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Node {
        Node::Text {
            text: t.into(),
            quoted: false,
            prefix: false,
            title_only: false,
        }
    }

    #[test]
    fn parses_words_phrases_groups_fields_and_prefixes() {
        let (n, fallback) = parse(r#"Qwen ("open weights" OR netw*) -ERNIE code:Trust/Security"#);
        assert!(!fallback);
        assert_eq!(
            n,
            Node::And(vec![
                text("Qwen"),
                Node::Or(vec![
                    Node::Text {
                        text: "open weights".into(),
                        quoted: true,
                        prefix: false,
                        title_only: false
                    },
                    Node::Text {
                        text: "netw".into(),
                        quoted: false,
                        prefix: true,
                        title_only: false
                    },
                ]),
                Node::Not(Box::new(text("ERNIE"))),
                Node::Filter(Filter::Code("Trust/Security".into())),
            ])
        );
        let (n, _) = parse(r#"claimant:"Alibaba Cloud" analyst:Mia date:2024..2025-06"#);
        assert_eq!(
            n,
            Node::And(vec![
                Node::Filter(Filter::Claimant("Alibaba Cloud".into())),
                Node::Filter(Filter::Analyst("mia".into())),
                Node::Filter(Filter::Date(Some(20240101), Some(20250631))),
            ])
        );
        // A URL is a word, not a field.
        assert_eq!(parse("https://example.org").0, text("https://example.org"));
    }

    #[test]
    fn malformed_queries_fall_back_to_plain_words() {
        for q in [
            "(Qwen OR",
            "Qwen)",
            "\"open weights",
            "OR Qwen",
            "()",
            "date:gestern Qwen",
            "kind:bogus Qwen",
            "stance:maybe",
        ] {
            let (n, fallback) = parse(q);
            assert!(fallback, "{q}");
            assert!(matches!(n, Node::Or(_)), "{q}");
        }
        let (n, fallback) = parse("(Qwen OR");
        assert!(fallback);
        assert_eq!(n, Node::Or(vec![text("Qwen")]));
        let (n, _) = parse("date:gestern Qwen");
        assert_eq!(
            n,
            Node::Or(vec![text("date"), text("gestern"), text("Qwen")])
        );
        assert_eq!(parse("").0, Node::And(Vec::new()));
        assert!(!parse("   ").1);
    }

    #[test]
    fn deep_groups_are_refused_not_recursed() {
        let limit = dossier_model::limits::MAX_QUERY_DEPTH;
        let ok = format!("{}Qwen{}", "(".repeat(limit), ")".repeat(limit));
        assert!(!parse(&ok).1);
        // Deeper than the parser follows: searched as its words.
        let deep = format!("{}Qwen{}", "(".repeat(1_000), ")".repeat(1_000));
        let (n, fallback) = parse(&deep);
        assert!(fallback);
        assert_eq!(n, Node::Or(vec![text("Qwen")]));
        // 20 000 levels (the crash the audit found) is longer than a query may be:
        // cut at the limit, where only parentheses are left.
        let deeper = format!("{}Qwen{}", "(".repeat(20_000), ")".repeat(20_000));
        let (n, fallback) = parse(&deeper);
        assert!(fallback);
        assert_eq!(n, Node::Or(vec![]));
        // A pasted novel is cut at the limit instead of analysed whole.
        let (n, _) = parse(&"wort ".repeat(100_000));
        let Node::And(items) = n else {
            panic!("words are ANDed")
        };
        assert!(items.len() <= dossier_model::limits::MAX_QUERY_CHARS / 5 + 1);
    }

    #[test]
    fn dates_widen_to_whole_years_and_months() {
        assert_eq!(
            parse_date_range("2024"),
            Some((Some(20240101), Some(20241231)))
        );
        assert_eq!(
            parse_date_range("2024-03"),
            Some((Some(20240301), Some(20240331)))
        );
        assert_eq!(parse_date_range("..2023"), Some((None, Some(20231231))));
        assert_eq!(
            parse_date_range("2023-02-05.."),
            Some((Some(20230205), None))
        );
        assert_eq!(parse_date_range(".."), None);
        assert_eq!(parse_date_range("2024-13"), None);
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert!(within_edits("transparenz", "transparnez", 1));
        assert!(within_edits("integritat", "integritaet", 1));
        assert!(!within_edits("integritat", "intgeritaet", 1));
        assert!(within_edits("integritat", "intgeritaet", 2));
    }
}

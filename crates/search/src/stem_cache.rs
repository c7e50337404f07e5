//! A stemming filter that remembers its stems.
//!
//! Snowball stemming was a third of the indexer's CPU time (German text is
//! stemmed twice: once for its family's field, once for the reversed compound
//! field). Words follow Zipf's law, so a small map from word to stem turns
//! most calls into one hash lookup. Same algorithm, same output as tantivy's
//! `Stemmer` filter.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use frostem::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per analyser before the map starts over: a few MB at most.
const CAPACITY: usize = 50_000;

/// FxHash (the multiply-rotate hash of rustc and Firefox): SipHash's
/// protection against chosen collisions buys nothing for a bounded map of
/// words, and hashing was a third of the filter's time.
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in chunks.by_ref() {
            let word = u64::from_le_bytes(c.try_into().expect("eight bytes"));
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type WordMap = HashMap<String, String, BuildHasherDefault<WordHasher>>;

#[derive(Clone, Copy)]
pub struct CachedStemmer {
    algorithm: Algorithm,
}

impl CachedStemmer {
    pub fn new(algorithm: Algorithm) -> CachedStemmer {
        CachedStemmer { algorithm }
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            stemmer: Stemmer::new(self.algorithm),
            cache: WordMap::default(),
            inner: tokenizer,
        }
    }
}

pub struct CachedStemmerFilter<T> {
    stemmer: Stemmer,
    cache: WordMap,
    inner: T,
}

/// A clone starts with an empty map: analysers are cloned per field and per
/// query, and copying a full map there would cost more than it saves.
impl<T: Clone> Clone for CachedStemmerFilter<T> {
    fn clone(&self) -> Self {
        CachedStemmerFilter {
            stemmer: self.stemmer,
            cache: WordMap::default(),
            inner: self.inner.clone(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: self.stemmer,
            cache: &mut self.cache,
        }
    }
}

pub struct CachedStemmerStream<'a, S> {
    tail: S,
    stemmer: Stemmer,
    cache: &'a mut WordMap,
}

impl<S: TokenStream> TokenStream for CachedStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.cache.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = self.stemmer.stem(&token.text).into_owned();
        if self.cache.len() >= CAPACITY {
            self.cache.clear();
        }
        let word = std::mem::replace(&mut token.text, stem.clone());
        self.cache.insert(word, stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{
        Language, LowerCaser, SimpleTokenizer, Stemmer as TantivyStemmer, TextAnalyzer,
    };

    fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut s = analyzer.token_stream(text);
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn stems_exactly_like_tantivys_filter_on_first_and_repeated_words() {
        let text =
            "Die Modelle und Modellen der Anbieter; die Modelle wurden geprüft, geprüften Modelle.";
        let mut cached = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedStemmer::new(Algorithm::German))
            .build();
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(TantivyStemmer::new(Language::German))
            .build();
        let expected = terms(&mut plain, text);
        assert_eq!(terms(&mut cached, text), expected);
        // A second pass is served from the map and must not differ.
        assert_eq!(terms(&mut cached, text), expected);
        assert_eq!(terms(&mut cached.clone(), text), expected);
    }
}

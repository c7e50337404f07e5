//! Terms starting with a given prefix, as a tantivy query.
//!
//! tantivy's `RegexQuery` would do (`netw.*`), but compiling a regex with `.`
//! builds a DFA over all of Unicode's byte sequences: about a millisecond per
//! query, more than the rest of the search. This automaton is a byte counter.

use std::sync::Arc;

use tantivy::query::{AutomatonWeight, EnableScoring, Query, Weight};
use tantivy::schema::Field;
use tantivy_fst::Automaton;

#[derive(Debug)]
pub struct PrefixAutomaton {
    prefix: Vec<u8>,
    /// Bytes required after the prefix (1 when the term must be longer).
    min_extra: usize,
}

/// State: how many bytes were read, or `None` once the term left the prefix.
impl Automaton for PrefixAutomaton {
    type State = Option<usize>;

    fn start(&self) -> Option<usize> {
        Some(0)
    }

    fn is_match(&self, state: &Option<usize>) -> bool {
        state.is_some_and(|n| n >= self.prefix.len() + self.min_extra)
    }

    fn can_match(&self, state: &Option<usize>) -> bool {
        state.is_some()
    }

    fn will_always_match(&self, state: &Option<usize>) -> bool {
        self.is_match(state)
    }

    fn accept(&self, state: &Option<usize>, byte: u8) -> Option<usize> {
        let n = (*state)?;
        match self.prefix.get(n) {
            Some(&expected) if expected != byte => None,
            _ => Some(n + 1),
        }
    }
}

#[derive(Debug, Clone)]
pub struct PrefixQuery {
    field: Field,
    automaton: Arc<PrefixAutomaton>,
}

impl PrefixQuery {
    /// Terms of `field` that start with `prefix`; with `longer`, not `prefix` itself.
    pub fn new(field: Field, prefix: &str, longer: bool) -> PrefixQuery {
        PrefixQuery {
            field,
            automaton: Arc::new(PrefixAutomaton {
                prefix: prefix.as_bytes().to_vec(),
                min_extra: usize::from(longer),
            }),
        }
    }
}

impl Query for PrefixQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<PrefixAutomaton>::new(
            self.field,
            self.automaton.clone(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(a: &PrefixAutomaton, term: &str) -> bool {
        let mut s = a.start();
        for b in term.bytes() {
            if !a.can_match(&s) {
                return false;
            }
            s = a.accept(&s, b);
        }
        a.is_match(&s)
    }

    #[test]
    fn matches_exactly_the_terms_with_the_prefix() {
        let a = PrefixAutomaton {
            prefix: b"netw".to_vec(),
            min_extra: 0,
        };
        assert!(matches(&a, "netw") && matches(&a, "network") && matches(&a, "netwerk"));
        assert!(!matches(&a, "net") && !matches(&a, "neutral") && !matches(&a, "anetw"));
        let longer = PrefixAutomaton {
            prefix: "daten".as_bytes().to_vec(),
            min_extra: 1,
        };
        assert!(matches(&longer, "datenschutz") && !matches(&longer, "daten"));
        let cjk = PrefixAutomaton {
            prefix: "tatirgetni".as_bytes().to_vec(),
            min_extra: 1,
        };
        assert!(matches(&cjk, "tatirgetninetad"));
    }
}

//! The query language, compiled by hand into tantivy queries.
//!
//! Supported: words (all must match), `"phrases"`, `-exclusion`, `a OR b`, and
//! the fields `kind:`, `code:`, `lang:`, `stance:`, `title:`. Nothing here can
//! fail: unbalanced quotes close at the end, unknown fields are searched as
//! words, and a query that analyses to nothing matches everything under its filters.

use std::collections::HashSet;

use dossier_model::{Kind, SearchRequest};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analysis::{tokens, Family, Mode};
use crate::index::primary_language;
use crate::schema::{family_index, Fields};

const TITLE_BOOST: f32 = 2.0;

pub struct Compiled {
    pub query: Box<dyn Query>,
    /// Per analysis family, the terms a snippet should mark.
    pub highlight: [HashSet<String>; 3],
}

#[derive(Debug, PartialEq)]
enum Piece {
    Text {
        text: String,
        negated: bool,
        title_only: bool,
    },
    Filter {
        field: &'static str,
        value: String,
        negated: bool,
    },
    Or,
}

fn lex(input: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let negated = first == '-';
        if negated {
            chars.next();
        }
        let mut word = String::new();
        let mut quoted = false;
        while let Some(&c) = chars.peek() {
            if c == '"' {
                chars.next();
                quoted = true;
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    word.push(c);
                }
                continue;
            }
            if c.is_whitespace() {
                break;
            }
            word.push(c);
            chars.next();
        }
        if word.is_empty() {
            continue;
        }
        if !quoted && !negated && word == "OR" {
            out.push(Piece::Or);
            continue;
        }
        if let Some((name, value)) = word.split_once(':') {
            let field = match name.to_ascii_lowercase().as_str() {
                "kind" => Some("kind"),
                "code" => Some("code"),
                "lang" => Some("lang"),
                "stance" => Some("stance"),
                "title" => Some("title"),
                _ => None,
            };
            match field {
                Some("title") if !value.is_empty() => {
                    out.push(Piece::Text {
                        text: value.to_string(),
                        negated,
                        title_only: true,
                    });
                    continue;
                }
                Some(field) if !value.is_empty() => {
                    out.push(Piece::Filter {
                        field,
                        value: value.to_string(),
                        negated,
                    });
                    continue;
                }
                _ => {}
            }
        }
        out.push(Piece::Text {
            text: word,
            negated,
            title_only: false,
        });
    }
    out
}

fn term_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Analyses `text` per family and matches it in the title, body and code fields.
fn text_query(
    fields: &Fields,
    text: &str,
    title_only: bool,
    highlight: &mut [HashSet<String>; 3],
) -> Option<Box<dyn Query>> {
    let mut per_field: Vec<Box<dyn Query>> = Vec::new();
    for family in Family::ALL {
        let toks = tokens(&mut family.analyzer(Mode::Query), text);
        if toks.is_empty() {
            continue;
        }
        let fi = family_index(family);
        highlight[fi].extend(toks.iter().map(|t| t.2.clone()));
        let mut targets = vec![(fields.title[fi], TITLE_BOOST)];
        if !title_only {
            targets.push((fields.body[fi], 1.0));
            if family == Family::Other {
                targets.push((fields.codes_text, 1.0));
            }
        }
        for (field, boost) in targets {
            let q: Box<dyn Query> = if toks.len() == 1 {
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
            per_field.push(if boost == 1.0 {
                q
            } else {
                Box::new(BoostQuery::new(q, boost))
            });
        }
    }
    if per_field.is_empty() {
        return None;
    }
    Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
        per_field, 0.1,
    )))
}

fn filter_query(fields: &Fields, field: &str, value: &str) -> Box<dyn Query> {
    match field {
        "kind" => match Kind::parse(value) {
            Some(k) => term_query(fields.kind, k.as_str()),
            None => Box::new(EmptyQuery),
        },
        "code" => term_query(fields.code, value.trim_matches('/')),
        "lang" => term_query(fields.lang, &primary_language(value)),
        _ => term_query(fields.stance, &value.to_ascii_lowercase()),
    }
}

pub fn compile(req: &SearchRequest, fields: &Fields) -> Compiled {
    let mut highlight: [HashSet<String>; 3] = Default::default();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    // A run of pieces joined by OR becomes one SHOULD group, required as a whole.
    let mut group: Vec<Box<dyn Query>> = Vec::new();
    let mut join_next = false;
    let flush =
        |group: &mut Vec<Box<dyn Query>>, clauses: &mut Vec<(Occur, Box<dyn Query>)>| match group
            .len()
        {
            0 => {}
            1 => clauses.push((Occur::Must, group.pop().expect("one"))),
            _ => {
                let should = group.drain(..).map(|q| (Occur::Should, q)).collect();
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(should))));
            }
        };
    for piece in lex(&req.query) {
        let (q, negated) = match piece {
            Piece::Or => {
                join_next = !group.is_empty();
                continue;
            }
            Piece::Text {
                text,
                negated,
                title_only,
            } => {
                // Excluded words are not highlighted.
                let mut scratch: [HashSet<String>; 3] = Default::default();
                let target = if negated {
                    &mut scratch
                } else {
                    &mut highlight
                };
                match text_query(fields, &text, title_only, target) {
                    Some(q) => (q, negated),
                    None => continue,
                }
            }
            Piece::Filter {
                field,
                value,
                negated,
            } => (filter_query(fields, field, &value), negated),
        };
        if negated {
            clauses.push((Occur::MustNot, q));
            join_next = false;
            continue;
        }
        if !join_next {
            flush(&mut group, &mut clauses);
        }
        group.push(q);
        join_next = false;
    }
    flush(&mut group, &mut clauses);

    if let Some(k) = req.kind {
        clauses.push((Occur::Must, term_query(fields.kind, k.as_str())));
    }
    if let Some(c) = req.code.as_deref().filter(|c| !c.trim().is_empty()) {
        clauses.push((Occur::Must, filter_query(fields, "code", c.trim())));
    }
    if let Some(l) = req.language.as_deref().filter(|l| !l.trim().is_empty()) {
        clauses.push((Occur::Must, filter_query(fields, "lang", l)));
    }
    if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Compiled {
        query: Box::new(BooleanQuery::new(clauses)),
        highlight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexer_handles_phrases_exclusions_fields_and_garbage() {
        let p = lex(
            r#"Qwen "open weights" -ERNIE code:Trust/Security OR lang:de title:Bericht "unclosed"#,
        );
        assert_eq!(
            p[0],
            Piece::Text {
                text: "Qwen".into(),
                negated: false,
                title_only: false
            }
        );
        assert_eq!(
            p[1],
            Piece::Text {
                text: "open weights".into(),
                negated: false,
                title_only: false
            }
        );
        assert_eq!(
            p[2],
            Piece::Text {
                text: "ERNIE".into(),
                negated: true,
                title_only: false
            }
        );
        assert_eq!(
            p[3],
            Piece::Filter {
                field: "code",
                value: "Trust/Security".into(),
                negated: false
            }
        );
        assert_eq!(p[4], Piece::Or);
        assert_eq!(
            p[6],
            Piece::Text {
                text: "Bericht".into(),
                negated: false,
                title_only: true
            }
        );
        assert_eq!(
            p[7],
            Piece::Text {
                text: "unclosed".into(),
                negated: false,
                title_only: false
            }
        );
        assert!(lex("  - \"\" :: ")
            .iter()
            .all(|p| matches!(p, Piece::Text { .. })));
    }
}

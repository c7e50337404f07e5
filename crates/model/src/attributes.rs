//! Article attributes, sets of articles and saved searches: what analysts
//! group and compare their sources by.
//!
//! Attributes (the "cases" of qualitative analysis) are typed variables
//! per article — outlet, country, outlet type, model family, a date — that
//! analysts compare their claims by.
//!
//! A notebook defines each attribute once ([`AttributeDef`]: a name and a
//! type, with the allowed values of a `choice`); an article has at most one
//! value per attribute. Values are validated and normalised here, in one
//! place, so that the store can compare them (numbers and dates by a sortable
//! interval, [`Normalized`]) and search's `attr:` filter means the same thing
//! everywhere.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dates::PartialDate;
use crate::{Error, Result};

/// The longest attribute name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// The longest value, in characters.
pub const MAX_VALUE_CHARS: usize = 1_000;
/// The most choices a `choice` attribute may offer.
pub const MAX_CHOICES: usize = 200;
/// The most attributes a notebook may define.
pub const MAX_ATTRIBUTES: usize = 500;

crate::wire_enum! {
    /// What kind of values an attribute holds.
    #[derive(Default)]
    pub enum AttributeType {
        /// Any text (an outlet's name).
        #[default]
        Text = "text",
        /// A number (a model's parameter count).
        Number = "number" | "numeric",
        /// A date, to the year, month or day (`2024`, `2024-05`, `2024-05-03`).
        Date = "date",
        /// One of a fixed list (outlet type: state media, company, research, press).
        Choice = "choice" | "category",
    }
}

/// An attribute the notebook defines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttributeDef {
    pub name: String,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: AttributeType,
    /// The allowed values of a `choice` attribute, in their order; empty otherwise.
    pub choices: Vec<String>,
    /// How many articles have a value.
    pub used_by: u32,
}

/// One article's value of one attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttributeValue {
    pub name: String,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: AttributeType,
    pub value: String,
}

/// One article's value of one attribute (a column of the library).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ArticleValue {
    pub article_id: String,
    pub value: String,
    /// For numbers and dates: where the value starts, which is how they sort.
    pub low: Option<f64>,
}

/// A named set of articles (`set:NAME` in queries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ArticleSet {
    pub name: String,
    pub description: String,
    /// How many articles it holds.
    pub size: u32,
}

/// A named query, run again whenever it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedSearch {
    pub name: String,
    pub query: String,
}

/// The longest description of a set, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// The most sets, and the most saved searches, a notebook may hold.
pub const MAX_SETS: usize = 1_000;

/// What a query filter selects articles by: an attribute (`attr:`) or a set
/// (`set:`). The notebook answers it from SQLite.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ArticleFilter {
    Attribute(AttributeFilter),
    Set(String),
}

/// A value as stored: its text, and for numbers and dates the interval it
/// stands for (a date `2024-05` covers `20240501..=20240531`), which is what
/// comparisons use.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    pub text: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// The name as stored, or why it cannot be one: 1–64 letters, digits, `_`, `-`
/// or `.` (no spaces: `attr:NAME=VALUE` and `set:NAME` must read it back).
/// Attributes, sets and saved searches are named alike.
pub fn valid_name(name: &str) -> Result<String> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(name.to_string())
    } else {
        Err(Error::invalid(format!(
            "'{}' is not a name: use 1 to {MAX_NAME_CHARS} letters, digits, '_', '-' or '.' (e.g. outlet_type)",
            crate::limits::shorten(name, 80)
        )))
    }
}

/// A name as quoted in a message (cut when long).
pub fn shorten_name(name: &str) -> String {
    crate::limits::shorten(name, MAX_NAME_CHARS + 1)
}

/// The choices of a `choice` attribute, trimmed, duplicates (ignoring case) and
/// blanks refused; no choices for other types.
pub fn valid_choices(kind: AttributeType, choices: &[String]) -> Result<Vec<String>> {
    if kind != AttributeType::Choice {
        if choices.iter().any(|c| !c.trim().is_empty()) {
            return Err(Error::invalid(format!(
                "only a choice attribute has choices; this one is {kind}"
            )));
        }
        return Ok(Vec::new());
    }
    let mut out: Vec<String> = Vec::new();
    for c in choices {
        let c = c.trim();
        if c.is_empty() || c.chars().count() > MAX_VALUE_CHARS {
            return Err(Error::invalid(
                "a choice must be 1 to 1000 characters".to_string(),
            ));
        }
        if out.iter().any(|o| o.to_lowercase() == c.to_lowercase()) {
            return Err(Error::invalid(format!("the choice '{c}' is given twice")));
        }
        out.push(c.to_string());
    }
    if out.is_empty() || out.len() > MAX_CHOICES {
        return Err(Error::invalid(format!(
            "a choice attribute needs 1 to {MAX_CHOICES} choices (--choices a,b,c)"
        )));
    }
    Ok(out)
}

impl AttributeDef {
    /// `value` as this attribute stores it, or why it cannot be one.
    pub fn normalize(&self, value: &str) -> Result<Normalized> {
        let v = value.trim();
        if v.is_empty() || v.chars().count() > MAX_VALUE_CHARS {
            return Err(Error::invalid(format!(
                "a value of '{}' must be 1 to {MAX_VALUE_CHARS} characters",
                self.name
            )));
        }
        let plain = |text: String| Normalized {
            text,
            low: None,
            high: None,
        };
        match self.kind {
            AttributeType::Text => Ok(plain(v.to_string())),
            AttributeType::Choice => self
                .choices
                .iter()
                .find(|c| c.to_lowercase() == v.to_lowercase())
                .map(|c| plain(c.clone()))
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "'{}' is not a choice of '{}' ({})",
                        crate::limits::shorten(v, 80),
                        self.name,
                        self.choices.join(", ")
                    ))
                }),
            AttributeType::Number => {
                let n = parse_number(v).ok_or_else(|| {
                    Error::invalid(format!(
                        "'{}' is not a number (attribute '{}')",
                        crate::limits::shorten(v, 80),
                        self.name
                    ))
                })?;
                // Stored as a plain decimal (`1,5` and `1.5e0` are `1.5`), as dates are ISO.
                Ok(Normalized {
                    text: format!("{n}"),
                    low: Some(n),
                    high: Some(n),
                })
            }
            AttributeType::Date => {
                let d = parse_date(v).ok_or_else(|| {
                    Error::invalid(format!(
                        "'{}' is not a date (attribute '{}'): use 2024, 2024-05 or 2024-05-03",
                        crate::limits::shorten(v, 80),
                        self.name
                    ))
                })?;
                Ok(Normalized {
                    text: d.to_string(),
                    low: Some(d.first_day() as f64),
                    high: Some(d.last_day() as f64),
                })
            }
        }
    }
}

/// A finite number: digits with an optional sign, `.` as the decimal point
/// (a `,` is read as one when there is no `.`: `1,5`), and an exponent.
fn parse_number(v: &str) -> Option<f64> {
    let v = if v.contains('.') {
        v.to_string()
    } else {
        v.replacen(',', ".", 1)
    };
    let ok = v.len() <= 64
        && v.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'));
    ok.then(|| v.parse::<f64>().ok())
        .flatten()
        .filter(|n| n.is_finite())
}

/// A whole date as written in the three languages: ISO (`2024-05-03`),
/// German (`03.05.2024`), Chinese (`2024年5月3日`); nothing left over.
fn parse_date(v: &str) -> Option<PartialDate> {
    let iso = crate::dates::normalize(v)?;
    let date = PartialDate::parse_exact(&iso)?;
    // Every number written is part of the date (`2024-13-01` is no year 2024).
    let groups = v
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .count();
    (date.parts().len() == groups).then_some(date)
}

/// How a filter compares an article's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// Has any value.
    Any,
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// `attr:NAME…` of the query language: an attribute, a comparison and its
/// operand as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttributeFilter {
    pub name: String,
    pub comparison: Comparison,
    pub operand: String,
}

impl AttributeFilter {
    /// `NAME`, `NAME=VALUE`, `NAME>V`, `NAME>=V`, `NAME<V`, `NAME<=V`;
    /// `None` when the name is no attribute name or a value is missing.
    pub fn parse(s: &str) -> Option<AttributeFilter> {
        let at = s.find(['=', '<', '>']);
        let (name, rest) = match at {
            Some(i) => (&s[..i], &s[i..]),
            None => (s, ""),
        };
        let name = valid_name(name).ok()?;
        let (comparison, operand) = if rest.is_empty() {
            (Comparison::Any, "")
        } else if let Some(o) = rest.strip_prefix(">=") {
            (Comparison::GreaterOrEqual, o)
        } else if let Some(o) = rest.strip_prefix("<=") {
            (Comparison::LessOrEqual, o)
        } else if let Some(o) = rest.strip_prefix('>') {
            (Comparison::Greater, o)
        } else if let Some(o) = rest.strip_prefix('<') {
            (Comparison::Less, o)
        } else {
            (Comparison::Equal, &rest[1..])
        };
        let operand = operand.trim();
        if comparison != Comparison::Any && operand.is_empty() {
            return None;
        }
        Some(AttributeFilter {
            name,
            comparison,
            operand: operand.to_string(),
        })
    }

    /// The condition on a stored value's text and interval, for an attribute
    /// of `def`'s type; an operand the type cannot read is an error.
    pub fn condition(&self, def: &AttributeDef) -> Result<Condition> {
        if self.comparison == Comparison::Any {
            return Ok(Condition::Any);
        }
        match def.kind {
            AttributeType::Text | AttributeType::Choice => match self.comparison {
                Comparison::Equal => Ok(Condition::TextEquals(self.operand.to_lowercase())),
                _ => Err(Error::invalid(format!(
                    "'{}' is a {} attribute: compare it with '=' only",
                    def.name, def.kind
                ))),
            },
            AttributeType::Number | AttributeType::Date => {
                let n = def.normalize(&self.operand)?;
                let (low, high) = (n.low.unwrap_or(0.0), n.high.unwrap_or(0.0));
                // A stored value is an interval [lo, hi] (a month, a day); so
                // is the operand [low, high]. `=`: inside it; `>`: wholly after it; …
                Ok(match self.comparison {
                    Comparison::Equal => Condition::Within(low, high),
                    Comparison::Greater => Condition::LowAbove(high),
                    Comparison::GreaterOrEqual => Condition::LowAtLeast(low),
                    Comparison::Less => Condition::HighBelow(low),
                    Comparison::LessOrEqual => Condition::HighAtMost(high),
                    Comparison::Any => Condition::Any,
                })
            }
        }
    }
}

/// What the store checks a stored value against.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Any,
    /// The text, ignoring case.
    TextEquals(String),
    /// `low >= a and high <= b`.
    Within(f64, f64),
    /// `low > x`.
    LowAbove(f64),
    /// `low >= x`.
    LowAtLeast(f64),
    /// `high < x`.
    HighBelow(f64),
    /// `high <= x`.
    HighAtMost(f64),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(kind: AttributeType, choices: &[&str]) -> AttributeDef {
        AttributeDef {
            name: "x".into(),
            kind,
            choices: choices.iter().map(|c| c.to_string()).collect(),
            used_by: 0,
        }
    }

    #[test]
    fn names_are_query_words() {
        assert_eq!(valid_name(" outlet_type ").unwrap(), "outlet_type");
        assert_eq!(valid_name("Land").unwrap(), "Land");
        assert_eq!(valid_name("国家").unwrap(), "国家");
        for bad in ["", "outlet type", "a=b", "a:b", &"x".repeat(65)] {
            assert!(valid_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_are_validated_by_type() {
        let choice = def(AttributeType::Choice, &["state media", "company"]);
        assert_eq!(
            choice.normalize(" State Media ").unwrap().text,
            "state media"
        );
        assert!(choice.normalize("press").is_err());
        let n = def(AttributeType::Number, &[]);
        assert_eq!(n.normalize("7.5").unwrap().low, Some(7.5));
        assert_eq!(n.normalize("1,5").unwrap().low, Some(1.5));
        assert_eq!(n.normalize("-3e2").unwrap().low, Some(-300.0));
        assert_eq!(n.normalize("-3e2").unwrap().text, "-300");
        assert_eq!(n.normalize("1,5").unwrap().text, "1.5");
        for bad in ["seven", "1e999", "NaN", "inf", "1.2.3"] {
            assert!(n.normalize(bad).is_err(), "{bad}");
        }
        let d = def(AttributeType::Date, &[]);
        let may = d.normalize("2024-05").unwrap();
        assert_eq!(may.text, "2024-05");
        assert_eq!((may.low, may.high), (Some(20240501.0), Some(20240531.0)));
        assert_eq!(d.normalize("03.05.2024").unwrap().text, "2024-05-03");
        assert_eq!(d.normalize("2024年5月3日").unwrap().text, "2024-05-03");
        for bad in ["Frühjahr 2024", "2024-13-01", "2024-05-03T10:00"] {
            assert!(d.normalize(bad).is_err(), "{bad}");
        }
        assert!(def(AttributeType::Text, &[]).normalize("  ").is_err());
    }

    #[test]
    fn choices_are_checked() {
        let c = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            valid_choices(AttributeType::Choice, &c(&[" a ", "b"])).unwrap(),
            c(&["a", "b"])
        );
        assert!(valid_choices(AttributeType::Choice, &c(&["a", "A"])).is_err());
        assert!(valid_choices(AttributeType::Choice, &[]).is_err());
        assert!(valid_choices(AttributeType::Text, &c(&["a"])).is_err());
        assert!(valid_choices(AttributeType::Text, &[]).unwrap().is_empty());
    }

    #[test]
    fn filters_parse_and_compare_intervals() {
        let f = AttributeFilter::parse("published>=2024-01").unwrap();
        assert_eq!(f.name, "published");
        assert_eq!(f.comparison, Comparison::GreaterOrEqual);
        assert_eq!(f.operand, "2024-01");
        assert_eq!(
            AttributeFilter::parse("country").unwrap().comparison,
            Comparison::Any
        );
        assert!(AttributeFilter::parse("country=").is_none());
        assert!(AttributeFilter::parse("=CN").is_none());
        let d = def(AttributeType::Date, &[]);
        let cond = |s: &str| AttributeFilter::parse(s).unwrap().condition(&d).unwrap();
        assert_eq!(cond("x>2024-01"), Condition::LowAbove(20240131.0));
        assert_eq!(cond("x<2024"), Condition::HighBelow(20240101.0));
        assert_eq!(cond("x=2024"), Condition::Within(20240101.0, 20241231.0));
        let t = def(AttributeType::Text, &[]);
        assert!(AttributeFilter::parse("x>a")
            .unwrap()
            .condition(&t)
            .is_err());
        assert_eq!(
            AttributeFilter::parse("x=CN")
                .unwrap()
                .condition(&t)
                .unwrap(),
            Condition::TextEquals("cn".into())
        );
    }
}

/// One term of the glossary in its language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GlossaryTerm {
    /// BCP 47 language tag (`de`, `en`, `zh`).
    pub language: String,
    pub term: String,
}

/// A concept of the glossary: the terms that name it across languages
/// (透明度 ↔ Transparenz ↔ transparency). Search expands any of them to all
/// of them when asked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GlossaryConcept {
    pub id: String,
    pub terms: Vec<GlossaryTerm>,
}

impl GlossaryTerm {
    /// `lang:term` as typed (`de:Transparenz`), checked: a language tag of
    /// letters and hyphens, a term that is not blank and not too long.
    pub fn parse(s: &str) -> Result<GlossaryTerm> {
        let bad = || {
            Error::invalid(format!(
                "'{}' is no glossary term: write LANG:TERM, e.g. de:Transparenz",
                crate::limits::shorten(s, 80)
            ))
        };
        let (language, term) = s.split_once(':').ok_or_else(bad)?;
        GlossaryTerm::new(language, term).map_err(|_| bad())
    }

    pub fn new(language: &str, term: &str) -> Result<GlossaryTerm> {
        let language = crate::valid_language(language)?;
        let term = term.split_whitespace().collect::<Vec<_>>().join(" ");
        if term.is_empty() || term.chars().count() > crate::limits::MAX_TERM_CHARS {
            return Err(Error::invalid(format!(
                "a glossary term has 1 to {} characters",
                crate::limits::MAX_TERM_CHARS
            )));
        }
        Ok(GlossaryTerm { language, term })
    }
}

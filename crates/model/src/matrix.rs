//! Matrices: claims counted by two dimensions at once — code × attribute,
//! code × set, code × analyst, code × month, code × code (co-occurrence) — with
//! each cell's split by stance and by verdict.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

crate::wire_enum! {
    /// What a matrix's rows or columns are.
    pub enum AxisKind {
        /// Each code a claim has (a claim with two codes counts in both rows).
        Code = "code",
        /// The value of an article attribute (`attr:NAME`).
        Attribute = "attr" | "attribute",
        /// The sets the claim's article is in.
        Set = "set",
        /// Who coded the claim.
        Analyst = "analyst",
        /// The month of the claim's article (published, else imported).
        Month = "month",
        Stance = "stance",
        Verdict = "verdict",
        /// The language of the claim's article.
        Language = "lang" | "language",
    }
}

crate::wire_enum! {
    /// How a chart drawn in the window is saved.
    pub enum ChartFormat {
        /// The drawing itself (checked: no script, nothing loaded from elsewhere).
        Svg = "svg",
        /// A picture of it, sent base64-encoded.
        Png = "png",
    }
}

/// One dimension of a matrix: `code`, `attr:country`, `set`, `analyst`,
/// `month`, `stance`, `verdict`, `lang`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Axis {
    pub kind: AxisKind,
    /// The attribute, for `attr`.
    pub name: Option<String>,
}

impl Axis {
    pub fn parse(s: &str) -> Result<Axis> {
        let (kind, name) = match s.trim().split_once(':') {
            Some((k, n)) => (k, Some(n.trim())),
            None => (s.trim(), None),
        };
        let kind = AxisKind::parse(kind).ok_or_else(|| {
            Error::invalid(format!(
                "'{}' is no matrix dimension: use code, attr:NAME, set, analyst, month, stance, verdict or lang",
                crate::limits::shorten(s, 80)
            ))
        })?;
        match (kind, name) {
            (AxisKind::Attribute, Some(n)) => Ok(Axis {
                kind,
                name: Some(crate::attributes::valid_name(n)?),
            }),
            (AxisKind::Attribute, None) => Err(Error::invalid(
                "say which attribute: attr:NAME (e.g. attr:country)",
            )),
            (_, Some(_)) => Err(Error::invalid(format!(
                "only attr takes a name ('{}')",
                crate::limits::shorten(s, 80)
            ))),
            (_, None) => Ok(Axis { kind, name: None }),
        }
    }
}

impl std::fmt::Display for Axis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.name {
            Some(n) => write!(f, "{}:{n}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

/// How a cell's claims split by stance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StanceSplit {
    pub supports: u32,
    pub contests: u32,
    pub neutral: u32,
    pub unclear: u32,
}

/// How a cell's claims split by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerdictSplit {
    pub unverified: u32,
    pub supported: u32,
    pub disputed: u32,
    pub refuted: u32,
}

/// One cell: the claims in row `row` and column `col` (indexes into the labels).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MatrixCell {
    pub row: u32,
    pub col: u32,
    pub count: u32,
    pub stance: StanceSplit,
    pub verdict: VerdictSplit,
}

/// A matrix: the labels of its rows and columns (an empty label: no value),
/// the non-empty cells, and each row's and column's number of distinct claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Matrix {
    pub rows: Axis,
    pub cols: Axis,
    pub row_labels: Vec<String>,
    pub col_labels: Vec<String>,
    pub cells: Vec<MatrixCell>,
    pub row_totals: Vec<u32>,
    pub col_totals: Vec<u32>,
    /// Distinct claims in the matrix.
    pub total: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_parse() {
        assert_eq!(Axis::parse("code").unwrap().kind, AxisKind::Code);
        let a = Axis::parse("attr:country").unwrap();
        assert_eq!(
            (a.kind, a.name.as_deref()),
            (AxisKind::Attribute, Some("country"))
        );
        assert_eq!(a.to_string(), "attr:country");
        assert_eq!(Axis::parse("Language").unwrap().kind, AxisKind::Language);
        for bad in ["attr", "attr:", "code:x", "colour", "attr:a b"] {
            assert!(Axis::parse(bad).is_err(), "{bad}");
        }
    }
}

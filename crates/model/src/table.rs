//! The table of claims: every claim of the notebook as one sortable, filterable
//! list, read a page at a time (the window shows a million rows by asking only
//! for the ones on screen), and changed many at once (bulk recode).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AttributeValue, Hedging, Stance, Verdict};

crate::wire_enum! {
    /// A column the table can be sorted by (or `attr:NAME`, see [`ClaimSort`]).
    pub enum ClaimColumn {
        Quote = "quote",
        /// The article's title.
        Article = "article",
        /// The first of the claim's code paths.
        Codes = "codes" | "code",
        Stance = "stance",
        Hedging = "hedging",
        Verdict = "verdict",
        Confidence = "confidence",
        Claimant = "claimant",
        Analyst = "analyst",
        Created = "created",
        Updated = "updated",
    }
}

/// The order of the table: a column, or an attribute of the claim's article.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimSort {
    pub column: ClaimColumn,
    /// Sort by this article attribute instead of `column` (claims whose
    /// article has no value come last).
    #[serde(default)]
    pub attribute: Option<String>,
    #[serde(default)]
    pub descending: bool,
}

impl Default for ClaimSort {
    fn default() -> Self {
        ClaimSort {
            column: ClaimColumn::Created,
            attribute: None,
            descending: false,
        }
    }
}

/// Which claims the table holds. Every field narrows; empty fields do not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimFilter {
    /// Claims with this code or one below it.
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub stance: Option<Stance>,
    #[serde(default)]
    pub hedging: Option<Hedging>,
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// Who coded the claim (exactly).
    #[serde(default)]
    pub analyst: Option<String>,
    /// Words the quote contains (case-insensitive), as typed.
    #[serde(default)]
    pub text: Option<String>,
    /// Filters on the claim's article, as in the query language:
    /// `attr:country=CN`, `attr:published>2024-01`, `set:NAME`; all must hold.
    #[serde(default)]
    pub articles: Vec<String>,
}

/// A table of claims as asked for: its filter and order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimQuery {
    #[serde(default)]
    pub filter: ClaimFilter,
    #[serde(default)]
    pub sort: ClaimSort,
}

/// One row of the table: the claim, where it is, and its article's attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimRow {
    pub id: String,
    pub article_id: String,
    pub article_title: String,
    pub exact: String,
    pub start: u32,
    pub end: u32,
    pub codes: Vec<String>,
    pub stance: Stance,
    pub hedging: Hedging,
    pub verdict: Verdict,
    pub confidence: u8,
    pub claimant: Option<String>,
    pub analyst: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The article's attribute values.
    pub attributes: Vec<AttributeValue>,
}

/// A view of the table: which claims, in which order, fixed when it was made,
/// so that pages read later line up. Rows are read fresh for each page (an
/// edit shows at once); a claim deleted since is left out of its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimView {
    /// Names the view for [`ClaimPage`] requests.
    pub view: u32,
    /// Claims in the view.
    pub total: u32,
    /// The first page.
    pub rows: Vec<ClaimRow>,
}

/// Rows `offset..offset + limit` of a view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimPage {
    pub view: u32,
    pub offset: u32,
    pub rows: Vec<ClaimRow>,
}

/// A change to many claims at once; absent fields are left as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Recode {
    /// Code paths to add (each must exist).
    #[serde(default)]
    pub add_codes: Vec<String>,
    /// Code paths to take off (each must exist).
    #[serde(default)]
    pub remove_codes: Vec<String>,
    #[serde(default)]
    pub stance: Option<Stance>,
    #[serde(default)]
    pub hedging: Option<Hedging>,
    /// A new verdict, recorded in each claim's verdict history.
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// Who records the verdict.
    #[serde(default)]
    pub analyst: Option<String>,
}

impl Recode {
    pub fn is_empty(&self) -> bool {
        self.add_codes.is_empty()
            && self.remove_codes.is_empty()
            && self.stance.is_none()
            && self.hedging.is_none()
            && self.verdict.is_none()
    }
}

/// What a bulk recode did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecodeOutcome {
    /// Claims named.
    pub claims: u32,
    /// Claims that changed (the rest already were so).
    pub changed: u32,
}

/// Rows one page request may ask for.
pub const MAX_PAGE_ROWS: u32 = 2_000;
/// Claims one bulk recode may change (each is kept in the undo history).
pub const MAX_RECODE: usize = 50_000;

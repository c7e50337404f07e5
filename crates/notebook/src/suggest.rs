//! An offline, explainable claim suggester for transparency and trust.
//!
//! The text is cut into sentences (`.`, `!`, `?` followed by a space or a
//! line end; `。！？` anywhere; blank lines). A sentence is proposed when a
//! lexicon entry of a code occurs in it (German, English, Chinese; Latin
//! entries match at the start of a word, so `transparen` finds Transparenz,
//! transparency and transparent). Each suggestion names the rule that fired;
//! hedges (`bleibt abzuwarten`, `remains to be seen`, `尚不清楚`) mark it as
//! hedged. Sentences already claimed, or dismissed by the analyst, are not
//! proposed again. Nothing here learns or calls out: the same text always
//! gives the same suggestions, and the analyst can read why.

use dossier_model::{
    code_within, Anchor, Claim, ClaimTarget, Error, Hedging, NewClaim, Result, Stance, Suggestion,
};
use dossier_search::analysis::is_cjk;

use crate::Notebook;

/// (code path, lexicon). Entries are lower case.
const LEXICON: &[(&str, &[&str])] = &[
    (
        "Transparency/Open weights",
        &[
            "open weights",
            "open-weight",
            "offene gewichte",
            "offenen gewichte",
            "gewichte",
            "weights",
            "open source",
            "open-source",
            "quelloffen",
            "权重",
            "开源",
            "开放权重",
        ],
    ),
    (
        "Transparency/Training-data disclosure",
        &[
            "trainingsdaten",
            "training data",
            "training-data",
            "datensatz",
            "datensätze",
            "dataset",
            "filterung der daten",
            "训练数据",
            "数据来源",
            "数据集",
        ],
    ),
    (
        "Transparency/Documentation",
        &[
            "modellkarte",
            "model card",
            "technical report",
            "technischer bericht",
            "technischen bericht",
            "dokumentation",
            "documentation",
            "evaluationsprotokoll",
            "evaluation protocol",
            "技术报告",
            "评估方法",
            "模型卡",
        ],
    ),
    (
        "Transparency/Governance process",
        &[
            "lizenzbedingung",
            "license terms",
            "licence terms",
            "governance",
            "entscheidungsprozess",
            "治理",
            "许可协议",
        ],
    ),
    (
        "Transparency",
        &[
            "transparen",
            "offenleg",
            "legt offen",
            "nicht offen",
            "disclos",
            "透明",
            "公开",
            "披露",
        ],
    ),
    (
        "Trust/Data integrity",
        &[
            "datenintegrität",
            "data integrity",
            "integrität",
            "integrity",
            "manipulier",
            "manipulat",
            "verfälsch",
            "tamper",
            "数据完整性",
            "完整性",
            "篡改",
        ],
    ),
    (
        "Trust/Security",
        &[
            "sicherheitslücke",
            "schwachstelle",
            "vulnerab",
            "backdoor",
            "hintertür",
            "security",
            "exploit",
            "安全漏洞",
            "漏洞",
            "后门",
        ],
    ),
    (
        "Trust/Reliability & benchmarks",
        &[
            "benchmark",
            "leistungsangaben",
            "angaben zur leistung",
            "performance claim",
            "performance",
            "belastbar",
            "evaluation",
            "基准",
            "性能",
            "测评",
        ],
    ),
    (
        "Trust/Accountability",
        &[
            "rechenschaft",
            "haftung",
            "accountab",
            "liabilit",
            "verantwortung",
            "问责",
            "责任",
        ],
    ),
    (
        "Trust/State influence",
        &[
            "zensur",
            "censor",
            "inhaltskontrolle",
            "staatlich",
            "regierung",
            "government",
            "content control",
            "审查",
            "监管",
            "政府",
        ],
    ),
    (
        "Trust",
        &[
            "vertrauen",
            "vertrauenswürdig",
            "trust",
            "glaubwürdig",
            "credib",
            "verlässlich",
            "reliab",
            "信任",
            "可信",
            "可靠",
        ],
    ),
    (
        "Policy/Export controls",
        &[
            "exportkontroll",
            "export control",
            "exportbeschränk",
            "sanktion",
            "sanction",
            "hochleistungschip",
            "advanced chip",
            "出口管制",
            "芯片",
        ],
    ),
];

/// Words and phrases that qualify what a sentence claims.
const HEDGES: &[&str] = &[
    "bleibt abzuwarten",
    "unklar",
    "möglicherweise",
    "angeblich",
    "offenbar",
    "könnte",
    "remains to be seen",
    "unclear",
    "reportedly",
    "allegedly",
    "may ",
    "might ",
    "whether",
    "尚不清楚",
    "是否",
    "可能",
    "据称",
];

/// Whether `entry` occurs in `lower` at the start of a word (Latin entries)
/// or anywhere (CJK entries, which have no word boundaries).
fn occurs(lower: &str, entry: &str) -> bool {
    if entry.chars().any(is_cjk) {
        return lower.contains(entry);
    }
    lower.match_indices(entry).any(|(i, _)| {
        lower[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Sentences as (start, end) code-point ranges, trimmed.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let push = |out: &mut Vec<(usize, usize)>, s: usize, e: usize| {
        let (mut s, mut e) = (s, e);
        while s < e && chars[s].is_whitespace() {
            s += 1;
        }
        while e > s && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        if e > s {
            out.push((s, e));
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let end_here = matches!(c, '。' | '！' | '？')
            || (matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace))
            || (c == '\n' && next == Some('\n'));
        if end_here {
            push(&mut out, start, i + 1);
            start = i + 1;
        }
        i += 1;
    }
    push(&mut out, start, chars.len());
    out
}

/// The suggestions for a text, before removing claimed and dismissed ones.
pub fn suggest_in(text: &str) -> Vec<Suggestion> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (s, e) in sentences(text) {
        let sentence: String = chars[s..e].iter().collect();
        // Too short to be a claim (a heading, a date line).
        if sentence.chars().filter(|c| c.is_alphanumeric()).count() < 12 {
            continue;
        }
        let lower = sentence.to_lowercase();
        let mut codes: Vec<String> = Vec::new();
        let mut rules: Vec<String> = Vec::new();
        for (code, entries) in LEXICON {
            if let Some(hit) = entries.iter().find(|e| occurs(&lower, e)) {
                // A more specific code already found makes its parent redundant.
                if codes.iter().any(|c| c.starts_with(&format!("{code}/"))) {
                    continue;
                }
                codes.push(code.to_string());
                rules.push(format!("{code} ← “{hit}”"));
            }
        }
        if codes.is_empty() {
            continue;
        }
        let hedge = HEDGES.iter().find(|h| occurs(&lower, h));
        if let Some(h) = hedge {
            rules.push(format!("hedged ← “{}”", h.trim()));
        }
        out.push(Suggestion {
            exact: sentence,
            start: s as u32,
            end: e as u32,
            codes,
            rule: rules.join("; "),
            hedging: if hedge.is_some() {
                Hedging::Hedged
            } else {
                Hedging::Asserted
            },
        });
    }
    out
}

/// Precision and recall of suggestions against claims an analyst labelled
/// (code-point ranges with codes): a suggestion is right when it overlaps a
/// labelled claim and shares a code with it (a parent code counts for its
/// children and the other way round); a labelled claim is found when some
/// suggestion is right about it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Score {
    pub suggestions: usize,
    pub labelled: usize,
    pub correct_suggestions: usize,
    pub found_claims: usize,
    pub precision: f64,
    pub recall: f64,
}

pub fn score(suggestions: &[Suggestion], labelled: &[(u32, u32, Vec<String>)]) -> Score {
    let related = |a: &str, b: &str| code_within(a, b) || code_within(b, a);
    let right = |s: &Suggestion, (ls, le, codes): &(u32, u32, Vec<String>)| {
        s.start < *le && *ls < s.end && s.codes.iter().any(|c| codes.iter().any(|l| related(c, l)))
    };
    let correct = suggestions
        .iter()
        .filter(|s| labelled.iter().any(|l| right(s, l)))
        .count();
    let found = labelled
        .iter()
        .filter(|l| suggestions.iter().any(|s| right(s, l)))
        .count();
    Score {
        suggestions: suggestions.len(),
        labelled: labelled.len(),
        correct_suggestions: correct,
        found_claims: found,
        precision: correct as f64 / suggestions.len().max(1) as f64,
        recall: found as f64 / labelled.len().max(1) as f64,
    }
}

impl Notebook {
    /// Candidate claims of an article, with the rule behind each; sentences
    /// already claimed or dismissed are left out.
    pub fn suggest(&self, article_id: &str) -> Result<Vec<Suggestion>> {
        let article = self.article(article_id)?;
        let claims = self.claims(Some(article_id), None)?;
        let dismissed = self
            .core
            .store
            .read(|c| dossier_store::suggestions::dismissed(c, article_id))?;
        let overlaps = |s: &Suggestion, c: &Claim| s.start < c.end && c.start < s.end;
        Ok(suggest_in(&article.text)
            .into_iter()
            .filter(|s| !claims.iter().any(|c| overlaps(s, c)))
            .filter(|s| {
                !dismissed
                    .iter()
                    .any(|(ds, de, dx)| *ds == s.start && *de == s.end && *dx == s.exact)
            })
            .collect())
    }

    /// Makes a suggestion a claim (its codes and hedging; stance and the rest
    /// are the analyst's to add).
    pub fn accept_suggestion(
        &self,
        article_id: &str,
        s: &Suggestion,
        analyst: Option<&str>,
    ) -> Result<Claim> {
        self.check_suggestion(article_id, s)?;
        self.add_claim(NewClaim {
            article_id: article_id.into(),
            target: ClaimTarget::Range {
                start: s.start,
                end: s.end,
            },
            codes: s.codes.clone(),
            stance: Stance::Unclear,
            confidence: 3,
            claimant: None,
            comment: Some(format!("Suggested: {}", s.rule)),
            analyst: analyst.map(str::to_string),
            hedging: s.hedging,
        })
    }

    /// Remembers that a suggestion is not a claim: it is not proposed again.
    pub fn dismiss_suggestion(&self, article_id: &str, s: &Suggestion) -> Result<()> {
        self.check_suggestion(article_id, s)?;
        self.core
            .store
            .write(dossier_store::Write::Preferences, |c| {
                dossier_store::suggestions::dismiss(c, article_id, s.start, s.end, &s.exact)
            })
    }

    /// A suggestion must still match the article's text where it says.
    fn check_suggestion(&self, article_id: &str, s: &Suggestion) -> Result<()> {
        let text = self.article(article_id)?.text;
        match Anchor::from_range(&text, s.start, s.end) {
            Ok(a) if a.exact == s.exact => Ok(()),
            _ => Err(Error::invalid(
                "the suggestion no longer matches the article's text",
            )),
        }
    }

    /// Whether the analyst dismissed this exact sentence before (for tests and tools).
    pub fn is_dismissed(&self, article_id: &str, s: &Suggestion) -> Result<bool> {
        self.core
            .store
            .read(|c| dossier_store::suggestions::is_dismissed(c, article_id, s.start, s.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_in_three_scripts_with_code_point_offsets() {
        let text = "Qwen 😀 legt Gewichte offen. Zweiter Satz?\n\n模型公开了权重。用户缺乏信任！";
        let s = sentences(text);
        let chars: Vec<char> = text.chars().collect();
        let got: Vec<String> = s
            .iter()
            .map(|&(a, b)| chars[a..b].iter().collect())
            .collect();
        assert_eq!(
            got,
            vec![
                "Qwen 😀 legt Gewichte offen.",
                "Zweiter Satz?",
                "模型公开了权重。",
                "用户缺乏信任！"
            ]
        );
    }

    #[test]
    fn rules_explain_codes_and_hedges() {
        let out = suggest_in("Ob die Angaben zur Leistung belastbar sind, bleibt abzuwarten. Das Wetter war schön heute.");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].codes, vec!["Trust/Reliability & benchmarks"]);
        assert_eq!(out[0].hedging, Hedging::Hedged);
        assert!(
            out[0].rule.contains("angaben zur leistung")
                && out[0].rule.contains("bleibt abzuwarten"),
            "{}",
            out[0].rule
        );
        // Word starts only: "entrust" is not "trust"; the parent is dropped for a child.
        assert!(
            suggest_in("They entrusted the committee with the final decision on it.").is_empty()
        );
        let t = suggest_in("Users trust the model because of its data integrity checks.");
        assert_eq!(t[0].codes, vec!["Trust/Data integrity"]);
    }
}

//! Agreement between two analysts who coded the same articles.
//!
//! The unit is one character (code point) of an article's canonical text. For
//! a code, each analyst either applied it to that character (a claim of theirs
//! with the code covers it) or did not: two binary ratings per unit. From the
//! four counts (both, only A, only B, neither) come percent agreement, Cohen's
//! kappa and Krippendorff's alpha (nominal, two coders, no missing values).
//! A claim applies a code when it carries it or a code below it (so `Trust`
//! also sums up `Trust/Security`). "Overall" pools the units of every code.

use std::collections::BTreeSet;

use dossier_model::{code_within, AgreementReport, AgreementStats, CodeAgreement, Error, Result};

use crate::Notebook;

/// The four counts of a two-rater binary table.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub both: u64,
    pub only_a: u64,
    pub only_b: u64,
    pub neither: u64,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.both += o.both;
        self.only_a += o.only_a;
        self.only_b += o.only_b;
        self.neither += o.neither;
    }

    pub fn stats(self) -> AgreementStats {
        let n = (self.both + self.only_a + self.only_b + self.neither) as f64;
        let agree = (self.both + self.neither) as f64;
        let percent_agreement = (n > 0.0).then(|| agree / n);
        // Cohen: chance agreement from each rater's own marginals.
        let cohen_kappa = (n > 0.0).then_some(()).and_then(|_| {
            let a1 = (self.both + self.only_a) as f64 / n;
            let b1 = (self.both + self.only_b) as f64 / n;
            let pe = a1 * b1 + (1.0 - a1) * (1.0 - b1);
            let po = agree / n;
            (pe < 1.0).then(|| (po - pe) / (1.0 - pe))
        });
        // Krippendorff: chance from the pooled values of both raters (2n values).
        let krippendorff_alpha = (n > 0.0).then_some(()).and_then(|_| {
            let values = 2.0 * n;
            let ones = (2 * self.both + self.only_a + self.only_b) as f64;
            let zeros = values - ones;
            let disagreeing = (self.only_a + self.only_b) as f64;
            // Σ_{c≠k} o_ck = 2 × disagreeing pairs; Σ_{c≠k} n_c n_k = 2 × ones × zeros.
            let expected = 2.0 * ones * zeros;
            (expected > 0.0).then(|| 1.0 - (values - 1.0) * (2.0 * disagreeing) / expected)
        });
        AgreementStats {
            units: self.both + self.only_a + self.only_b + self.neither,
            both: self.both,
            only_a: self.only_a,
            only_b: self.only_b,
            neither: self.neither,
            percent_agreement,
            cohen_kappa,
            krippendorff_alpha,
        }
    }
}

/// Counts over `len` characters, given which characters each rater marked.
fn count(len: usize, a: &[bool], b: &[bool]) -> Counts {
    let mut c = Counts::default();
    for i in 0..len {
        match (a[i], b[i]) {
            (true, true) => c.both += 1,
            (true, false) => c.only_a += 1,
            (false, true) => c.only_b += 1,
            (false, false) => c.neither += 1,
        }
    }
    c
}

impl Notebook {
    /// Agreement of analysts `a` and `b`, per code and overall, on one article
    /// or on every article both of them coded.
    pub fn agreement(
        &self,
        a: &str,
        b: &str,
        article: Option<&str>,
        code: Option<&str>,
    ) -> Result<AgreementReport> {
        if a == b {
            return Err(Error::invalid("name two different analysts"));
        }
        let claims = self.claims(article, code)?;
        let by = |name: &str| {
            claims
                .iter()
                .filter(|c| c.analyst.as_deref() == Some(name))
                .collect::<Vec<_>>()
        };
        let (ca, cb) = (by(a), by(b));
        let mut articles: BTreeSet<&str> = ca.iter().map(|c| c.article_id.as_str()).collect();
        let coded_by_b: BTreeSet<&str> = cb.iter().map(|c| c.article_id.as_str()).collect();
        if article.is_none() {
            articles.retain(|id| coded_by_b.contains(id));
        } else {
            articles.extend(coded_by_b);
        }
        if articles.is_empty() {
            return Err(Error::invalid(format!(
                "no article has claims by both '{a}' and '{b}'{}",
                code.map(|c| format!(" with code {c}")).unwrap_or_default()
            )));
        }
        // With a filter the code is the filter (its subtree counts as one);
        // otherwise every code either analyst used, exactly.
        let codes: Vec<String> = match code {
            Some(c) => vec![c.trim_matches('/').to_string()],
            None => ca
                .iter()
                .chain(cb.iter())
                .flat_map(|c| c.codes.iter().cloned())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        };
        let applies =
            |claim_codes: &[String], code: &str| claim_codes.iter().any(|p| code_within(p, code));
        let mut per_code: Vec<(String, Counts)> = codes
            .iter()
            .map(|c| (c.clone(), Counts::default()))
            .collect();
        let mut units = 0u64;
        for id in &articles {
            let len = self.article(id)?.text.chars().count();
            units += len as u64;
            for (code, counts) in per_code.iter_mut() {
                let mark = |claims: &[&dossier_model::Claim]| {
                    let mut m = vec![false; len];
                    for c in claims
                        .iter()
                        .filter(|c| c.article_id == *id && applies(&c.codes, code))
                    {
                        let (s, e) = (c.start as usize, (c.end as usize).min(len));
                        m[s.min(e)..e].iter_mut().for_each(|x| *x = true);
                    }
                    m
                };
                counts.add(count(len, &mark(&ca), &mark(&cb)));
            }
        }
        let mut overall = Counts::default();
        for (_, c) in &per_code {
            overall.add(*c);
        }
        Ok(AgreementReport {
            analysts: vec![a.to_string(), b.to_string()],
            articles: articles.iter().map(|s| s.to_string()).collect(),
            characters: units,
            overall: overall.stats(),
            per_code: per_code
                .into_iter()
                .map(|(code, c)| CodeAgreement {
                    code,
                    stats: c.stats(),
                })
                .collect(),
        })
    }
}

impl Notebook {
    /// The names of everyone who coded a claim in this notebook, sorted.
    pub fn analysts(&self) -> Result<Vec<String>> {
        self.core.store.read(dossier_store::claims::analysts)
    }

    /// Where two analysts disagree on an article: each claim of one of them
    /// that no claim of the other overlaps with a shared code (a parent code
    /// counts for its children), side by side for resolving.
    pub fn disagreements(
        &self,
        a: &str,
        b: &str,
        article: &str,
    ) -> Result<Vec<dossier_model::Disagreement>> {
        let claims = self.claims(Some(article), None)?;
        let related = |x: &str, y: &str| code_within(x, y) || code_within(y, x);
        let matched = |c: &dossier_model::Claim, other: &str| {
            claims.iter().any(|o| {
                o.analyst.as_deref() == Some(other)
                    && o.start < c.end
                    && c.start < o.end
                    && o.codes
                        .iter()
                        .any(|p| c.codes.iter().any(|q| related(p, q)))
            })
        };
        Ok(claims
            .iter()
            .filter_map(|c| {
                let (by, other) = match c.analyst.as_deref() {
                    Some(x) if x == a => (a, b),
                    Some(x) if x == b => (b, a),
                    _ => return None,
                };
                (!matched(c, other)).then(|| dossier_model::Disagreement {
                    claim: c.clone(),
                    only_by: by.to_string(),
                    missing_for: other.to_string(),
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(a: &[u8], b: &[u8]) -> Counts {
        let a: Vec<bool> = a.iter().map(|&x| x == 1).collect();
        let b: Vec<bool> = b.iter().map(|&x| x == 1).collect();
        count(a.len(), &a, &b)
    }

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
    /// binary data, two observers, ten units: α = 0.095.
    #[test]
    fn krippendorff_textbook_example() {
        let s = counts(
            &[0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
            &[1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
        )
        .stats();
        assert!(
            (s.krippendorff_alpha.unwrap() - 0.095).abs() < 0.0005,
            "{s:?}"
        );
        assert!((s.percent_agreement.unwrap() - 0.6).abs() < 1e-9);
    }

    /// The classic 2×2 example (Cohen 1960, as in most textbooks): 20 both yes,
    /// 5 only A, 10 only B, 15 both no → p_o = 0.70, p_e = 0.50, κ = 0.40.
    #[test]
    fn cohen_textbook_example() {
        let c = Counts {
            both: 20,
            only_a: 5,
            only_b: 10,
            neither: 15,
        };
        let s = c.stats();
        assert!((s.cohen_kappa.unwrap() - 0.4).abs() < 1e-9, "{s:?}");
        assert!((s.percent_agreement.unwrap() - 0.7).abs() < 1e-9);
        // Krippendorff's alpha for the same table (pooled marginals): 1 - 99·30/(2·55·45).
        assert!(
            (s.krippendorff_alpha.unwrap() - (1.0 - 99.0 * 30.0 / (2.0 * 55.0 * 45.0))).abs()
                < 1e-9
        );
    }

    #[test]
    fn perfect_and_undefined_cases() {
        let s = counts(&[1, 0, 1], &[1, 0, 1]).stats();
        assert_eq!(
            (s.cohen_kappa, s.krippendorff_alpha),
            (Some(1.0), Some(1.0))
        );
        // Nobody coded anything: agreement is total, the coefficients undefined.
        let s = counts(&[0, 0], &[0, 0]).stats();
        assert_eq!(s.percent_agreement, Some(1.0));
        assert_eq!((s.cohen_kappa, s.krippendorff_alpha), (None, None));
    }
}

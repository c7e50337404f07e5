//! Facet counts over every hit of a query, read from the fast-field columns of
//! `kind`, `code`, `lang` and `stance`: per segment a counter per dictionary
//! ordinal (no strings while collecting), turned into names once at the end.

use std::collections::HashMap;

use dossier_model::{FacetCount, Facets};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Facet fields in the order of [`Facets`]' members.
const FIELDS: [&str; 4] = ["kind", "code", "lang", "stance"];
/// Codes can be many; the panel shows the most frequent.
const MAX_VALUES: usize = 50;

pub struct FacetCollector;

pub struct SegmentFacets {
    columns: Vec<Option<(StrColumn, Vec<u32>)>>,
}

type Partial = Vec<HashMap<String, u32>>;

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let mut columns = Vec::with_capacity(FIELDS.len());
        for field in FIELDS {
            columns.push(segment.fast_fields().str(field)?.map(|c| {
                let n = c.num_terms();
                (c, vec![0u32; n])
            }));
        }
        Ok(SegmentFacets { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, parts: Vec<Partial>) -> tantivy::Result<Facets> {
        let mut merged: Vec<HashMap<String, u32>> = vec![HashMap::new(); FIELDS.len()];
        for part in parts {
            for (into, from) in merged.iter_mut().zip(part) {
                for (value, n) in from {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        let mut sorted = merged.into_iter().map(|m| {
            let mut v: Vec<FacetCount> = m
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            v.truncate(MAX_VALUES);
            v
        });
        let mut next = || sorted.next().unwrap_or_default();
        Ok(Facets {
            kind: next(),
            code: next(),
            language: next(),
            stance: next(),
        })
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Partial;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in self.columns.iter_mut().flatten() {
            for ord in column.term_ords(doc) {
                counts[ord as usize] += 1;
            }
        }
    }

    fn harvest(self) -> Partial {
        self.columns
            .into_iter()
            .map(|c| {
                let mut out = HashMap::new();
                if let Some((column, counts)) = c {
                    let mut name = String::new();
                    for (ord, &n) in counts.iter().enumerate() {
                        if n > 0 && column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                            out.insert(name.clone(), n);
                        }
                    }
                }
                out
            })
            .collect()
    }
}

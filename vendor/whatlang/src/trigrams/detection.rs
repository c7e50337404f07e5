use hashbrown::HashMap;

#[cfg(test)]
use super::LangProfile;
use super::LangProfileList;
use super::utils::{TrigramsWithPositions, get_trigrams_with_positions};
use super::{ARABIC_LANGS, CYRILLIC_LANGS, DEVANAGARI_LANGS, HEBREW_LANGS, LATIN_LANGS};
use super::{MAX_TOTAL_DISTANCE, MAX_TRIGRAM_DISTANCE, Trigram};
use crate::Lang;
use crate::core::{FilterList, Info, InternalQuery, Text, calculate_confidence};
use crate::scripts::grouping::MultiLangScript;

#[derive(Debug)]
pub struct RawOutcome {
    pub trigrams_count: usize,
    #[allow(dead_code)]
    pub raw_distances: Vec<(Lang, u32)>,
    pub scores: Vec<(Lang, f64)>,
}

#[inline]
pub fn detect(iquery: &InternalQuery) -> Option<Info> {
    let raw_outcome = raw_detect(iquery);
    let RawOutcome {
        trigrams_count,
        scores,
        ..
    } = raw_outcome;

    let mut raw_scores_iter = scores.into_iter();

    let opt_lang_score1 = raw_scores_iter.next();
    let opt_lang_score2 = raw_scores_iter.next();

    // TODO: Logic is duplicated in alphabets. Consider refactoring
    opt_lang_score1.map(|(lang1, score1)| {
        let script = iquery.multi_lang_script.to_script();
        let confidence = if let Some((_, score2)) = opt_lang_score2 {
            calculate_confidence(score1, score2, trigrams_count)
        } else {
            1.0
        };
        Info::new(script, lang1, confidence)
    })
}

#[inline]
pub fn raw_detect(iquery: &InternalQuery) -> RawOutcome {
    let lang_profile_list = script_to_lang_profile_list(iquery.multi_lang_script);
    calculate_scores_in_profiles(&iquery.text, iquery.filter_list, lang_profile_list)
}

fn script_to_lang_profile_list(script: MultiLangScript) -> LangProfileList {
    use MultiLangScript as MLS;
    match script {
        MLS::Latin => LATIN_LANGS,
        MLS::Cyrillic => CYRILLIC_LANGS,
        MLS::Arabic => ARABIC_LANGS,
        MLS::Devanagari => DEVANAGARI_LANGS,
        MLS::Hebrew => HEBREW_LANGS,
    }
}

#[inline]
fn calculate_scores_in_profiles(
    text: &Text,
    filter_list: &FilterList,
    lang_profile_list: LangProfileList,
) -> RawOutcome {
    let mut lang_distances: Vec<(Lang, u32)> = vec![];

    let TrigramsWithPositions {
        trigram_positions, ..
    } = get_trigrams_with_positions(&text.lowercase());
    let unique_trigrams_count = trigram_positions.len();

    // Dossier patch 1: the distances of every profile from one pass over the
    // text's trigrams and an inverted index of the profiles, instead of a hash
    // lookup for each trigram of each profile (37 Latin profiles × 300). The
    // same integers in the same order (see `inverted_distances_are_the_loops`).
    let hits = InvertedProfiles::of(lang_profile_list).hits(&trigram_positions);
    for (k, &(lang, lang_trigrams)) in lang_profile_list.iter().enumerate() {
        if !filter_list.is_allowed(lang) {
            continue;
        }
        let dist = distance_from_hits(lang_trigrams.len(), hits[k], trigram_positions.len());
        lang_distances.push(((lang), dist));
    }

    // Sort languages by distance
    lang_distances.sort_unstable_by_key(|(_, dist)| *dist);

    let max_dist = unique_trigrams_count as u32 * MAX_TRIGRAM_DISTANCE;

    let raw_scores = lang_distances
        .iter()
        .map(|&(lang, distance)| (lang, distance_to_raw_score(distance, max_dist)))
        .collect();

    RawOutcome {
        trigrams_count: unique_trigrams_count,
        scores: raw_scores,
        raw_distances: lang_distances,
    }
}

/// The original per-profile loop, kept as the reference the inverted index is
/// tested against.
#[cfg(test)]
fn calculate_distance(lang_trigrams: LangProfile, text_trigrams: &HashMap<Trigram, u32>) -> u32 {
    let mut total_dist = 0u32;

    for (i, &trigram) in lang_trigrams.iter().enumerate() {
        let dist = match text_trigrams.get(&trigram) {
            Some(&n) => (n as i32 - i as i32).unsigned_abs(),
            None => MAX_TRIGRAM_DISTANCE,
        };
        total_dist += dist;
    }

    let count = text_trigrams.len() as u32;

    if MAX_TRIGRAM_DISTANCE > count {
        let delta = MAX_TRIGRAM_DISTANCE - count;
        total_dist -= delta * MAX_TRIGRAM_DISTANCE;
    }

    total_dist.clamp(0, MAX_TOTAL_DISTANCE)
}

/// For each trigram of any profile of a list, where it stands in which
/// profiles: (profile index, rank).
struct InvertedProfiles {
    at: HashMap<Trigram, Vec<(u16, u16)>>,
    profiles: usize,
}

impl InvertedProfiles {
    /// The index of one of the crate's static profile lists, built once.
    fn of(list: LangProfileList) -> &'static InvertedProfiles {
        use std::sync::OnceLock;
        static LISTS: [OnceLock<InvertedProfiles>; 5] = [const { OnceLock::new() }; 5];
        let slot = [
            LATIN_LANGS,
            CYRILLIC_LANGS,
            ARABIC_LANGS,
            DEVANAGARI_LANGS,
            HEBREW_LANGS,
        ]
        .iter()
        .position(|l| std::ptr::eq(*l, list))
        .expect("one of the crate's profile lists");
        LISTS[slot].get_or_init(|| {
            let mut at: HashMap<Trigram, Vec<(u16, u16)>> = HashMap::new();
            for (k, &(_, profile)) in list.iter().enumerate() {
                for (i, &trigram) in profile.iter().enumerate() {
                    at.entry(trigram).or_default().push((k as u16, i as u16));
                }
            }
            InvertedProfiles {
                at,
                profiles: list.len(),
            }
        })
    }

    /// Per profile, the sum over its trigrams found in the text of
    /// `MAX_TRIGRAM_DISTANCE - |text position - profile rank|` (which can be
    /// negative: a text position goes up to 599).
    fn hits(&self, text_trigrams: &HashMap<Trigram, u32>) -> Vec<i64> {
        let mut hits = vec![0i64; self.profiles];
        for (trigram, &n) in text_trigrams {
            if let Some(places) = self.at.get(trigram) {
                for &(k, i) in places {
                    hits[k as usize] += MAX_TRIGRAM_DISTANCE as i64 - (n as i64 - i as i64).abs();
                }
            }
        }
        hits
    }
}

/// `calculate_distance` from a profile's length and its `hits`: the loop's sum
/// (|n - i| for a trigram found, MAX_TRIGRAM_DISTANCE for one missing) is
/// `len * MAX_TRIGRAM_DISTANCE - hits`; the rest is the loop's own arithmetic.
#[inline]
fn distance_from_hits(profile_len: usize, hits: i64, text_trigrams: usize) -> u32 {
    let mut total_dist = (profile_len as i64 * MAX_TRIGRAM_DISTANCE as i64 - hits) as u32;

    let count = text_trigrams as u32;

    if MAX_TRIGRAM_DISTANCE > count {
        let delta = MAX_TRIGRAM_DISTANCE - count;
        total_dist -= delta * MAX_TRIGRAM_DISTANCE;
    }

    total_dist.clamp(0, MAX_TOTAL_DISTANCE)
}

#[inline]
fn distance_to_raw_score(distance: u32, max_distance: u32) -> f64 {
    let similarity = max_distance - distance;
    similarity as f64 / max_distance as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every profile list, on texts made of the profiles' own trigrams in many
    /// mixes and lengths, on natural text and on noise: the inverted index
    /// gives the loop's distance for every language.
    #[test]
    fn inverted_distances_are_the_loops() {
        let mut texts: Vec<String> = vec![
            String::new(),
            "a".into(),
            "Die Ordnung muss für immer in diesem Codebase bleiben".into(),
            "The quick brown fox jumps over the lazy dog. ".repeat(40),
            "Привет мир, это проверка".into(),
            "qwertzuiop asdfghjkl yxcvbnm 1234 !!".into(),
        ];
        // Deterministic pseudo-random mixes of profile trigrams.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        for list in [
            LATIN_LANGS,
            CYRILLIC_LANGS,
            ARABIC_LANGS,
            DEVANAGARI_LANGS,
            HEBREW_LANGS,
        ] {
            for round in 0..60 {
                let words = [1, 5, 20, 80, 200, 400][round % 6];
                let mut t = String::new();
                for _ in 0..words {
                    let (_, profile) = list[next(list.len())];
                    let Trigram(a, b, c) = profile[next(profile.len())];
                    t.extend([a, b, c]);
                    if next(3) == 0 {
                        t.push(' ');
                    }
                }
                texts.push(t);
            }
        }
        for text in &texts {
            let trigrams =
                get_trigrams_with_positions(&Text::new(text).lowercase()).trigram_positions;
            for list in [
                LATIN_LANGS,
                CYRILLIC_LANGS,
                ARABIC_LANGS,
                DEVANAGARI_LANGS,
                HEBREW_LANGS,
            ] {
                let hits = InvertedProfiles::of(list).hits(&trigrams);
                for (k, &(lang, profile)) in list.iter().enumerate() {
                    assert_eq!(
                        distance_from_hits(profile.len(), hits[k], trigrams.len()),
                        calculate_distance(profile, &trigrams),
                        "{lang:?} on {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn test_when_german_is_given() {
        let text = "Die Ordnung muss für immer in diesem Codebase bleiben";
        let iq = InternalQuery {
            text: Text::new(text),
            filter_list: &FilterList::default(),
            multi_lang_script: MultiLangScript::Latin,
        };
        let raw_outcome = raw_detect(&iq);

        assert_eq!(raw_outcome.trigrams_count, 50);

        let &(first_lang, first_score) = raw_outcome.scores.first().unwrap();
        let &(_last_lang, last_score) = raw_outcome.scores.last().unwrap();

        assert_eq!(first_lang, Lang::Deu);

        assert!(first_score >= 0.0);
        assert!(first_score <= 1.0);

        assert!(last_score >= 0.0);
        assert!(last_score <= 1.0);
    }
}

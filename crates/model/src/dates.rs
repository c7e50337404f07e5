//! Publication dates, parsed in one place.
//!
//! Sources state dates in many ways; importers store what [`normalize`] makes
//! of them (`2024`, `2024-05`, `2024-05-03`), and everything that reads a date
//! (search's `date:` filter, the indexer, the exports) reads it with
//! [`PartialDate::parse`]. Dates stored before normalisation (an ISO time stamp,
//! `2024/05/03`) parse too; text that is no date (`Frühjahr 2024`) is kept as
//! written and treated as "no date".

use std::fmt;

/// A date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// The date at the start of `s`: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (also with `/`),
    /// followed by nothing, a time (`T…`, ` …`) or a zone. A month or day out of
    /// range ends the date there (`2024-13` is the year 2024).
    pub fn parse(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        let b = s.as_bytes();
        let digits = |from: usize, n: usize| -> Option<u32> {
            let part = b.get(from..from + n)?;
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
        };
        let year = digits(0, 4)?;
        // The year must not run on into more digits (`20240503` is no year 2024).
        if b.get(4).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        // A month or day is two digits after a separator, not followed by more digits.
        let field = |at: usize| {
            let sep = b.get(at).is_some_and(|c| *c == b'-' || *c == b'/');
            sep.then(|| digits(at + 1, 2))
                .flatten()
                .filter(|_| !b.get(at + 3).is_some_and(u8::is_ascii_digit))
        };
        let parts: Vec<u32> = [Some(year), field(4), field(7)]
            .into_iter()
            .map_while(|p| p)
            .collect();
        PartialDate::from_parts(&parts)
    }

    /// The date of `parts` — year, then month, then day, as far as given; a
    /// month or day out of range ends the date there. `None` without a year in
    /// 1000–9999. Every reader of dates validates through here.
    pub fn from_parts(parts: &[u32]) -> Option<PartialDate> {
        let year = parts
            .first()
            .copied()
            .filter(|y| (1000..=9999).contains(y))?;
        let month = parts.get(1).copied().filter(|m| (1..=12).contains(m));
        let day = month
            .and(parts.get(2).copied())
            .filter(|d| (1..=31).contains(d));
        Some(PartialDate {
            year: year as u16,
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
        })
    }

    /// Year, month, day, as far as known (CSL's `date-parts`).
    pub fn parts(self) -> Vec<u32> {
        [
            Some(u32::from(self.year)),
            self.month.map(u32::from),
            self.day.map(u32::from),
        ]
        .into_iter()
        .map_while(|p| p)
        .collect()
    }

    /// `s` when it is a date and nothing else (`2024-05`, not `2024-13` or `2024 Mai`):
    /// what a query's `date:` bound must be.
    pub fn parse_exact(s: &str) -> Option<PartialDate> {
        let d = PartialDate::parse(s)?;
        (d.to_string().len() == s.trim().len()).then_some(d)
    }

    /// `yyyymmdd` of the first day the date covers (`2024` → 20240101).
    pub fn first_day(self) -> u64 {
        self.number(1, 1)
    }

    /// `yyyymmdd` of the last day the date covers (`2024-02` → 20240231: a bound,
    /// not a calendar day).
    pub fn last_day(self) -> u64 {
        self.number(12, 31)
    }

    fn number(self, month: u8, day: u8) -> u64 {
        let month = self.month.unwrap_or(month);
        let day = self.day.unwrap_or(day);
        u64::from(self.year) * 10_000 + u64::from(month) * 100 + u64::from(day)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// The date an article is dated by (search's `date:`, the report's order): when
/// it was published, when that is a date, else when it was added to the notebook.
pub fn article_date(published: Option<&str>, imported_at: &str) -> Option<PartialDate> {
    published
        .and_then(PartialDate::parse)
        .or_else(|| PartialDate::parse(imported_at))
}

/// What an importer stores for a date found in a source: the ISO date when it
/// is one (also from `03.05.2024`, `2024年5月3日`), else the text as written
/// (trimmed); `None` for nothing.
pub fn normalize(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    // `3.5.2024`, `03.05.2024` (German), `2024年5月3日` (Chinese, Japanese).
    let numbers: Vec<u32> = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty() && p.len() <= 4)
        .filter_map(|p| p.parse().ok())
        .collect();
    let dotted = raw.contains('.') && !raw.contains('年');
    let parts: Vec<u32> = match (dotted, numbers.as_slice()) {
        (true, [d, m, y]) => vec![*y, *m, *d],
        (false, [y, m, d]) if raw.contains('年') => vec![*y, *m, *d],
        (false, [y, m]) if raw.contains('年') => vec![*y, *m],
        (false, [y]) if raw.contains('年') => vec![*y],
        _ => {
            return Some(PartialDate::parse(raw).map_or_else(|| raw.to_string(), |d| d.to_string()))
        }
    };
    // Every part must be valid here (a truncated `45.13.2024` would be a different date).
    Some(
        PartialDate::from_parts(&parts)
            .filter(|d| d.parts().len() == parts.len())
            .map_or_else(|| raw.to_string(), |d| d.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_prefixes_time_stamps_and_slashes_parse() {
        let p = |s| PartialDate::parse(s).map(|d| d.to_string());
        assert_eq!(p("2024-05-03T08:00:00Z").as_deref(), Some("2024-05-03"));
        assert_eq!(p(" 2024/05/03 ").as_deref(), Some("2024-05-03"));
        assert_eq!(p("2024-05").as_deref(), Some("2024-05"));
        assert_eq!(p("2024").as_deref(), Some("2024"));
        assert_eq!(p("2024-13-01").as_deref(), Some("2024"));
        assert_eq!(p("20240503"), None);
        assert_eq!(p("März 2024"), None);
        assert_eq!(p("999"), None);
    }

    #[test]
    fn bounds_cover_the_whole_year_or_month() {
        let d = PartialDate::parse("2024").unwrap();
        assert_eq!((d.first_day(), d.last_day()), (20240101, 20241231));
        let d = PartialDate::parse("2024-02").unwrap();
        assert_eq!((d.first_day(), d.last_day()), (20240201, 20240231));
        let d = PartialDate::parse("2024-02-10").unwrap();
        assert_eq!((d.first_day(), d.last_day()), (20240210, 20240210));
    }

    #[test]
    fn importers_store_iso_dates_and_keep_what_is_no_date() {
        assert_eq!(
            normalize("2024-05-03T08:00:00+02:00").as_deref(),
            Some("2024-05-03")
        );
        assert_eq!(normalize("03.05.2024").as_deref(), Some("2024-05-03"));
        assert_eq!(normalize("2024年5月3日").as_deref(), Some("2024-05-03"));
        assert_eq!(normalize("2024年5月").as_deref(), Some("2024-05"));
        assert_eq!(normalize("Frühjahr 2024").as_deref(), Some("Frühjahr 2024"));
        assert_eq!(normalize("45.13.2024").as_deref(), Some("45.13.2024"));
        assert_eq!(normalize("  "), None);
    }
}

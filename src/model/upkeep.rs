//! Who keeps a page true and when it was last checked: the `owner` and `reviewed` fields of
//! personas, journeys, departments and playbooks, the calendar date they use, and "today"
//! (`SOURCE_DATE_EPOCH` when set, so that builds are reproducible).
//!
//! Dates are plain civil dates (no time zone): a review is done on a day, not at an instant.

use super::{Id, Spanned};

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A valid date, or `None` (`2026-02-30`).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The UTC date of a Unix time in seconds.
    pub fn from_unix(seconds: i64) -> Date {
        Date::from_days(seconds.div_euclid(86_400))
    }

    /// "Today" for review dates: the date of `SOURCE_DATE_EPOCH` when that variable holds a
    /// Unix time (the reproducible-builds convention), else the current UTC date.
    pub fn today() -> Date {
        if let Some(t) = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
        {
            return Date::from_unix(t);
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Date::from_unix(now)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// `owner` and `reviewed` of one content file; both optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Upkeep {
    /// The department that keeps the page true.
    pub owner: Option<Spanned<Id>>,
    /// When the owner last checked the page against reality.
    pub reviewed: Option<Spanned<Date>>,
}

impl Upkeep {
    pub fn is_empty(&self) -> bool {
        self.owner.is_none() && self.reviewed.is_none()
    }

    /// Whether the review is older than `review_days` days on `today` (never without
    /// `review_days` or a `reviewed` date).
    pub fn is_overdue(&self, review_days: Option<i64>, today: Date) -> bool {
        match (&self.reviewed, review_days) {
            (Some(r), Some(days)) => today.days() - r.value.days() > days,
            _ => false,
        }
    }
}

/// When a page's source file last changed, from git.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LastChange {
    /// The last commit that changed it: its date (in the committer's time zone) and its
    /// time in seconds since 1970 (UTC), which the browser compares with the reader's last
    /// visit.
    Committed { date: Date, time: i64 },
    /// The file differs from the last commit (or was never committed).
    Uncommitted,
}

/// What the build knows about the site's files beyond their content: their paths for "Edit
/// this page" and their last change from git. Empty outside git (or when git is not read).
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// Each content file's path relative to the repository root (to the site folder outside
    /// git), `/`-separated.
    pub paths: std::collections::HashMap<crate::source::FileId, String>,
    /// Each content file's last change; empty outside git, in a shallow clone or on a
    /// detached HEAD.
    pub changes: std::collections::HashMap<crate::source::FileId, LastChange>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for d in [-800_000, -1, 0, 1, 59, 60, 365, 10_957, 20_000, 2_932_896] {
            assert_eq!(Date::from_days(d).days(), d);
        }
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::new(2024, 2, 29).map(|d| d.days()), Some(19_782));
        assert_eq!(Date::new(2023, 2, 29), None);
        assert_eq!(Date::from_unix(1_767_225_599).to_string(), "2025-12-31");
    }

    #[test]
    fn overdue_after_review_days() {
        let span = crate::source::Span::file_start(crate::source::FileId(0));
        let u = Upkeep {
            owner: None,
            reviewed: Some(Spanned::new(
                Date::new(2025, 1, 1).unwrap_or(Date::from_days(0)),
                span,
            )),
        };
        let day = |m, d| Date::new(2025, m, d).unwrap_or(Date::from_days(0));
        assert!(!u.is_overdue(Some(30), day(1, 31)));
        assert!(u.is_overdue(Some(30), day(2, 1)));
        assert!(!u.is_overdue(None, day(12, 31)));
    }
}

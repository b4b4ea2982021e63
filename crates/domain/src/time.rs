//! Time in Nabo is civil time in Europe/Copenhagen: a shift "07:00–15:00" means the
//! wall clock in Denmark, also on the two nights a year when it jumps. Instants (when
//! something actually happened) are UTC [`Timestamp`]s; conversion goes through here.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The IANA name of the one time zone Nabo plans in.
pub const TIME_ZONE: &str = "Europe/Copenhagen";

/// Europe/Copenhagen, compiled into the binary so that no zoneinfo files are needed.
pub fn copenhagen() -> TimeZone {
    jiff::tz::get!("Europe/Copenhagen")
}

/// The instant a Danish wall-clock time denotes. A time that does not exist (the hour
/// skipped in spring) is moved forward past the gap; a time that happens twice (the
/// hour repeated in autumn) means the first occurrence.
pub fn instant(date: Date, time: Time) -> Timestamp {
    let tz = copenhagen();
    // Only fails outside jiff's supported years (-9999..=9999), which validation keeps out.
    tz.to_ambiguous_timestamp(DateTime::from_parts(date, time))
        .compatible()
        .unwrap_or(Timestamp::MAX)
}

/// The Danish civil date-time of an instant.
pub fn civil(at: Timestamp) -> DateTime {
    copenhagen().to_datetime(at)
}

/// The start and end instants of a civil interval on `date` from `start` to `end`. When
/// `end` is not after `start`, the interval ends the next day (a night shift 23:00–07:00).
pub fn interval(date: Date, start: Time, end: Time) -> (Timestamp, Timestamp) {
    let from = instant(date, start);
    let end_date = if end <= start {
        date.tomorrow().unwrap_or(date)
    } else {
        date
    };
    (from, instant(end_date, end))
}

/// Length of an interval in whole minutes of real time (a night shift over the autumn
/// DST change is an hour longer than its wall-clock times suggest).
pub fn minutes_between(from: Timestamp, to: Timestamp) -> i64 {
    let d: SignedDuration = to.duration_since(from);
    d.as_secs() / 60
}

/// A day of the week, Monday first as in Denmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    #[serde(alias = "monday", alias = "man")]
    Mon,
    #[serde(alias = "tuesday", alias = "tir")]
    Tue,
    #[serde(alias = "wednesday", alias = "ons")]
    Wed,
    #[serde(alias = "thursday", alias = "tor")]
    Thu,
    #[serde(alias = "friday", alias = "fre")]
    Fri,
    #[serde(alias = "saturday", alias = "lør")]
    Sat,
    #[serde(alias = "sunday", alias = "søn")]
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    pub fn of(date: Date) -> Weekday {
        Self::ALL[(date.weekday().to_monday_zero_offset()) as usize]
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// Danish short name, as on a paper rota.
    pub fn short_da(self) -> &'static str {
        ["man", "tir", "ons", "tor", "fre", "lør", "søn"][self as usize]
    }

    /// Reads "mon", "monday", "man" or "mandag" (any case).
    pub fn parse(text: &str) -> Option<Weekday> {
        const NAMES: [[&str; 4]; 7] = [
            ["mon", "monday", "man", "mandag"],
            ["tue", "tuesday", "tir", "tirsdag"],
            ["wed", "wednesday", "ons", "onsdag"],
            ["thu", "thursday", "tor", "torsdag"],
            ["fri", "friday", "fre", "fredag"],
            ["sat", "saturday", "lør", "lørdag"],
            ["sun", "sunday", "søn", "søndag"],
        ];
        let t = text.trim().to_lowercase();
        NAMES
            .iter()
            .position(|names| names.contains(&t.as_str()))
            .map(|i| Self::ALL[i])
    }
}

/// A set of weekdays, e.g. the days a recurring visit happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Weekdays(u8);

impl Weekdays {
    pub const EVERY_DAY: Weekdays = Weekdays(0b111_1111);
    pub const WORKDAYS: Weekdays = Weekdays(0b001_1111);

    pub fn empty() -> Self {
        Self(0)
    }
    pub fn with(self, day: Weekday) -> Self {
        Self(self.0 | day.bit())
    }
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & day.bit() != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
    pub fn iter(self) -> impl Iterator<Item = Weekday> {
        Weekday::ALL.into_iter().filter(move |d| self.contains(*d))
    }
    /// The bit pattern, Monday = bit 0; how the store keeps it.
    pub fn bits(self) -> u8 {
        self.0
    }
    pub fn from_bits(bits: u8) -> Self {
        Self(bits & 0b111_1111)
    }
}

impl FromIterator<Weekday> for Weekdays {
    fn from_iter<I: IntoIterator<Item = Weekday>>(iter: I) -> Self {
        iter.into_iter().fold(Weekdays::empty(), Weekdays::with)
    }
}

impl fmt::Display for Weekdays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Self::EVERY_DAY {
            return f.write_str("alle dage");
        }
        let names: Vec<&str> = self.iter().map(Weekday::short_da).collect();
        f.write_str(&names.join(", "))
    }
}

impl Serialize for Weekdays {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Weekdays {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let days = Vec::<Weekday>::deserialize(d)?;
        Ok(days.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    #[test]
    fn night_shift_over_autumn_dst_change_lasts_nine_hours() {
        // 2026-10-25 at 03:00 CEST the clocks go back to 02:00 CET.
        let (from, to) = interval(date(2026, 10, 24), time(22, 0, 0, 0), time(6, 0, 0, 0));
        assert_eq!(minutes_between(from, to), 9 * 60);
    }

    #[test]
    fn night_shift_over_spring_dst_change_lasts_seven_hours() {
        let (from, to) = interval(date(2026, 3, 28), time(22, 0, 0, 0), time(6, 0, 0, 0));
        assert_eq!(minutes_between(from, to), 7 * 60);
    }

    #[test]
    fn a_skipped_wall_clock_time_still_has_an_instant() {
        // 02:30 does not exist on 2026-03-29 in Denmark.
        let at = instant(date(2026, 3, 29), time(2, 30, 0, 0));
        assert_eq!(civil(at).time(), time(3, 30, 0, 0));
    }

    #[test]
    fn weekdays_round_trip_through_json() {
        let days: Weekdays = [Weekday::Mon, Weekday::Thu].into_iter().collect();
        let json = serde_json::to_string(&days).unwrap();
        assert_eq!(json, r#"["mon","thu"]"#);
        let back: Weekdays = serde_json::from_str(&json).unwrap();
        assert_eq!(back, days);
        assert_eq!(Weekday::of(date(2026, 11, 25)), Weekday::Wed);
        assert_eq!(Weekday::parse("Tirsdag"), Some(Weekday::Tue));
        assert_eq!(Weekday::parse("tuesdays"), None);
        assert_eq!(Weekday::parse("tir"), Some(Weekday::Tue));
        assert_eq!(Weekday::parse("Monday"), Some(Weekday::Mon));
    }
}

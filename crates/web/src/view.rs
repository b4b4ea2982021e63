//! Danish formatting for the pages: dates, times, durations, numbers.

use jiff::civil::{Date, Time};
use jiff::Timestamp;

/// Today's date in Denmark.
pub fn today() -> Date {
    nabo_domain::time::civil(Timestamp::now()).date()
}

const WEEKDAYS: [&str; 7] = [
    "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
];
const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// "onsdag 25. november".
pub fn date_long(d: Date) -> String {
    let weekday = WEEKDAYS[usize::from(d.weekday().to_monday_zero_offset().unsigned_abs())];
    let month = MONTHS[usize::from(d.month().unsigned_abs()).saturating_sub(1) % 12];
    format!("{weekday} {}. {month}", d.day())
}

/// "Onsdag 25. november 2026".
pub fn date_full(d: Date) -> String {
    capitalise(&format!("{} {}", date_long(d), d.year()))
}

/// "25.11.2026", the Danish short date.
pub fn date_short(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
}

/// "07:30".
pub fn time_hm(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// "1 t 15 min", "45 min".
pub fn minutes(m: u32) -> String {
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} t"),
        (h, m) => format!("{h} t {m} min"),
    }
}

/// Hours with a Danish decimal comma: "37", "7,5".
pub fn hours(h: f64) -> String {
    let rounded = (h * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}").replace('.', ",")
    }
}

pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Percent-encodes everything but unreserved characters and '/', for a `next=` value.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What a Fællessprog III score means.
pub fn fsiii_label(score: u8) -> &'static str {
    match score {
        0 => "Ingen begrænsninger",
        1 => "Lette begrænsninger",
        2 => "Moderate begrænsninger",
        3 => "Svære begrænsninger",
        4 => "Totale begrænsninger",
        _ => "Ukendt",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    #[test]
    fn dates_and_numbers_read_the_danish_way() {
        assert_eq!(date_long(date(2026, 11, 25)), "onsdag 25. november");
        assert_eq!(date_full(date(2026, 11, 29)), "Søndag 29. november 2026");
        assert_eq!(date_short(date(2026, 3, 1)), "01.03.2026");
        assert_eq!(time_hm(time(7, 5, 0, 0)), "07:05");
        assert_eq!(minutes(75), "1 t 15 min");
        assert_eq!(minutes(45), "45 min");
        assert_eq!(minutes(120), "2 t");
        assert_eq!(hours(37.0), "37");
        assert_eq!(hours(7.5), "7,5");
        assert_eq!(
            url_encode("/citizens/c 1?x=æ"),
            "/citizens/c%201%3Fx%3D%C3%A6"
        );
    }
}

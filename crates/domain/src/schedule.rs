//! Who works when: shifts, absences and time registrations.

use crate::geo::GeoPoint;
use crate::ids::{AbsenceId, CitizenId, EmployeeId, ShiftId, TimeRegistrationId, VisitId};
use crate::time;
use crate::validation::{Checker, FieldError, Validate};
use jiff::civil::{Date, Time};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A shift (*vagt*) on a civil date. An `end` not after `start` ends the next day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    pub id: ShiftId,
    pub employee_id: EmployeeId,
    pub date: Date,
    pub start: Time,
    pub end: Time,
    /// Where the shift starts; the team's base when absent.
    #[serde(default)]
    pub start_location: Option<GeoPoint>,
    /// Where it ends; the team's base when absent.
    #[serde(default)]
    pub end_location: Option<GeoPoint>,
}

impl Shift {
    /// The real instants the shift covers (DST-aware).
    pub fn instants(&self) -> (Timestamp, Timestamp) {
        time::interval(self.date, self.start, self.end)
    }

    /// Paid minutes, as the clock on the wall would have to run.
    pub fn minutes(&self) -> i64 {
        let (from, to) = self.instants();
        time::minutes_between(from, to)
    }
}

/// Longest shift accepted; anything longer is a typo or a rota to split.
pub const MAX_SHIFT_MINUTES: i64 = 16 * 60;

impl Validate for Shift {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.id("id", self.id.as_str());
        c.id("employee_id", self.employee_id.as_str());
        if self.start == self.end {
            c.check(false, "end", "must differ from start");
        } else {
            c.check(
                self.minutes() <= MAX_SHIFT_MINUTES,
                "end",
                "makes the shift longer than 16 hours",
            );
        }
        for (field, place) in [
            ("start_location", &self.start_location),
            ("end_location", &self.end_location),
        ] {
            if let Some(problem) = place.as_ref().and_then(GeoPoint::problem) {
                c.check(false, field, problem);
            }
        }
        c.finish()
    }
}

/// Why someone is away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbsenceKind {
    Sick,
    Holiday,
    Course,
    Other,
}

impl AbsenceKind {
    pub fn label_da(self) -> &'static str {
        match self {
            AbsenceKind::Sick => "Syg",
            AbsenceKind::Holiday => "Ferie",
            AbsenceKind::Course => "Kursus",
            AbsenceKind::Other => "Andet",
        }
    }
}

/// An absence over whole civil days, both ends included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Absence {
    pub id: AbsenceId,
    pub employee_id: EmployeeId,
    pub from: Date,
    pub to: Date,
    pub kind: AbsenceKind,
}

impl Absence {
    pub fn covers(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }
}

impl Validate for Absence {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.id("id", self.id.as_str());
        c.id("employee_id", self.employee_id.as_str());
        c.check(self.to >= self.from, "to", "must not be before from");
        c.finish()
    }
}

/// What a time registration records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimeRegistrationKind {
    /// Arrived at and left a citizen's home for a visit (*komme/gå*).
    Visit {
        visit_id: VisitId,
        arrived: Timestamp,
        #[serde(default)]
        left: Option<Timestamp>,
    },
    /// Time spent for a citizen away from the home: calls, coordination, documentation.
    Indirect {
        citizen_id: CitizenId,
        date: Date,
        minutes: u32,
        description: String,
    },
}

/// A registration of citizen time by a staff member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeRegistration {
    pub id: TimeRegistrationId,
    pub employee_id: EmployeeId,
    #[serde(flatten)]
    pub kind: TimeRegistrationKind,
}

impl Validate for TimeRegistration {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.id("id", self.id.as_str());
        c.id("employee_id", self.employee_id.as_str());
        match &self.kind {
            TimeRegistrationKind::Visit {
                visit_id,
                arrived,
                left,
            } => {
                c.id("visit_id", visit_id.as_str());
                if let Some(left) = left {
                    c.check(left >= arrived, "left", "must not be before arrived");
                }
            }
            TimeRegistrationKind::Indirect {
                citizen_id,
                minutes,
                description,
                ..
            } => {
                c.id("citizen_id", citizen_id.as_str());
                c.check(
                    (1..=600).contains(minutes),
                    "minutes",
                    "must be between 1 and 600",
                );
                c.text("description", description, 500);
            }
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    #[test]
    fn an_evening_shift_that_ends_after_midnight_is_valid() {
        let s = Shift {
            id: "s1".into(),
            employee_id: "e1".into(),
            date: date(2026, 11, 25),
            start: time(15, 0, 0, 0),
            end: time(0, 30, 0, 0),
            start_location: None,
            end_location: None,
        };
        assert_eq!(s.minutes(), 9 * 60 + 30);
        assert!(s.validate().is_empty());
    }

    #[test]
    fn indirect_time_reads_as_tagged_json() {
        let json = r#"{"id":"t1","employee_id":"e1","kind":"indirect","citizen_id":"c1",
            "date":"2026-11-25","minutes":10,"description":"Opkald til læge"}"#;
        let reg: TimeRegistration = serde_json::from_str(json).unwrap();
        assert!(reg.validate().is_empty());
        assert!(matches!(
            reg.kind,
            TimeRegistrationKind::Indirect { minutes: 10, .. }
        ));
    }
}

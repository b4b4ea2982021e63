//! What is granted, what recurs, and what happens on a day: grants, recurring visits
//! (the base plan, *grundplan*) and dated visits.

use crate::ids::{CitizenId, EmployeeId, GrantId, RecurringVisitId, VisitId};
use crate::people::Qualification;
use crate::time::{Weekday, Weekdays};
use crate::validation::{Checker, FieldError, Validate};
use jiff::civil::{Date, Time};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The law a grant is given under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LegalBasis {
    /// Serviceloven §83: personal care and practical help.
    #[serde(rename = "SEL83", alias = "SEL §83")]
    Sel83,
    /// Serviceloven §83a: a time-limited rehabilitation course.
    #[serde(rename = "SEL83a", alias = "SEL §83a")]
    Sel83a,
    /// Sundhedsloven §138: home nursing.
    #[serde(rename = "SUL138", alias = "SUL §138")]
    Sul138,
}

impl LegalBasis {
    pub fn label(self) -> &'static str {
        match self {
            LegalBasis::Sel83 => "SEL §83",
            LegalBasis::Sel83a => "SEL §83a",
            LegalBasis::Sul138 => "SUL §138",
        }
    }
}

/// A category of granted help; a package grants hours per week per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceCategory {
    PersonalCare,
    PracticalHelp,
    Meals,
    Rehabilitation,
    Nursing,
}

impl ServiceCategory {
    pub fn label_da(self) -> &'static str {
        match self {
            ServiceCategory::PersonalCare => "Personlig pleje",
            ServiceCategory::PracticalHelp => "Praktisk hjælp",
            ServiceCategory::Meals => "Madservice",
            ServiceCategory::Rehabilitation => "Rehabilitering",
            ServiceCategory::Nursing => "Sygepleje",
        }
    }
}

/// Hours per week granted in one category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrantedHours {
    pub category: ServiceCategory,
    pub hours_per_week: f64,
}

/// One area of the function assessment on the Fællessprog III scale: 0 no limitation,
/// 1 light, 2 moderate, 3 severe, 4 total limitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionAssessment {
    /// The FSIII area, e.g. "Personlig hygiejne", "Mobilitet".
    pub area: String,
    pub score: u8,
}

/// Highest score on the Fællessprog III function scale.
pub const FSIII_MAX_SCORE: u8 = 4;

/// A package of help granted by a visitator (*ydelsespakke*).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    pub id: GrantId,
    pub citizen_id: CitizenId,
    /// The visitator who granted it.
    pub granted_by: String,
    pub legal_basis: LegalBasis,
    pub valid_from: Date,
    /// Last day the grant applies; open-ended when absent.
    #[serde(default)]
    pub valid_to: Option<Date>,
    pub hours: Vec<GrantedHours>,
    #[serde(default)]
    pub function_assessment: Vec<FunctionAssessment>,
}

impl Grant {
    pub fn is_valid_on(&self, date: Date) -> bool {
        date >= self.valid_from && self.valid_to.is_none_or(|to| date <= to)
    }

    pub fn total_hours_per_week(&self) -> f64 {
        self.hours.iter().map(|h| h.hours_per_week).sum()
    }
}

/// Most hours per week one category can be granted (24 × 7).
const MAX_WEEKLY_HOURS: f64 = 168.0;

impl Validate for Grant {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.id("id", self.id.as_str());
        c.id("citizen_id", self.citizen_id.as_str());
        c.text("granted_by", &self.granted_by, 200);
        if let Some(to) = self.valid_to {
            c.check(
                to >= self.valid_from,
                "valid_to",
                "must not be before valid_from",
            );
        }
        c.check(
            !self.hours.is_empty(),
            "hours",
            "must grant hours in at least one category",
        );
        for (i, h) in self.hours.iter().enumerate() {
            c.check(
                h.hours_per_week.is_finite()
                    && h.hours_per_week > 0.0
                    && h.hours_per_week <= MAX_WEEKLY_HOURS,
                &format!("hours[{i}].hours_per_week"),
                "must be more than 0 and at most 168 hours per week",
            );
            c.check(
                !self.hours[..i].iter().any(|o| o.category == h.category),
                &format!("hours[{i}].category"),
                "appears twice; give each category once",
            );
        }
        for (i, a) in self.function_assessment.iter().enumerate() {
            c.text(&format!("function_assessment[{i}].area"), &a.area, 200);
            c.check(
                a.score <= FSIII_MAX_SCORE,
                &format!("function_assessment[{i}].score"),
                "must be on the Fællessprog III scale 0-4",
            );
        }
        c.finish()
    }
}

/// When a recurring visit happens: on some weekdays, every n-th week counted from the
/// week of `starts_on` (n = 2 is "every other week", as practical help often is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recurrence {
    pub weekdays: Weekdays,
    #[serde(default = "one")]
    pub every_nth_week: u8,
    pub starts_on: Date,
    #[serde(default)]
    pub ends_on: Option<Date>,
}

fn one() -> u8 {
    1
}

impl Recurrence {
    pub fn occurs_on(&self, date: Date) -> bool {
        if date < self.starts_on || self.ends_on.is_some_and(|end| date > end) {
            return false;
        }
        if !self.weekdays.contains(Weekday::of(date)) {
            return false;
        }
        let n = i64::from(self.every_nth_week.max(1));
        let weeks_apart = (epoch_day(monday_of(date)) - epoch_day(monday_of(self.starts_on))) / 7;
        weeks_apart % n == 0
    }
}

fn monday_of(d: Date) -> Date {
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(jiff::Span::new().days(back)).unwrap_or(d)
}

/// Days since 1970-01-01: week arithmetic without time zones.
fn epoch_day(d: Date) -> i64 {
    jiff::civil::date(1970, 1, 1)
        .until(d)
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(0)
}

/// Longest single visit accepted (a night watch is planned as shifts, not visits).
pub const MAX_VISIT_MINUTES: u32 = 8 * 60;

/// A visit in the base plan that recurs (*fast besøg*): what is done, when, by whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecurringVisit {
    pub id: RecurringVisitId,
    pub citizen_id: CitizenId,
    pub recurrence: Recurrence,
    /// Earliest start, Danish wall-clock time.
    pub window_start: Time,
    /// Latest start.
    pub window_end: Time,
    /// Something in the visit must happen at `window_start` (e.g. medicine).
    #[serde(default)]
    pub fixed_time: bool,
    #[serde(default)]
    pub fixed_time_reason: Option<String>,
    pub duration_minutes: u32,
    pub required_qualification: Qualification,
    /// 1, or 2 for a two-person visit (lifts, heavy transfers).
    #[serde(default = "one")]
    pub staff_count: u8,
    /// What is to be done, in the team's words.
    pub tasks: String,
    #[serde(default)]
    pub grant_id: Option<GrantId>,
}

/// The fields a recurring visit and a dated visit share, checked the same way.
struct VisitShape<'a> {
    window_start: Time,
    window_end: Time,
    fixed_time: bool,
    fixed_time_reason: &'a Option<String>,
    duration_minutes: u32,
    staff_count: u8,
    tasks: &'a str,
}

impl VisitShape<'_> {
    fn check(&self, c: &mut Checker) {
        c.check(
            self.window_end >= self.window_start,
            "window_end",
            "must not be before window_start (a visit's window lies within one day)",
        );
        c.check(
            !self.fixed_time
                || self
                    .fixed_time_reason
                    .as_deref()
                    .is_some_and(|r| !r.trim().is_empty()),
            "fixed_time_reason",
            "a fixed-time visit needs a reason, e.g. \"medicin\"",
        );
        c.check(
            (1..=MAX_VISIT_MINUTES).contains(&self.duration_minutes),
            "duration_minutes",
            format!("must be between 1 and {MAX_VISIT_MINUTES} minutes"),
        );
        c.check(
            matches!(self.staff_count, 1 | 2),
            "staff_count",
            "must be 1, or 2 for a two-person visit",
        );
        c.text("tasks", self.tasks, 2000);
    }
}

impl Validate for RecurringVisit {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.id("id", self.id.as_str());
        c.id("citizen_id", self.citizen_id.as_str());
        c.check(
            !self.recurrence.weekdays.is_empty(),
            "recurrence.weekdays",
            "must name at least one weekday",
        );
        c.check(
            (1..=8).contains(&self.recurrence.every_nth_week),
            "recurrence.every_nth_week",
            "must be between 1 (every week) and 8",
        );
        if let Some(end) = self.recurrence.ends_on {
            c.check(
                end >= self.recurrence.starts_on,
                "recurrence.ends_on",
                "must not be before starts_on",
            );
        }
        VisitShape {
            window_start: self.window_start,
            window_end: self.window_end,
            fixed_time: self.fixed_time,
            fixed_time_reason: &self.fixed_time_reason,
            duration_minutes: self.duration_minutes,
            staff_count: self.staff_count,
            tasks: &self.tasks,
        }
        .check(&mut c);
        if let Some(grant) = &self.grant_id {
            c.id("grant_id", grant.as_str());
        }
        c.finish()
    }
}

/// Where a dated visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    Planned,
    Started,
    Done,
    Cancelled,
}

impl VisitStatus {
    pub fn label_da(self) -> &'static str {
        match self {
            VisitStatus::Planned => "Planlagt",
            VisitStatus::Started => "I gang",
            VisitStatus::Done => "Udført",
            VisitStatus::Cancelled => "Aflyst",
        }
    }
}

/// A visit on a date: an instance of a recurring visit or a one-off (acute) visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub citizen_id: CitizenId,
    #[serde(default)]
    pub recurring_visit_id: Option<RecurringVisitId>,
    pub date: Date,
    pub window_start: Time,
    pub window_end: Time,
    #[serde(default)]
    pub fixed_time: bool,
    #[serde(default)]
    pub fixed_time_reason: Option<String>,
    pub duration_minutes: u32,
    pub required_qualification: Qualification,
    #[serde(default = "one")]
    pub staff_count: u8,
    pub tasks: String,
    #[serde(default)]
    pub grant_id: Option<GrantId>,
    /// Who is planned to do it (one, or two for a two-person visit).
    #[serde(default)]
    pub planned_employees: Vec<EmployeeId>,
    #[serde(default)]
    pub planned_start: Option<Timestamp>,
    pub status: VisitStatus,
    #[serde(default)]
    pub cancel_reason: Option<String>,
}

impl Visit {
    /// The visit a recurring visit gives on `date`.
    pub fn from_recurring(id: VisitId, rv: &RecurringVisit, date: Date) -> Visit {
        Visit {
            id,
            citizen_id: rv.citizen_id.clone(),
            recurring_visit_id: Some(rv.id.clone()),
            date,
            window_start: rv.window_start,
            window_end: rv.window_end,
            fixed_time: rv.fixed_time,
            fixed_time_reason: rv.fixed_time_reason.clone(),
            duration_minutes: rv.duration_minutes,
            required_qualification: rv.required_qualification,
            staff_count: rv.staff_count,
            tasks: rv.tasks.clone(),
            grant_id: rv.grant_id.clone(),
            planned_employees: Vec::new(),
            planned_start: None,
            status: VisitStatus::Planned,
            cancel_reason: None,
        }
    }
}

impl Validate for Visit {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checker::default();
        c.id("id", self.id.as_str());
        c.id("citizen_id", self.citizen_id.as_str());
        VisitShape {
            window_start: self.window_start,
            window_end: self.window_end,
            fixed_time: self.fixed_time,
            fixed_time_reason: &self.fixed_time_reason,
            duration_minutes: self.duration_minutes,
            staff_count: self.staff_count,
            tasks: &self.tasks,
        }
        .check(&mut c);
        c.check(
            self.planned_employees.len() <= usize::from(self.staff_count),
            "planned_employees",
            format!(
                "names more staff than the visit needs ({})",
                self.staff_count
            ),
        );
        if let [a, b] = self.planned_employees.as_slice() {
            c.check(
                a != b,
                "planned_employees",
                "a two-person visit needs two different people",
            );
        }
        c.check(
            self.status != VisitStatus::Cancelled
                || self
                    .cancel_reason
                    .as_deref()
                    .is_some_and(|r| !r.trim().is_empty()),
            "cancel_reason",
            "a cancelled visit needs a reason",
        );
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn morning_care() -> RecurringVisit {
        RecurringVisit {
            id: "rv1".into(),
            citizen_id: "c1".into(),
            recurrence: Recurrence {
                weekdays: Weekdays::EVERY_DAY,
                every_nth_week: 1,
                starts_on: date(2026, 11, 2),
                ends_on: None,
            },
            window_start: time(7, 0, 0, 0),
            window_end: time(9, 0, 0, 0),
            fixed_time: false,
            fixed_time_reason: None,
            duration_minutes: 30,
            required_qualification: Qualification::CareHelper,
            staff_count: 1,
            tasks: "Morgenpleje, bad".into(),
            grant_id: None,
        }
    }

    #[test]
    fn practical_help_every_other_week_skips_the_week_between() {
        let mut rv = morning_care();
        rv.recurrence.weekdays = [Weekday::Wed].into_iter().collect();
        rv.recurrence.every_nth_week = 2;
        // 2026-11-02 is a Monday; Wednesdays 4th and 18th are on, 11th and 25th off.
        assert!(rv.recurrence.occurs_on(date(2026, 11, 4)));
        assert!(!rv.recurrence.occurs_on(date(2026, 11, 11)));
        assert!(rv.recurrence.occurs_on(date(2026, 11, 18)));
        assert!(!rv.recurrence.occurs_on(date(2026, 11, 19)));
        assert!(!rv.recurrence.occurs_on(date(2026, 10, 28)));
    }

    #[test]
    fn a_fixed_time_visit_without_reason_and_three_staff_is_refused() {
        let mut rv = morning_care();
        assert!(rv.validate().is_empty());
        rv.fixed_time = true;
        rv.staff_count = 3;
        rv.window_end = time(6, 0, 0, 0);
        let fields: Vec<_> = rv.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["window_end", "fixed_time_reason", "staff_count"]);
    }

    #[test]
    fn grant_hours_and_scores_are_checked() {
        let g = Grant {
            id: "g1".into(),
            citizen_id: "c1".into(),
            granted_by: "Visitator".into(),
            legal_basis: LegalBasis::Sel83,
            valid_from: date(2026, 1, 1),
            valid_to: Some(date(2025, 12, 31)),
            hours: vec![GrantedHours {
                category: ServiceCategory::PersonalCare,
                hours_per_week: -1.0,
            }],
            function_assessment: vec![FunctionAssessment {
                area: "Mobilitet".into(),
                score: 5,
            }],
        };
        let fields: Vec<_> = g.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "valid_to",
                "hours[0].hours_per_week",
                "function_assessment[0].score"
            ]
        );
        let json = serde_json::to_value(LegalBasis::Sel83a).unwrap();
        assert_eq!(json, "SEL83a");
    }
}

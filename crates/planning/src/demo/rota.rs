//! Absences and shifts for the demo period.
//!
//! Absence follows the Danish pattern: three summer weeks, an autumn and a winter
//! holiday week for some, Christmas for some, five single *feriefridage*; sick leave as
//! short spells (mostly 1–3 days) plus the odd long-term sick, about 5–7 % of working
//! days in all. Shifts are sized to the visits: a team gets as many day (07–15) and
//! evening (15–23) shifts as its visits need, rounded up, the day shift sized by the
//! morning rush ([`MORNING_VISIT_MINUTES_PER_SHIFT`]) or the day's total
//! ([`VISIT_MINUTES_PER_SHIFT`]), whichever needs more; they are filled by the staff
//! furthest behind their contract hours, with every other weekend off. Therapists work
//! fixed weekdays ([`therapist_weekdays`]), and their teams' courses fall on those days.

use super::{add_days, Rng, StaffRole};
use jiff::civil::{Date, Time};
use nabo_domain::{
    Absence, AbsenceId, AbsenceKind, Employee, Profession, Shift, ShiftId, Weekday, Weekdays,
};
use rand::RngExt;

/// Visit minutes one 8-hour shift carries: 62 % of 480 minutes, the citizen-time share
/// Danish teams aim for (Buurtzorg 61 %, Haderslev ~64 %); the rest is driving, breaks,
/// documentation and meetings.
pub const VISIT_MINUTES_PER_SHIFT: u32 = 300;

/// Visit minutes of an evening shift (15-23), whose visits crowd into 16:30-22:00.
pub const EVENING_VISIT_MINUTES_PER_SHIFT: u32 = 250;

/// Per-day chance that a healthy employee falls ill; with spells of ~2.6 days on
/// average and the odd long-term case this gives ~6 % of days sick.
const SICK_START_PER_DAY: f64 = 0.024;

/// The weekdays a therapist works: full time (37 h) all five, part time four, with a
/// weekly day off that `stagger` (team index plus the therapist's place in the team)
/// spreads over the week, so that not every team's therapist is away on the same day.
/// The team's §83a courses are put on these days.
pub fn therapist_weekdays(contract_hours: f64, stagger: usize) -> Weekdays {
    let full_time = contract_hours >= 37.0;
    let day_off = Weekday::ALL[stagger % 5];
    Weekday::ALL[..5]
        .iter()
        .copied()
        .filter(|d| full_time || *d != day_off)
        .collect()
}

pub fn day_shift() -> (Time, Time) {
    (Time::constant(7, 0, 0, 0), Time::constant(15, 0, 0, 0))
}
pub fn evening_shift() -> (Time, Time) {
    (Time::constant(15, 0, 0, 0), Time::constant(23, 0, 0, 0))
}
pub fn night_shift() -> (Time, Time) {
    (Time::constant(23, 0, 0, 0), Time::constant(7, 0, 0, 0))
}

/// Days from `first` to `last` that an absence list marks, per employee.
pub struct AbsenceCalendar {
    first: Date,
    /// `away[employee][day]`.
    away: Vec<Vec<bool>>,
}

impl AbsenceCalendar {
    pub fn is_away(&self, employee: usize, date: Date) -> bool {
        let Ok(span) = self.first.until(date) else {
            return false;
        };
        let day = span.get_days();
        usize::try_from(day)
            .ok()
            .and_then(|d| self.away.get(employee)?.get(d).copied())
            .unwrap_or(false)
    }
}

fn day_index(first: Date, date: Date) -> i64 {
    first
        .until(date)
        .map(|s| i64::from(s.get_days()))
        .unwrap_or(0)
}

/// Holidays, sick leave and courses overlapping `first..=last`.
pub fn absences(
    employees: &[Employee],
    first: Date,
    last: Date,
    rng: &mut Rng,
) -> (Vec<Absence>, AbsenceCalendar) {
    let n_days = usize::try_from(day_index(first, last) + 1).unwrap_or(1);
    let mut all = Vec::new();
    let mut away = vec![vec![false; n_days]; employees.len()];
    for (e, emp) in employees.iter().enumerate() {
        let mut blocks: Vec<(Date, Date, AbsenceKind)> = Vec::new();
        // Holidays, planned per calendar year around the period.
        for year in first.year() - 1..=last.year() {
            for (from, to) in holiday_plan(year, rng) {
                if to >= first && from <= last {
                    blocks.push((from, to, AbsenceKind::Holiday));
                }
            }
        }
        let on_holiday = |d: Date, blocks: &[(Date, Date, AbsenceKind)]| {
            blocks
                .iter()
                .any(|(f, t, k)| *k == AbsenceKind::Holiday && *f <= d && d <= *t)
        };
        // Sick spells, simulated from three weeks before so some are under way.
        let mut day = add_days(first, -21);
        while day <= last {
            if !on_holiday(day, &blocks) && rng.random_bool(SICK_START_PER_DAY) {
                let len = match rng.random_range(0..100) {
                    0..40 => 1,
                    40..65 => 2,
                    65..80 => 3,
                    80..92 => rng.random_range(4..=5),
                    _ => rng.random_range(6..=10),
                };
                let mut end = day;
                while day_index(day, end) + 1 < len && !on_holiday(add_days(end, 1), &blocks) {
                    end = add_days(end, 1);
                }
                if end >= first {
                    blocks.push((day, end, AbsenceKind::Sick));
                }
                day = add_days(end, 2);
            } else {
                day = add_days(day, 1);
            }
        }
        // The odd long-term sick leave (stress, surgery). Not for a team's one
        // therapist: the municipality hires a substitute then, or the courses stop.
        if rng.random_bool(0.012) && !emp.profession.is_therapist() {
            let from = add_days(first, rng.random_range(-40..=7_i64));
            let to = add_days(from, rng.random_range(25..=70_i64));
            blocks.retain(|(f, t, _)| *t < from || *f > to);
            blocks.push((from, to, AbsenceKind::Sick));
        }
        // A course day now and then, on a weekday that is otherwise free.
        let mut day = first;
        while day <= last {
            let weekday = Weekday::of(day) < Weekday::Sat;
            if weekday
                && rng.random_bool(0.004)
                && !blocks.iter().any(|(f, t, _)| *f <= day && day <= *t)
            {
                blocks.push((day, day, AbsenceKind::Course));
            }
            day = add_days(day, 1);
        }
        blocks.sort_by_key(|b| b.0);
        for (i, (from, to, kind)) in blocks.into_iter().enumerate() {
            let lo = day_index(first, from).max(0);
            let hi = day_index(first, to).min(n_days as i64 - 1);
            for d in lo..=hi {
                if let Ok(d) = usize::try_from(d) {
                    away[e][d] = true;
                }
            }
            all.push(Absence {
                id: AbsenceId::new(format!("a-{}-{}", emp.id, i + 1)),
                employee_id: emp.id.clone(),
                from,
                to,
                kind,
            });
        }
    }
    (all, AbsenceCalendar { first, away })
}

/// One employee's holidays in a year: three summer weeks (July), maybe the autumn
/// (week 42) and winter (week 7 or 8) holiday weeks, maybe Christmas, and five single
/// days (*feriefridage*).
fn holiday_plan(year: i16, rng: &mut Rng) -> Vec<(Date, Date)> {
    let week = |w: i64| -> Date {
        // Monday of ISO week `w`: January 4th is always in week 1.
        let jan4 = Date::new(year, 1, 4).unwrap_or(Date::MIN);
        add_days(super::monday_of(jan4), (w - 1) * 7)
    };
    let mut plan = Vec::new();
    let summer = week(rng.random_range(27..=30));
    plan.push((summer, add_days(summer, 20)));
    if rng.random_bool(0.4) {
        let w = week(42);
        plan.push((w, add_days(w, 6)));
    }
    if rng.random_bool(0.4) {
        let w = week(rng.random_range(7..=8));
        plan.push((w, add_days(w, 6)));
    }
    if rng.random_bool(0.3) {
        if let (Ok(from), Ok(to)) = (Date::new(year, 12, 24), Date::new(year, 12, 31)) {
            plan.push((from, to));
        }
    }
    for _ in 0..5 {
        let d = add_days(
            Date::new(year, 1, 1).unwrap_or(Date::MIN),
            rng.random_range(0..365),
        );
        if !plan.iter().any(|(f, t)| *f <= d && d <= *t) {
            plan.push((d, d));
        }
    }
    plan
}

/// Visit minutes per team per day, in the day (before 15:00) and the evening, and of
/// the day's minutes those in the morning rush (done by [`MORNING_RUSH_ENDS`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Demand {
    pub day: u32,
    pub morning: u32,
    pub evening: u32,
}

/// The morning rush: getting citizens up, washed, dressed and fed, visits that start
/// by 10:30. It is what sizes a home-care team's day shift, not the day's total.
pub const MORNING_RUSH_ENDS: Time = Time::constant(10, 30, 0, 0);

/// Visit minutes one staff member carries in the morning rush: 62 % of the 210 minutes
/// from 07:00 to 10:30.
pub const MORNING_VISIT_MINUTES_PER_SHIFT: u32 = 130;

impl Demand {
    /// Day shifts: enough for the day's visits and for the morning rush, rounded up:
    /// a team plans its rota to cover its visits; shortfalls come from sick calls,
    /// which the day's re-plan handles.
    pub fn day_shifts(self) -> usize {
        Self::shifts_at(self.day, VISIT_MINUTES_PER_SHIFT).max(Self::shifts_at(
            self.morning,
            MORNING_VISIT_MINUTES_PER_SHIFT,
        ))
    }

    /// Evening shifts: the visits crowd into 16:30-22:00, so an evening shift carries
    /// fewer visit minutes than a day shift.
    pub fn evening_shifts(self) -> usize {
        Self::shifts_at(self.evening, EVENING_VISIT_MINUTES_PER_SHIFT)
    }

    fn shifts_at(minutes: u32, per_shift: u32) -> usize {
        minutes.div_ceil(per_shift) as usize
    }
}

struct Worker {
    index: usize,
    /// Place in the team's member list.
    place: usize,
    role: StaffRole,
    profession: Profession,
    /// Minutes of contract per calendar day (contract hours spread over 7 days).
    target_per_day: f64,
    worked: f64,
    /// Dates worked, for the rest rules.
    days: Vec<Date>,
    last_night: Option<Date>,
    /// Works the weekends of even (0) or odd (1) ISO weeks.
    weekend_group: i8,
}

/// Shifts for one team over the period. `demand[d]` is the team's visit demand on day
/// `d`; `members` are indices into `employees`; `team` is the team's index.
#[allow(clippy::too_many_arguments)]
pub fn team_shifts(
    employees: &[Employee],
    roles: &[StaffRole],
    team: usize,
    members: &[usize],
    demand: &[Demand],
    first: Date,
    calendar: &AbsenceCalendar,
    night_cover: bool,
) -> (Vec<Shift>, usize) {
    let mut workers: Vec<Worker> = members
        .iter()
        .enumerate()
        .map(|(k, &i)| Worker {
            index: i,
            place: k,
            role: roles[i],
            profession: employees[i].profession,
            target_per_day: employees[i].contract_hours * 60.0 / 7.0,
            worked: 0.0,
            days: Vec::new(),
            last_night: None,
            weekend_group: (k % 2) as i8,
        })
        .collect();
    let mut shifts = Vec::new();
    let mut uncovered = 0;
    for (d, need) in demand.iter().enumerate() {
        let date = add_days(first, d as i64);
        let weekday = Weekday::of(date);
        let weekend = weekday >= Weekday::Sat;
        let iso_parity = date.iso_week_date().week() % 2;
        for w in workers.iter_mut() {
            w.worked -= w.target_per_day;
        }
        let free = |w: &Worker| {
            !calendar.is_away(w.index, date)
                && !w.days.contains(&date)
                && w.last_night != date.yesterday().ok()
                && w.days.iter().filter(|x| day_index(**x, date) < 7).count() < 5
        };
        let score = |w: &Worker| {
            let mut s = -w.worked;
            if weekend && w.weekend_group != iso_parity {
                s -= 2_000.0;
            }
            s
        };
        let take = |workers: &mut Vec<Worker>,
                    want: &dyn Fn(&Worker) -> bool,
                    (start, end): (Time, Time),
                    shifts: &mut Vec<Shift>|
         -> bool {
            let best = workers
                .iter()
                .enumerate()
                .filter(|(_, w)| free(w) && want(w))
                .max_by(|a, b| score(a.1).total_cmp(&score(b.1)).then(b.0.cmp(&a.0)))
                .map(|(k, _)| k);
            let Some(k) = best else { return false };
            let w = &mut workers[k];
            w.days.push(date);
            w.worked += 480.0;
            if start > end {
                w.last_night = Some(date);
            }
            let emp = &employees[w.index];
            shifts.push(Shift {
                id: ShiftId::new(format!("s-{}-{}", emp.id, date.strftime("%Y%m%d"))),
                employee_id: emp.id.clone(),
                date,
                start,
                end,
                start_location: None,
                end_location: None,
            });
            true
        };
        // Therapists work their fixed weekdays, which their courses are planned on.
        for k in 0..workers.len() {
            let w = &workers[k];
            let works_today = w.role == StaffRole::Therapist
                && therapist_weekdays(employees[w.index].contract_hours, team + w.place)
                    .contains(weekday);
            if works_today {
                let index = w.index;
                take(
                    &mut workers,
                    &|w: &Worker| w.index == index,
                    day_shift(),
                    &mut shifts,
                );
            }
        }
        // Day: a nurse first when one is free, then care staff up to the demand.
        let day_need = need.day_shifts().max(1);
        let mut day_have = 0;
        if take(
            &mut workers,
            &|w: &Worker| w.profession == Profession::Nurse,
            day_shift(),
            &mut shifts,
        ) {
            day_have += 1;
        }
        while day_have < day_need {
            let ok = take(
                &mut workers,
                &|w: &Worker| w.role == StaffRole::Day,
                day_shift(),
                &mut shifts,
            ) || take(
                &mut workers,
                &|w: &Worker| w.role == StaffRole::Evening,
                day_shift(),
                &mut shifts,
            );
            if !ok {
                uncovered += day_need - day_have;
                break;
            }
            day_have += 1;
        }
        let eve_need = need.evening_shifts().max(1);
        let mut eve_have = 0;
        while eve_have < eve_need {
            let ok = take(
                &mut workers,
                &|w: &Worker| w.role == StaffRole::Evening,
                evening_shift(),
                &mut shifts,
            ) || take(
                &mut workers,
                &|w: &Worker| w.role == StaffRole::Day && w.profession != Profession::Nurse,
                evening_shift(),
                &mut shifts,
            );
            if !ok {
                uncovered += eve_need - eve_have;
                break;
            }
            eve_have += 1;
        }
        if night_cover {
            take(
                &mut workers,
                &|w: &Worker| w.role == StaffRole::Night,
                night_shift(),
                &mut shifts,
            );
        }
    }
    (shifts, uncovered)
}

//! Figures that describe a generated (or any) dataset, to compare with the domain
//! brief's Vojens numbers: what the realism tests check and `nabo demo` can print.

use super::VOJENS;
use jiff::civil::Date;
use nabo_domain::{AbsenceKind, Dataset};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Headline figures of a dataset over the dates its visits cover.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoFigures {
    pub districts: usize,
    pub teams: usize,
    pub employees: usize,
    pub citizens: usize,
    pub recurring_visits: usize,
    pub visits: usize,
    /// Days with visits.
    pub days: usize,
    /// Mean visits per citizen per day.
    pub visits_per_citizen_day: f64,
    /// Fewest and most visits any citizen has on any day of the period.
    pub min_visits_citizen_day: usize,
    pub max_visits_citizen_day: usize,
    /// Share of visits that need two staff.
    pub two_person_share: f64,
    /// Farthest citizen from the centre of Vojens, km.
    pub max_km_from_vojens: f64,
    /// Share of employee-days in the period with sick leave, and with holiday.
    pub sick_share: f64,
    pub holiday_share: f64,
    /// Staff minutes of visits (two-person visits count twice) per day, mean.
    pub visit_staff_hours_per_day: f64,
    /// Shift hours per day, mean.
    pub shift_hours_per_day: f64,
    pub day_shifts: usize,
    pub evening_shifts: usize,
    pub night_shifts: usize,
}

/// Computes [`DemoFigures`] for `ds`.
pub fn figures(ds: &Dataset) -> DemoFigures {
    let dates: BTreeSet<Date> = ds.visits.iter().map(|v| v.date).collect();
    let days = dates.len().max(1);
    let mut per_citizen_day: HashMap<(&str, Date), usize> = HashMap::new();
    for v in &ds.visits {
        *per_citizen_day
            .entry((v.citizen_id.as_str(), v.date))
            .or_default() += 1;
    }
    let min = ds
        .citizens
        .iter()
        .flat_map(|c| {
            dates.iter().map(|d| {
                per_citizen_day
                    .get(&(c.id.as_str(), *d))
                    .copied()
                    .unwrap_or(0)
            })
        })
        .min()
        .unwrap_or(0);
    let max = per_citizen_day.values().copied().max().unwrap_or(0);
    let two = ds.visits.iter().filter(|v| v.staff_count == 2).count();
    let max_km = ds
        .citizens
        .iter()
        .map(|c| c.location.distance_m(&VOJENS) / 1000.0)
        .fold(0.0, f64::max);
    let (first, last) = match (dates.first(), dates.last()) {
        (Some(f), Some(l)) => (*f, *l),
        _ => (Date::MIN, Date::MIN),
    };
    let mut absent: HashMap<AbsenceKind, HashSet<(&str, Date)>> = HashMap::new();
    for a in &ds.absences {
        for d in &dates {
            if a.covers(*d) {
                absent
                    .entry(a.kind)
                    .or_default()
                    .insert((a.employee_id.as_str(), *d));
            }
        }
    }
    let employee_days = (ds.employees.len() * days).max(1) as f64;
    let share = |k: AbsenceKind| absent.get(&k).map_or(0, HashSet::len) as f64 / employee_days;
    let in_period: Vec<_> = ds
        .shifts
        .iter()
        .filter(|s| first <= s.date && s.date <= last)
        .collect();
    let hour = |s: &&nabo_domain::Shift| s.start.hour();
    DemoFigures {
        districts: ds.districts.len(),
        teams: ds.teams.len(),
        employees: ds.employees.len(),
        citizens: ds.citizens.len(),
        recurring_visits: ds.recurring_visits.len(),
        visits: ds.visits.len(),
        days,
        visits_per_citizen_day: ds.visits.len() as f64 / (ds.citizens.len().max(1) * days) as f64,
        min_visits_citizen_day: min,
        max_visits_citizen_day: max,
        two_person_share: two as f64 / ds.visits.len().max(1) as f64,
        max_km_from_vojens: max_km,
        sick_share: share(AbsenceKind::Sick),
        holiday_share: share(AbsenceKind::Holiday),
        visit_staff_hours_per_day: ds
            .visits
            .iter()
            .map(|v| f64::from(v.duration_minutes * u32::from(v.staff_count)))
            .sum::<f64>()
            / 60.0
            / days as f64,
        shift_hours_per_day: in_period.iter().map(|s| s.minutes() as f64).sum::<f64>()
            / 60.0
            / days as f64,
        day_shifts: in_period.iter().filter(|s| hour(s) < 12).count(),
        evening_shifts: in_period
            .iter()
            .filter(|s| (12..20).contains(&hour(s)))
            .count(),
        night_shifts: in_period.iter().filter(|s| hour(s) >= 20).count(),
    }
}

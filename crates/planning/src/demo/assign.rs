//! A simple greedy first plan for the demo: each dated visit goes to someone on shift
//! in the citizen's team who may do it, preferring whoever has visited the citizen
//! before ("give the visit to the one who knows the citizen"), then the citizen's
//! preferred staff, then the least over-qualified and the earliest start. It respects
//! time windows, shift ends, refused staff and travel (offline model); it does not plan
//! breaks or optimise routes: that is the planning engine's job.

use crate::travel::Haversine;
use jiff::civil::{Date, Time};
use nabo_domain::time::instant;
use nabo_domain::{Citizen, Dataset, Employee, GeoPoint, TravelMode, Visit};
use std::collections::{BTreeMap, HashMap};

/// What the greedy assignment achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AssignReport {
    pub assigned: usize,
    pub unassigned: usize,
}

/// An employee (index) on shift from and to (minutes after midnight).
type OnShift = (usize, i32, i32);

struct Slot {
    employee: usize,
    mode: TravelMode,
    from: i32,
    to: i32,
    base: GeoPoint,
    /// Planned visits: start, end, place; sorted by start.
    items: Vec<(i32, i32, GeoPoint)>,
}

fn travel(mode: TravelMode, a: GeoPoint, b: GeoPoint) -> i32 {
    Haversine::leg(mode, a, b).seconds.div_ceil(60) as i32
}

impl Slot {
    /// Where a visit at `home` of `duration` fits starting at `start`, if it does: the
    /// position among the planned visits, with travel in and out.
    fn fits_at(&self, home: GeoPoint, start: i32, duration: i32) -> Option<usize> {
        let pos = self.items.partition_point(|it| it.0 < start);
        let (prev_end, prev_at) = match pos.checked_sub(1).map(|p| self.items[p]) {
            Some((_, end, at)) => (end, at),
            None => (self.from, self.base),
        };
        if prev_end + travel(self.mode, prev_at, home) > start {
            return None;
        }
        let finish = start + duration;
        let ok = match self.items.get(pos) {
            Some(&(next_start, _, next_at)) => {
                finish + travel(self.mode, home, next_at) <= next_start
            }
            None => finish <= self.to,
        };
        ok.then_some(pos)
    }

    /// The earliest start within `ws..=we` where the visit fits.
    fn earliest(&self, home: GeoPoint, ws: i32, we: i32, duration: i32) -> Option<i32> {
        // Candidate starts: the window start, and right after each planned visit.
        let mut starts = vec![ws, self.from + travel(self.mode, self.base, home)];
        starts.extend(
            self.items
                .iter()
                .map(|it| it.1 + travel(self.mode, it.2, home)),
        );
        starts
            .into_iter()
            .map(|s| s.max(ws))
            .filter(|s| *s <= we)
            .filter(|s| self.fits_at(home, *s, duration).is_some())
            .min()
    }
}

fn minutes(t: Time) -> i32 {
    i32::from(t.hour()) * 60 + i32::from(t.minute())
}

fn time_of(m: i32) -> Time {
    let m = m.clamp(0, 24 * 60 - 1);
    Time::new((m / 60) as i8, (m % 60) as i8, 0, 0).unwrap_or(Time::midnight())
}

/// Assigns staff to the dataset's unassigned planned visits, day by day.
pub fn assign_by_continuity(ds: &mut Dataset) -> AssignReport {
    let employees: HashMap<&str, (usize, &Employee)> = ds
        .employees
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), (i, e)))
        .collect();
    let citizens: HashMap<&str, &Citizen> =
        ds.citizens.iter().map(|c| (c.id.as_str(), c)).collect();
    let bases: HashMap<&str, GeoPoint> = ds.teams.iter().map(|t| (t.id.as_str(), t.base)).collect();
    // Shifts per (date, team).
    let mut shifts: BTreeMap<(Date, &str), Vec<OnShift>> = BTreeMap::new();
    for s in &ds.shifts {
        if let Some((i, e)) = employees.get(s.employee_id.as_str()) {
            let (from, mut to) = (minutes(s.start), minutes(s.end));
            if to <= from {
                to += 24 * 60;
            }
            shifts
                .entry((s.date, e.home_team.as_str()))
                .or_default()
                .push((*i, from, to));
        }
    }
    // Visits per (date, team), in the order they are due.
    let mut order: Vec<usize> = (0..ds.visits.len())
        .filter(|&k| ds.visits[k].planned_employees.is_empty())
        .collect();
    order.sort_by_key(|&k| {
        let v = &ds.visits[k];
        // Tightest windows first (fixed-time medicine, two-person visits), so the visits
        // that may start any time in the morning fill the gaps around them.
        let width = minutes(v.window_end) - minutes(v.window_start);
        (v.date, v.staff_count == 1, width, v.window_start)
    });
    let mut known: HashMap<(usize, &str), u32> = HashMap::new();
    let mut report = AssignReport::default();
    let mut plan: Vec<(usize, Vec<usize>, i32)> = Vec::new();
    let mut slots: HashMap<(Date, &str), Vec<Slot>> = HashMap::new();
    for k in order {
        let v: &Visit = &ds.visits[k];
        let Some(citizen) = citizens.get(v.citizen_id.as_str()) else {
            continue;
        };
        let team = citizen.team_id.as_str();
        let day = slots.entry((v.date, team)).or_insert_with(|| {
            let base = bases.get(team).copied().unwrap_or(citizen.location);
            shifts
                .get(&(v.date, team))
                .map(|list| {
                    list.iter()
                        .map(|&(employee, from, to)| Slot {
                            employee,
                            mode: ds.employees[employee].travel_mode,
                            from,
                            to,
                            base,
                            items: Vec::new(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        });
        let (ws, we) = (minutes(v.window_start), minutes(v.window_end));
        let duration = v.duration_minutes as i32;
        // Each candidate: (score, slot index, earliest start).
        let mut candidates: Vec<(i64, usize, i32)> = day
            .iter()
            .enumerate()
            .filter_map(|(s, slot)| {
                let e = &ds.employees[slot.employee];
                if !e.can_do(v.required_qualification) || citizen.refused_staff.contains(&e.id) {
                    return None;
                }
                let start = slot.earliest(citizen.location, ws, we, duration)?;
                let visits_before = known.get(&(slot.employee, citizen.id.as_str())).copied();
                let over = match (
                    e.profession.qualification().care_level(),
                    v.required_qualification.care_level(),
                ) {
                    (Some(have), Some(need)) => i64::from(have.saturating_sub(need)),
                    _ => 0,
                };
                let score = i64::from(visits_before.unwrap_or(0).min(10)) * 40
                    + if citizen.preferred_staff.contains(&e.id) {
                        60
                    } else {
                        0
                    }
                    - over * 30
                    - i64::from(start - ws);
                Some((score, s, start))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let need = usize::from(v.staff_count.max(1));
        if candidates.len() < need {
            report.unassigned += 1;
            continue;
        }
        // One person: the best candidate. Two: the best pair that can start together.
        let mut pick: Option<(Vec<usize>, i32)> = None;
        if need == 1 {
            pick = Some((vec![candidates[0].1], candidates[0].2));
        } else {
            'pairs: for (a, ca) in candidates.iter().enumerate().take(8) {
                for cb in candidates.iter().skip(a + 1).take(8) {
                    let start = ca.2.max(cb.2);
                    if start <= we
                        && day[ca.1]
                            .fits_at(citizen.location, start, duration)
                            .is_some()
                        && day[cb.1]
                            .fits_at(citizen.location, start, duration)
                            .is_some()
                    {
                        pick = Some((vec![ca.1, cb.1], start));
                        break 'pairs;
                    }
                }
            }
        }
        let Some((chosen, start)) = pick else {
            report.unassigned += 1;
            continue;
        };
        let mut who = Vec::with_capacity(need);
        for s in chosen {
            let slot = &mut day[s];
            let Some(pos) = slot.fits_at(citizen.location, start, duration) else {
                continue;
            };
            slot.items
                .insert(pos, (start, start + duration, citizen.location));
            *known
                .entry((slot.employee, citizen.id.as_str()))
                .or_default() += 1;
            who.push(slot.employee);
        }
        plan.push((k, who, start));
        report.assigned += 1;
    }
    for (k, who, start) in plan {
        let ids: Vec<_> = who.iter().map(|&i| ds.employees[i].id.clone()).collect();
        let v = &mut ds.visits[k];
        v.planned_employees = ids;
        v.planned_start = Some(instant(v.date, time_of(start)));
    }
    report
}

//! A simple greedy first plan for the demo: each dated visit goes to someone on shift
//! in the citizen's team who may do it, preferring whoever has visited the citizen
//! before ("give the visit to the one who knows the citizen"), then the citizen's
//! preferred staff, then the least over-qualified and the earliest start. It respects
//! time windows, shift ends, refused staff and travel (offline model); it does not plan
//! breaks or optimise routes: that is the planning engine's job.

use crate::travel::Haversine;
use jiff::civil::{Date, Time};
use nabo_domain::time::instant;
use nabo_domain::{Citizen, Dataset, Employee, GeoPoint, Visit};
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
    free_at: i32,
    ends: i32,
    at: GeoPoint,
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
        (v.date, v.window_start, !v.fixed_time, v.window_end)
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
                            free_at: from,
                            ends: to,
                            at: base,
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
                let travel = Haversine::leg(e.travel_mode, slot.at, citizen.location).seconds;
                let start = (slot.free_at + travel.div_ceil(60) as i32).max(ws);
                if start > we || start + duration > slot.ends {
                    return None;
                }
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
        let chosen = &candidates[..need];
        let start = chosen.iter().map(|c| c.2).max().unwrap_or(ws);
        if start > we || chosen.iter().any(|c| start + duration > day[c.1].ends) {
            report.unassigned += 1;
            continue;
        }
        let mut who = Vec::with_capacity(need);
        for c in chosen {
            let slot = &mut day[c.1];
            slot.free_at = start + duration;
            slot.at = citizen.location;
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

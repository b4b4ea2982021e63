//! The independent validator: recomputes feasibility and every objective term of a plan
//! from scratch.
//!
//! It shares no evaluation code with the solver (`crate::solver`): it walks each route
//! once, in plain code, from the problem's raw data. It is deliberately simple and slow
//! (O(total stops + links)) so that it can be trusted as the referee for the solver, for
//! BKS route files and for published UHHC solutions.
//!
//! Hard rules checked (each broken one is a [`Violation`]):
//!
//! - every visit is performed exactly `staff_count` times by different staff members, or
//!   listed once as unassigned; pinned visits are performed, by their pinned staff, at their
//!   pinned start;
//! - each route: departure ≥ shift start; each stop starts no earlier than the previous end
//!   (or the departure) plus travel; it lasts at least its duration (break: its minimum);
//!   return (last end + travel to the end location) ≤ shift end + `max_overtime`;
//! - skills covered, staff not refused, load ≤ capacity;
//! - time windows: start ≥ first window start; hard windows: the anchored moment (start, or
//!   end under [`WindowAnchor::End`]) ≤ the applicable window's end; fixed time ± tolerance;
//! - two-person visits start together; links: start gap within `[min, max]`, distinct staff,
//!   all-or-none;
//! - breaks: only for staff with a rule, at most one, inside the window and long enough;
//!   mandatory breaks taken when the shift is longer than the threshold.
//!
//! Required visits left unassigned are not violations; they are listed in
//! [`Report::unassigned_required`].
//!
//! Comparisons of times use an absolute tolerance of [`EPS`] = 1e-9 minutes, tight enough
//! for the SINTEF double-precision convention and exact for integer minutes.

use crate::plan::{Cost, CostTerms, Plan, StopKind};
use crate::problem::{LocIdx, Problem, StaffIdx, Time, VisitIdx, WindowAnchor, WindowKind};
use std::collections::HashSet;

/// Absolute tolerance on time comparisons, in minutes.
pub const EPS: f64 = 1e-9;

/// One broken hard rule, precise enough to find it in the plan.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Violation {
    /// A route names a staff member that does not exist.
    #[error("route {route}: staff index {staff} does not exist")]
    UnknownStaff {
        /// Route position in the plan.
        route: usize,
        /// The staff index given.
        staff: StaffIdx,
    },
    /// Two routes for one staff member.
    #[error("staff {staff}: has more than one route")]
    DuplicateRoute {
        /// Staff id.
        staff: String,
    },
    /// A stop or unassigned entry names a visit that does not exist.
    #[error("visit index {visit} does not exist")]
    UnknownVisit {
        /// The visit index given.
        visit: VisitIdx,
    },
    /// A break location outside the matrix.
    #[error("staff {staff}: break at location index {location}, which does not exist")]
    UnknownLocation {
        /// Staff id.
        staff: String,
        /// The location index given.
        location: LocIdx,
    },
    /// A visit neither in a route nor in the unassigned list.
    #[error("visit {visit}: neither in a route nor listed as unassigned")]
    VisitMissing {
        /// Visit id.
        visit: String,
    },
    /// A visit in a route and also listed as unassigned, or listed twice as unassigned.
    #[error("visit {visit}: listed as unassigned but also planned, or listed twice")]
    VisitListedTwice {
        /// Visit id.
        visit: String,
    },
    /// A visit performed by the wrong number of staff members.
    #[error("visit {visit}: performed {performed} times, needs {needed} different staff members")]
    WrongStaffCount {
        /// Visit id.
        visit: String,
        /// Stops found.
        performed: usize,
        /// `staff_count`.
        needed: u8,
    },
    /// A staff member does the same visit twice.
    #[error("visit {visit}: done twice by staff {staff}")]
    SameStaffTwice {
        /// Visit id.
        visit: String,
        /// Staff id.
        staff: String,
    },
    /// Departure before the shift starts.
    #[error("staff {staff}: departs at {departure} before the shift starts at {shift_start}")]
    DepartureBeforeShift {
        /// Staff id.
        staff: String,
        /// Departure.
        departure: Time,
        /// Shift start.
        shift_start: Time,
    },
    /// A stop starts before the staff member can be there (travel or overlap).
    #[error("staff {staff}, stop {stop} ({what}): starts at {start} but the earliest arrival is {arrival}")]
    ArrivesTooLate {
        /// Staff id.
        staff: String,
        /// Stop position.
        stop: usize,
        /// Visit id or "break".
        what: String,
        /// Stop start.
        start: Time,
        /// Earliest arrival (previous end + travel).
        arrival: Time,
    },
    /// A stop shorter than its duration (or ending before it starts).
    #[error("staff {staff}, stop {stop} ({what}): lasts {length} but needs {needed}")]
    TooShort {
        /// Staff id.
        staff: String,
        /// Stop position.
        stop: usize,
        /// Visit id or "break".
        what: String,
        /// `end − start`.
        length: Time,
        /// Required duration.
        needed: Time,
    },
    /// Return to the end location after the latest allowed time.
    #[error("staff {staff}: returns at {return_time}, after the latest allowed {latest}")]
    ReturnsTooLate {
        /// Staff id.
        staff: String,
        /// Return time.
        return_time: Time,
        /// Shift end + allowed overtime.
        latest: Time,
    },
    /// A visit by a staff member lacking a required skill.
    #[error("visit {visit}: staff {staff} lacks a required skill")]
    Unqualified {
        /// Visit id.
        visit: String,
        /// Staff id.
        staff: String,
    },
    /// A visit by a refused staff member.
    #[error("visit {visit}: staff {staff} is refused by the citizen")]
    RefusedStaff {
        /// Visit id.
        visit: String,
        /// Staff id.
        staff: String,
    },
    /// A visit starts before its first window opens.
    #[error("visit {visit}: starts at {start}, before its first window opens at {opens}")]
    TooEarly {
        /// Visit id.
        visit: String,
        /// Start.
        start: Time,
        /// First window start.
        opens: Time,
    },
    /// A hard-window visit is late.
    #[error("visit {visit}: {anchor} {time} is after the window end {window_end}")]
    Late {
        /// Visit id.
        visit: String,
        /// "start" or "end".
        anchor: &'static str,
        /// The anchored time.
        time: Time,
        /// End of the applicable window.
        window_end: Time,
    },
    /// A fixed-time visit outside its tolerance.
    #[error("visit {visit}: starts at {start}, fixed at {fixed} ± {tolerance}")]
    FixedTimeMissed {
        /// Visit id.
        visit: String,
        /// Start.
        start: Time,
        /// Fixed time.
        fixed: Time,
        /// Tolerance.
        tolerance: Time,
    },
    /// A pinned visit moved, changed staff or was left out.
    #[error("visit {visit}: pinned ({detail}) but the plan differs")]
    PinBroken {
        /// Visit id.
        visit: String,
        /// What was pinned.
        detail: String,
    },
    /// Load over capacity.
    #[error("staff {staff}: load {load} exceeds capacity {capacity}")]
    OverCapacity {
        /// Staff id.
        staff: String,
        /// Total demand.
        load: i64,
        /// Capacity.
        capacity: i64,
    },
    /// The two stops of a two-person visit start at different times.
    #[error("visit {visit}: the two staff members start at {a} and {b}")]
    NotSynchronised {
        /// Visit id.
        visit: String,
        /// First start.
        a: Time,
        /// Second start.
        b: Time,
    },
    /// A link's start gap is outside `[min, max]`.
    #[error("link {link} ({first} → {second}): start gap {gap} outside [{min}, {max}]")]
    GapViolated {
        /// Link index.
        link: usize,
        /// First visit id.
        first: String,
        /// Second visit id.
        second: String,
        /// Observed gap.
        gap: Time,
        /// Min gap.
        min: Time,
        /// Max gap (∞ if unbounded).
        max: Time,
    },
    /// A link requires different staff, but someone does both.
    #[error("link {link} ({first}, {second}): both done by staff {staff}")]
    SameStaffOnLink {
        /// Link index.
        link: usize,
        /// First visit id.
        first: String,
        /// Second visit id.
        second: String,
        /// Staff id.
        staff: String,
    },
    /// An all-or-none link with only one visit assigned.
    #[error("link {link} ({first}, {second}): only one of the two visits is planned")]
    PartiallyAssigned {
        /// Link index.
        link: usize,
        /// First visit id.
        first: String,
        /// Second visit id.
        second: String,
    },
    /// A break for a staff member without a break rule, or a second break.
    #[error("staff {staff}: unexpected break (no break rule, or more than one break)")]
    UnexpectedBreak {
        /// Staff id.
        staff: String,
    },
    /// A break outside its window.
    #[error(
        "staff {staff}: break {start}–{end} outside the break window {window_start}–{window_end}"
    )]
    BreakOutsideWindow {
        /// Staff id.
        staff: String,
        /// Break start.
        start: Time,
        /// Break end.
        end: Time,
        /// Window start.
        window_start: Time,
        /// Window end.
        window_end: Time,
    },
    /// A mandatory break not taken.
    #[error("staff {staff}: mandatory break not taken")]
    MissingBreak {
        /// Staff id.
        staff: String,
    },
    /// A time in the plan is NaN or infinite.
    #[error("staff {staff}: a time in the route is not a finite number")]
    NotFinite {
        /// Staff id.
        staff: String,
    },
}

/// Recomputed figures of one route (for tables and for people reading a plan).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RouteSummary {
    /// Whose route.
    pub staff: StaffIdx,
    /// Visits performed.
    pub visits: usize,
    /// Departure from the start location.
    pub departure: Time,
    /// Arrival at the end location (last end + travel).
    pub return_time: Time,
    /// Travel time along the route.
    pub travel_time: Time,
    /// Time spent at visits (Σ end − start).
    pub service_time: Time,
    /// Σ waiting before stops.
    pub waiting: Time,
    /// Minutes after the shift end.
    pub overtime: Time,
}

/// The validator's verdict: every violation, the required visits left out, and the cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Every broken hard rule (empty for a feasible plan).
    pub violations: Vec<Violation>,
    /// One summary per non-empty route, in plan order.
    pub routes: Vec<RouteSummary>,
    /// Non-optional visits that are not planned (allowed, but worth reporting).
    pub unassigned_required: Vec<VisitIdx>,
    /// The objective, recomputed.
    pub cost: Cost,
}

impl Report {
    /// True when no hard rule is broken.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }

    /// True when feasible and every non-optional visit is planned.
    pub fn is_complete(&self) -> bool {
        self.is_feasible() && self.unassigned_required.is_empty()
    }

    /// Ranks two plans of one problem the way the solver does: fewer required visits left
    /// out first (a missed medicine round is worse than any amount of driving), then the
    /// objective ([`Cost::cmp_key`]). Lower is better.
    pub fn cmp_rank(&self, other: &Report) -> std::cmp::Ordering {
        self.unassigned_required
            .len()
            .cmp(&other.unassigned_required.len())
            .then_with(|| self.cost.cmp_key(&other.cost))
    }
}

/// Where one staff member performs a visit.
#[derive(Clone, Copy)]
struct Performance {
    staff: StaffIdx,
    start: Time,
}

/// Validates `plan` against `problem`: every hard rule and every objective term.
pub fn validate(problem: &Problem, plan: &Plan) -> Report {
    let d = problem.data();
    let n_visits = d.visits.len();
    let n_loc = d.locations.len();
    let objective = &d.objective;
    let mut out: Vec<Violation> = Vec::new();
    let mut raw = CostTerms::default();

    let mut performed: Vec<Vec<Performance>> = vec![Vec::new(); n_visits];
    let mut has_route = vec![false; d.staff.len()];
    let mut breaks_taken = vec![0usize; d.staff.len()];
    let mut workload = vec![0.0f64; d.staff.len()];
    let mut idle = vec![0.0f64; d.staff.len()];
    let mut continuity_pairs: HashSet<(usize, usize)> = HashSet::new();
    let mut vehicles_used = 0usize;
    let mut max_tardiness = 0.0f64;
    let mut max_waiting = 0.0f64;
    let mut summaries = Vec::new();

    for (ri, route) in plan.routes.iter().enumerate() {
        let si = route.staff.get();
        let Some(staff) = d.staff.get(si) else {
            out.push(Violation::UnknownStaff {
                route: ri,
                staff: route.staff,
            });
            continue;
        };
        let sid = &staff.id;
        if has_route[si] {
            out.push(Violation::DuplicateRoute { staff: sid.clone() });
            continue;
        }
        has_route[si] = true;

        if !route.departure.is_finite()
            || route
                .stops
                .iter()
                .any(|s| !s.start.is_finite() || !s.end.is_finite())
        {
            out.push(Violation::NotFinite { staff: sid.clone() });
            continue;
        }
        if route.stops.is_empty() {
            // No work: no travel, idle for the whole shift.
            idle[si] = staff.shift.end - staff.shift.start;
            continue;
        }
        if route.departure < staff.shift.start - EPS {
            out.push(Violation::DepartureBeforeShift {
                staff: sid.clone(),
                departure: route.departure,
                shift_start: staff.shift.start,
            });
        }

        let mut loc = staff.start_location;
        let mut prev_end = route.departure;
        let mut travel = 0.0;
        let mut distance = 0.0;
        let mut service = 0.0;
        let mut route_wait = 0.0;
        let mut load = 0i64;
        let mut any_visit = false;
        let mut n_visits_done = 0usize;
        for (k, stop) in route.stops.iter().enumerate() {
            let (stop_loc, what) = match stop.kind {
                StopKind::Visit { visit } => match d.visits.get(visit.get()) {
                    Some(v) => (v.location, v.id.clone()),
                    None => {
                        out.push(Violation::UnknownVisit { visit });
                        continue;
                    }
                },
                StopKind::Break { location } => {
                    if location.get() >= n_loc {
                        out.push(Violation::UnknownLocation {
                            staff: sid.clone(),
                            location,
                        });
                        continue;
                    }
                    (location, "break".to_string())
                }
            };
            let leg = problem.travel(loc, stop_loc);
            travel += leg;
            distance += problem.distance(loc, stop_loc);
            let arrival = prev_end + leg;
            if stop.start < arrival - EPS {
                out.push(Violation::ArrivesTooLate {
                    staff: sid.clone(),
                    stop: k,
                    what: what.clone(),
                    start: stop.start,
                    arrival,
                });
            }
            let wait = (stop.start - arrival).max(0.0);
            route_wait += wait;
            let leading_break = k == 1 && matches!(route.stops[0].kind, StopKind::Break { .. });
            if objective.count_wait_after_leading_break || !leading_break {
                raw.waiting += wait;
                max_waiting = max_waiting.max(wait);
            }

            match stop.kind {
                StopKind::Visit { visit } => {
                    let v = &d.visits[visit.get()];
                    any_visit = true;
                    n_visits_done += 1;
                    performed[visit.get()].push(Performance {
                        staff: route.staff,
                        start: stop.start,
                    });
                    let length = stop.end - stop.start;
                    service += length;
                    if length < v.duration - EPS {
                        out.push(Violation::TooShort {
                            staff: sid.clone(),
                            stop: k,
                            what,
                            length,
                            needed: v.duration,
                        });
                    }
                    if !staff.skills.covers(v.required_skills) {
                        out.push(Violation::Unqualified {
                            visit: v.id.clone(),
                            staff: sid.clone(),
                        });
                    }
                    if v.refused_staff.contains(&route.staff) {
                        out.push(Violation::RefusedStaff {
                            visit: v.id.clone(),
                            staff: sid.clone(),
                        });
                    }
                    if let Some(first) = v.time_windows.first() {
                        if stop.start < first.start - EPS {
                            out.push(Violation::TooEarly {
                                visit: v.id.clone(),
                                start: stop.start,
                                opens: first.start,
                            });
                        }
                        let w = v
                            .time_windows
                            .iter()
                            .take_while(|w| w.start <= stop.start + EPS)
                            .last()
                            .unwrap_or(first);
                        let (anchor, t) = match d.window_anchor {
                            WindowAnchor::Start => ("start", stop.start),
                            WindowAnchor::End => ("end", stop.end),
                        };
                        let late = t - w.end;
                        match v.window_kind {
                            WindowKind::Hard if late > EPS => out.push(Violation::Late {
                                visit: v.id.clone(),
                                anchor,
                                time: t,
                                window_end: w.end,
                            }),
                            WindowKind::Hard => {}
                            WindowKind::Soft => {
                                let late = late.max(0.0);
                                raw.tardiness += late;
                                max_tardiness = max_tardiness.max(late);
                            }
                        }
                    }
                    if let Some(ft) = v.fixed_time {
                        if (stop.start - ft.time).abs() > ft.tolerance + EPS {
                            out.push(Violation::FixedTimeMissed {
                                visit: v.id.clone(),
                                start: stop.start,
                                fixed: ft.time,
                                tolerance: ft.tolerance,
                            });
                        }
                    }
                    if let Some(ps) = v.pinned_start {
                        if (stop.start - ps).abs() > EPS {
                            out.push(Violation::PinBroken {
                                visit: v.id.clone(),
                                detail: format!("start {ps}, planned {}", stop.start),
                            });
                        }
                    }
                    load += v.demand;
                    if !v.preferred_staff.is_empty() && !v.preferred_staff.contains(&route.staff) {
                        raw.preferred += 1.0;
                    }
                    if let (Some(vt), Some(st)) = (v.team, staff.team) {
                        if vt != st {
                            raw.team_boundary += 1.0;
                        }
                    }
                    if let Some(c) = v.citizen {
                        if !d.citizens[c.get()].recent_staff.contains(&route.staff) {
                            continuity_pairs.insert((c.get(), si));
                        }
                    }
                }
                StopKind::Break { .. } => {
                    breaks_taken[si] += 1;
                    match staff.break_rule {
                        Some(rule) if breaks_taken[si] == 1 => {
                            let length = stop.end - stop.start;
                            if length < rule.duration - EPS {
                                out.push(Violation::TooShort {
                                    staff: sid.clone(),
                                    stop: k,
                                    what,
                                    length,
                                    needed: rule.duration,
                                });
                            }
                            let anchored = match d.window_anchor {
                                WindowAnchor::Start => stop.start,
                                WindowAnchor::End => stop.end,
                            };
                            if stop.start < rule.window.start - EPS
                                || anchored > rule.window.end + EPS
                            {
                                out.push(Violation::BreakOutsideWindow {
                                    staff: sid.clone(),
                                    start: stop.start,
                                    end: stop.end,
                                    window_start: rule.window.start,
                                    window_end: rule.window.end,
                                });
                            }
                        }
                        _ => out.push(Violation::UnexpectedBreak { staff: sid.clone() }),
                    }
                }
            }
            if stop.end < stop.start {
                out.push(Violation::TooShort {
                    staff: sid.clone(),
                    stop: k,
                    what: "stop".into(),
                    length: stop.end - stop.start,
                    needed: 0.0,
                });
            }
            prev_end = stop.end;
            loc = stop_loc;
        }
        let back = problem.travel(loc, staff.end_location);
        travel += back;
        distance += problem.distance(loc, staff.end_location);
        let return_time = prev_end + back;
        if return_time > staff.latest_return() + EPS {
            out.push(Violation::ReturnsTooLate {
                staff: sid.clone(),
                return_time,
                latest: staff.latest_return(),
            });
        }
        let overtime = (return_time - staff.shift.end).max(0.0);
        raw.overtime += overtime;
        summaries.push(RouteSummary {
            staff: route.staff,
            visits: n_visits_done,
            departure: route.departure,
            return_time,
            travel_time: travel,
            service_time: service,
            waiting: route_wait,
            overtime,
        });
        if let Some(cap) = staff.capacity {
            if load > cap {
                out.push(Violation::OverCapacity {
                    staff: sid.clone(),
                    load,
                    capacity: cap,
                });
            }
        }
        idle[si] = (route.departure - staff.shift.start).max(0.0)
            + route_wait
            + if return_time <= staff.shift.end {
                staff.shift.end - return_time
            } else {
                0.0
            };
        raw.travel_time += travel;
        raw.distance += distance;
        workload[si] = service + travel;
        if any_visit {
            vehicles_used += 1;
            raw.fixed_cost += staff.fixed_cost;
        }
    }

    for (si, staff) in d.staff.iter().enumerate() {
        if !has_route[si] {
            idle[si] = staff.shift.end - staff.shift.start;
        }
        if staff.needs_break() && breaks_taken[si] == 0 {
            match staff.break_rule {
                Some(rule) if rule.mandatory => out.push(Violation::MissingBreak {
                    staff: staff.id.clone(),
                }),
                _ => raw.missed_break += 1.0,
            }
        }
    }
    raw.idle = idle.iter().sum();
    raw.max_idle = idle.iter().copied().fold(0.0, f64::max);
    raw.working_time = workload.iter().sum();
    if !workload.is_empty() {
        let mean = raw.working_time / workload.len() as f64;
        raw.workload_balance = workload.iter().map(|w| (w - mean).abs().ceil()).sum();
    }
    raw.max_tardiness = max_tardiness;
    raw.max_waiting = max_waiting;
    raw.continuity = continuity_pairs.len() as f64;

    // Accounting of every visit: planned staff_count times, or unassigned once.
    let mut listed = vec![0usize; n_visits];
    for u in &plan.unassigned {
        match listed.get_mut(u.visit.get()) {
            Some(n) => *n += 1,
            None => out.push(Violation::UnknownVisit { visit: u.visit }),
        }
    }
    let mut unassigned_required = Vec::new();
    let mut unassigned_count = 0usize;
    for (vi, v) in d.visits.iter().enumerate() {
        let perf = &performed[vi];
        if perf.is_empty() {
            unassigned_count += 1;
            raw.unassigned += v.unassigned_penalty;
            if !v.optional {
                unassigned_required.push(VisitIdx::from(vi));
            }
            match listed[vi] {
                0 => out.push(Violation::VisitMissing {
                    visit: v.id.clone(),
                }),
                1 => {}
                _ => out.push(Violation::VisitListedTwice {
                    visit: v.id.clone(),
                }),
            }
            if !v.pinned_staff.is_empty() || v.pinned_start.is_some() {
                out.push(Violation::PinBroken {
                    visit: v.id.clone(),
                    detail: "pinned visit left out".into(),
                });
            }
            continue;
        }
        if listed[vi] > 0 {
            out.push(Violation::VisitListedTwice {
                visit: v.id.clone(),
            });
        }
        if perf.len() != v.staff_count as usize {
            out.push(Violation::WrongStaffCount {
                visit: v.id.clone(),
                performed: perf.len(),
                needed: v.staff_count,
            });
        }
        for (a, pa) in perf.iter().enumerate() {
            for pb in &perf[a + 1..] {
                if pa.staff == pb.staff {
                    out.push(Violation::SameStaffTwice {
                        visit: v.id.clone(),
                        staff: d.staff[pa.staff.get()].id.clone(),
                    });
                }
                if (pa.start - pb.start).abs() > EPS {
                    out.push(Violation::NotSynchronised {
                        visit: v.id.clone(),
                        a: pa.start,
                        b: pb.start,
                    });
                }
            }
        }
        for p in &v.pinned_staff {
            if !perf.iter().any(|x| x.staff == *p) {
                out.push(Violation::PinBroken {
                    visit: v.id.clone(),
                    detail: format!("to staff {}", d.staff[p.get()].id),
                });
            }
        }
    }

    for (li, link) in d.links.iter().enumerate() {
        let (pf, ps) = (&performed[link.first.get()], &performed[link.second.get()]);
        let first = || d.visits[link.first.get()].id.clone();
        let second = || d.visits[link.second.get()].id.clone();
        match (pf.first(), ps.first()) {
            (Some(a), Some(b)) => {
                if let Some(g) = link.gap {
                    let gap = b.start - a.start;
                    let max = g.max.unwrap_or(f64::INFINITY);
                    if gap < g.min - EPS || gap > max + EPS {
                        out.push(Violation::GapViolated {
                            link: li,
                            first: first(),
                            second: second(),
                            gap,
                            min: g.min,
                            max,
                        });
                    }
                }
                if link.distinct_staff {
                    if let Some(x) = pf.iter().find(|x| ps.iter().any(|y| y.staff == x.staff)) {
                        out.push(Violation::SameStaffOnLink {
                            link: li,
                            first: first(),
                            second: second(),
                            staff: d.staff[x.staff.get()].id.clone(),
                        });
                    }
                }
            }
            (None, None) => {}
            _ => {
                if link.all_or_none {
                    out.push(Violation::PartiallyAssigned {
                        link: li,
                        first: first(),
                        second: second(),
                    });
                }
            }
        }
    }

    Report {
        violations: out,
        routes: summaries,
        unassigned_required,
        cost: Cost::new(raw, vehicles_used, unassigned_count, objective),
    }
}

//! Conversion between the public model ([`Problem`], [`Plan`]) and the search's own
//! representation ([`Inst`], [`Solution`]).

use super::eval::eval_seq;
use super::inst::{Inst, Leg, Link as ILink, LinkKind, Task, Vehicle, Window};
use super::solution::{Solution, NONE};
use crate::plan::{Plan, Route as PRoute, Stop, Unassigned, UnassignedReason};
use crate::problem::{LocIdx, Problem, StaffIdx, TimeWindow, VisitIdx, WindowAnchor, WindowKind};

/// Where each internal task came from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Origin {
    /// Copy `copy` (0 or 1) of a visit.
    Visit {
        visit: u32,
        copy: u8,
    },
    Break {
        vehicle: u32,
    },
}

pub(crate) struct Converted {
    pub inst: Inst,
    pub origin: Vec<Origin>,
    /// Tasks of each visit.
    pub tasks_of: Vec<Vec<u32>>,
    /// Fixed cost added per used vehicle for the hierarchical objective (0 otherwise).
    pub vehicle_penalty: f64,
    /// Vehicle index → staff index.
    pub staff_of: Vec<u32>,
}

/// Feasible start intervals for windows on the start (or on the end, then shifted by the
/// duration), honouring the "applicable window = last one opened" rule.
fn start_intervals(tws: &[TimeWindow], shift: f64) -> Vec<Window> {
    let mut out: Vec<Window> = Vec::new();
    for (k, w) in tws.iter().enumerate() {
        let mut hi = w.end - shift;
        if let Some(next) = tws.get(k + 1) {
            if hi >= next.start {
                // From next.start on, the next window applies.
                hi = if next.end - shift >= next.start {
                    next.start
                } else {
                    next.start - 1e-6
                };
            }
        }
        if hi >= w.start {
            match out.last_mut() {
                Some(last) if last.1 >= w.start => last.1 = last.1.max(hi),
                _ => out.push((w.start, hi)),
            }
        }
    }
    out
}

fn intersect(ws: &[Window], lo: f64, hi: f64) -> Vec<Window> {
    ws.iter()
        .filter_map(|&(o, c)| {
            let (o, c) = (o.max(lo), c.min(hi));
            (o <= c).then_some((o, c))
        })
        .collect()
}

pub(crate) fn to_inst(p: &Problem, fleet_limit: Option<usize>) -> Converted {
    let d = p.data();
    let w = d.objective.weights;
    let n_loc = d.locations.len();
    let tm = p.travel_matrix().as_slice();
    let dm = p.distance_matrix().as_slice();
    let legs: Vec<Leg> = tm
        .iter()
        .zip(dm)
        .map(|(&t, &dd)| Leg {
            time: t,
            cost: (w.travel_time + w.working_time) * t + w.distance * dd,
        })
        .collect();
    let n_staff = fleet_limit.map_or(d.staff.len(), |f| f.min(d.staff.len()));
    let staff_of: Vec<u32> = (0..n_staff as u32).collect();
    let end_anchor = d.window_anchor == WindowAnchor::End;

    // Hierarchical objective: a fixed cost per used vehicle larger than any possible change
    // of the rest, so that the search ranks vehicles first.
    let vehicle_penalty = if d.objective.minimise_vehicles_first {
        let mut bound = 0.0;
        for i in 0..n_loc {
            bound += (0..n_loc)
                .map(|j| legs[i * n_loc + j].cost)
                .fold(0.0, f64::max);
        }
        // Required visits rank above vehicles anyway (lexicographic), so only optional ones
        // enter the bound.
        let unassigned: f64 = d
            .visits
            .iter()
            .filter(|v| v.optional)
            .map(|v| v.unassigned_penalty * w.unassigned)
            .sum();
        2.0 * (bound + unassigned) + 1.0
    } else {
        0.0
    };

    let mut vehicles = Vec::with_capacity(n_staff);
    for s in &d.staff[..n_staff] {
        vehicles.push(Vehicle {
            start_loc: s.start_location.0,
            end_loc: s.end_location.0,
            shift_start: s.shift.start,
            shift_end: s.latest_return(),
            regular_end: s.shift.end,
            capacity: s.capacity.map_or(f64::INFINITY, |c| c as f64),
            fixed_cost: s.fixed_cost * w.fixed_cost + vehicle_penalty,
            staff: 0,
            break_task: None,
            team: s.team.map(|t| t.0),
        });
    }
    for (i, v) in vehicles.iter_mut().enumerate() {
        v.staff = i as u32;
    }

    let mut tasks: Vec<Task> = Vec::new();
    let mut origin = Vec::new();
    let mut tasks_of = vec![Vec::new(); d.visits.len()];
    let mut links: Vec<ILink> = Vec::new();
    for (vi, v) in d.visits.iter().enumerate() {
        let shift = if end_anchor { v.duration } else { 0.0 };
        let (mut windows, soft_windows) = if v.time_windows.is_empty() {
            (vec![(f64::NEG_INFINITY, f64::INFINITY)], Vec::new())
        } else if v.window_kind == WindowKind::Soft {
            (
                vec![(v.time_windows[0].start, f64::INFINITY)],
                v.time_windows
                    .iter()
                    .map(|w| (w.start, w.end - shift))
                    .collect(),
            )
        } else {
            (start_intervals(&v.time_windows, shift), Vec::new())
        };
        if let Some(ft) = v.fixed_time {
            windows = intersect(&windows, ft.time - ft.tolerance, ft.time + ft.tolerance);
        }
        if let Some(ps) = v.pinned_start {
            windows = intersect(&windows, ps, ps);
        }
        let mut allowed = vec![0u64; n_staff.div_ceil(64).max(1)];
        let mut vehicle_cost = vec![0.0; n_staff];
        let mut any_cost = false;
        for (si, s) in d.staff[..n_staff].iter().enumerate() {
            let sidx = StaffIdx(si as u32);
            if s.skills.covers(v.required_skills) && !v.refused_staff.contains(&sidx) {
                allowed[si / 64] |= 1 << (si % 64);
            }
            let mut c = 0.0;
            if !v.preferred_staff.is_empty() && !v.preferred_staff.contains(&sidx) {
                c += w.preferred;
            }
            if let (Some(a), Some(b)) = (v.team, s.team) {
                if a != b {
                    c += w.team_boundary;
                }
            }
            any_cost |= c != 0.0;
            vehicle_cost[si] = c;
        }
        if !any_cost {
            vehicle_cost.clear();
        }
        let copies = v.staff_count.max(1) as usize;
        for copy in 0..copies {
            let mut task_allowed = allowed.clone();
            let mut pinned = None;
            if let Some(ps) = v.pinned_staff.get(copy) {
                let si = ps.get();
                task_allowed.iter_mut().for_each(|x| *x = 0);
                if si < n_staff {
                    task_allowed[si / 64] |= 1 << (si % 64);
                    pinned = Some(si as u32);
                }
            }
            let id = tasks.len() as u32;
            tasks_of[vi].push(id);
            origin.push(Origin::Visit {
                visit: vi as u32,
                copy: copy as u8,
            });
            tasks.push(Task {
                loc: Some(v.location.0),
                service: v.duration,
                windows: windows.iter().copied().collect(),
                demand: v.demand as f64,
                unassigned_cost: v.unassigned_penalty * w.unassigned / copies as f64,
                must: !v.optional,
                first_of_visit: copy == 0,
                soft_windows: soft_windows.clone(),
                service_cost: w.working_time * v.duration,
                allowed: task_allowed,
                vehicle_cost: vehicle_cost.clone(),
                citizen: v.citizen.map(|c| c.0),
                team: v.team.map(|t| t.0),
                links: Vec::new(),
                is_break: false,
                pinned,
            });
        }
        if copies == 2 {
            let (a, b) = (tasks_of[vi][0], tasks_of[vi][1]);
            links.push(ILink {
                a,
                b,
                kind: LinkKind::Sync,
            });
        }
    }
    for l in &d.links {
        let (Some(&a), Some(&b)) = (
            tasks_of[l.first.get()].first(),
            tasks_of[l.second.get()].first(),
        ) else {
            continue;
        };
        // Distinct staff binds every copy of a two-person visit.
        let distinct_pairs: Vec<(u32, u32)> = tasks_of[l.first.get()]
            .iter()
            .flat_map(|&x| tasks_of[l.second.get()].iter().map(move |&y| (x, y)))
            .collect();
        let is_sync = l.gap.is_some_and(|g| g.min == 0.0 && g.max == Some(0.0)) && l.distinct_staff;
        match l.gap {
            Some(_) if is_sync && distinct_pairs.len() == 1 => links.push(ILink {
                a,
                b,
                kind: LinkKind::Sync,
            }),
            Some(g) => links.push(ILink {
                a,
                b,
                kind: LinkKind::Gap {
                    min: g.min,
                    max: g.max.unwrap_or(f64::INFINITY),
                },
            }),
            None if !l.distinct_staff => links.push(ILink {
                a,
                b,
                kind: LinkKind::Together,
            }),
            None => {}
        }
        if l.distinct_staff && !(is_sync && distinct_pairs.len() == 1) {
            for (x, y) in distinct_pairs {
                links.push(ILink {
                    a: x,
                    b: y,
                    kind: LinkKind::Distinct,
                });
            }
        }
    }
    for (k, l) in links.iter().enumerate() {
        tasks[l.a as usize].links.push(k as u32);
        tasks[l.b as usize].links.push(k as u32);
    }
    // Breaks: one task per staff member whose shift needs one. It stays in its route (the
    // search moves visits around it) and takes place where the previous stop was.
    for (vi, s) in d.staff[..n_staff].iter().enumerate() {
        let Some(b) = s.break_rule.filter(|_| s.needs_break()) else {
            continue;
        };
        let shift = if end_anchor { b.duration } else { 0.0 };
        let mut allowed = vec![0u64; n_staff.div_ceil(64).max(1)];
        allowed[vi / 64] |= 1 << (vi % 64);
        let id = tasks.len() as u32;
        vehicles[vi].break_task = Some(id);
        origin.push(Origin::Break { vehicle: vi as u32 });
        tasks.push(Task {
            loc: None,
            service: b.duration,
            windows: smallvec::smallvec![(b.window.start, b.window.end - shift)],
            demand: 0.0,
            unassigned_cost: if b.mandatory { 0.0 } else { w.missed_break },
            must: b.mandatory,
            first_of_visit: true,
            soft_windows: Vec::new(),
            service_cost: 0.0,
            allowed,
            vehicle_cost: Vec::new(),
            citizen: None,
            team: None,
            links: Vec::new(),
            is_break: true,
            pinned: Some(vi as u32),
        });
    }
    let known: Vec<Vec<u32>> = d
        .citizens
        .iter()
        .map(|c| {
            let mut k: Vec<u32> = c.recent_staff.iter().map(|s| s.0).collect();
            k.sort_unstable();
            k.dedup();
            k
        })
        .collect();
    let overtime_possible = vehicles.iter().any(|v| v.shift_end > v.regular_end);
    let exact = (w.overtime > 0.0 && overtime_possible)
        || tasks.iter().any(|t| !t.soft_windows.is_empty())
        || w.waiting > 0.0
        || w.max_waiting > 0.0
        || w.idle > 0.0
        || w.max_idle > 0.0
        || w.workload_balance > 0.0
        || w.max_tardiness > 0.0;
    let uniform_fleet = vehicles.iter().all(|v| {
        let a = &vehicles[0];
        v.start_loc == a.start_loc
            && v.end_loc == a.end_loc
            && v.shift_start == a.shift_start
            && v.shift_end == a.shift_end
            && v.regular_end == a.regular_end
            && v.capacity == a.capacity
            && v.fixed_cost == a.fixed_cost
            && v.break_task.is_none()
    }) && tasks
        .iter()
        .all(|t| t.vehicle_cost.is_empty() && t.pinned.is_none())
        && d.staff[..n_staff]
            .iter()
            .all(|s| s.skills == d.staff[0].skills)
        && d.visits.iter().all(|v| v.refused_staff.is_empty())
        && (w.continuity == 0.0 || d.citizens.is_empty());
    let has_demand = tasks.iter().any(|t| t.demand != 0.0);
    let mut inst = Inst {
        n_loc,
        legs,
        has_demand,
        tasks,
        vehicles,
        links,
        overtime_cost: w.overtime,
        w_tardiness: w.tardiness,
        w_max_tardiness: w.max_tardiness,
        w_waiting: w.waiting,
        w_max_waiting: w.max_waiting,
        w_idle: w.idle,
        w_max_idle: w.max_idle,
        w_balance: w.workload_balance,
        exact,
        uniform_fleet,
        count_wait_after_leading_break: d.objective.count_wait_after_leading_break,
        continuity_cost: w.continuity,
        known,
        neighbours: Vec::new(),
    };
    inst.build_neighbours();
    narrow_to_reach(&mut inst);
    release_unplaceable(&mut inst);
    Converted {
        inst,
        origin,
        tasks_of,
        vehicle_penalty,
        staff_of,
    }
}

/// Whether vehicle `vi` could serve task `ti` on an otherwise empty route: get there
/// from its start within one of the task's windows and be back by its shift's end.
fn reaches(inst: &Inst, ti: usize, vi: usize) -> bool {
    let t = &inst.tasks[ti];
    let v = &inst.vehicles[vi];
    let Some(loc) = t.loc else {
        return true;
    };
    if t.demand > v.capacity {
        return false;
    }
    let arrive = v.shift_start + inst.t(v.start_loc, loc);
    let leave_by = v.shift_end - t.service - inst.t(loc, v.end_loc);
    t.windows
        .iter()
        .any(|&(a, b)| a.max(arrive) <= b.min(leave_by) + 1e-9)
}

/// Takes out of each task's allowed vehicles those whose shift cannot reach it at all
/// (a morning visit and an evening shift): the insertion loops then never look at them.
fn narrow_to_reach(inst: &mut Inst) {
    for ti in 0..inst.tasks.len() {
        if inst.tasks[ti].is_break || inst.tasks[ti].pinned.is_some() {
            continue;
        }
        for vi in 0..inst.vehicles.len() {
            if inst.allowed(ti as u32, vi) && !reaches(inst, ti, vi) {
                inst.tasks[ti].allowed[vi / 64] &= !(1 << (vi % 64));
            }
        }
    }
}

/// A required visit that no staff member could do even in an otherwise empty day (no one
/// qualified, or no shift that reaches it inside a window, or too heavy for every vehicle)
/// is left out of every plan. Counting it as "required but left out" would keep the search
/// in its serve-everyone phase for good and never anneal the cost, so it is made optional
/// for the search; its penalty still counts and the plan still reports it.
fn release_unplaceable(inst: &mut Inst) {
    let hosts = |inst: &Inst, ti: usize| -> Vec<usize> {
        (0..inst.vehicles.len())
            .filter(|&vi| inst.allowed(ti as u32, vi) && reaches(inst, ti, vi))
            .collect()
    };
    let n = inst.tasks.len();
    let mut placeable: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (ti, hosts_of) in placeable.iter_mut().enumerate() {
        if inst.tasks[ti].must && !inst.tasks[ti].is_break && inst.tasks[ti].pinned.is_none() {
            *hosts_of = hosts(inst, ti);
        }
    }
    let mut release = vec![false; n];
    for ti in 0..n {
        let t = &inst.tasks[ti];
        release[ti] = t.must && !t.is_break && t.pinned.is_none() && placeable[ti].is_empty();
    }
    // The two halves of a two-person visit need two different staff members between them.
    for l in &inst.links {
        if l.kind != LinkKind::Sync {
            continue;
        }
        let (a, b) = (l.a as usize, l.b as usize);
        let mut both: Vec<usize> = placeable[a].iter().chain(&placeable[b]).copied().collect();
        both.sort_unstable();
        both.dedup();
        let pinned = inst.tasks[a].pinned.is_some() || inst.tasks[b].pinned.is_some();
        if !pinned && both.len() < 2 || release[a] || release[b] {
            release[a] = inst.tasks[a].must && !pinned;
            release[b] = inst.tasks[b].must && !pinned;
        }
    }
    for (t, r) in inst.tasks.iter_mut().zip(release) {
        if r {
            t.must = false;
        }
    }
}

impl Converted {
    /// Makes "both or neither" hold for every visit and link (a two-person visit with one
    /// person is not a plan), then writes the plan with explicit times.
    pub(crate) fn to_plan(&self, p: &Problem, sol: &Solution) -> Plan {
        let inst = &self.inst;
        let mut sol = sol.clone();
        loop {
            let mut drop: Vec<u32> = Vec::new();
            for tasks in &self.tasks_of {
                if tasks.iter().any(|&t| sol.route_of[t as usize] == NONE) {
                    drop.extend(
                        tasks
                            .iter()
                            .copied()
                            .filter(|&t| sol.route_of[t as usize] != NONE),
                    );
                }
            }
            for l in &inst.links {
                let (ra, rb) = (sol.route_of[l.a as usize], sol.route_of[l.b as usize]);
                if (ra == NONE) != (rb == NONE) {
                    let keep = if ra == NONE { l.b } else { l.a };
                    // Only all-or-none links and two-person visits force the other out;
                    // other links bind only when both are planned.
                    if self.forces_together(p, l.a, l.b) {
                        drop.extend(self.visit_tasks_of(keep));
                    }
                }
            }
            // The search hands over a plan whose links hold, but settling after the drops can fail
            // (for one, a break moves with the visit before it, so taking visits out can delay
            // others): a visit goes out rather than into a plan that breaks a link.
            let before = drop.len();
            for l in &inst.links {
                if !sol.link_holds(l.a, l.b, l.kind) {
                    drop.extend(self.visit_tasks_of(l.a));
                    drop.extend(self.visit_tasks_of(l.b));
                }
            }
            if sol.links_broken && drop.len() == before {
                // Starts are half-settled with every link looking whole: start over
                // without the linked visits.
                for l in &inst.links {
                    drop.extend(self.visit_tasks_of(l.a));
                    drop.extend(self.visit_tasks_of(l.b));
                }
            }
            drop.sort_unstable();
            drop.dedup();
            drop.retain(|&t| sol.route_of[t as usize] != NONE);
            if drop.is_empty() {
                break;
            }
            for &t in &drop {
                let ri = sol.route_of[t as usize] as usize;
                sol.remove_from_route(inst, ri, &[t]);
                sol.refresh(inst, ri);
            }
            sol.settle_links(inst);
            sol.recount_unassigned(inst);
        }
        let mut routes = Vec::new();
        let mut loc = Vec::new();
        let mut start = Vec::new();
        for r in &sol.routes {
            if r.nodes.is_empty() {
                continue;
            }
            eval_seq(
                inst, r.veh, &r.nodes, &sol.lb, &sol.ub, &mut loc, &mut start,
            );
            let v = &inst.vehicles[r.veh];
            let departure = start[0] - inst.t(v.start_loc, loc[0]);
            let stops = r
                .nodes
                .iter()
                .enumerate()
                .map(|(i, &t)| {
                    let task = &inst.tasks[t as usize];
                    let (s, e) = (start[i], start[i] + task.service);
                    match self.origin[t as usize] {
                        Origin::Visit { visit, .. } => Stop::visit(VisitIdx(visit), s, e),
                        Origin::Break { .. } => Stop::rest(LocIdx(loc[i]), s, e),
                    }
                })
                .collect();
            routes.push(PRoute {
                staff: StaffIdx(self.staff_of[r.veh]),
                departure,
                stops,
            });
        }
        let mut unassigned = Vec::new();
        for (vi, tasks) in self.tasks_of.iter().enumerate() {
            if tasks.iter().any(|&t| sol.route_of[t as usize] == NONE) {
                unassigned.push(Unassigned {
                    visit: VisitIdx(vi as u32),
                    reason: self.reason(p, vi),
                });
            }
        }
        Plan { routes, unassigned }
    }

    fn visit_tasks_of(&self, t: u32) -> Vec<u32> {
        match self.origin[t as usize] {
            Origin::Visit { visit, .. } => self.tasks_of[visit as usize].clone(),
            Origin::Break { .. } => vec![t],
        }
    }

    fn forces_together(&self, p: &Problem, a: u32, b: u32) -> bool {
        let (Origin::Visit { visit: va, .. }, Origin::Visit { visit: vb, .. }) =
            (self.origin[a as usize], self.origin[b as usize])
        else {
            return false;
        };
        if va == vb {
            return true;
        }
        p.links().iter().any(|l| {
            l.all_or_none
                && ((l.first.0 == va && l.second.0 == vb) || (l.first.0 == vb && l.second.0 == va))
        })
    }

    /// Why a visit is out: the first static reason that explains it, else a search reason.
    fn reason(&self, p: &Problem, vi: usize) -> UnassignedReason {
        let inst = &self.inst;
        let v = &p.visits()[vi];
        let staff = &p.staff()[..inst.vehicles.len()];
        let qualified: Vec<usize> = (0..staff.len())
            .filter(|&s| staff[s].skills.covers(v.required_skills))
            .collect();
        if qualified.is_empty() {
            return UnassignedReason::NoQualifiedStaff;
        }
        let t = self.tasks_of[vi][0];
        let allowed: Vec<usize> = (0..staff.len()).filter(|&s| inst.allowed(t, s)).collect();
        if allowed.is_empty() {
            return UnassignedReason::AllQualifiedStaffRefused;
        }
        let task = &inst.tasks[t as usize];
        let (first_open, last_close) = (
            task.windows.first().map_or(f64::INFINITY, |w| w.0),
            task.windows.last().map_or(f64::NEG_INFINITY, |w| w.1),
        );
        if !allowed.iter().any(|&s| {
            let veh = &inst.vehicles[s];
            first_open <= veh.shift_end && last_close >= veh.shift_start
        }) {
            return UnassignedReason::OutsideAllShifts;
        }
        let alone = Solution::empty(inst);
        let reachable: Vec<usize> = allowed
            .iter()
            .copied()
            .filter(|&s| {
                let r = &alone.routes[s];
                alone.simulate_insert(inst, r, 1, t)
            })
            .collect();
        if reachable.is_empty() {
            return UnassignedReason::TimeWindowUnreachable;
        }
        if !reachable
            .iter()
            .any(|&s| inst.vehicles[s].capacity >= task.demand)
        {
            return UnassignedReason::Capacity;
        }
        if v.staff_count == 2 && reachable.len() < 2 {
            return UnassignedReason::NoSecondStaff;
        }
        if v.optional {
            return UnassignedReason::TooCostly;
        }
        if !p.links_of(VisitIdx(vi as u32)).is_empty() {
            return UnassignedReason::LinkedVisitUnassigned;
        }
        UnassignedReason::NoRoomFound
    }
}

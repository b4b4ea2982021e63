//! The O(1) insertion test and its cost delta agree with a full recomputation of the route.

use super::convert::to_inst;
use super::inst::Inst;
use super::rng::Rng;
use super::search::{Params, Search};
use super::solution::{Gap, MaxNorm, Route, Solution, EPS, NONE, P};
use crate::problem::{
    LocIdx, Location, Matrix, Objective, Problem, ProblemData, Staff, TimeWindow, Visit,
};

fn random_problem(seed: u64, n: usize, multi_windows: bool) -> Problem {
    let mut r = Rng::new(seed);
    let pts: Vec<[f64; 2]> = (0..=n)
        .map(|_| [r.f64() * 100.0, r.f64() * 100.0])
        .collect();
    let visits = (1..=n)
        .map(|i| {
            let mut v = Visit::new(format!("v{i}"), LocIdx(i as u32), 5.0 + r.f64() * 20.0);
            let mut t = r.f64() * 300.0;
            for _ in 0..if multi_windows { 1 + r.below(3) } else { 1 } {
                let len = 30.0 + r.f64() * 200.0;
                v.time_windows.push(TimeWindow::new(t, t + len));
                t += len + 20.0 + r.f64() * 100.0;
            }
            v.demand = r.below(10) as i64;
            v
        })
        .collect();
    let staff = (0..4)
        .map(|k| {
            let mut s = Staff::new(format!("s{k}"), TimeWindow::new(0.0, 1000.0), LocIdx(0));
            s.capacity = Some(60);
            s.max_overtime = Some(0.0);
            s
        })
        .collect();
    let data = ProblemData {
        name: "t".into(),
        locations: (0..=n)
            .map(|i| Location {
                id: format!("l{i}"),
                coord: Some(pts[i]),
            })
            .collect(),
        travel_time: Matrix::euclidean(&pts),
        visits,
        staff,
        objective: Objective::default(),
        ..ProblemData::default()
    };
    Problem::new(data).expect("valid")
}

/// [`random_problem`] with every fourth visit done by two people.
fn two_person_problem(seed: u64) -> Problem {
    let mut d = random_problem(seed, 24, false).data().clone();
    for v in d.visits.iter_mut().step_by(4) {
        v.staff_count = 2;
        v.demand = 0;
    }
    Problem::new(d).expect("valid")
}

/// Takes task `t` out of its route, if planned, and returns that route.
fn take_out(inst: &Inst, sol: &mut Solution, t: u32) -> Option<usize> {
    let home = sol.route_of[t as usize];
    if home == NONE {
        return None;
    }
    sol.remove_from_route(inst, home as usize, &[t]);
    sol.refresh(inst, home as usize);
    sol.recount_unassigned(inst);
    Some(home as usize)
}

#[test]
fn constant_time_insertion_matches_full_recompute() {
    let mut total = 0;
    for seed in 0..40u64 {
        let p = random_problem(seed, 30, seed % 2 == 0);
        let conv = to_inst(&p, None);
        let inst = &conv.inst;
        let mut search = Search::new(inst, Params::default(), seed);
        let base = search.construct();
        let sol = &base;
        let mut checked = 0;
        let mut refused = 0;
        for t in 0..inst.tasks.len() as u32 {
            // Take the task out (if planned) and try it everywhere.
            let mut sol = sol.clone();
            if let Some(home) = take_out(inst, &mut sol, t) {
                if !sol.routes[home].feasible {
                    continue;
                }
            }
            for ri in 0..sol.routes.len() {
                let r = &sol.routes[ri];
                for pos in 0..=r.nodes.len() {
                    // Capacity is checked by the caller, once per route.
                    let cap_ok =
                        r.load + inst.tasks[t as usize].demand <= inst.vehicles[r.veh].capacity;
                    let fast = if cap_ok {
                        sol.insert_check(inst, ri, pos, t)
                    } else {
                        None
                    };
                    let mut seq = r.nodes.clone();
                    seq.insert(pos, t);
                    let exact = sol.feasible_seq(inst, r.veh, &seq);
                    // The O(1) test keeps a 1e-7 safety margin, so it may only be stricter
                    // on ties; it must never accept an infeasible insertion.
                    if fast.is_some() {
                        assert!(exact, "seed {seed}: O(1) accepted an infeasible insertion");
                        let mut copy: Solution = sol.clone();
                        let before = copy.cost();
                        copy.insert(inst, ri, pos, t);
                        let after = copy.cost();
                        let d = fast.unwrap_or_default();
                        assert!(
                            ((after - before) - (d - inst.tasks[t as usize].unassigned_cost)).abs()
                                < 1e-6,
                            "seed {seed}: delta {d} vs recomputed {}",
                            after - before
                        );
                    } else if exact && cap_ok {
                        refused += 1;
                    }
                    checked += 1;
                }
            }
        }
        // Only exact ties (within the margin) may be refused; random data has almost none.
        assert!(
            refused * 1000 <= checked,
            "seed {seed}: refused {refused} feasible of {checked}"
        );
        total += checked;
    }
    assert!(total > 1000, "too few insertions checked: {total}");
}

/// Visits no one could do even in an empty day must not hold the search in its
/// serve-everyone phase: they are released from "required" for the search only.
#[test]
fn visits_nobody_can_do_are_not_required_for_the_search() {
    use crate::problem::SkillSet;
    let p = random_problem(3, 12, false);
    let mut d = p.data().clone();
    d.skills = vec!["nurse".into(), "physiotherapy".into()];
    // One nurse on staff, no physiotherapist.
    d.staff[0].skills = SkillSet::single(0);
    let base = d.visits.len();
    let mut training = Visit::new("training", LocIdx(1), 10.0);
    training.required_skills = SkillSet::single(1);
    let mut late = Visit::new("after-hours", LocIdx(2), 10.0);
    late.time_windows = vec![TimeWindow::new(2000.0, 2100.0)];
    let mut two_nurses = Visit::new("two-nurses", LocIdx(3), 10.0);
    two_nurses.required_skills = SkillSet::single(0);
    two_nurses.staff_count = 2;
    let mut one_nurse = Visit::new("one-nurse", LocIdx(4), 10.0);
    one_nurse.required_skills = SkillSet::single(0);
    d.visits.extend([training, late, two_nurses, one_nurse]);
    let p = Problem::new(d).expect("valid");
    let conv = to_inst(&p, None);
    let must_of = |visit: usize| -> Vec<bool> {
        conv.tasks_of[visit]
            .iter()
            .map(|&t| conv.inst.tasks[t as usize].must)
            .collect()
    };
    assert_eq!(must_of(base), vec![false], "no physiotherapist");
    assert_eq!(must_of(base + 1), vec![false], "after every shift");
    assert_eq!(must_of(base + 2), vec![false, false], "only one nurse");
    assert_eq!(must_of(base + 3), vec![true], "the nurse can");
    assert!((0..base).all(|v| must_of(v) == vec![true]));
}

/// A failed placement attempt is taken back exactly: after inserting a linked task,
/// propagating its link and rolling back, the plan is the one before, start times and
/// link bounds included (the search relies on this instead of re-settling every link).
#[test]
fn rollback_restores_the_plan_exactly() {
    use super::solution::Journal;
    type Snapshot = (
        Vec<(Vec<u32>, Vec<f64>, Vec<f64>)>,
        Vec<f64>,
        Vec<f64>,
        Vec<u32>,
        f64,
    );
    fn snapshot(sol: &Solution) -> Snapshot {
        let mut unassigned = sol.unassigned.clone();
        unassigned.sort_unstable();
        (
            sol.routes
                .iter()
                .map(|r| (r.nodes.clone(), r.start.clone(), r.latest.clone()))
                .collect(),
            sol.lb.clone(),
            sol.ub.clone(),
            unassigned,
            sol.continuity,
        )
    }
    let mut attempts = 0;
    for seed in 0..20u64 {
        let p = two_person_problem(seed);
        let conv = to_inst(&p, None);
        let inst = &conv.inst;
        let mut search = Search::new(inst, Params::default(), seed);
        let mut sol = search.construct();
        let Some(t) = (0..inst.tasks.len() as u32).find(|&t| {
            !inst.tasks[t as usize].links.is_empty() && sol.route_of[t as usize] != NONE
        }) else {
            continue;
        };
        let ri = sol.route_of[t as usize] as usize;
        sol.remove_from_route(inst, ri, &[t]);
        sol.refresh(inst, ri);
        assert!(sol.settle_links(inst));
        let before = snapshot(&sol);
        let mut journal = Journal::default();
        for ri in 0..sol.routes.len() {
            for pos in 0..=sol.routes[ri].nodes.len() {
                let mark = journal.mark();
                sol.insert_journaled(inst, ri, pos, t, &mut journal, mark);
                sol.propagate_links(inst, ri, &mut journal, mark);
                sol.rollback(inst, &mut journal, mark);
                assert!(
                    snapshot(&sol) == before,
                    "seed {seed}: route {ri}, position {pos}"
                );
                attempts += 1;
            }
        }
    }
    assert!(attempts > 100, "too few attempts: {attempts}");
}

/// The undo journal holds one placement attempt at a time: a long run on a day with
/// two-person visits does not pile up copies of routes.
#[test]
fn the_undo_journal_does_not_grow_with_the_run() {
    use super::search::Budget;
    let mut d = random_problem(7, 30, false).data().clone();
    // One two-person visit: placing it clears the journal, so more would hide a leak.
    d.visits[0].staff_count = 2;
    d.visits[0].demand = 0;
    let p = Problem::new(d).expect("valid");
    let conv = to_inst(&p, None);
    let mut search = Search::new(&conv.inst, Params::default(), 7);
    let init = search.construct();
    let budget = Budget {
        start: std::time::Instant::now(),
        time_limit: 60.0,
        max_iterations: Some(2_000),
    };
    search.run(init, &budget, None, &mut |_, _| {});
    assert!(
        search.journal_len() < 16,
        "journal: {}",
        search.journal_len()
    );
}

/// At a meeting the thread with the worse plan gets the better one; the thread that
/// brought the best gets nothing back; a thread that has left is not waited for. Without
/// teams the day is never split.
#[test]
fn cooperating_threads_take_the_best_plan_of_a_meeting() {
    use super::exchange::Exchange;
    let p = random_problem(3, 25, false);
    let conv = to_inst(&p, None);
    let constructed = Search::new(&conv.inst, Params::default(), 1).construct();
    let mut emptier = constructed.clone();
    let ri = (0..emptier.routes.len())
        .find(|&i| !emptier.routes[i].nodes.is_empty())
        .expect("a planned route");
    let nodes = emptier.routes[ri].nodes.clone();
    emptier.remove_from_route(&conv.inst, ri, &nodes);
    emptier.refresh(&conv.inst, ri);
    emptier.recount_unassigned(&conv.inst);
    assert!(super::search::better(&constructed, &emptier));

    let ex = Exchange::new(2, 4, None, 1);
    let (from_worse, from_better) = std::thread::scope(|s| {
        let a = s.spawn(|| ex.meet(0, &emptier));
        let b = s.spawn(|| ex.meet(1, &constructed));
        (a.join().expect("thread 0"), b.join().expect("thread 1"))
    });
    let got = from_worse
        .plan
        .expect("the worse plan's thread takes the better plan");
    assert_eq!(got.cost(), constructed.cost());
    assert_eq!(got.n_must_unassigned, constructed.n_must_unassigned);
    assert!(from_better.plan.is_none());
    assert!(from_worse.region.is_none() && from_better.region.is_none());

    // Thread 1 leaves; thread 0 meets alone, does not wait, and is given the best plan
    // any meeting saw when its own is worse.
    ex.leave();
    let alone = ex.meet(0, &emptier);
    assert_eq!(alone.plan.map(|s| s.cost()), Some(constructed.cost()));
    assert!(ex.meet(0, &constructed).plan.is_none());
}

/// Where continuity is priced, an insertion scans the routes near the visit first. It must
/// still find a place whenever any route has one, and for a visit that may be left out, a
/// place below its left-out price whenever any route has one.
#[test]
fn near_routes_first_never_miss_a_place() {
    use crate::problem::{Citizen, CitizenIdx, StaffIdx};
    let mut checked = 0;
    let mut nearer_than_cheapest = 0;
    for seed in 0..20u64 {
        let mut d = random_problem(seed, 60, seed % 2 == 0).data().clone();
        let mut r = Rng::new(seed + 100);
        // A hard shift end keeps insertion prices O(1) (no overtime to re-evaluate).
        d.staff = (0..12)
            .map(|k| {
                let mut s = Staff::new(format!("s{k}"), TimeWindow::new(0.0, 1000.0), LocIdx(0));
                s.max_overtime = Some(0.0);
                s
            })
            .collect();
        d.citizens = (0..20)
            .map(|c| Citizen {
                id: format!("c{c}"),
                recent_staff: vec![StaffIdx(r.below(12) as u32)],
            })
            .collect();
        for (i, v) in d.visits.iter_mut().enumerate() {
            v.citizen = Some(CitizenIdx((i % 20) as u32));
            v.demand = 0;
            if i % 2 == 1 {
                v.optional = true;
                v.unassigned_penalty = r.f64() * 150.0;
            } else {
                v.unassigned_penalty = 1000.0;
            }
        }
        d.objective.weights.continuity = 100.0;
        let p = Problem::new(d).expect("valid");
        let conv = to_inst(&p, None);
        let inst = &conv.inst;
        // Few near routes, and no blinks, so that the near scan really leaves routes out
        // and only it decides what is found.
        let params = Params {
            granular_neighbours: 3,
            blink: 0.0,
            ..Params::default()
        };
        let mut search = Search::new(inst, params, seed);
        let base = search.construct();
        for t in 0..inst.tasks.len() as u32 {
            let mut sol = base.clone();
            take_out(inst, &mut sol, t);
            let mut cheapest: Option<f64> = None;
            for ri in 0..sol.routes.len() {
                if !inst.allowed(t, sol.routes[ri].veh) {
                    continue;
                }
                for pos in 0..=sol.routes[ri].nodes.len() {
                    if let Some(d) = sol.insert_check(inst, ri, pos, t) {
                        cheapest = Some(cheapest.map_or(d, |c| c.min(d)));
                    }
                }
            }
            let found = search.best_insertion(&sol, t, None);
            assert_eq!(
                found.is_some(),
                cheapest.is_some(),
                "seed {seed}, task {t}: a place exists: {cheapest:?}, found: {found:?}"
            );
            let task = &inst.tasks[t as usize];
            if let (Some(b), Some(c)) = (found, cheapest) {
                if !task.must && c < task.unassigned_cost {
                    assert!(
                        b.delta < task.unassigned_cost,
                        "seed {seed}, task {t}: found {} at or above its left-out price {} \
                         where {c} was on offer",
                        b.delta,
                        task.unassigned_cost
                    );
                }
                if b.delta > c + 1e-9 {
                    nearer_than_cheapest += 1;
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 1000, "too few insertions checked: {checked}");
    // The near scan must have restricted something, or this test tests nothing.
    assert!(
        nearer_than_cheapest > 0,
        "the near scan never chose differently"
    );
}

/// The insertion scan skips a gap without the full check when the stop before it is done
/// after the visit's last window closes, when the visit cannot be done by the next
/// visit's latest start, or when there is less time before that than the visit lasts.
/// None may skip a gap the full check accepts, breaks, two-person visits and soft windows
/// included.
#[test]
fn the_scan_skips_only_gaps_that_cannot_take_the_visit() {
    use crate::testing::{generate, GenConfig};
    let (mut accepted, mut skipped) = (0, 0);
    for seed in 0..600u64 {
        let p = generate(&GenConfig::default(), 14, 4, seed);
        let conv = to_inst(&p, None);
        let inst = &conv.inst;
        let mut search = Search::new(inst, Params::default(), seed);
        let base = search.construct();
        for t in 0..inst.tasks.len() as u32 {
            let mut sol = base.clone();
            take_out(inst, &mut sol, t);
            let task = &inst.tasks[t as usize];
            let closes = task.windows.last().map_or(f64::INFINITY, |w| w.1);
            let opens = task.windows.first().map_or(f64::NEG_INFINITY, |w| w.0);
            let done_by = opens.max(sol.lb[t as usize]) + task.service;
            for (ri, r) in sol.routes.iter().enumerate() {
                // The scan takes the gaps a time window allows as one run.
                assert!(
                    r.gaps.windows(2).all(|w| w[0].done <= w[1].done),
                    "seed {seed}"
                );
                assert!(
                    r.gaps
                        .windows(2)
                        .all(|w| w[0].next_latest <= w[1].next_latest),
                    "seed {seed}"
                );
                for pos in 0..=r.nodes.len() {
                    let Gap { done, next_latest } = r.gaps[pos];
                    let room = next_latest - done;
                    let skip = done > closes.min(sol.ub[t as usize])
                        || next_latest + EPS < done_by
                        || room + EPS < task.service;
                    if sol.insert_check(inst, ri, pos, t).is_some() {
                        assert!(
                            !skip,
                            "seed {seed}: task {t} fits route {ri} at {pos}, but the scan \
                             would skip it (done {}, next latest {}, service {})",
                            done, next_latest, task.service
                        );
                        accepted += 1;
                    } else if skip {
                        skipped += 1;
                    }
                }
            }
        }
    }
    assert!(accepted > 500, "too few insertions accepted: {accepted}");
    assert!(skipped > 500, "the skip tests never applied: {skipped}");
}

/// After a ruin the links are settled again only on the routes linked to the ruined ones;
/// every start must be what settling every linked route afresh gives.
#[test]
fn settling_only_the_ruined_links_matches_settling_all() {
    use crate::testing::{generate, GenConfig};
    let mut compared = 0;
    for seed in 0..150u64 {
        let p = generate(&GenConfig::default(), 14, 4, seed);
        let conv = to_inst(&p, None);
        let inst = &conv.inst;
        if inst.links.is_empty() {
            continue;
        }
        let mut search = Search::new(inst, Params::default(), seed);
        let mut cur = search.construct();
        for _ in 0..20 {
            if !cur.all_feasible() {
                break;
            }
            // Insertions keep the links but not always at their least starts: a visit
            // put before a break can bring the visits after it forward. The claim is
            // about a settled plan.
            assert!(
                cur.settle_links(inst),
                "seed {seed}: a valid plan's links do not settle"
            );
            let mut part = cur.clone();
            let removed = search.ruin(&mut part);
            let mut full = cur.clone();
            for &t in &removed {
                let ri = full.route_of[t as usize] as usize;
                full.remove_from_route(inst, ri, &[t]);
                full.refresh(inst, ri);
            }
            let settled = full.settle_links(inst) && full.all_feasible();
            assert_eq!(
                settled,
                part.all_feasible(),
                "seed {seed}: the links settle in one and not the other"
            );
            if settled {
                for (a, b) in part.routes.iter().zip(&full.routes) {
                    assert_eq!(a.nodes, b.nodes, "seed {seed}");
                    assert_eq!(a.start, b.start, "seed {seed}: starts differ");
                }
                compared += 1;
            }
            search.recreate(&mut part, &removed, false);
            if part.all_feasible() {
                assert!(
                    part.links_hold(inst),
                    "seed {seed}: a feasible plan breaks a link"
                );
                cur = part;
            }
        }
    }
    assert!(compared > 500, "too few ruins compared: {compared}");
}

/// The p-norm written out, for the checks below.
fn p_norm(values: &[f64]) -> f64 {
    let top = values.iter().copied().fold(0.0, f64::max);
    if top == 0.0 {
        return 0.0;
    }
    top * values
        .iter()
        .map(|v| (v / top).powi(P))
        .sum::<f64>()
        .powf(1.0 / f64::from(P))
}

#[test]
fn replacing_one_route_in_the_max_norm_matches_recomputing_it() {
    let mut rng = Rng::new(3);
    for case in 0..2000 {
        let n = 1 + rng.below(70);
        // Idle times in minutes; some cases with one route far above the rest, where taking
        // its term out of the total would leave nothing of the others.
        let far = case % 3 == 0;
        let values: Vec<f64> = (0..n)
            .map(|i| {
                if far && i == 0 {
                    600.0
                } else if rng.below(5) == 0 {
                    0.0
                } else {
                    rng.f64() * if far { 200.0 } else { 600.0 }
                }
            })
            .collect();
        let routes: Vec<Route> = values
            .iter()
            .map(|&v| {
                let mut r = Route::default();
                r.eval.idle = v;
                r
            })
            .collect();
        let norm = MaxNorm::over(&routes, 2);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        assert!(close(norm.norm(), p_norm(&values)), "case {case}");
        let ri = if far { 0 } else { rng.below(n) };
        let new = match rng.below(3) {
            0 => 0.0,
            1 => rng.f64() * 100.0,
            _ => rng.f64() * 1200.0,
        };
        let mut changed = values.clone();
        changed[ri] = new;
        assert!(
            close(norm.with(ri, values[ri], new), p_norm(&changed)),
            "case {case}: route {ri} {} -> {new}: {} against {}",
            values[ri],
            norm.with(ri, values[ri], new),
            p_norm(&changed)
        );
    }
}

#[test]
fn the_max_norm_of_equal_routes_stays_near_their_max() {
    // What lowering every route's value by a minute is worth, against the max's one
    // minute: the norm's overpricing (n^(1/P)) for a day of 63 staff members.
    let routes: Vec<Route> = (0..63)
        .map(|_| {
            let mut r = Route::default();
            r.eval.idle = 250.0;
            r
        })
        .collect();
    let ratio = MaxNorm::over(&routes, 2).norm() / 250.0;
    assert!(
        ratio < 1.15,
        "63 equal routes priced {ratio:.2} times their max"
    );
}

/// The plan written out never breaks a link, whatever state the search hands over: a
/// two-person visit whose halves no longer start together is left out, not written.
#[test]
fn a_plan_with_a_broken_link_is_written_without_that_visit() {
    let mut checked = 0;
    for seed in 0..20u64 {
        let p = two_person_problem(seed);
        let conv = to_inst(&p, None);
        let inst = &conv.inst;
        let mut search = Search::new(inst, Params::default(), seed);
        let planned = search.construct();
        // Delay one planned half by a minute, where its route still allows it.
        let Some((t, sol)) = (0..inst.tasks.len() as u32).find_map(|t| {
            if inst.tasks[t as usize].links.is_empty() || planned.route_of[t as usize] == NONE {
                return None;
            }
            let mut delayed = planned.clone();
            delayed.lb[t as usize] = delayed.start_of(t) + 1.0;
            delayed.ub[t as usize] = f64::INFINITY;
            delayed.refresh(inst, delayed.route_of[t as usize] as usize);
            delayed.all_feasible().then_some((t, delayed))
        }) else {
            continue;
        };
        let left_out = |plan: &crate::plan::Plan| -> Vec<usize> {
            let mut v: Vec<usize> = plan.unassigned.iter().map(|u| u.visit.get()).collect();
            v.sort_unstable();
            v
        };
        let before = left_out(&conv.to_plan(&p, &planned));
        // The delay can push later two-person visits on the same route out of step too.
        let visit_of = |t: u32| match conv.origin[t as usize] {
            super::convert::Origin::Visit { visit, .. } => visit as usize,
            super::convert::Origin::Break { .. } => unreachable!("breaks have no links"),
        };
        let mut broken: Vec<usize> = inst
            .links
            .iter()
            .filter(|l| !sol.link_holds(l.a, l.b, l.kind))
            .map(|l| visit_of(l.a))
            .collect();
        assert!(
            broken.contains(&visit_of(t)),
            "seed {seed}: the delay did not break the link"
        );
        let plan = conv.to_plan(&p, &sol);
        let report = crate::validate::validate(&p, &plan);
        assert!(
            report.is_feasible(),
            "seed {seed}: {:#?}",
            report.violations
        );
        broken.extend(before);
        broken.sort_unstable();
        broken.dedup();
        assert_eq!(
            left_out(&plan),
            broken,
            "seed {seed}: left out should be what was, and the visits out of step"
        );
        checked += 1;
    }
    assert!(checked >= 10, "too few plans checked: {checked}");
}

/// A route refreshed after an insertion from where the new stop is (forward) and down to
/// it (backward) holds the same caches, to the bit, as one refreshed from scratch: on
/// generated problems with breaks, two-person visits and links, every planned task
/// taken out and put back at every position of its route.
#[test]
fn the_refresh_after_an_insertion_matches_a_full_refresh() {
    use super::solution::same_caches;
    use crate::testing::{generate, GenConfig};
    let mut compared = 0;
    let mut with_break = 0;
    for seed in 0..60u64 {
        let p = generate(&GenConfig::default(), 24, 4, seed);
        let conv = to_inst(&p, None);
        let inst = &conv.inst;
        let mut search = Search::new(inst, Params::default(), seed);
        let sol = search.construct();
        for ri in 0..sol.routes.len() {
            for k in 0..sol.routes[ri].nodes.len() {
                let mut base = sol.routes[ri].clone();
                let t = base.nodes.remove(k);
                sol.refresh_route(inst, &mut base);
                if !base.feasible {
                    continue;
                }
                for pos in 0..=base.nodes.len() {
                    let mut partial = base.clone();
                    partial.nodes.insert(pos, t);
                    sol.bounds().refresh_after_insert(inst, &mut partial, pos);
                    let mut full = partial.clone();
                    sol.refresh_route(inst, &mut full);
                    assert!(
                        same_caches(&partial, &full),
                        "seed {seed}: route {ri}, task {t} at {pos}"
                    );
                    compared += 1;
                    with_break += usize::from(full.has_break && pos > 0);
                }
            }
        }
    }
    assert!(compared > 2_000, "too few insertions compared: {compared}");
    assert!(
        with_break > 500,
        "too few routes with a break: {with_break}"
    );
}

/// A consolidation ruin takes out every visit of one citizen done by the staff member the
/// citizen sees least, and only a few visits of other citizens from the one it sees most;
/// re-placed, the visits go to faces the citizen knows often enough to lower the count.
#[test]
fn consolidation_takes_a_citizen_from_its_least_seen_staff_member() {
    use crate::problem::{Citizen, CitizenIdx};
    let mut ruins = 0;
    let mut fewer_faces = 0;
    for seed in 0..10u64 {
        let mut d = random_problem(seed, 60, false).data().clone();
        d.citizens = (0..15)
            .map(|c| Citizen {
                id: format!("c{c}"),
                recent_staff: Vec::new(),
            })
            .collect();
        for (i, v) in d.visits.iter_mut().enumerate() {
            v.citizen = Some(CitizenIdx((i % 15) as u32));
        }
        d.objective.weights.continuity = 100.0;
        let p = Problem::new(d).expect("valid");
        let conv = to_inst(&p, None);
        let inst = &conv.inst;
        let mut search = Search::new(inst, Params::default(), seed);
        let base = search.construct();
        for _ in 0..20 {
            let mut sol = base.clone();
            let Some(removed) = search.ruin_consolidate(&mut sol) else {
                continue;
            };
            ruins += 1;
            let citizen = inst.tasks[removed[0] as usize].citizen;
            let c = citizen.expect("a citizen's visit first") as usize;
            let staff_of = |s: &Solution, t: u32| {
                inst.vehicles[s.routes[s.route_of[t as usize] as usize].veh].staff
            };
            let minor = staff_of(&base, removed[0]);
            let count = |s: u32| base.seen[c].iter().find(|e| e.0 == s).map_or(0, |e| e.1);
            assert!(
                base.seen[c].len() >= 2,
                "seed {seed}: citizen {c} saw one face"
            );
            assert!(
                base.seen[c].iter().all(|e| e.1 >= count(minor)),
                "seed {seed}: the staff member who left is not the least seen"
            );
            let (own, room): (Vec<u32>, Vec<u32>) = removed
                .iter()
                .partition(|&&t| inst.tasks[t as usize].citizen == citizen);
            // All of the citizen's visits by that staff member leave, and none other.
            assert_eq!(own.len() as u32, count(minor), "seed {seed}");
            assert!(own.iter().all(|&t| staff_of(&base, t) == minor));
            assert!(
                own.iter().all(|&t| sol.route_of[t as usize] == NONE),
                "seed {seed}: a removed visit is still planned"
            );
            // The room is made by one staff member the citizen sees at least as often.
            let majors: Vec<u32> = room.iter().map(|&t| staff_of(&base, t)).collect();
            assert!(
                majors.windows(2).all(|w| w[0] == w[1]),
                "seed {seed}: {majors:?}"
            );
            if let Some(&major) = majors.first() {
                assert!(major != minor && count(major) >= count(minor));
            }
            assert!(room.len() <= own.len() * Params::default().consolidate_room);
            search.recreate(&mut sol, &removed, false);
            assert!(sol.all_feasible(), "seed {seed}: infeasible after recreate");
            if sol.seen[c].len() < base.seen[c].len() {
                fewer_faces += 1;
            }
        }
    }
    assert!(ruins >= 50, "too few consolidation ruins: {ruins}");
    // Re-placed, a quarter or more of them must see fewer faces (here: 89 of 198).
    assert!(
        fewer_faces * 4 >= ruins,
        "consolidation lowered a citizen's faces {fewer_faces} times in {ruins}"
    );
}

/// While the day is split, each search changes only its own region, and the plan put
/// together from the regions' plans is whole: every route is the one its region's search
/// made, every link holds, and the objective is what the validator recomputes for it.
#[test]
fn plans_of_split_regions_put_together_are_whole() {
    use super::search::Budget;
    use super::split::{merge, split};
    use crate::testing::{generate, GenConfig};
    let config = GenConfig {
        max_visits: 40,
        max_staff: 8,
        preferences: true,
        ..GenConfig::default()
    };
    let mut checked = 0;
    let mut both_changed = 0;
    for seed in 0..80u64 {
        // Four teams, each citizen in one: days that split along team lines, with links
        // (two-person visits, gaps) that tie some teams together.
        let mut d = generate(&config, 40, 8, seed).data().clone();
        d.teams = (0..4)
            .map(|t| crate::problem::Team {
                id: format!("T{t}"),
            })
            .collect();
        for (i, s) in d.staff.iter_mut().enumerate() {
            s.team = Some(crate::problem::TeamIdx((i % 4) as u32));
        }
        for v in d.visits.iter_mut() {
            let c = v.citizen.map_or(0, |c| c.0);
            v.team = Some(crate::problem::TeamIdx(c % 4));
        }
        let p = Problem::new(d).expect("valid");
        let conv = to_inst(&p, None);
        let inst = &conv.inst;
        let start = Search::new(inst, Params::default(), seed).construct();
        let Some(regions) = split(inst, &start, 2, &mut Rng::new(seed)) else {
            continue;
        };
        for l in &inst.links {
            let (ra, rb) = (start.route_of[l.a as usize], start.route_of[l.b as usize]);
            if ra != NONE && rb != NONE {
                assert!(
                    regions
                        .iter()
                        .all(|r| r.routes[ra as usize] == r.routes[rb as usize]),
                    "seed {seed}: a link crosses two regions"
                );
            }
        }
        let plans: Vec<Solution> = regions
            .iter()
            .enumerate()
            .map(|(k, region)| {
                let mut search = Search::new(inst, Params::default(), seed * 7 + k as u64);
                search.region = Some(region.clone());
                let budget = Budget {
                    start: std::time::Instant::now(),
                    time_limit: 60.0,
                    max_iterations: Some(300),
                };
                search.run(start.clone(), &budget, None, &mut |_, _| {})
            })
            .collect();
        let mut changed = 0;
        for (plan, region) in plans.iter().zip(&regions) {
            for (ri, r) in plan.routes.iter().enumerate() {
                if !region.routes[ri] {
                    assert_eq!(
                        r.nodes, start.routes[ri].nodes,
                        "seed {seed}: a search changed a route outside its region"
                    );
                }
            }
            changed += usize::from(plan.cost() != start.cost());
        }
        both_changed += usize::from(changed == 2);
        let refs: Vec<&Solution> = plans.iter().collect();
        let merged = merge(inst, &refs, &regions);
        for (ri, r) in merged.routes.iter().enumerate() {
            let owner = regions.iter().position(|g| g.routes[ri]).expect("an owner");
            assert_eq!(r.nodes, plans[owner].routes[ri].nodes, "seed {seed}");
        }
        assert!(
            merged.all_feasible() && merged.links_hold(inst),
            "seed {seed}"
        );
        let plan = conv.to_plan(&p, &merged);
        let report = crate::validate::validate(&p, &plan);
        assert!(
            report.is_feasible(),
            "seed {seed}: {:#?}",
            report.violations
        );
        let objective = merged.cost() - conv.vehicle_penalty * merged.n_used() as f64;
        assert!(
            (report.cost.total - objective).abs() < 1e-6 * objective.abs().max(1.0),
            "seed {seed}: merged {objective}, validator {}",
            report.cost.total
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} days split");
    assert!(
        both_changed >= 10,
        "both searches changed their plan only {both_changed} times"
    );
}

/// Progress reports are thinned to one per 100 ms, but the one that first leaves fewer
/// required visits out always goes (when everyone was first served is a benchmark figure).
#[test]
fn a_report_that_leaves_fewer_out_is_never_held_back() {
    use std::time::{Duration, Instant};
    let t0 = Instant::now();
    let ms = |m: u64| t0 + Duration::from_millis(m);
    let mut throttle = super::Throttle::default();
    assert!(throttle.due_at(3, ms(0)), "the first report goes");
    assert!(
        !throttle.due_at(3, ms(50)),
        "the same count within 100 ms waits"
    );
    assert!(throttle.due_at(1, ms(60)), "fewer left out goes at once");
    assert!(throttle.due_at(0, ms(70)), "everyone served goes at once");
    assert!(
        !throttle.due_at(0, ms(120)),
        "then the reports are thinned again"
    );
    assert!(
        throttle.due_at(0, ms(170)),
        "100 ms after the last one the next goes"
    );
}

/// After a task is inserted on a route, a regret recreate updates another task's cheapest
/// place there from its cheapest place before, in O(1) (`Search::regret_update`). Where it
/// does, the result is what a full scan of the route finds.
#[test]
fn the_regret_update_after_an_insertion_matches_a_rescan() {
    let (mut updated, mut rescans, mut placed) = (0, 0, 0);
    for seed in 0..30u64 {
        let p = random_problem(seed, 40, seed % 2 == 0);
        let conv = to_inst(&p, None);
        let inst = &conv.inst;
        // No blinks: a full scan then finds the cheapest place itself.
        let params = Params {
            blink: 0.0,
            ..Params::default()
        };
        let mut search = Search::new(inst, params, seed);
        let base = search.construct();
        let n = inst.tasks.len() as u32;
        for t in 0..n {
            let u = (t * 7 + 3) % n;
            if u == t {
                continue;
            }
            let mut sol = base.clone();
            take_out(inst, &mut sol, t);
            take_out(inst, &mut sol, u);
            let Some(ins) = search.best_insertion(&sol, t, None) else {
                continue;
            };
            let before = search.cheapest_on_route(&sol, u, ins.route);
            sol.insert(inst, ins.route, ins.pos, t);
            let rescan = search.cheapest_on_route(&sol, u, ins.route);
            match search.regret_update(&sol, u, before, ins) {
                Some(update) => {
                    assert_eq!(
                        update.map(|b| (b.pos, b.delta)),
                        rescan.map(|b| (b.pos, b.delta)),
                        "seed {seed}: task {u} after {t} went in at {ins:?}"
                    );
                    updated += 1;
                    placed += usize::from(update.is_some());
                }
                None => rescans += 1,
            }
        }
    }
    // Both outcomes must occur, and places must be found, or this tests nothing.
    assert!(
        updated > 300 && placed > 100 && rescans > 10,
        "{updated} {placed} {rescans}"
    );
}

/// A regret recreate places first the visit that has one place only: here a nurse's
/// visit that only the one nurse may do, and a visit anyone may do that, placed first
/// by the nurse (the cheapest route, first in the scan), would take the nurse's only
/// free time. Placed in the order given, greedily, the nurse's visit is left out.
#[test]
fn a_regret_recreate_serves_first_the_visit_with_one_place() {
    use crate::problem::SkillSet;
    let pts = [[0.0, 0.0], [1.0, 0.0]];
    let mut anyone = Visit::new("anyone", LocIdx(1), 40.0);
    anyone.time_windows.push(TimeWindow::new(0.0, 60.0));
    let mut nurse_only = Visit::new("nurse-only", LocIdx(1), 40.0);
    nurse_only.time_windows.push(TimeWindow::new(0.0, 60.0));
    nurse_only.required_skills = SkillSet::single(0);
    let mut nurse = Staff::new("nurse", TimeWindow::new(0.0, 60.0), LocIdx(0));
    nurse.skills = SkillSet::single(0);
    nurse.max_overtime = Some(0.0);
    let mut helper = Staff::new("helper", TimeWindow::new(0.0, 60.0), LocIdx(0));
    helper.max_overtime = Some(0.0);
    let data = ProblemData {
        name: "regret".into(),
        locations: (0..2)
            .map(|i| Location {
                id: format!("l{i}"),
                coord: Some(pts[i]),
            })
            .collect(),
        travel_time: Matrix::euclidean(&pts),
        visits: vec![anyone, nurse_only],
        staff: vec![nurse, helper],
        skills: vec!["nurse".into()],
        objective: Objective::default(),
        ..ProblemData::default()
    };
    let p = Problem::new(data).expect("valid");
    let conv = to_inst(&p, None);
    let inst = &conv.inst;
    let params = Params {
        blink: 0.0,
        ..Params::default()
    };
    let order = [0u32, 1];
    let mut search = Search::new(inst, params.clone(), 1);
    let mut greedy = Solution::empty(inst);
    search.recreate(&mut greedy, &order, false);
    assert_eq!(
        greedy.unassigned,
        vec![1],
        "greedy: the nurse's visit is left out"
    );
    let mut search = Search::new(inst, params, 1);
    let mut regret = Solution::empty(inst);
    search.recreate_by_regret(&mut regret, &order);
    assert!(regret.unassigned.is_empty(), "regret: both served");
    assert_eq!(regret.route_of[1], 0, "the nurse does the nurse's visit");
    assert_eq!(regret.route_of[0], 1, "the helper the other");
}

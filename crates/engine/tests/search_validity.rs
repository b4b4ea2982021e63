//! Every plan the solver returns passes the independent validator, on random problems that
//! mix every hard rule the model has: several time windows, soft windows, fixed times,
//! skills, refused and preferred staff, two-person visits, min/max gaps, breaks, capacity,
//! overtime limits, pinned staff, optional visits and both window anchors.

use nabo_engine::problem::{
    BreakRule, Citizen, FixedTime, Gap, Link, LocIdx, Location, Matrix, Objective, Problem,
    ProblemData, SkillSet, Staff, StaffIdx, TimeWindow, Visit, VisitIdx, Weights, WindowAnchor,
    WindowKind,
};
use nabo_engine::solver::{solve, SolveOptions};
use nabo_engine::validate::validate;
use proptest::prelude::*;
use std::time::Duration;

#[derive(Debug, Clone)]
struct Spec {
    seed: u64,
    n_visits: usize,
    n_staff: usize,
    anchor_end: bool,
    soft: bool,
    waiting_weights: bool,
}

/// A small deterministic generator (the test must not depend on the solver's RNG).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn f(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() % 10_000) as f64 / 10_000.0
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f(0.0, 1.0) < p
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn build(s: &Spec) -> Problem {
    let mut r = Lcg(s.seed);
    let n_loc = s.n_visits + 2;
    let points: Vec<[f64; 2]> = (0..n_loc)
        .map(|_| [r.f(0.0, 60.0), r.f(0.0, 60.0)])
        .collect();
    let travel = Matrix::euclidean(&points);
    let locations = (0..n_loc)
        .map(|i| Location {
            id: format!("l{i}"),
            coord: Some(points[i]),
        })
        .collect();
    let n_cit = (s.n_visits / 2).max(1);
    let citizens = (0..n_cit)
        .map(|i| Citizen {
            id: format!("c{i}"),
            recent_staff: if r.chance(0.5) {
                vec![StaffIdx(r.below(s.n_staff) as u32)]
            } else {
                vec![]
            },
        })
        .collect();
    let mut staff = Vec::new();
    for k in 0..s.n_staff {
        let start = r.f(0.0, 120.0);
        let len = r.f(300.0, 600.0);
        let mut skills = SkillSet::single(0);
        if r.chance(0.5) {
            skills.insert(1);
        }
        staff.push(Staff {
            id: format!("s{k}"),
            shift: TimeWindow::new(start, start + len),
            max_overtime: if r.chance(0.5) {
                Some(r.f(0.0, 60.0))
            } else {
                Some(0.0)
            },
            start_location: LocIdx(if r.chance(0.7) { 0 } else { 1 }),
            end_location: LocIdx(0),
            skills,
            team: None,
            capacity: if r.chance(0.3) {
                Some(r.below(30) as i64 + 5)
            } else {
                None
            },
            break_rule: if r.chance(0.5) {
                // The window lies inside the shift: a mandatory break outside it is an
                // invalid problem (Problem::new says so), not a test of the solver.
                let ws = start + r.f(90.0, len - 160.0);
                Some(BreakRule {
                    window: TimeWindow::new(ws, ws + r.f(40.0, 120.0)),
                    duration: 30.0,
                    min_shift_length: 240.0,
                    mandatory: r.chance(0.5),
                })
            } else {
                None
            },
            fixed_cost: 0.0,
        });
    }
    let mut visits = Vec::new();
    let mut pinned_staff_used = vec![false; s.n_staff];
    for i in 0..s.n_visits {
        let mut v = Visit::new(format!("v{i}"), LocIdx((i + 2) as u32), r.f(5.0, 45.0));
        let nw = r.below(3);
        let mut t = r.f(0.0, 200.0);
        for _ in 0..nw {
            let len = r.f(20.0, 180.0);
            v.time_windows.push(TimeWindow::new(t, t + len));
            t += len + r.f(10.0, 200.0);
        }
        if s.soft && r.chance(0.5) {
            v.window_kind = WindowKind::Soft;
        }
        if r.chance(0.08) && !v.time_windows.is_empty() {
            v.fixed_time = Some(FixedTime {
                time: v.time_windows[0].start + 10.0,
                tolerance: 15.0,
            });
        }
        if r.chance(0.3) {
            v.required_skills = SkillSet::single(1);
        }
        if r.chance(0.12) {
            v.staff_count = 2;
        }
        v.demand = r.below(6) as i64;
        v.unassigned_penalty = r.f(50.0, 500.0);
        v.optional = r.chance(0.3);
        v.citizen = Some(nabo_engine::problem::CitizenIdx((i % n_cit) as u32));
        if r.chance(0.2) {
            v.preferred_staff = vec![StaffIdx(r.below(s.n_staff) as u32)];
        }
        if r.chance(0.1) {
            v.refused_staff = vec![StaffIdx(r.below(s.n_staff) as u32)];
        }
        // At most one pin per staff member, so the pins alone always fit a shift and a
        // capacity (a problem whose pins cannot all be kept has no valid plan at all).
        let pin_to = r.below(s.n_staff);
        if r.chance(0.05) && v.staff_count == 1 && !pinned_staff_used[pin_to] {
            pinned_staff_used[pin_to] = true;
            v.pinned_staff = vec![StaffIdx(pin_to as u32)];
            v.time_windows.clear();
            v.fixed_time = None;
            v.required_skills = SkillSet::EMPTY;
            v.refused_staff.clear();
            v.optional = false;
        }
        visits.push(v);
    }
    let mut links = Vec::new();
    for _ in 0..s.n_visits / 6 {
        let a = r.below(s.n_visits);
        let b = r.below(s.n_visits);
        if a == b || !visits[a].pinned_staff.is_empty() || !visits[b].pinned_staff.is_empty() {
            continue;
        }
        let min = r.f(0.0, 120.0);
        links.push(Link {
            first: VisitIdx(a as u32),
            second: VisitIdx(b as u32),
            gap: Some(Gap {
                min,
                max: if r.chance(0.5) {
                    Some(min + r.f(0.0, 240.0))
                } else {
                    None
                },
            }),
            distinct_staff: r.chance(0.3),
            all_or_none: r.chance(0.5),
        });
    }
    let mut weights = Weights::default();
    if s.waiting_weights {
        weights.waiting = 2.0;
        weights.max_idle = 3.0;
        weights.max_tardiness = 1.0;
        weights.workload_balance = 0.5;
    }
    let data = ProblemData {
        name: format!("random-{}", s.seed),
        locations,
        travel_time: travel,
        distance: None,
        skills: vec!["helper".into(), "nurse".into()],
        teams: vec![],
        citizens,
        visits,
        staff,
        links,
        window_anchor: if s.anchor_end {
            WindowAnchor::End
        } else {
            WindowAnchor::Start
        },
        objective: Objective {
            weights,
            minimise_vehicles_first: false,
            count_wait_after_leading_break: true,
        },
    };
    Problem::new(data).expect("the generator builds valid problems")
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        any::<u64>(),
        1usize..40,
        1usize..6,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(seed, n_visits, n_staff, anchor_end, soft, waiting_weights)| Spec {
                seed,
                n_visits,
                n_staff,
                anchor_end,
                soft,
                waiting_weights,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_returned_plan_passes_the_validator(s in spec()) {
        let problem = build(&s);
        let options = SolveOptions {
            time_limit: Duration::from_secs(5),
            seed: s.seed,
            threads: 1,
            max_iterations: Some(300),
            fleet_limit: None,
        };
        let plan = solve(&problem, &options, &mut |_| {});
        let report = validate(&problem, &plan);
        prop_assert!(report.is_feasible(), "violations: {:#?}\nplan: {:#?}", report.violations, plan);
    }
}

/// Found by the property test in CI: a ruin whose links could not be settled again (a
/// break moves with the visit before it, so taking visits out can delay others) left
/// half-settled starts; the tasks placed after it refreshed the routes, which then looked
/// feasible, and the plan went out with a visit 81.6 minutes after its partner (at most
/// 79.5 allowed).
#[test]
fn a_ruin_whose_links_do_not_settle_never_reaches_the_plan() {
    let problem = build(&Spec {
        seed: 10323542551555681761,
        n_visits: 25,
        n_staff: 4,
        anchor_end: true,
        soft: true,
        waiting_weights: false,
    });
    let options = SolveOptions {
        time_limit: Duration::from_secs(30),
        seed: 10323542551555681761,
        threads: 1,
        max_iterations: Some(300),
        fleet_limit: None,
    };
    let plan = solve(&problem, &options, &mut |_| {});
    let report = validate(&problem, &plan);
    assert!(report.is_feasible(), "violations: {:#?}", report.violations);
}

#[test]
fn same_seed_and_iterations_give_the_same_plan() {
    let problem = build(&Spec {
        seed: 7,
        n_visits: 35,
        n_staff: 4,
        anchor_end: false,
        soft: true,
        waiting_weights: true,
    });
    let options = SolveOptions {
        time_limit: Duration::from_secs(30),
        seed: 3,
        threads: 2,
        max_iterations: Some(500),
        fleet_limit: None,
    };
    let a = solve(&problem, &options, &mut |_| {});
    let b = solve(&problem, &options, &mut |_| {});
    assert_eq!(a, b);
}

/// Cooperating threads meet at fixed points of the time budget; with only a time limit
/// they end when it is spent (none waits for another that has stopped) and the plan holds.
#[test]
fn several_threads_with_a_time_limit_end_on_time_with_a_valid_plan() {
    let problem = build(&Spec {
        seed: 11,
        n_visits: 40,
        n_staff: 5,
        anchor_end: false,
        soft: false,
        waiting_weights: false,
    });
    let options = SolveOptions {
        time_limit: Duration::from_millis(300),
        seed: 5,
        threads: 3,
        max_iterations: None,
        fleet_limit: None,
    };
    let started = std::time::Instant::now();
    let plan = solve(&problem, &options, &mut |_| {});
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "took {took:?}");
    let report = validate(&problem, &plan);
    assert!(report.is_feasible(), "violations: {:#?}", report.violations);
}

/// Search never returns a plan that ranks below its own construction (fewer required visits
/// left out first, then cost), and on typical random days it finds a clearly better one
/// (some small days have no better plan to find).
#[test]
fn plans_get_better_with_search_than_construction_alone() {
    let mut improved = 0;
    for seed in 1..=8u64 {
        let problem = build(&Spec {
            seed,
            n_visits: 39,
            n_staff: 5,
            anchor_end: false,
            soft: false,
            waiting_weights: false,
        });
        let run = |iters| {
            let options = SolveOptions {
                time_limit: Duration::from_secs(30),
                seed: 1,
                threads: 1,
                max_iterations: Some(iters),
                fleet_limit: None,
            };
            validate(&problem, &solve(&problem, &options, &mut |_| {}))
        };
        let constructed = run(0);
        let searched = run(3000);
        assert!(
            searched.cmp_rank(&constructed).is_le(),
            "seed {seed}: search {:?} ranks below construction {:?} (required left out, cost)",
            (searched.unassigned_required.len(), searched.cost.total),
            (
                constructed.unassigned_required.len(),
                constructed.cost.total
            ),
        );
        if searched.unassigned_required.len() < constructed.unassigned_required.len()
            || searched.cost.total < constructed.cost.total * 0.95
        {
            improved += 1;
        }
    }
    assert!(
        improved >= 6,
        "search improved only {improved} of 8 days by 5 %"
    );
}

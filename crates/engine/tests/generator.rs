//! The `testing` generator builds valid problems that always admit a feasible plan, and the
//! engine JSON round-trips them exactly.

use nabo_engine::formats::json;
use nabo_engine::testing::{generate, problems, GenConfig};
use nabo_engine::{validate, Plan, Route, StaffIdx, Stop, Unassigned, UnassignedReason, VisitIdx};
use proptest::prelude::*;

/// The plan every generated problem admits: pinned visits done first thing, mandatory
/// breaks taken when their window opens (at the pinned visit's address, or at the start
/// location), everything else unassigned.
fn baseline_plan(problem: &nabo_engine::Problem) -> Plan {
    let mut routes = Vec::new();
    for (i, s) in problem.staff().iter().enumerate() {
        let staff = StaffIdx::from(i);
        let pinned = (0..problem.visits().len())
            .map(VisitIdx::from)
            .find(|v| problem.visit(*v).pinned_staff.contains(&staff));
        let rule = s.break_rule.filter(|r| r.mandatory && s.needs_break());
        let mut stops = Vec::new();
        let mut loc = s.start_location;
        let mut time = s.shift.start;
        if let Some(v) = pinned {
            let visit = problem.visit(v);
            let start = s.shift.start + problem.travel(s.start_location, visit.location);
            stops.push(Stop::visit(v, start, start + visit.duration));
            loc = visit.location;
            time = start + visit.duration;
        }
        if let Some(rule) = rule {
            let start = time.max(rule.window.start);
            stops.push(Stop::rest(loc, start, start + rule.duration));
        }
        if !stops.is_empty() {
            let departure = if pinned.is_some() {
                s.shift.start
            } else {
                stops[0].start
            };
            routes.push(Route {
                staff,
                departure,
                stops,
            });
        }
    }
    let planned: Vec<VisitIdx> = routes
        .iter()
        .flat_map(|r: &Route| r.stops.iter().filter_map(|s| s.visit_idx()))
        .collect();
    let unassigned = (0..problem.visits().len())
        .map(VisitIdx::from)
        .filter(|v| !planned.contains(v))
        .map(|visit| Unassigned {
            visit,
            reason: UnassignedReason::NoRoomFound,
        })
        .collect();
    Plan { routes, unassigned }
}

proptest! {
    #[test]
    fn generated_problems_admit_a_feasible_plan(problem in problems(GenConfig::default())) {
        let plan = baseline_plan(&problem);
        let report = validate(&problem, &plan);
        prop_assert!(report.is_feasible(), "{:?}", report.violations);
        let left_out: f64 = plan.unassigned.iter().map(|u| problem.visit(u.visit).unassigned_penalty).sum();
        prop_assert_eq!(report.cost.raw.unassigned, left_out);
    }

    #[test]
    fn generated_problems_round_trip_through_json(problem in problems(GenConfig::default())) {
        let back = json::read_problem(&json::write_problem(&problem)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(back == problem);
    }
}

#[test]
fn generation_is_deterministic_and_uses_the_home_care_features() {
    let config = GenConfig {
        max_visits: 40,
        max_staff: 6,
        ..GenConfig::default()
    };
    assert!(generate(&config, 40, 6, 7) == generate(&config, 40, 6, 7));
    // Over a few seeds every feature shows up.
    let ps: Vec<_> = (0..20).map(|s| generate(&config, 40, 6, s)).collect();
    let visits = || ps.iter().flat_map(|p| p.visits().iter());
    assert!(visits().any(|v| v.staff_count == 2));
    assert!(visits().any(|v| v.fixed_time.is_some()));
    assert!(visits().any(|v| v.time_windows.len() == 2));
    assert!(visits().any(|v| v.required_skills != nabo_engine::SkillSet::EMPTY));
    assert!(ps.iter().any(|p| !p.links().is_empty()));
    assert!(ps
        .iter()
        .flat_map(|p| p.staff())
        .any(|s| s.break_rule.is_some()));
    let vrptw = generate(&GenConfig::vrptw(), 10, 3, 1);
    assert!(vrptw.links().is_empty() && vrptw.visits().iter().all(|v| v.staff_count == 1));
    assert!(vrptw.visits().iter().all(|v| v.pinned_staff.is_empty()));
}

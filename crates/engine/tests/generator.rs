//! The `testing` generator builds valid problems that always admit a feasible plan, and the
//! engine JSON round-trips them exactly.

use nabo_engine::formats::json;
use nabo_engine::testing::{generate, problems, GenConfig};
use nabo_engine::{validate, Plan, Route, StaffIdx, Stop, Unassigned, UnassignedReason, VisitIdx};
use proptest::prelude::*;

/// Nothing planned, every mandatory break taken at the start location when its window opens.
fn empty_plan(problem: &nabo_engine::Problem) -> Plan {
    let routes = problem
        .staff()
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let rule = s.break_rule.filter(|r| r.mandatory && s.needs_break())?;
            Some(Route {
                staff: StaffIdx::from(i),
                departure: rule.window.start,
                stops: vec![Stop::rest(
                    s.start_location,
                    rule.window.start,
                    rule.window.start + rule.duration,
                )],
            })
        })
        .collect();
    let unassigned = (0..problem.visits().len())
        .map(|v| Unassigned {
            visit: VisitIdx::from(v),
            reason: UnassignedReason::NoRoomFound,
        })
        .collect();
    Plan { routes, unassigned }
}

proptest! {
    #[test]
    fn generated_problems_admit_a_feasible_plan(problem in problems(GenConfig::default())) {
        let report = validate(&problem, &empty_plan(&problem));
        prop_assert!(report.is_feasible(), "{:?}", report.violations);
        let total_penalty: f64 = problem.visits().iter().map(|v| v.unassigned_penalty).sum();
        prop_assert_eq!(report.cost.raw.unassigned, total_penalty);
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
}

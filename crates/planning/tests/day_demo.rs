//! Days of the generated demo district as engine problems: built, solved, validated.

use jiff::civil::{date, Date};
use nabo_domain::{Dataset, EmployeeId, VisitStatus};
use nabo_engine::solver::{solve, SolveOptions};
use nabo_engine::validate::validate;
use nabo_planning::day::{apply_plan, day_problem, DayConfig, DayInput};
use nabo_planning::demo::{generate, DemoConfig};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

fn demo(citizens: usize, start: Date) -> Dataset {
    generate(&DemoConfig {
        citizens,
        seed: 1,
        start,
        days: 14,
    })
}

/// Solves `date` of `ds` briefly and checks the plan against the validator and the
/// domain's own rules.
fn solve_and_check(ds: &Dataset, day: Date) {
    let built =
        day_problem(&DayInput::from_dataset(ds, day), &DayConfig::default()).expect("day problem");
    let p = &built.problem;
    let options = SolveOptions {
        time_limit: Duration::from_secs(60),
        max_iterations: Some(300),
        ..SolveOptions::default()
    };
    let plan = solve(p, &options, &mut |_| {});
    let report = validate(p, &plan);
    assert!(report.is_feasible(), "{day}: {:?}", report.violations);
    // Most visits get planned. Not all can be: the demo's peaks (medicine at 08:00 and
    // the late evening) hold more visits than the staff on shift can start in time (see
    // BENCHMARKS.md, demo district).
    let share = report.unassigned_required.len() as f64 / p.visits().len() as f64;
    assert!(
        share < 0.5,
        "{day}: {} of {} left out",
        report.unassigned_required.len(),
        p.visits().len()
    );
    // "No qualified staff" only when nobody on shift has the qualification (a therapist
    // off that day), checked against the domain's own rule.
    let on_shift: Vec<_> = built
        .staff
        .iter()
        .filter_map(|s| ds.employees.iter().find(|e| e.id == s.employee_id))
        .collect();
    for u in &plan.unassigned {
        if u.reason == nabo_engine::UnassignedReason::NoQualifiedStaff {
            let q = built.visits[u.visit.get()].required_qualification;
            assert!(
                on_shift.iter().all(|e| !e.can_do(q)),
                "{day}: {} needs {q:?}, which staff on shift have",
                p.visit(u.visit).id
            );
        }
    }

    let employees: HashMap<&str, _> = ds.employees.iter().map(|e| (e.id.as_str(), e)).collect();
    let citizens: HashMap<&str, _> = ds.citizens.iter().map(|c| (c.id.as_str(), c)).collect();
    let away: HashSet<&EmployeeId> = ds
        .absences
        .iter()
        .filter(|a| a.covers(day))
        .map(|a| &a.employee_id)
        .collect();
    for (a, v) in apply_plan(&built, &plan).iter().zip(&built.visits) {
        if a.unassigned.is_some() {
            continue;
        }
        assert_eq!(a.employees.len(), usize::from(v.staff_count), "{}", v.id);
        if v.staff_count == 2 {
            assert_ne!(a.employees[0], a.employees[1], "{}", v.id);
        }
        let citizen = citizens[v.citizen_id.as_str()];
        for e in &a.employees {
            assert!(
                employees[e.as_str()].can_do(v.required_qualification),
                "{} by {e}",
                v.id
            );
            assert!(
                !citizen.refused_staff.contains(e),
                "{} by refused {e}",
                v.id
            );
            assert!(!away.contains(e), "{} by absent {e}", v.id);
        }
    }
}

#[test]
fn the_vojens_district_day_is_a_valid_problem_with_every_visit_and_no_absent_staff() {
    let ds = demo(352, date(2026, 11, 30));
    let day = date(2026, 12, 2);
    let built =
        day_problem(&DayInput::from_dataset(&ds, day), &DayConfig::default()).expect("day problem");
    let p = &built.problem;
    let expected = ds
        .visits
        .iter()
        .filter(|v| v.date == day && v.status == VisitStatus::Planned)
        .count();
    assert_eq!(p.visits().len(), expected);
    assert!(p.visits().len() > 352, "{}", p.visits().len());
    assert!(p.visits().iter().any(|v| v.staff_count == 2));
    assert!(p.visits().iter().any(|v| v.fixed_time.is_some()));
    // Homes and the five teams' bases; couples share a location.
    assert!(p.locations().len() <= 352 + 5, "{}", p.locations().len());
    assert_eq!(p.teams().len(), 5);
    let away: HashSet<&str> = ds
        .absences
        .iter()
        .filter(|a| a.covers(day))
        .map(|a| a.employee_id.as_str())
        .collect();
    let on_shift: HashSet<&str> = ds
        .shifts
        .iter()
        .filter(|s| s.date == day)
        .map(|s| s.employee_id.as_str())
        .collect();
    for s in &built.staff {
        assert!(
            !away.contains(s.employee_id.as_str()),
            "{} is away",
            s.employee_id
        );
    }
    let present = on_shift.iter().filter(|e| !away.contains(*e)).count();
    // Today's shifts, plus last night's reaching into the morning.
    assert!(
        built.staff.len() >= present,
        "{} < {present}",
        built.staff.len()
    );
}

#[test]
fn a_solved_demo_weekday_passes_the_validator_and_the_domain_rules() {
    let ds = demo(100, date(2026, 11, 30));
    solve_and_check(&ds, date(2026, 12, 1));
}

#[test]
fn the_demo_day_when_summer_time_ends_has_25_hours_and_solves() {
    let ds = demo(100, date(2026, 10, 19));
    let day = date(2026, 10, 25);
    let built =
        day_problem(&DayInput::from_dataset(&ds, day), &DayConfig::default()).expect("day problem");
    assert_eq!(built.horizon_minutes, 25 * 60);
    // The day shift starts 07:00 on the wall clock: 8 real hours after midnight.
    let starts: HashSet<i64> = built
        .problem
        .staff()
        .iter()
        .map(|s| s.shift.start as i64)
        .collect();
    assert!(starts.contains(&480), "{starts:?}");
    solve_and_check(&ds, day);
}

//! The validator on a small hand-built home-care day: every objective term recomputed by
//! hand, and every hard rule caught when broken.

use nabo_engine::{
    validate, BreakRule, Citizen, CitizenIdx, FixedTime, Gap, Link, LocIdx, Location, Matrix,
    Objective, Plan, Problem, ProblemData, Route, SkillSet, Staff, StaffIdx, Stop, Team, TeamIdx,
    TimeWindow, Unassigned, UnassignedReason, Violation, Visit, VisitIdx, Weights, WindowKind,
};

const HELPER: usize = 0;
const NURSE: usize = 1;

fn all_weights_one() -> Weights {
    Weights {
        travel_time: 1.0,
        distance: 1.0,
        unassigned: 1.0,
        continuity: 1.0,
        preferred: 1.0,
        team_boundary: 1.0,
        overtime: 1.0,
        tardiness: 1.0,
        max_tardiness: 1.0,
        waiting: 1.0,
        max_waiting: 1.0,
        idle: 1.0,
        max_idle: 1.0,
        missed_break: 1.0,
        workload_balance: 1.0,
        working_time: 1.0,
        fixed_cost: 1.0,
    }
}

/// Depot 0 and three addresses a (1), b (2), c (3); asymmetric between the depot and a.
fn data() -> ProblemData {
    let t = |rows: [[f64; 4]; 4]| Matrix::from_rows(&rows.map(|r| r.to_vec())).expect("square");
    let mut nurse_skills = SkillSet::single(HELPER);
    nurse_skills.insert(NURSE);
    let mut v0 = Visit::new("a-morning", LocIdx(1), 30.0);
    v0.time_windows = vec![TimeWindow::new(60.0, 90.0)];
    v0.window_kind = WindowKind::Soft;
    v0.citizen = Some(CitizenIdx(0));
    v0.team = Some(TeamIdx(0));
    v0.preferred_staff = vec![StaffIdx(0)];
    v0.required_skills = SkillSet::single(HELPER);
    let mut v1 = Visit::new("b-nurse", LocIdx(2), 20.0);
    v1.time_windows = vec![TimeWindow::new(100.0, 200.0)];
    v1.required_skills = SkillSet::single(NURSE);
    v1.citizen = Some(CitizenIdx(1));
    v1.team = Some(TeamIdx(0));
    v1.demand = 2;
    let mut v2 = Visit::new("c-double", LocIdx(3), 15.0);
    v2.staff_count = 2;
    v2.time_windows = vec![TimeWindow::new(0.0, 480.0)];
    v2.citizen = Some(CitizenIdx(1));
    v2.team = Some(TeamIdx(1));
    v2.preferred_staff = vec![StaffIdx(0)];
    v2.required_skills = SkillSet::single(HELPER);
    let mut v3 = Visit::new("a-optional", LocIdx(1), 10.0);
    v3.optional = true;
    v3.unassigned_penalty = 50.0;
    v3.citizen = Some(CitizenIdx(0));
    ProblemData {
        name: "hand-built".into(),
        locations: ["depot", "a", "b", "c"]
            .iter()
            .map(|id| Location {
                id: id.to_string(),
                coord: None,
            })
            .collect(),
        travel_time: t([
            [0.0, 10.0, 10.0, 20.0],
            [12.0, 0.0, 5.0, 8.0],
            [10.0, 5.0, 0.0, 6.0],
            [20.0, 8.0, 6.0, 0.0],
        ]),
        distance: None,
        skills: vec!["helper".into(), "nurse".into()],
        teams: vec![Team { id: "T0".into() }, Team { id: "T1".into() }],
        citizens: vec![
            Citizen {
                id: "c0".into(),
                recent_staff: vec![StaffIdx(0)],
            },
            Citizen {
                id: "c1".into(),
                recent_staff: vec![],
            },
        ],
        visits: vec![v0, v1, v2, v3],
        staff: vec![
            Staff {
                id: "s0".into(),
                shift: TimeWindow::new(0.0, 480.0),
                max_overtime: Some(0.0),
                start_location: LocIdx(0),
                end_location: LocIdx(0),
                skills: nurse_skills,
                team: Some(TeamIdx(0)),
                capacity: Some(5),
                break_rule: Some(BreakRule {
                    window: TimeWindow::new(120.0, 240.0),
                    duration: 30.0,
                    min_shift_length: 360.0,
                    mandatory: false,
                }),
                fixed_cost: 100.0,
            },
            Staff {
                id: "s1".into(),
                shift: TimeWindow::new(0.0, 200.0),
                max_overtime: Some(60.0),
                start_location: LocIdx(0),
                end_location: LocIdx(0),
                skills: SkillSet::single(HELPER),
                team: Some(TeamIdx(1)),
                capacity: None,
                break_rule: None,
                fixed_cost: 0.0,
            },
        ],
        links: vec![Link {
            first: VisitIdx(0),
            second: VisitIdx(1),
            gap: Some(Gap {
                min: 30.0,
                max: None,
            }),
            distinct_staff: false,
            all_or_none: false,
        }],
        window_anchor: Default::default(),
        objective: Objective {
            weights: all_weights_one(),
            ..Objective::default()
        },
    }
}

fn plan() -> Plan {
    Plan {
        routes: vec![
            Route {
                staff: StaffIdx(0),
                departure: 50.0,
                stops: vec![
                    Stop::visit(VisitIdx(0), 95.0, 125.0),
                    Stop::rest(LocIdx(1), 125.0, 155.0),
                    Stop::visit(VisitIdx(1), 160.0, 180.0),
                    Stop::visit(VisitIdx(2), 190.0, 205.0),
                ],
            },
            Route {
                staff: StaffIdx(1),
                departure: 100.0,
                stops: vec![Stop::visit(VisitIdx(2), 190.0, 205.0)],
            },
        ],
        unassigned: vec![Unassigned {
            visit: VisitIdx(3),
            reason: UnassignedReason::TooCostly,
        }],
    }
}

fn problem(d: ProblemData) -> Problem {
    Problem::new(d).expect("valid problem")
}

fn violations(d: ProblemData, p: &Plan) -> Vec<Violation> {
    validate(&problem(d), p).violations
}

#[test]
fn feasible_plan_has_every_term_as_computed_by_hand() {
    let report = validate(&problem(data()), &plan());
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert!(report.is_complete(), "v3 is optional");
    let r = report.cost.raw;
    assert_eq!(r.travel_time, 81.0, "s0: 10+0+5+6+20, s1: 20+20");
    assert_eq!(r.distance, 81.0);
    assert_eq!(r.unassigned, 50.0);
    assert_eq!(
        r.continuity, 2.0,
        "c1 sees s0 and s1 for the first time; counted once each"
    );
    assert_eq!(r.preferred, 1.0, "s1 on c-double");
    assert_eq!(r.team_boundary, 1.0, "s0 (T0) on c-double (T1)");
    assert_eq!(r.overtime, 25.0, "s1 returns at 225, shift ends at 200");
    assert_eq!(r.tardiness, 5.0);
    assert_eq!(r.max_tardiness, 5.0);
    assert_eq!(r.waiting, 109.0, "35 + 4 for s0, 70 for s1");
    assert_eq!(r.max_waiting, 70.0);
    assert_eq!(r.idle, 514.0, "s0: 50 + 39 + 255, s1: 100 + 70");
    assert_eq!(r.max_idle, 344.0);
    assert_eq!(r.missed_break, 0.0);
    assert_eq!(r.working_time, 161.0, "s0: 65 + 41, s1: 15 + 40");
    assert_eq!(r.workload_balance, 52.0, "ceil(25.5) twice");
    assert_eq!(r.fixed_cost, 100.0);
    assert_eq!(report.cost.vehicles_used, 2);
    assert_eq!(report.cost.unassigned_visits, 1);
    assert_eq!(report.cost.total, 1601.0);
    let s0 = report.routes[0];
    assert_eq!(
        (s0.visits, s0.return_time, s0.travel_time),
        (3, 225.0, 41.0)
    );
    assert_eq!(
        (s0.service_time, s0.waiting, s0.overtime),
        (65.0, 39.0, 0.0)
    );
    assert_eq!(report.routes[1].overtime, 25.0);
}

#[test]
fn weights_scale_their_terms() {
    let mut d = data();
    d.objective.weights = Weights {
        travel_time: 2.0,
        ..Weights::default()
    };
    d.objective.weights.continuity = 0.0;
    let report = validate(&problem(d), &plan());
    assert_eq!(report.cost.weighted.travel_time, 162.0);
    assert_eq!(report.cost.weighted.continuity, 0.0);
    assert_eq!(report.cost.total, report.cost.weighted.sum());
}

macro_rules! assert_violation {
    ($v:expr, $pat:pat $(if $guard:expr)?) => {
        let v = $v;
        assert!(
            v.iter().any(|x| matches!(x, $pat $(if $guard)?)),
            "expected {}, got {:?}",
            stringify!($pat),
            v
        );
    };
}

#[test]
fn skills_refusals_and_pins_are_enforced() {
    let mut d = data();
    d.visits[1].refused_staff = vec![StaffIdx(0)];
    assert_violation!(violations(d, &plan()), Violation::RefusedStaff { .. });

    let mut d = data();
    d.visits[2].required_skills = SkillSet::single(NURSE);
    let v = violations(d, &plan());
    assert_violation!(&v, Violation::Unqualified { staff, .. } if staff == "s1");

    let mut d = data();
    d.visits[0].pinned_staff = vec![StaffIdx(1)];
    assert_violation!(violations(d, &plan()), Violation::PinBroken { detail, .. } if detail == "to staff s1");

    let mut d = data();
    d.visits[1].pinned_start = Some(170.0);
    assert_violation!(violations(d, &plan()), Violation::PinBroken { .. });

    let mut d = data();
    d.visits[3].pinned_staff = vec![StaffIdx(0)];
    assert_violation!(violations(d, &plan()), Violation::PinBroken { detail, .. } if detail.contains("left out"));
}

#[test]
fn time_rules_are_enforced() {
    let mut p = plan();
    p.routes[0].stops[2].start = 150.0;
    p.routes[0].stops[2].end = 170.0;
    assert_violation!(
        violations(data(), &p),
        Violation::ArrivesTooLate { stop: 2, .. }
    );

    let mut d = data();
    d.visits[1].time_windows = vec![TimeWindow::new(100.0, 150.0)];
    assert_violation!(violations(d, &plan()), Violation::Late { window_end, .. } if *window_end == 150.0);

    let mut d = data();
    d.visits[1].time_windows = vec![TimeWindow::new(170.0, 200.0)];
    assert_violation!(violations(d, &plan()), Violation::TooEarly { .. });

    let mut d = data();
    d.visits[0].fixed_time = Some(FixedTime {
        time: 60.0,
        tolerance: 10.0,
    });
    assert_violation!(violations(d, &plan()), Violation::FixedTimeMissed { .. });

    let mut p = plan();
    p.routes[0].stops[0].end = 110.0;
    assert_violation!(violations(data(), &p), Violation::TooShort { stop: 0, .. });

    let mut d = data();
    d.staff[1].shift.start = 110.0;
    assert_violation!(
        violations(d, &plan()),
        Violation::DepartureBeforeShift { .. }
    );

    let mut d = data();
    d.staff[1].max_overtime = Some(10.0);
    assert_violation!(violations(d, &plan()), Violation::ReturnsTooLate { latest, .. } if *latest == 210.0);
}

#[test]
fn synchronisation_links_and_counts_are_enforced() {
    let mut p = plan();
    p.routes[1].stops[0].start = 195.0;
    p.routes[1].stops[0].end = 210.0;
    assert_violation!(violations(data(), &p), Violation::NotSynchronised { .. });

    let mut p = plan();
    p.routes.pop();
    assert_violation!(
        violations(data(), &p),
        Violation::WrongStaffCount {
            performed: 1,
            needed: 2,
            ..
        }
    );

    let mut d = data();
    d.links[0].gap = Some(Gap {
        min: 100.0,
        max: None,
    });
    assert_violation!(violations(d, &plan()), Violation::GapViolated { gap, .. } if *gap == 65.0);

    let mut d = data();
    d.links[0].gap = Some(Gap {
        min: 0.0,
        max: Some(60.0),
    });
    assert_violation!(violations(d, &plan()), Violation::GapViolated { .. });

    let mut d = data();
    d.links.push(Link {
        first: VisitIdx(1),
        second: VisitIdx(2),
        gap: None,
        distinct_staff: true,
        all_or_none: false,
    });
    assert_violation!(violations(d, &plan()), Violation::SameStaffOnLink { staff, .. } if staff == "s0");

    let mut d = data();
    d.links.push(Link {
        first: VisitIdx(0),
        second: VisitIdx(3),
        gap: None,
        distinct_staff: false,
        all_or_none: true,
    });
    assert_violation!(violations(d, &plan()), Violation::PartiallyAssigned { .. });
}

#[test]
fn capacity_and_accounting_are_enforced() {
    let mut d = data();
    d.staff[0].capacity = Some(1);
    assert_violation!(
        violations(d, &plan()),
        Violation::OverCapacity {
            load: 2,
            capacity: 1,
            ..
        }
    );

    let mut p = plan();
    p.unassigned.clear();
    assert_violation!(violations(data(), &p), Violation::VisitMissing { visit } if visit == "a-optional");

    let mut p = plan();
    p.unassigned.push(Unassigned {
        visit: VisitIdx(0),
        reason: UnassignedReason::NoRoomFound,
    });
    assert_violation!(violations(data(), &p), Violation::VisitListedTwice { .. });

    let mut p = plan();
    p.routes.push(Route {
        staff: StaffIdx(0),
        departure: 0.0,
        stops: vec![],
    });
    assert_violation!(violations(data(), &p), Violation::DuplicateRoute { .. });

    let mut p = plan();
    p.routes.push(Route {
        staff: StaffIdx(7),
        departure: 0.0,
        stops: vec![],
    });
    assert_violation!(violations(data(), &p), Violation::UnknownStaff { .. });
}

#[test]
fn breaks_are_checked_and_priced() {
    let mut d = data();
    d.staff[0].break_rule.as_mut().expect("rule").window.start = 130.0;
    assert_violation!(violations(d, &plan()), Violation::BreakOutsideWindow { .. });

    let mut p = plan();
    p.routes[0].stops[1].end = 150.0;
    assert_violation!(violations(data(), &p), Violation::TooShort { stop: 1, .. });

    let mut p = plan();
    p.routes[1]
        .stops
        .insert(0, Stop::rest(LocIdx(0), 150.0, 180.0));
    assert_violation!(violations(data(), &p), Violation::UnexpectedBreak { staff } if staff == "s1");

    // Without the break: a missed optional break is priced, a missed mandatory one is not allowed.
    let mut p = plan();
    p.routes[0].stops.remove(1);
    let report = validate(&problem(data()), &p);
    assert!(report.is_feasible(), "{:?}", report.violations);
    assert_eq!(report.cost.raw.missed_break, 1.0);
    let mut d = data();
    d.staff[0].break_rule.as_mut().expect("rule").mandatory = true;
    assert_violation!(violations(d, &p), Violation::MissingBreak { .. });
    // The rule applies only to shifts longer than its threshold.
    let mut d = data();
    d.staff[0]
        .break_rule
        .as_mut()
        .expect("rule")
        .min_shift_length = 480.0;
    d.staff[0].break_rule.as_mut().expect("rule").mandatory = true;
    assert!(violations(d, &p).is_empty());
}

#[test]
fn wait_after_a_leading_break_follows_the_objective_rule() {
    let mut p = plan();
    // s1 takes a break first at c, then waits for the two-person visit.
    let mut d = data();
    d.staff[1].break_rule = d.staff[0].break_rule;
    p.routes[1].departure = 100.0;
    p.routes[1]
        .stops
        .insert(0, Stop::rest(LocIdx(3), 120.0, 150.0));
    let counted = validate(&problem(d.clone()), &p);
    assert!(counted.is_feasible(), "{:?}", counted.violations);
    d.objective.count_wait_after_leading_break = false;
    let not_counted = validate(&problem(d), &p);
    assert_eq!(
        counted.cost.raw.waiting - not_counted.cost.raw.waiting,
        40.0,
        "190 − 150"
    );
    assert_eq!(
        counted.cost.raw.max_idle, not_counted.cost.raw.max_idle,
        "idle counts it either way"
    );
}

#[test]
fn hierarchical_objective_ranks_vehicles_first() {
    let mut d = data();
    d.objective.minimise_vehicles_first = true;
    let pr = problem(d);
    let two = validate(&pr, &plan()).cost;
    let mut fewer = two;
    fewer.vehicles_used = 1;
    fewer.total = two.total + 1e6;
    assert_eq!(fewer.cmp_key(&two), std::cmp::Ordering::Less);
}

//! A day of a small hand-made district as an engine problem, solved, validated and mapped
//! back to visits.

use jiff::civil::{date, time, Date, Time};
use jiff::Timestamp;
use nabo_domain::time::civil;
use nabo_domain::{
    Absence, AbsenceKind, Citizen, Dataset, Employee, EmployeeId, GeoPoint, Profession,
    Qualification, Recurrence, RecurringVisit, Shift, Team, TravelMode, Visit, VisitStatus,
    Weekday, Weekdays,
};
use nabo_engine::solver::{solve, SolveOptions};
use nabo_engine::validate::validate;
use nabo_engine::{Plan, Route, SkillSet, StaffIdx, Stop, UnassignedReason};
use nabo_planning::day::{
    apply_plan, day_locations, day_problem, DayConfig, DayError, DayInput, DayProblem, RecentVisit,
    RecurringExpansion, Travel,
};
use nabo_planning::travel::TravelMatrix;
use std::time::Duration;

const WEDNESDAY: Date = Date::constant(2026, 11, 25);
const BASE_NORTH: GeoPoint = GeoPoint {
    lat: 55.2466,
    lon: 9.3066,
};
const BASE_SOUTH: GeoPoint = GeoPoint {
    lat: 55.2300,
    lon: 9.3100,
};

fn team(id: &str, base: GeoPoint) -> Team {
    Team {
        id: id.into(),
        district_id: "vojens".into(),
        name: format!("Team {id}"),
        base,
    }
}

fn employee(id: &str, profession: Profession, team: &str) -> Employee {
    Employee {
        id: id.into(),
        name: format!("Medarbejder {id}"),
        profession,
        extra_qualifications: vec![],
        home_team: team.into(),
        contract_hours: 37.0,
        phone: None,
        travel_mode: TravelMode::Car,
    }
}

fn citizen(id: &str, team: &str, lat: f64, lon: f64) -> Citizen {
    Citizen {
        id: id.into(),
        name: format!("Borger {id}"),
        address: format!("Vej {id}, 6500 Vojens"),
        location: GeoPoint::new(lat, lon),
        team_id: team.into(),
        key_information: String::new(),
        contacts: vec![],
        preferred_staff: vec![],
        refused_staff: vec![],
    }
}

fn shift(employee: &str, day: Date, start: Time, end: Time) -> Shift {
    Shift {
        id: format!("s-{employee}-{}", day.strftime("%Y%m%d"))
            .as_str()
            .into(),
        employee_id: employee.into(),
        date: day,
        start,
        end,
        start_location: None,
        end_location: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn visit(
    id: &str,
    citizen: &str,
    day: Date,
    window: (Time, Time),
    minutes: u32,
    qualification: Qualification,
    staff: u8,
    fixed: bool,
) -> Visit {
    Visit {
        id: id.into(),
        citizen_id: citizen.into(),
        recurring_visit_id: None,
        date: day,
        window_start: window.0,
        window_end: window.1,
        fixed_time: fixed,
        fixed_time_reason: fixed.then(|| "medicin".to_owned()),
        duration_minutes: minutes,
        required_qualification: qualification,
        staff_count: staff,
        tasks: "Pleje".into(),
        grant_id: None,
        planned_employees: vec![],
        planned_start: None,
        status: VisitStatus::Planned,
        cancel_reason: None,
    }
}

fn t(h: i8, m: i8) -> Time {
    time(h, m, 0, 0)
}

/// Two teams, seven staff (one of them sick), six citizens (two share a home), ten visits
/// on `day`: a two-person visit, medicine at fixed times, a nurse's task, a therapist's.
fn district(day: Date) -> Dataset {
    use Profession::*;
    use Qualification as Q;
    let mut c1 = citizen("c1", "north", 55.2500, 9.3000);
    c1.refused_staff = vec!["e2".into()];
    let mut c2 = citizen("c2", "north", 55.2550, 9.3150);
    c2.preferred_staff = vec!["e3".into()];
    let c5 = citizen("c5", "north", 55.2500, 9.3000); // lives with c1
    let mut visits = vec![
        visit(
            "v1",
            "c1",
            day,
            (t(7, 30), t(9, 0)),
            30,
            Q::CareHelper,
            1,
            false,
        ),
        visit(
            "v2",
            "c1",
            day,
            (t(12, 0), t(12, 15)),
            10,
            Q::CareAssistant,
            1,
            true,
        ),
        visit(
            "v3",
            "c2",
            day,
            (t(8, 0), t(10, 0)),
            25,
            Q::CareHelper,
            1,
            false,
        ),
        visit(
            "v4",
            "c3",
            day,
            (t(9, 0), t(10, 0)),
            45,
            Q::CareHelper,
            2,
            false,
        ),
        visit("v5", "c4", day, (t(8, 0), t(11, 0)), 20, Q::Nurse, 1, false),
        visit(
            "v6",
            "c5",
            day,
            (t(7, 30), t(9, 30)),
            20,
            Q::Unskilled,
            1,
            false,
        ),
        visit(
            "v7",
            "c6",
            day,
            (t(10, 0), t(14, 0)),
            45,
            Q::Physiotherapy,
            1,
            false,
        ),
        visit(
            "v8",
            "c3",
            day,
            (t(12, 0), t(13, 0)),
            30,
            Q::CareHelper,
            1,
            false,
        ),
        visit(
            "v9",
            "c4",
            day,
            (t(8, 0), t(8, 15)),
            10,
            Q::CareAssistant,
            1,
            true,
        ),
        visit(
            "v10",
            "c6",
            day,
            (t(11, 0), t(13, 30)),
            15,
            Q::CareHelper,
            1,
            false,
        ),
    ];
    // A cancelled visit is not planned.
    let mut cancelled = visit(
        "v11",
        "c2",
        day,
        (t(13, 0), t(14, 0)),
        15,
        Q::Unskilled,
        1,
        false,
    );
    cancelled.status = VisitStatus::Cancelled;
    cancelled.cancel_reason = Some("på sygehus".into());
    visits.push(cancelled);
    let day_shift = |e: &str| shift(e, day, t(7, 0), t(15, 0));
    Dataset {
        teams: vec![team("north", BASE_NORTH), team("south", BASE_SOUTH)],
        employees: vec![
            employee("e1", Nurse, "north"),
            employee("e2", CareHelper, "north"),
            employee("e3", CareAssistant, "north"),
            employee("e4", Physiotherapist, "north"),
            employee("e5", CareHelper, "south"),
            employee("e6", Unskilled, "north"),
            employee("e7", CareHelper, "south"),
        ],
        citizens: vec![
            c1,
            c2,
            citizen("c3", "north", 55.2400, 9.2950),
            citizen("c4", "south", 55.2280, 9.3200),
            c5,
            citizen("c6", "south", 55.2250, 9.3050),
        ],
        visits,
        shifts: vec![
            day_shift("e1"),
            day_shift("e2"),
            day_shift("e3"),
            day_shift("e4"),
            day_shift("e5"),
            day_shift("e6"),
            day_shift("e7"),
        ],
        absences: vec![Absence {
            id: "a1".into(),
            employee_id: "e6".into(),
            from: day.yesterday().expect("date"),
            to: day.tomorrow().expect("date"),
            kind: AbsenceKind::Sick,
        }],
        ..Dataset::default()
    }
}

fn build(ds: &Dataset, day: Date) -> DayProblem {
    day_problem(&DayInput::from_dataset(ds, day), &DayConfig::default()).expect("day problem")
}

fn solved(day: &DayProblem) -> Plan {
    let options = SolveOptions {
        time_limit: Duration::from_secs(20),
        max_iterations: Some(3000),
        ..SolveOptions::default()
    };
    solve(&day.problem, &options, &mut |_| {})
}

fn local(at: Timestamp) -> Time {
    civil(at).time()
}

#[test]
fn the_day_becomes_a_valid_engine_problem_without_the_sick_and_the_cancelled() {
    let ds = district(WEDNESDAY);
    let day = build(&ds, WEDNESDAY);
    let p = &day.problem;
    assert_eq!(day.horizon_minutes, 24 * 60);
    // e6 is sick: six staff; v11 is cancelled: ten visits.
    let staff: Vec<&str> = day.staff.iter().map(|s| s.employee_id.as_str()).collect();
    assert_eq!(staff.len(), 6);
    assert!(!staff.contains(&"e6"), "{staff:?}");
    assert_eq!(p.visits().len(), 10);
    assert!(p.visit_by_id("v11").is_none());
    // Two bases and five homes (c1 and c5 share one).
    assert_eq!(p.locations().len(), 7);
    let v1 = p.visit(p.visit_by_id("v1").expect("v1"));
    let v6 = p.visit(p.visit_by_id("v6").expect("v6"));
    assert_eq!(v1.location, v6.location);
    // 07:00 is minute 420; the shift ends 15:00 sharp and the break falls mid-shift.
    let e1 = p.staff_member(p.staff_by_id("e1").expect("e1"));
    assert_eq!((e1.shift.start, e1.shift.end), (420.0, 900.0));
    assert_eq!(e1.max_overtime, Some(0.0));
    let brk = e1.break_rule.expect("break on an 8-hour shift");
    assert_eq!(brk.duration, 30.0);
    assert!(brk.window.start >= 420.0 + 120.0 && brk.window.end <= 900.0 - 120.0);
    // Medicine at 12:00 ± 15 minutes.
    let v2 = p.visit(p.visit_by_id("v2").expect("v2"));
    let fixed = v2.fixed_time.expect("fixed time");
    assert_eq!((fixed.time, fixed.tolerance), (720.0, 15.0));
    assert_eq!(v2.time_windows[0].start, 705.0);
    // The two-person visit and the citizens' wishes.
    let v4 = p.visit(p.visit_by_id("v4").expect("v4"));
    assert_eq!(v4.staff_count, 2);
    let e2 = p.staff_by_id("e2").expect("e2");
    assert_eq!(v1.refused_staff, vec![e2]);
    let v3 = p.visit(p.visit_by_id("v3").expect("v3"));
    assert_eq!(v3.preferred_staff, vec![p.staff_by_id("e3").expect("e3")]);
    // The team boundary: c4 is south's citizen, e1 north's staff.
    let v5 = p.visit(p.visit_by_id("v5").expect("v5"));
    assert_ne!(v5.team, e1.team);
    // Travel: zero within a home, a few minutes across Vojens, asymmetric allowed.
    assert_eq!(p.travel(v1.location, v6.location), 0.0);
    let across = p.travel(v1.location, v5.location);
    assert!((2.0..20.0).contains(&across), "{across}");
    assert!(day.notes.is_empty(), "{:?}", day.notes);
}

#[test]
fn skills_follow_the_care_ladder_and_keep_therapists_apart() {
    let ds = district(WEDNESDAY);
    let day = build(&ds, WEDNESDAY);
    let p = &day.problem;
    // Every (staff, visit) pair: the engine's skill check equals the domain's rule.
    for (si, s) in p.staff().iter().enumerate() {
        let e = ds
            .employees
            .iter()
            .find(|e| e.id == day.staff[si].employee_id)
            .expect("employee");
        for (vi, v) in p.visits().iter().enumerate() {
            let q = day.visits[vi].required_qualification;
            assert_eq!(
                s.skills.covers(v.required_skills),
                e.can_do(q),
                "{} ({:?}) for {:?}",
                e.id,
                e.profession,
                q
            );
        }
    }
    // All professions and extra qualifications, against every requirement.
    for profession in Profession::ALL {
        for extra in [
            None,
            Some(Qualification::CareAssistant),
            Some(Qualification::Nurse),
        ] {
            let mut e = employee("x", profession, "north");
            e.extra_qualifications = extra.into_iter().collect();
            let mut ds = district(WEDNESDAY);
            ds.employees[0] = Employee {
                id: "e1".into(),
                ..e.clone()
            };
            let day = build(&ds, WEDNESDAY);
            let s = &day.problem.staff()[day.problem.staff_by_id("e1").expect("e1").get()];
            for q in Qualification::ALL {
                let need =
                    SkillSet::single(Qualification::ALL.iter().position(|x| *x == q).expect("q"));
                assert_eq!(
                    s.skills.covers(need),
                    e.can_do(q),
                    "{profession:?}+{extra:?} for {q:?}"
                );
            }
        }
    }
}

#[test]
fn the_solved_day_passes_the_validator_and_keeps_every_rule() {
    let ds = district(WEDNESDAY);
    let day = build(&ds, WEDNESDAY);
    let plan = solved(&day);
    let report = validate(&day.problem, &plan);
    assert!(report.is_feasible(), "{:?}", report.violations);
    // Everything fits: seven staff-hours of room for ~4.5 hours of visits.
    assert!(
        report.unassigned_required.is_empty(),
        "{:?}",
        plan.unassigned
    );

    let by_id = |id: &str| {
        ds.employees
            .iter()
            .find(|e| e.id.as_str() == id)
            .expect("employee")
    };
    let assignments = apply_plan(&day, &plan);
    assert_eq!(assignments.len(), 10);
    for (a, v) in assignments.iter().zip(&day.visits) {
        assert_eq!(a.visit_id, v.id);
        assert_eq!(a.employees.len(), usize::from(v.staff_count), "{}", v.id);
        for e in &a.employees {
            assert!(
                by_id(e.as_str()).can_do(v.required_qualification),
                "{} by {e}",
                v.id
            );
            assert_ne!(e.as_str(), "e6", "the sick employee got {}", v.id);
        }
        // Back in Danish wall-clock time, inside the visit's window.
        let start = local(a.start.expect("start"));
        let end = local(a.end.expect("end"));
        let earliest = if v.fixed_time {
            v.window_start
                .saturating_sub(jiff::SignedDuration::from_mins(15))
        } else {
            v.window_start
        };
        assert!(
            start >= earliest && start <= v.window_end,
            "{} at {start}",
            v.id
        );
        assert!(end >= start, "{}", v.id);
    }
    let get = |id: &str| {
        assignments
            .iter()
            .find(|a| a.visit_id.as_str() == id)
            .expect("visit")
    };
    // c1 refuses e2.
    for id in ["v1", "v2"] {
        assert!(!get(id).employees.contains(&EmployeeId::new("e2")), "{id}");
    }
    // The two-person visit: two different qualified people.
    let v4 = get("v4");
    assert_ne!(v4.employees[0], v4.employees[1]);
    // Only e4 is a physiotherapist.
    assert_eq!(get("v7").employees, vec![EmployeeId::new("e4")]);

    // Stored back: planned employees and start on the day's visits.
    let planned = day.planned_visits(&plan);
    assert!(planned.iter().all(|v| v.planned_start.is_some()));
    assert!(planned
        .iter()
        .all(|v| v.planned_employees.len() == usize::from(v.staff_count)));
}

#[test]
fn a_trivial_plan_with_breaks_only_validates_and_maps_back_as_unassigned() {
    let ds = district(WEDNESDAY);
    let day = build(&ds, WEDNESDAY);
    let p = &day.problem;
    let routes = p
        .staff()
        .iter()
        .enumerate()
        .filter(|(_, s)| s.needs_break())
        .map(|(i, s)| {
            let w = s.break_rule.expect("rule").window;
            Route {
                staff: StaffIdx::from(i),
                departure: s.shift.start,
                stops: vec![Stop::rest(s.start_location, w.start, w.start + 30.0)],
            }
        })
        .collect();
    let plan = Plan {
        routes,
        unassigned: (0..p.visits().len())
            .map(|i| nabo_engine::Unassigned {
                visit: i.into(),
                reason: UnassignedReason::NoRoomFound,
            })
            .collect(),
    };
    let report = validate(p, &plan);
    assert!(report.is_feasible(), "{:?}", report.violations);
    // Leaving a visit out costs far more than any new face or detour.
    assert!(report.cost.total >= 10_000.0, "{}", report.cost.total);
    let back = apply_plan(&day, &plan);
    assert!(back
        .iter()
        .all(|a| a.unassigned == Some(UnassignedReason::NoRoomFound) && a.employees.is_empty()));
    // A plan that forgets visits reports them as not in the solution.
    let back = apply_plan(&day, &Plan::default());
    assert!(back
        .iter()
        .all(|a| a.unassigned == Some(UnassignedReason::NotInSolution)));
}

#[test]
fn daylight_saving_days_have_23_and_25_hours() {
    for (day, hours, seven_oclock) in [
        (date(2026, 3, 29), 23, 6 * 60),
        (date(2026, 10, 25), 25, 8 * 60),
        (date(2026, 11, 25), 24, 7 * 60),
    ] {
        let ds = district(day);
        let day_problem = build(&ds, day);
        assert_eq!(day_problem.horizon_minutes, hours * 60, "{day}");
        let p = &day_problem.problem;
        let e1 = p.staff_member(p.staff_by_id("e1").expect("e1"));
        assert_eq!(e1.shift.start, f64::from(seven_oclock), "{day}");
        // An 8-hour wall-clock shift is 8 real hours on both DST days.
        assert_eq!(e1.shift.end - e1.shift.start, 480.0, "{day}");
        // Medicine at 08:00 stays at 08:00 on the wall clock.
        let v9 = p.visit(p.visit_by_id("v9").expect("v9"));
        assert_eq!(
            v9.fixed_time.expect("fixed").time,
            f64::from(seven_oclock + 60)
        );
        let plan = solved(&day_problem);
        let report = validate(p, &plan);
        assert!(report.is_feasible(), "{day}: {:?}", report.violations);
        let a = apply_plan(&day_problem, &plan);
        let v9 = a.iter().find(|a| a.visit_id.as_str() == "v9").expect("v9");
        let start = local(v9.start.expect("v9 planned"));
        assert!((t(7, 45)..=t(8, 15)).contains(&start), "{day}: {start}");
    }
}

#[test]
fn recurring_visits_are_expanded_when_the_day_has_no_dated_visits() {
    let mut ds = district(WEDNESDAY);
    ds.visits.clear();
    let every_other_wednesday = RecurringVisit {
        id: "rv1".into(),
        citizen_id: "c2".into(),
        recurrence: Recurrence {
            weekdays: [Weekday::Wed].into_iter().collect(),
            every_nth_week: 2,
            starts_on: date(2026, 11, 2),
            ends_on: None,
        },
        window_start: t(9, 0),
        window_end: t(13, 0),
        fixed_time: false,
        fixed_time_reason: None,
        duration_minutes: 60,
        required_qualification: Qualification::Unskilled,
        staff_count: 1,
        tasks: "Rengøring".into(),
        grant_id: None,
    };
    let daily = RecurringVisit {
        id: "rv2".into(),
        citizen_id: "c3".into(),
        recurrence: Recurrence {
            weekdays: Weekdays::EVERY_DAY,
            every_nth_week: 1,
            starts_on: date(2026, 1, 1),
            ends_on: None,
        },
        ..every_other_wednesday.clone()
    };
    ds.recurring_visits = vec![every_other_wednesday, daily];
    // 2026-11-18 is an "on" Wednesday, 2026-11-25 an "off" one.
    let on = build(&ds, date(2026, 11, 18));
    let ids: Vec<&str> = on.visits.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["rv1.20261118", "rv2.20261118"]);
    assert!(on.visits.iter().all(|v| v.status == VisitStatus::Planned));
    let off = build(&ds, WEDNESDAY);
    let ids: Vec<&str> = off.visits.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["rv2.20261125"]);

    // Once the day has dated visits, they are the truth.
    let mut dated = Visit::from_recurring("kept".into(), &ds.recurring_visits[1], WEDNESDAY);
    dated.window_start = t(10, 0);
    ds.visits.push(dated);
    let day = build(&ds, WEDNESDAY);
    let ids: Vec<&str> = day.visits.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["kept"]);
    let config = DayConfig {
        expand_recurring: RecurringExpansion::Always,
        ..DayConfig::default()
    };
    let day = day_problem(&DayInput::from_dataset(&ds, date(2026, 11, 18)), &config).expect("day");
    assert_eq!(day.visits.len(), 2);
}

#[test]
fn continuity_history_covers_the_last_fourteen_days() {
    let mut ds = district(WEDNESDAY);
    let mut past = |citizen: &str, employee: &str, days_ago: i64| {
        let day = WEDNESDAY
            .checked_sub(jiff::Span::new().days(days_ago))
            .expect("date");
        let mut v = visit(
            &format!("old-{citizen}-{employee}-{days_ago}"),
            citizen,
            day,
            (t(8, 0), t(9, 0)),
            20,
            Qualification::CareHelper,
            1,
            false,
        );
        v.planned_employees = vec![employee.into()];
        v.status = VisitStatus::Done;
        ds.visits.push(v);
    };
    past("c2", "e3", 1);
    past("c2", "e5", 14);
    past("c2", "e1", 15); // too long ago
    past("c3", "e6", 2); // sick today: no staff member to remember
    let extra = [RecentVisit {
        citizen_id: "c4".into(),
        employee_id: "e7".into(),
        date: WEDNESDAY.yesterday().expect("date"),
    }];
    let input = DayInput {
        history: &extra,
        ..DayInput::from_dataset(&ds, WEDNESDAY)
    };
    let day = day_problem(&input, &DayConfig::default()).expect("day");
    let p = &day.problem;
    let recent = |c: &str| -> Vec<String> {
        let ci = p
            .citizens()
            .iter()
            .find(|x| x.id == c)
            .expect("citizen with visits");
        ci.recent_staff
            .iter()
            .map(|s| p.staff_member(*s).id.clone())
            .collect()
    };
    assert_eq!(recent("c2"), ["e3", "e5"]);
    assert!(recent("c3").is_empty());
    assert_eq!(recent("c4"), ["e7"]);
    // The old visits are history, not today's work.
    assert_eq!(p.visits().len(), 10);
    // With weights favouring continuity, c2's visit goes to a known face.
    let plan = solved(&day);
    assert!(validate(p, &plan).is_feasible());
    let v3 = apply_plan(&day, &plan)
        .into_iter()
        .find(|a| a.visit_id.as_str() == "v3")
        .expect("v3");
    assert!(
        v3.employees == [EmployeeId::new("e3")] || v3.employees == [EmployeeId::new("e5")],
        "{:?}",
        v3.employees
    );
}

#[test]
fn a_started_visit_stays_with_its_staff_and_start() {
    let mut ds = district(WEDNESDAY);
    let started = nabo_domain::time::instant(WEDNESDAY, t(7, 40));
    let v1 = ds
        .visits
        .iter_mut()
        .find(|v| v.id.as_str() == "v1")
        .expect("v1");
    v1.status = VisitStatus::Started;
    v1.planned_employees = vec!["e5".into()];
    v1.planned_start = Some(started);
    let day = build(&ds, WEDNESDAY);
    let p = &day.problem;
    let ev = p.visit(p.visit_by_id("v1").expect("v1"));
    assert_eq!(ev.pinned_staff, vec![p.staff_by_id("e5").expect("e5")]);
    assert_eq!(ev.pinned_start, Some(460.0));
    let plan = solved(&day);
    assert!(validate(p, &plan).is_feasible());
    let a = apply_plan(&day, &plan)
        .into_iter()
        .find(|a| a.visit_id.as_str() == "v1")
        .expect("v1");
    assert_eq!(a.employees, vec![EmployeeId::new("e5")]);
    assert_eq!(a.start, Some(started));
}

#[test]
fn travel_comes_from_the_given_provider_or_matrix() {
    let ds = district(WEDNESDAY);
    let config = DayConfig::default();
    let input = DayInput::from_dataset(&ds, WEDNESDAY);
    let points = day_locations(&input, &config).expect("locations");
    assert_eq!(points.len(), 7);
    // Ten minutes between any two places.
    let flat = |pts: &[GeoPoint], _mode: TravelMode| -> Result<TravelMatrix, String> {
        let n = pts.len();
        Ok(TravelMatrix {
            rows: n,
            cols: n,
            seconds: (0..n * n)
                .map(|k| if k / n == k % n { 0 } else { 600 })
                .collect(),
            metres: vec![1000; n * n],
        })
    };
    let day = day_problem(
        &DayInput {
            travel: Travel::Provider(&flat),
            ..input
        },
        &config,
    )
    .expect("day");
    let p = &day.problem;
    let (a, b) = (p.visits()[0].location, p.visits()[4].location);
    if a != b {
        assert_eq!(p.travel(a, b), 10.0);
    }
    // A matrix for the wrong places is refused with what to do.
    let small = flat(&points[..3], TravelMode::Car).expect("matrix");
    let given = [(TravelMode::Car, small)];
    let err = day_problem(
        &DayInput {
            travel: Travel::Matrices(&given),
            ..input
        },
        &config,
    )
    .expect_err("wrong size");
    assert!(
        matches!(
            err,
            DayError::MatrixSize {
                expected: 7,
                found: 3,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("day_locations"), "{err}");
    let failing = |_: &[GeoPoint], _: TravelMode| -> Result<TravelMatrix, String> {
        Err("router down".into())
    };
    let err = day_problem(
        &DayInput {
            travel: Travel::Provider(&failing),
            ..input
        },
        &config,
    )
    .expect_err("provider fails");
    assert!(err.to_string().contains("router down"), "{err}");
}

#[test]
fn cyclists_are_noted_and_broken_references_named() {
    let mut ds = district(WEDNESDAY);
    ds.employees[1].travel_mode = TravelMode::Bike;
    let day = build(&ds, WEDNESDAY);
    assert_eq!(day.notes.len(), 1);
    assert!(
        day.notes[0].contains("1 of 6 staff travel by bike"),
        "{:?}",
        day.notes
    );

    ds.visits[0].citizen_id = "c99".into();
    let err = day_problem(
        &DayInput::from_dataset(&ds, WEDNESDAY),
        &DayConfig::default(),
    )
    .expect_err("unknown citizen");
    assert!(matches!(err, DayError::UnknownCitizen { .. }));
    assert!(
        err.to_string().contains("visit v1: citizen_id 'c99'"),
        "{err}"
    );

    let mut ds = district(WEDNESDAY);
    ds.shifts[0].employee_id = "e99".into();
    let err = day_problem(
        &DayInput::from_dataset(&ds, WEDNESDAY),
        &DayConfig::default(),
    )
    .expect_err("unknown employee");
    assert!(err.to_string().contains("employee_id 'e99'"), "{err}");
}

#[test]
fn one_team_can_be_planned_alone() {
    let ds = district(WEDNESDAY);
    let config = DayConfig {
        teams: Some(vec!["south".into()]),
        ..DayConfig::default()
    };
    let day = day_problem(&DayInput::from_dataset(&ds, WEDNESDAY), &config).expect("day");
    let staff: Vec<&str> = day.staff.iter().map(|s| s.employee_id.as_str()).collect();
    assert_eq!(staff, ["e5", "e7"]);
    let citizens: Vec<&str> = day.visits.iter().map(|v| v.citizen_id.as_str()).collect();
    assert!(
        citizens.iter().all(|c| ["c4", "c6"].contains(c)),
        "{citizens:?}"
    );
    assert_eq!(day.problem.teams().len(), 1);
}

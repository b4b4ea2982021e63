//! The demo district: deterministic, valid, and shaped like the Vojens figures.

use jiff::civil::date;
use nabo_domain::dataset::KnownIds;
use nabo_domain::{LegalBasis, Qualification, ServiceCategory, Validate, VisitStatus, Weekday};
use nabo_planning::demo::{figures, generate, DemoConfig, MAX_VISITS_PER_DAY, VOJENS};
use std::collections::{BTreeMap, HashMap, HashSet};

fn vojens() -> nabo_domain::Dataset {
    generate(&DemoConfig::default())
}

#[test]
fn the_same_seed_gives_the_same_district_and_another_seed_another() {
    let a = vojens();
    let b = vojens();
    assert_eq!(a, b);
    let c = generate(&DemoConfig {
        seed: 7,
        ..DemoConfig::default()
    });
    assert_ne!(a.citizens, c.citizens);
}

#[test]
fn the_default_demo_is_the_vojens_district_and_passes_the_import_check() {
    let ds = vojens();
    let errors = ds.check(&KnownIds::default());
    assert!(errors.is_empty(), "{:?}", &errors[..errors.len().min(5)]);
    let f = figures(&ds);
    assert_eq!(f.citizens, 352);
    assert_eq!(ds.organisations[0].name, "Haderslev Kommune");
    assert_eq!(f.districts, 1);
    assert_eq!(ds.districts[0].name, "Vojens");
    assert_eq!(f.teams, 5);
    assert!((90..=110).contains(&f.employees), "{}", f.employees);
    assert!(f.max_km_from_vojens <= 15.0, "{}", f.max_km_from_vojens);
    let brief_centre = nabo_domain::GeoPoint::new(55.25, 9.30);
    assert!(ds
        .citizens
        .iter()
        .all(|c| c.location.distance_m(&brief_centre) <= 15_000.0));
    assert!(
        (1.5..=4.0).contains(&f.visits_per_citizen_day),
        "{}",
        f.visits_per_citizen_day
    );
    assert_eq!(f.min_visits_citizen_day, 1);
    assert_eq!(f.max_visits_citizen_day, MAX_VISITS_PER_DAY);
    assert!(
        (0.02..=0.045).contains(&f.two_person_share),
        "{}",
        f.two_person_share
    );
    assert!(f.night_shifts > 0 && f.night_shifts < f.evening_shifts);
    // Staff are busy but not over-booked: visits take 45-70 % of shift time (the
    // morning rush sizes the day shift; the afternoon has room for indirect time).
    let busy = f.visit_staff_hours_per_day / f.shift_hours_per_day;
    assert!((0.45..=0.7).contains(&busy), "{busy}");
}

#[test]
fn every_citizen_has_between_one_and_six_visits_every_day() {
    let ds = vojens();
    let mut per: HashMap<(&str, jiff::civil::Date), usize> = HashMap::new();
    for v in &ds.visits {
        *per.entry((v.citizen_id.as_str(), v.date)).or_default() += 1;
        assert_eq!(v.status, VisitStatus::Planned);
    }
    for c in &ds.citizens {
        for d in 0..14 {
            let day = date(2026, 11, 30)
                .checked_add(jiff::Span::new().days(d))
                .unwrap();
            let n = per.get(&(c.id.as_str(), day)).copied().unwrap_or(0);
            assert!((1..=6).contains(&n), "{} has {n} visits on {day}", c.id);
        }
    }
}

#[test]
fn a_municipality_of_1400_citizens_spreads_over_six_districts() {
    let ds = generate(&DemoConfig {
        citizens: 1400,
        ..DemoConfig::default()
    });
    assert!(ds.check(&KnownIds::default()).is_empty());
    let f = figures(&ds);
    assert_eq!(f.teams, 20);
    assert_eq!(f.districts, 6);
    assert!((370..=420).contains(&f.employees), "{}", f.employees);
    assert!((0.04..=0.08).contains(&f.sick_share), "{}", f.sick_share);
    // Haderslev town is ~12 km east of Vojens and Gram ~16 km west.
    assert!(f.max_km_from_vojens < 22.0, "{}", f.max_km_from_vojens);
    let sizes: HashSet<usize> = ds
        .teams
        .iter()
        .map(|t| ds.citizens.iter().filter(|c| c.team_id == t.id).count())
        .collect();
    assert_eq!(sizes, HashSet::from([70]));
}

#[test]
fn grants_match_the_visits_that_draw_on_them() {
    let ds = vojens();
    let mut planned: BTreeMap<(&str, ServiceCategory), f64> = BTreeMap::new();
    for rv in &ds.recurring_visits {
        let grant = rv
            .grant_id
            .as_ref()
            .expect("every demo visit draws on a grant");
        let category = match rv.tasks.as_str() {
            t if t.starts_with("Praktisk") => ServiceCategory::PracticalHelp,
            t if t.starts_with("Hverdagsrehabilitering") => ServiceCategory::Rehabilitation,
            _ => continue,
        };
        let minutes = f64::from(rv.duration_minutes) * rv.recurrence.weekdays.len() as f64
            / f64::from(rv.recurrence.every_nth_week);
        *planned.entry((grant.as_str(), category)).or_default() += minutes / 60.0;
    }
    assert!(planned.len() > 50);
    for g in &ds.grants {
        assert!(g.validate().is_empty());
        for h in &g.hours {
            if let Some(p) = planned.get(&(g.id.as_str(), h.category)) {
                let diff = (h.hours_per_week - p).abs();
                assert!(
                    diff <= p * 0.12 + 0.125,
                    "{} {:?}: {} vs {p}",
                    g.id,
                    h.category,
                    h.hours_per_week
                );
            }
        }
        match g.legal_basis {
            LegalBasis::Sel83a => assert!(g.valid_to.is_some(), "a course ends"),
            LegalBasis::Sel83 => assert!(g.function_assessment.iter().all(|a| a.score <= 4)),
            LegalBasis::Sul138 => {}
        }
    }
}

#[test]
fn the_daily_rhythm_has_fixed_time_medicine_practical_help_and_training() {
    let ds = vojens();
    let medicine = ds
        .recurring_visits
        .iter()
        .filter(|r| r.fixed_time && r.fixed_time_reason.as_deref() == Some("medicin"))
        .count();
    assert!(medicine > 100, "{medicine}");
    let help = ds
        .recurring_visits
        .iter()
        .filter(|r| r.tasks.starts_with("Praktisk"))
        .collect::<Vec<_>>();
    assert!(help.len() > 100);
    assert!(help.iter().all(|r| r.recurrence.every_nth_week == 2));
    let training: Vec<_> = ds
        .recurring_visits
        .iter()
        .filter(|r| r.required_qualification.care_level().is_none())
        .collect();
    assert!(training.len() > 15, "{}", training.len());
    for r in &training {
        assert!(r.recurrence.ends_on.is_some());
        assert!((2..=3).contains(&r.recurrence.weekdays.len()));
        assert!(!r.recurrence.weekdays.contains(Weekday::Sun));
    }
    let nursing = ds
        .recurring_visits
        .iter()
        .filter(|r| r.required_qualification == Qualification::Nurse)
        .count();
    assert!(nursing > 5);
    // Some citizens have wishes about who comes.
    assert!(ds.citizens.iter().any(|c| !c.preferred_staff.is_empty()));
    assert!(ds.citizens.iter().any(|c| !c.refused_staff.is_empty()));
    assert!(
        ds.citizens
            .iter()
            .filter(|c| !c.contacts.is_empty())
            .count()
            > 250
    );
    // Nobody has two spouses; couples name each other.
    for c in &ds.citizens {
        let spouses = c
            .contacts
            .iter()
            .filter(|k| k.relation.starts_with("ægtefælle"))
            .count();
        assert!(spouses <= 1, "{} {:?}", c.id, c.contacts);
    }
    assert!(ds.citizens.iter().any(|c| c
        .contacts
        .iter()
        .any(|k| k.relation == "ægtefælle (også borger)")));
    // Addresses name their post town.
    assert!(ds.citizens.iter().all(|c| c.address.contains(", 65")));
    let near_vojens = ds
        .citizens
        .iter()
        .filter(|c| c.location.distance_m(&VOJENS) < 2_500.0)
        .count();
    assert!(
        near_vojens > 352 / 2,
        "most live in Vojens town: {near_vojens}"
    );
}

#[test]
fn shifts_cover_every_day_and_nobody_works_while_absent() {
    let ds = vojens();
    let team_of: HashMap<_, _> = ds
        .employees
        .iter()
        .map(|e| (e.id.clone(), e.home_team.clone()))
        .collect();
    let mut seen = HashSet::new();
    let mut day_evening: HashSet<(String, jiff::civil::Date, bool)> = HashSet::new();
    for s in &ds.shifts {
        assert!(
            seen.insert((s.employee_id.clone(), s.date)),
            "two shifts one day"
        );
        assert!(
            !ds.absences
                .iter()
                .any(|a| a.employee_id == s.employee_id && a.covers(s.date)),
            "{} works on {} while absent",
            s.employee_id,
            s.date
        );
        assert!(s.validate().is_empty());
        day_evening.insert((
            team_of[&s.employee_id].to_string(),
            s.date,
            s.start.hour() == 7,
        ));
    }
    for t in &ds.teams {
        for d in 0..14 {
            let day = date(2026, 11, 30)
                .checked_add(jiff::Span::new().days(d))
                .unwrap();
            for morning in [true, false] {
                assert!(
                    day_evening.contains(&(t.id.to_string(), day, morning)),
                    "{} has no {} shift on {day}",
                    t.id,
                    if morning { "day" } else { "evening" }
                );
            }
        }
    }
    // Full-timers work about their contract: no one more than 6 shifts a week on average.
    let per_employee = ds.shifts.len() as f64 / ds.employees.len() as f64 / 2.0;
    assert!((3.0..=5.5).contains(&per_employee), "{per_employee}");
}

#[test]
fn a_tiny_demo_still_makes_a_valid_team() {
    let ds = generate(&DemoConfig {
        citizens: 12,
        days: 3,
        ..DemoConfig::default()
    });
    assert!(ds.check(&KnownIds::default()).is_empty());
    assert_eq!(ds.teams.len(), 1);
    assert_eq!(ds.citizens.len(), 12);
    assert!(ds.employees.len() >= 4);
    let empty = generate(&DemoConfig {
        citizens: 0,
        days: 0,
        ..DemoConfig::default()
    });
    assert!(empty.check(&KnownIds::default()).is_empty());
    assert!(empty.citizens.is_empty() && empty.visits.is_empty());
}

#[test]
fn the_greedy_first_plan_keeps_the_rules_and_favours_continuity() {
    use nabo_domain::time::civil;
    use nabo_planning::demo::assign_by_continuity;
    let mut ds = vojens();
    let report = assign_by_continuity(&mut ds);
    assert!(ds.check(&KnownIds::default()).is_empty());
    let total = ds.visits.len();
    assert_eq!(report.assigned + report.unassigned, total);
    // A greedy fills ~80 % of the demo; the peaks need the engine.
    assert!(report.assigned * 100 >= total * 75, "{report:?} of {total}");
    let employees: HashMap<_, _> = ds.employees.iter().map(|e| (e.id.clone(), e)).collect();
    let citizens: HashMap<_, _> = ds.citizens.iter().map(|c| (c.id.clone(), c)).collect();
    let shifts: HashSet<_> = ds
        .shifts
        .iter()
        .map(|s| (s.employee_id.clone(), s.date))
        .collect();
    let mut busy: HashMap<_, Vec<(jiff::civil::Time, u32)>> = HashMap::new();
    for v in ds.visits.iter().filter(|v| !v.planned_employees.is_empty()) {
        assert_eq!(v.planned_employees.len(), usize::from(v.staff_count));
        let start = civil(v.planned_start.expect("a planned start")).time();
        assert!(v.window_start <= start && start <= v.window_end, "{}", v.id);
        for e in &v.planned_employees {
            let emp = employees[e];
            assert!(emp.can_do(v.required_qualification), "{} {}", v.id, e);
            assert!(!citizens[&v.citizen_id].refused_staff.contains(e));
            assert!(
                shifts.contains(&(e.clone(), v.date)),
                "{e} not on shift {}",
                v.date
            );
            busy.entry((e.clone(), v.date))
                .or_default()
                .push((start, v.duration_minutes));
        }
    }
    for list in busy.values_mut() {
        list.sort();
        for w in list.windows(2) {
            let end = w[0]
                .0
                .checked_add(jiff::Span::new().minutes(i64::from(w[0].1)));
            assert!(end.expect("same day") <= w[1].0, "overlap {w:?}");
        }
    }
    // Continuity: few different staff per citizen over the 14 days (the pilot's 7.1).
    let mut staff_per: HashMap<_, HashSet<_>> = HashMap::new();
    for v in &ds.visits {
        for e in &v.planned_employees {
            staff_per
                .entry(v.citizen_id.clone())
                .or_default()
                .insert(e.clone());
        }
    }
    let mean = staff_per.values().map(HashSet::len).sum::<usize>() as f64 / staff_per.len() as f64;
    assert!(mean < 8.2, "{mean} unique staff per citizen in 14 days");
}

//! A small district with one of everything, including the awkward cases: a two-person
//! visit, a cancelled visit, a night shift over the autumn DST change, a time with
//! seconds, optional fields set and unset. Every collection is already in id order, as
//! an export returns it.

use jiff::civil::{date, time};
use nabo_domain::dataset::DATASET_FORMAT;
use nabo_domain::*;

/// An empty dataset in the current format, to fill with a few records.
pub fn partial() -> Dataset {
    Dataset {
        format: DATASET_FORMAT.into(),
        ..Dataset::default()
    }
}

pub fn team(id: &str, name: &str) -> Team {
    Team {
        id: id.into(),
        district_id: "vojens".into(),
        name: name.into(),
        base: GeoPoint::new(55.2466, 9.3066),
    }
}

pub fn employee(id: &str, name: &str, team: &str) -> Employee {
    Employee {
        id: id.into(),
        name: name.into(),
        profession: Profession::CareHelper,
        extra_qualifications: vec![],
        home_team: team.into(),
        contract_hours: 32.0,
        phone: None,
        travel_mode: TravelMode::Car,
    }
}

pub fn citizen(id: &str, name: &str, team: &str, at: GeoPoint) -> Citizen {
    Citizen {
        id: id.into(),
        name: name.into(),
        address: format!("{name}s vej 1, 6500 Vojens"),
        location: at,
        team_id: team.into(),
        key_information: String::new(),
        contacts: vec![],
        preferred_staff: vec![],
        refused_staff: vec![],
    }
}

pub fn visit(id: &str, citizen: &str, on: jiff::civil::Date, from_hour: i8) -> Visit {
    Visit {
        id: id.into(),
        citizen_id: citizen.into(),
        recurring_visit_id: None,
        date: on,
        window_start: time(from_hour, 0, 0, 0),
        window_end: time(from_hour + 1, 0, 0, 0),
        fixed_time: false,
        fixed_time_reason: None,
        duration_minutes: 30,
        required_qualification: Qualification::CareHelper,
        staff_count: 1,
        tasks: "Morgenpleje".into(),
        grant_id: None,
        planned_employees: vec![],
        planned_start: None,
        status: VisitStatus::Planned,
        cancel_reason: None,
    }
}

pub fn shift(id: &str, employee: &str, on: jiff::civil::Date, start: i8, end: i8) -> Shift {
    Shift {
        id: id.into(),
        employee_id: employee.into(),
        date: on,
        start: time(start, 0, 0, 0),
        end: time(end, 0, 0, 0),
        start_location: None,
        end_location: None,
    }
}

pub fn sample() -> Dataset {
    let mut anna = employee("e1", "Anna Holm", "t1");
    anna.extra_qualifications = vec![Qualification::CareAssistant, Qualification::Physiotherapy];
    anna.phone = Some("+45 20 30 40 50".into());
    let mut bo = employee("e2", "Bo Skov", "t1");
    bo.profession = Profession::Nurse;
    bo.travel_mode = TravelMode::EBike;
    bo.contract_hours = 37.5;
    let mut cecilie = employee("e3", "Cecilie Ørum", "t2");
    cecilie.profession = Profession::OccupationalTherapist;
    cecilie.travel_mode = TravelMode::Foot;

    let mut karen = citizen("c1", "Karen Jensen", "t1", GeoPoint::new(55.24873, 9.30412));
    karen.key_information = "Nøgleboks 1234. Hund (venlig).".into();
    karen.contacts = vec![
        Contact {
            name: "Lis Jensen".into(),
            relation: "datter".into(),
            phone: Some("+45 11 22 33 44".into()),
        },
        Contact {
            name: "Ole".into(),
            relation: "nabo".into(),
            phone: None,
        },
    ];
    karen.preferred_staff = vec!["e2".into(), "e1".into()];
    karen.refused_staff = vec!["e3".into()];
    let poul = citizen("c2", "Poul Hansen", "t2", GeoPoint::new(55.2312, 9.2801));

    let grant = Grant {
        id: "g1".into(),
        citizen_id: "c1".into(),
        granted_by: "Visitator Mette".into(),
        legal_basis: LegalBasis::Sel83,
        valid_from: date(2026, 1, 1),
        valid_to: Some(date(2026, 12, 31)),
        hours: vec![
            GrantedHours {
                category: ServiceCategory::PersonalCare,
                hours_per_week: 3.5,
            },
            GrantedHours {
                category: ServiceCategory::PracticalHelp,
                hours_per_week: 0.75,
            },
        ],
        function_assessment: vec![
            FunctionAssessment {
                area: "Mobilitet".into(),
                score: 3,
            },
            FunctionAssessment {
                area: "Personlig hygiejne".into(),
                score: 2,
            },
        ],
    };
    let open_grant = Grant {
        id: "g2".into(),
        citizen_id: "c2".into(),
        granted_by: "Visitator Mette".into(),
        legal_basis: LegalBasis::Sul138,
        valid_from: date(2026, 6, 1),
        valid_to: None,
        hours: vec![GrantedHours {
            category: ServiceCategory::Nursing,
            hours_per_week: 1.0,
        }],
        function_assessment: vec![],
    };

    let medicine = RecurringVisit {
        id: "rv1".into(),
        citizen_id: "c1".into(),
        recurrence: Recurrence {
            weekdays: Weekdays::EVERY_DAY,
            every_nth_week: 1,
            starts_on: date(2026, 11, 2),
            ends_on: None,
        },
        window_start: time(8, 0, 0, 0),
        window_end: time(8, 0, 0, 0),
        fixed_time: true,
        fixed_time_reason: Some("medicin".into()),
        duration_minutes: 15,
        required_qualification: Qualification::CareAssistant,
        staff_count: 1,
        tasks: "Medicin, øjendråber".into(),
        grant_id: Some("g1".into()),
    };
    let cleaning = RecurringVisit {
        id: "rv2".into(),
        citizen_id: "c1".into(),
        recurrence: Recurrence {
            weekdays: [Weekday::Wed].into_iter().collect(),
            every_nth_week: 2,
            starts_on: date(2026, 11, 4),
            ends_on: Some(date(2027, 3, 31)),
        },
        window_start: time(10, 0, 0, 0),
        window_end: time(13, 30, 15, 0),
        fixed_time: false,
        fixed_time_reason: None,
        duration_minutes: 60,
        required_qualification: Qualification::Unskilled,
        staff_count: 2,
        tasks: "Rengøring".into(),
        grant_id: None,
    };

    let mut v1 = Visit::from_recurring("v1".into(), &medicine, date(2026, 11, 25));
    v1.planned_employees = vec!["e1".into()];
    v1.planned_start = Some("2026-11-25T07:00:00Z".parse().expect("an instant"));
    let mut v2 = Visit::from_recurring("v2".into(), &cleaning, date(2026, 11, 25));
    v2.planned_employees = vec!["e2".into(), "e1".into()];
    v2.status = VisitStatus::Done;
    let mut v3 = visit("v3", "c2", date(2026, 11, 26), 7);
    v3.status = VisitStatus::Cancelled;
    v3.cancel_reason = Some("Indlagt".into());
    v3.grant_id = Some("g2".into());
    let mut v4 = visit("v4", "c2", date(2026, 11, 25), 21);
    v4.planned_employees = vec!["e3".into()];

    // 22:00 to 06:00 over the night the clocks go back: nine real hours.
    let mut night = shift("s1", "e2", date(2026, 10, 24), 22, 6);
    night.end_location = Some(GeoPoint::new(55.25, 9.31));
    let mut day = shift("s2", "e1", date(2026, 11, 25), 7, 15);
    day.start_location = Some(GeoPoint::new(55.2466, 9.3066));
    let evening = shift("s3", "e3", date(2026, 11, 25), 15, 23);

    Dataset {
        format: DATASET_FORMAT.into(),
        organisations: vec![Organisation {
            id: "hdl".into(),
            name: "Haderslev Kommune".into(),
        }],
        districts: vec![District {
            id: "vojens".into(),
            organisation_id: "hdl".into(),
            name: "Vojens".into(),
        }],
        teams: vec![team("t1", "Team Nord"), team("t2", "Team Syd")],
        employees: vec![anna, bo, cecilie],
        citizens: vec![karen, poul],
        grants: vec![grant, open_grant],
        recurring_visits: vec![medicine, cleaning],
        visits: vec![v1, v2, v3, v4],
        shifts: vec![night, day, evening],
        absences: vec![
            Absence {
                id: "a1".into(),
                employee_id: "e1".into(),
                from: date(2026, 11, 20),
                to: date(2026, 11, 24),
                kind: AbsenceKind::Holiday,
            },
            Absence {
                id: "a2".into(),
                employee_id: "e3".into(),
                from: date(2026, 11, 26),
                to: date(2026, 11, 26),
                kind: AbsenceKind::Sick,
            },
        ],
    }
}

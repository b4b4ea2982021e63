//! Times importing and exporting a municipality-sized dataset (1,400 citizens, 400 staff,
//! 5,000 recurring visits, 20,000 visits, 12,000 shifts) and prints a table.
//!
//!     cargo run --release -p nabo-store --example import_bench [DATABASE_URL ...]
//!
//! Without URLs it uses a fresh SQLite file in the temp directory. A PostgreSQL URL must
//! name an empty database that may be wiped (the benchmark calls `clear_all`).

use jiff::civil::{date, time, Date};
use nabo_domain::dataset::DATASET_FORMAT;
use nabo_domain::*;
use nabo_store::Store;
use std::time::Instant;

const CITIZENS: usize = 1_400;
const EMPLOYEES: usize = 400;
const TEAMS: usize = 20;
const RECURRING: usize = 5_000;
const VISITS: usize = 20_000;
const SHIFTS: usize = 12_000;

/// A tiny deterministic generator; the benchmark needs variety, not statistics.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn day(n: usize) -> Date {
    let start = date(2026, 11, 2);
    start
        .checked_add(jiff::Span::new().days(i64::try_from(n).unwrap_or(0)))
        .unwrap_or(start)
}

fn municipality() -> Dataset {
    let mut r = Lcg(7);
    let teams: Vec<Team> = (0..TEAMS)
        .map(|t| Team {
            id: TeamId(format!("t{t:02}")),
            district_id: DistrictId(format!("d{}", t % 4)),
            name: format!("Team {t}"),
            base: GeoPoint::new(55.2 + t as f64 * 0.01, 9.3),
        })
        .collect();
    let employees: Vec<Employee> = (0..EMPLOYEES)
        .map(|e| Employee {
            id: EmployeeId(format!("e{e:04}")),
            name: format!("Medarbejder {e}"),
            profession: Profession::ALL[r.next(6)],
            extra_qualifications: if e % 5 == 0 {
                vec![Qualification::CareAssistant]
            } else {
                vec![]
            },
            home_team: teams[e % TEAMS].id.clone(),
            contract_hours: 30.0 + (e % 8) as f64,
            phone: Some(format!("+45 20 {:02} {:02} {:02}", e % 100, e % 37, e % 59)),
            travel_mode: TravelMode::ALL[e % 4],
        })
        .collect();
    let citizens: Vec<Citizen> = (0..CITIZENS)
        .map(|c| Citizen {
            id: CitizenId(format!("c{c:05}")),
            name: format!("Borger {c}"),
            address: format!("Vej {c}, 6500 Vojens"),
            location: GeoPoint::new(
                55.15 + r.next(2000) as f64 * 1e-4,
                9.2 + r.next(2000) as f64 * 1e-4,
            ),
            team_id: teams[c % TEAMS].id.clone(),
            key_information: "Nøgleboks".into(),
            contacts: vec![Contact {
                name: "Pårørende".into(),
                relation: "datter".into(),
                phone: None,
            }],
            preferred_staff: vec![employees[c % EMPLOYEES].id.clone()],
            refused_staff: vec![],
        })
        .collect();
    let grants: Vec<Grant> = citizens
        .iter()
        .enumerate()
        .map(|(i, c)| Grant {
            id: GrantId(format!("g{i:05}")),
            citizen_id: c.id.clone(),
            granted_by: "Visitator".into(),
            legal_basis: LegalBasis::Sel83,
            valid_from: date(2026, 1, 1),
            valid_to: None,
            hours: vec![
                GrantedHours {
                    category: ServiceCategory::PersonalCare,
                    hours_per_week: 3.0,
                },
                GrantedHours {
                    category: ServiceCategory::PracticalHelp,
                    hours_per_week: 0.5,
                },
            ],
            function_assessment: vec![FunctionAssessment {
                area: "Mobilitet".into(),
                score: 2,
            }],
        })
        .collect();
    let recurring: Vec<RecurringVisit> = (0..RECURRING)
        .map(|i| {
            let c = i % CITIZENS;
            let hour = 7 + (i / CITIZENS) as i8 * 4;
            RecurringVisit {
                id: RecurringVisitId(format!("rv{i:05}")),
                citizen_id: citizens[c].id.clone(),
                recurrence: Recurrence {
                    weekdays: Weekdays::EVERY_DAY,
                    every_nth_week: 1,
                    starts_on: date(2026, 11, 2),
                    ends_on: None,
                },
                window_start: time(hour, 0, 0, 0),
                window_end: time(hour + 1, 30, 0, 0),
                fixed_time: false,
                fixed_time_reason: None,
                duration_minutes: 20 + (i % 4) as u32 * 10,
                required_qualification: Qualification::CareHelper,
                staff_count: if i % 33 == 0 { 2 } else { 1 },
                tasks: "Personlig pleje".into(),
                grant_id: Some(grants[c].id.clone()),
            }
        })
        .collect();
    let visits: Vec<Visit> = (0..VISITS)
        .map(|i| {
            let rv = &recurring[i % RECURRING];
            let mut v = Visit::from_recurring(VisitId(format!("v{i:06}")), rv, day(i / RECURRING));
            let e = r.next(EMPLOYEES);
            v.planned_employees = vec![employees[e].id.clone()];
            if rv.staff_count == 2 {
                v.planned_employees
                    .push(employees[(e + 1) % EMPLOYEES].id.clone());
            }
            v
        })
        .collect();
    let shifts: Vec<Shift> = (0..SHIFTS)
        .map(|i| Shift {
            id: ShiftId(format!("s{i:06}")),
            employee_id: employees[i % EMPLOYEES].id.clone(),
            date: day(i / EMPLOYEES),
            start: time(if i % 3 == 0 { 15 } else { 7 }, 0, 0, 0),
            end: time(if i % 3 == 0 { 23 } else { 15 }, 0, 0, 0),
            start_location: None,
            end_location: None,
        })
        .collect();
    let absences: Vec<Absence> = (0..300)
        .map(|i| Absence {
            id: AbsenceId(format!("a{i:04}")),
            employee_id: employees[(i * 7) % EMPLOYEES].id.clone(),
            from: day(i % 30),
            to: day(i % 30 + 2),
            kind: if i % 4 == 0 {
                AbsenceKind::Sick
            } else {
                AbsenceKind::Holiday
            },
        })
        .collect();
    Dataset {
        format: DATASET_FORMAT.into(),
        organisations: vec![Organisation {
            id: "hdl".into(),
            name: "Haderslev Kommune".into(),
        }],
        districts: (0..4)
            .map(|d| District {
                id: DistrictId(format!("d{d}")),
                organisation_id: "hdl".into(),
                name: format!("Område {d}"),
            })
            .collect(),
        teams,
        employees,
        citizens,
        grants,
        recurring_visits: recurring,
        visits,
        shifts,
        absences,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut urls: Vec<String> = std::env::args().skip(1).collect();
    let tmp = std::env::temp_dir().join(format!("nabo_import_bench_{}.db", std::process::id()));
    if urls.is_empty() {
        urls.push(format!("sqlite://{}", tmp.display()));
    }
    let data = municipality();
    let records: usize = data.counts().iter().map(|c| c.1).sum();
    println!(
        "dataset: {} citizens, {} staff, {} recurring visits, {} visits, {} shifts ({records} records)",
        data.citizens.len(),
        data.employees.len(),
        data.recurring_visits.len(),
        data.visits.len(),
        data.shifts.len()
    );
    println!("| database | first import | re-import (all updates) | export |");
    println!("|---|---:|---:|---:|");
    for url in &urls {
        let store = Store::connect(url).await?;
        store.clear_all().await?;
        let t = Instant::now();
        store.import(&data).await?;
        let first = t.elapsed();
        let t = Instant::now();
        store.import(&data).await?;
        let again = t.elapsed();
        let t = Instant::now();
        let exported = store.export().await?;
        let export = t.elapsed();
        if exported != data {
            return Err(format!("{url}: the export differs from what was imported").into());
        }
        store.close().await;
        let shown = url.split('?').next().unwrap_or(url);
        println!(
            "| {shown} | {:.2} s | {:.2} s | {:.2} s |",
            first.as_secs_f64(),
            again.as_secs_f64(),
            export.as_secs_f64()
        );
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut p = tmp.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
    Ok(())
}

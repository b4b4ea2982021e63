//! The store's test suite. Every test runs on SQLite (a temporary file) and on
//! PostgreSQL (a database of its own, dropped afterwards); see `common`.

mod common;

use common::on_both;
use common::sample::{citizen, employee, partial, sample, shift, team, visit};
use jiff::civil::{date, time};
use jiff::{SignedDuration, Timestamp};
use nabo_domain::dataset::KnownIds;
use nabo_domain::*;
use nabo_store::{Backend, JobStatus, NewUser, Store, StoreError, TravelEntry, VisitFilter};
use std::collections::HashSet;
use std::time::Duration;

fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|x| id(x).to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_database_is_empty_and_clear_all_empties_it_again() {
    on_both(|db| async move {
        let s = &db.store;
        assert!(s.is_empty().await.unwrap());
        assert_eq!(
            s.export()
                .await
                .unwrap()
                .counts()
                .iter()
                .map(|c| c.1)
                .sum::<usize>(),
            0
        );
        s.import(&sample()).await.unwrap();
        assert!(!s.is_empty().await.unwrap());
        s.clear_all().await.unwrap();
        assert!(s.is_empty().await.unwrap());
        assert_eq!(s.export().await.unwrap(), partial());
        // And it takes the same data again afterwards.
        s.import(&sample()).await.unwrap();
        assert_eq!(s.export().await.unwrap(), sample());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_entity_survives_import_and_export_unchanged() {
    on_both(|db| async move {
        let s = &db.store;
        let summary = s.import(&sample()).await.unwrap();
        assert_eq!(summary.inserted(), 22, "{summary}");
        assert_eq!(summary.updated(), 0);
        assert_eq!(summary.get("visits").map(|c| c.inserted), Some(4));
        let exported = s.export().await.unwrap();
        let expected = sample();
        // Compare collection by collection first, for a readable failure.
        assert_eq!(exported.organisations, expected.organisations);
        assert_eq!(exported.districts, expected.districts);
        assert_eq!(exported.teams, expected.teams);
        assert_eq!(exported.employees, expected.employees);
        assert_eq!(exported.citizens, expected.citizens);
        assert_eq!(exported.grants, expected.grants);
        assert_eq!(exported.recurring_visits, expected.recurring_visits);
        assert_eq!(exported.visits, expected.visits);
        assert_eq!(exported.shifts, expected.shifts);
        assert_eq!(exported.absences, expected.absences);
        assert_eq!(exported, expected);
        // Exported data imports again as pure updates.
        let again = s.import(&exported).await.unwrap();
        assert_eq!((again.inserted(), again.updated()), (0, 22));
        assert_eq!(s.export().await.unwrap(), expected);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_filter_and_sort_as_the_screens_need() {
    on_both(|db| async move {
        let s = &db.store;
        let data = sample();
        s.import(&data).await.unwrap();

        assert_eq!(s.organisations().await.unwrap(), data.organisations);
        assert_eq!(s.districts().await.unwrap(), data.districts);
        assert_eq!(
            ids(&s.teams().await.unwrap(), |t| t.id.as_str()),
            ["t1", "t2"]
        );
        assert_eq!(
            s.team(&"t2".into()).await.unwrap(),
            Some(data.teams[1].clone())
        );
        assert_eq!(s.team(&"nope".into()).await.unwrap(), None);
        let summaries = s.team_summaries().await.unwrap();
        let counts: Vec<_> = summaries
            .iter()
            .map(|t| (t.team.id.as_str(), t.citizen_count, t.employee_count))
            .collect();
        assert_eq!(counts, [("t1", 1, 2), ("t2", 1, 1)]);

        // Sorted by name, not id.
        s.upsert_employee(&employee("e0", "Zenia Ahmad", "t1"))
            .await
            .unwrap();
        let t1 = s.employees(Some(&"t1".into())).await.unwrap();
        assert_eq!(ids(&t1, |e| e.id.as_str()), ["e1", "e2", "e0"]);
        assert_eq!(s.employees(None).await.unwrap().len(), 4);
        assert_eq!(
            s.employee(&"e1".into()).await.unwrap(),
            Some(data.employees[0].clone())
        );
        assert_eq!(s.employee(&"e9".into()).await.unwrap(), None);
        s.upsert_citizen(&citizen("c0", "Aase Berg", "t1", GeoPoint::new(55.2, 9.3)))
            .await
            .unwrap();
        let c_t1 = s.citizens(Some(&"t1".into())).await.unwrap();
        assert_eq!(ids(&c_t1, |c| c.id.as_str()), ["c0", "c1"]);
        assert_eq!(s.citizens(None).await.unwrap().len(), 3);
        assert_eq!(
            s.citizen(&"c1".into()).await.unwrap(),
            Some(data.citizens[0].clone())
        );

        assert_eq!(
            s.grants(&"c1".into()).await.unwrap(),
            vec![data.grants[0].clone()]
        );
        assert_eq!(s.grants(&"c0".into()).await.unwrap(), vec![]);
        assert_eq!(
            s.recurring_visits(&"c1".into()).await.unwrap(),
            data.recurring_visits
        );

        let day = date(2026, 11, 25);
        let all = s
            .visits(&VisitFilter::dates(day, date(2026, 11, 26)))
            .await
            .unwrap();
        // By date, then window start: v1 08:00, v2 10:00, v4 21:00 on the 25th, v3 the 26th.
        assert_eq!(ids(&all, |v| v.id.as_str()), ["v1", "v2", "v4", "v3"]);
        let on_day = s.visits(&VisitFilter::dates(day, day)).await.unwrap();
        assert_eq!(ids(&on_day, |v| v.id.as_str()), ["v1", "v2", "v4"]);
        let team2 = s
            .visits(&VisitFilter {
                team: Some("t2".into()),
                ..VisitFilter::dates(day, date(2026, 11, 30))
            })
            .await
            .unwrap();
        assert_eq!(ids(&team2, |v| v.id.as_str()), ["v4", "v3"]);
        let karen = s
            .visits(&VisitFilter {
                citizen: Some("c1".into()),
                ..VisitFilter::dates(day, day)
            })
            .await
            .unwrap();
        assert_eq!(ids(&karen, |v| v.id.as_str()), ["v1", "v2"]);
        // Anna's visits, each with all its planned staff (v2 is a two-person visit).
        let anna = s
            .visits(&VisitFilter {
                employee: Some("e1".into()),
                ..VisitFilter::dates(day, day)
            })
            .await
            .unwrap();
        assert_eq!(ids(&anna, |v| v.id.as_str()), ["v1", "v2"]);
        assert_eq!(
            anna[1].planned_employees,
            vec![EmployeeId::from("e2"), "e1".into()]
        );
        let none = s
            .visits(&VisitFilter {
                team: Some("t1".into()),
                employee: Some("e3".into()),
                ..VisitFilter::dates(day, day)
            })
            .await
            .unwrap();
        assert!(none.is_empty());

        let shifts = s.shifts(None, day, day).await.unwrap();
        assert_eq!(ids(&shifts, |x| x.id.as_str()), ["s2", "s3"]);
        let t1_shifts = s
            .shifts(Some(&"t1".into()), date(2026, 10, 1), day)
            .await
            .unwrap();
        assert_eq!(ids(&t1_shifts, |x| x.id.as_str()), ["s1", "s2"]);

        // Absences overlapping the range, at both edges.
        let a = s
            .absences(None, date(2026, 11, 24), date(2026, 11, 26))
            .await
            .unwrap();
        assert_eq!(ids(&a, |x| x.id.as_str()), ["a1", "a2"]);
        let a = s
            .absences(None, date(2026, 11, 25), date(2026, 11, 25))
            .await
            .unwrap();
        assert!(a.is_empty());
        let a = s
            .absences(Some(&"t2".into()), date(2026, 11, 1), date(2026, 11, 30))
            .await
            .unwrap();
        assert_eq!(ids(&a, |x| x.id.as_str()), ["a2"]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_upserts_create_update_and_refuse_bad_values_without_writing() {
    on_both(|db| async move {
        let s = &db.store;
        s.import(&sample()).await.unwrap();
        let before = s.export().await.unwrap();

        // A visit for a citizen that does not exist, by someone unknown, and invalid.
        let mut bad = visit("v9", "c404", date(2026, 11, 27), 9);
        bad.planned_employees = vec!["e1".into(), "ghost".into()];
        bad.staff_count = 2;
        bad.duration_minutes = 0;
        bad.recurring_visit_id = Some("rv1".into());
        match s.upsert_visit(&bad).await {
            Err(StoreError::Invalid(errors)) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(
                    fields,
                    [
                        "duration_minutes",
                        "citizen_id",
                        "recurring_visit_id",
                        "planned_employees[1]"
                    ],
                    "{errors:?}"
                );
                assert!(errors[1].message.contains("c404"), "{}", errors[1]);
                assert!(
                    errors[2].message.contains("belongs to citizen 'c1'"),
                    "{}",
                    errors[2]
                );
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        match s.upsert_employee(&employee("e7", "Eva", "t404")).await {
            Err(StoreError::Invalid(errors)) => assert_eq!(errors[0].field, "home_team"),
            other => panic!("expected Invalid, got {other:?}"),
        }
        let mut refusing = citizen("c7", "Ib", "t1", GeoPoint::new(55.0, 9.0));
        refusing.refused_staff = vec!["e404".into()];
        assert!(matches!(
            s.upsert_citizen(&refusing).await,
            Err(StoreError::Invalid(_))
        ));
        let mut backwards = shift("s9", "e1", date(2026, 11, 27), 5, 23);
        backwards.employee_id = "e404".into();
        match s.upsert_shift(&backwards).await {
            Err(StoreError::Invalid(errors)) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["end", "employee_id"]);
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        let bad_absence = Absence {
            id: "a9".into(),
            employee_id: "e1".into(),
            from: date(2026, 12, 2),
            to: date(2026, 12, 1),
            kind: AbsenceKind::Course,
        };
        assert!(matches!(
            s.upsert_absence(&bad_absence).await,
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(
            s.export().await.unwrap(),
            before,
            "a refused write changed the database"
        );

        // Updates replace lists rather than appending to them.
        let mut v2 = before.visits[1].clone();
        v2.planned_employees = vec!["e3".into()];
        v2.status = VisitStatus::Started;
        s.upsert_visit(&v2).await.unwrap();
        let mut anna = before.employees[0].clone();
        anna.extra_qualifications = vec![Qualification::Nurse];
        anna.phone = None;
        s.upsert_employee(&anna).await.unwrap();
        let mut karen = before.citizens[0].clone();
        karen.preferred_staff = vec!["e3".into()];
        karen.refused_staff = vec![];
        karen.contacts.truncate(1);
        s.upsert_citizen(&karen).await.unwrap();
        let mut new_shift = shift("s4", "e1", date(2026, 11, 27), 7, 15);
        new_shift.start_location = Some(GeoPoint::new(55.1, 9.1));
        s.upsert_shift(&new_shift).await.unwrap();
        let absence = Absence {
            id: "a3".into(),
            employee_id: "e2".into(),
            from: date(2026, 12, 1),
            to: date(2026, 12, 3),
            kind: AbsenceKind::Course,
        };
        s.upsert_absence(&absence).await.unwrap();
        let new_visit = visit("v5", "c1", date(2026, 11, 27), 12);
        s.upsert_visit(&new_visit).await.unwrap();

        let after = s.export().await.unwrap();
        assert_eq!(after.visits[1], v2);
        assert_eq!(after.visits[4], new_visit);
        assert_eq!(after.employees[0], anna);
        assert_eq!(after.citizens[0], karen);
        assert_eq!(after.shifts[3], new_shift);
        assert_eq!(after.absences[2], absence);

        assert!(s.delete_absence(&"a3".into()).await.unwrap());
        assert!(!s.delete_absence(&"a3".into()).await.unwrap());
        assert_eq!(s.export().await.unwrap().absences, before.absences);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_dataset_reports_every_problem_and_changes_nothing() {
    on_both(|db| async move {
        let s = &db.store;
        s.import(&sample()).await.unwrap();
        let before = s.export().await.unwrap();

        let mut broken = partial();
        // A team renamed: valid, but must not be written since the rest is broken.
        broken.teams.push(team("t1", "Omdøbt"));
        broken.teams.push(team("t3", "Team Øst"));
        // Duplicate id within the file.
        broken.employees.push(employee("e5", "Dorte", "t3"));
        broken.employees.push(employee("e5", "Dorthe", "t3"));
        // Unknown team (neither in the file nor in the database).
        broken.citizens.push(citizen("c5", "Erik", "t9", GeoPoint::new(55.0, 9.0)));
        // Bad times: a window that ends before it starts, an 18-hour shift.
        let mut v = visit("v8", "c1", date(2026, 12, 1), 9);
        v.window_end = time(8, 30, 0, 0);
        broken.visits.push(v);
        broken.shifts.push(shift("s8", "e1", date(2026, 12, 1), 5, 23));
        // Something valid after the errors.
        broken.absences.push(Absence {
            id: "a8".into(),
            employee_id: "e2".into(),
            from: date(2026, 12, 1),
            to: date(2026, 12, 2),
            kind: AbsenceKind::Sick,
        });

        let errors = match s.import(&broken).await {
            Err(StoreError::Dataset(errors)) => errors,
            other => panic!("expected Dataset errors, got {other:?}"),
        };
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "$.employees[1].id (id e5): duplicate id 'e5': also used by employees[0]",
                "$.visits[0].window_end (id v8): must not be before window_start (a visit's window lies within one day)",
                "$.shifts[0].end (id s8): makes the shift longer than 16 hours",
                "$.citizens[0].team_id (id c5): unknown team 't9': add it to the file or import it first",
            ]
        );
        assert_eq!(s.export().await.unwrap(), before, "a refused import changed the database");
        let err = s.import(&broken).await.unwrap_err().to_string();
        assert!(err.starts_with("the dataset has 4 problem(s): $.employees[1].id"), "{err}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_updates_existing_records_and_keeps_the_rest() {
    on_both(|db| async move {
        let s = &db.store;
        let data = sample();
        s.import(&data).await.unwrap();
        let known: KnownIds = s.known_ids().await.unwrap();
        assert_eq!(known.ids["visits"].len(), 4);
        assert!(known.ids["teams"].contains("t2"));

        // A partial file: references to records only in the database are fine.
        let mut update = partial();
        let mut t1 = data.teams[0].clone();
        t1.name = "Team Nord-Vest".into();
        update.teams.push(t1.clone());
        let mut anna = data.employees[0].clone();
        anna.extra_qualifications.clear();
        anna.contract_hours = 20.0;
        update.employees.push(anna.clone());
        update.employees.push(employee("e4", "Dina Lund", "t2"));
        let mut karen = data.citizens[0].clone();
        karen.preferred_staff = vec!["e4".into()];
        karen.refused_staff.clear();
        update.citizens.push(karen.clone());
        let mut grant = data.grants[0].clone();
        grant.hours.truncate(1);
        grant.function_assessment.clear();
        update.grants.push(grant.clone());
        let mut v2 = data.visits[1].clone();
        v2.planned_employees = vec!["e4".into(), "e2".into()];
        update.visits.push(v2.clone());

        let summary = s.import(&update).await.unwrap();
        assert_eq!((summary.inserted(), summary.updated()), (1, 5), "{summary}");
        assert_eq!(
            summary.to_string(),
            "teams: 1 updated, employees: 2 (1 new, 1 updated), citizens: 1 updated, \
             grants: 1 updated, visits: 1 updated"
        );

        let after = s.export().await.unwrap();
        let mut expected = data.clone();
        expected.teams[0] = t1;
        expected.employees[0] = anna;
        expected.employees.push(employee("e4", "Dina Lund", "t2"));
        expected.citizens[0] = karen;
        expected.grants[0] = grant;
        expected.visits[1] = v2;
        assert_eq!(after, expected);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn civil_dates_times_and_a_shift_over_the_dst_change_survive_a_round_trip() {
    on_both(|db| async move {
        let s = &db.store;
        s.import(&sample()).await.unwrap();
        let night = s
            .shifts(None, date(2026, 10, 24), date(2026, 10, 24))
            .await
            .unwrap()
            .remove(0);
        assert_eq!(
            (night.start, night.end),
            (time(22, 0, 0, 0), time(6, 0, 0, 0))
        );
        assert_eq!(night.date, date(2026, 10, 24));
        // Clocks go back at 03:00 that night: nine hours of work, not eight.
        assert_eq!(night.minutes(), 9 * 60);

        // The spring night is an hour short, and a shift on New Year's Eve ends next year.
        let spring = shift("s10", "e2", date(2026, 3, 28), 22, 6);
        let new_year = shift("s11", "e2", date(2026, 12, 31), 20, 4);
        s.upsert_shift(&spring).await.unwrap();
        s.upsert_shift(&new_year).await.unwrap();
        let back = s
            .shifts(None, date(2026, 3, 28), date(2026, 3, 28))
            .await
            .unwrap();
        assert_eq!(back, vec![spring]);
        assert_eq!(back[0].minutes(), 7 * 60);
        let back = s
            .shifts(None, date(2026, 12, 31), date(2026, 12, 31))
            .await
            .unwrap();
        assert_eq!(back, vec![new_year]);

        // Seconds in a civil time and an exact instant survive.
        let rv = s.recurring_visits(&"c1".into()).await.unwrap();
        assert_eq!(rv[1].window_end, time(13, 30, 15, 0));
        let mut v = visit("v20", "c1", date(2026, 3, 29), 2);
        v.window_start = time(2, 30, 0, 0); // does not exist in Denmark that night
        v.planned_start = Some(Timestamp::from_millisecond(1_774_747_800_123).unwrap());
        s.upsert_visit(&v).await.unwrap();
        let got = s
            .visits(&VisitFilter::dates(date(2026, 3, 29), date(2026, 3, 29)))
            .await
            .unwrap();
        assert_eq!(got, vec![v]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_find_their_user_until_they_expire() {
    on_both(|db| async move {
        let s = &db.store;
        s.import(&sample()).await.unwrap();
        let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
        let mut new = NewUser {
            username: "anna".into(),
            display_name: "Anna Holm".into(),
            password_hash: hash.into(),
            employee_id: Some("e1".into()),
            role: "member".into(),
        };
        let id = s.upsert_user(&new).await.unwrap();
        new.display_name = "Anna H.".into();
        assert_eq!(
            s.upsert_user(&new).await.unwrap(),
            id,
            "same username, same user"
        );
        let user = s.user_by_username("anna").await.unwrap().expect("stored");
        assert_eq!((user.id, user.display_name.as_str()), (id, "Anna H."));
        assert_eq!(user.employee_id, Some("e1".into()));
        assert_eq!(s.user_by_username("bo").await.unwrap(), None);

        let mut plain = new.clone();
        plain.username = "bo".into();
        plain.password_hash = "hunter2".into();
        plain.employee_id = Some("e404".into());
        match s.upsert_user(&plain).await {
            Err(StoreError::Invalid(errors)) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["password_hash", "employee_id"]);
            }
            other => panic!("expected Invalid, got {other:?}"),
        }

        let now: Timestamp = "2026-11-25T08:00:00Z".parse().unwrap();
        let hour = SignedDuration::from_hours(1);
        s.create_session("tok-1", id, now + hour).await.unwrap();
        s.create_session("tok-2", id, now + hour * 8).await.unwrap();
        assert!(matches!(
            s.create_session("tok-1", id, now + hour).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.create_session("tok-3", nabo_store::UserId(9999), now + hour)
                .await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(
            s.session_user("tok-1", now).await.unwrap(),
            Some(user.clone())
        );
        assert_eq!(
            s.session_user("tok-1", now + hour).await.unwrap(),
            None,
            "expired"
        );
        assert_eq!(s.session_user("nope", now).await.unwrap(), None);
        assert_eq!(s.delete_expired_sessions(now + hour * 2).await.unwrap(), 1);
        assert_eq!(
            s.session_user("tok-2", now + hour * 2).await.unwrap(),
            Some(user)
        );
        s.delete_session("tok-2").await.unwrap();
        assert_eq!(s.session_user("tok-2", now).await.unwrap(), None);
        s.delete_session("tok-2").await.unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_workers_never_claim_the_same_job() {
    on_both(|db| async move {
        let now: Timestamp = "2026-11-25T08:00:00Z".parse().unwrap();
        const JOBS: usize = 40;
        for i in 0..JOBS {
            let payload = serde_json::json!({ "n": i });
            db.store
                .enqueue_job("plan_day", &payload, now)
                .await
                .unwrap();
        }
        // Not yet due: nobody may take it.
        let later = db
            .store
            .enqueue_job(
                "later",
                &serde_json::json!(null),
                now + SignedDuration::from_hours(1),
            )
            .await
            .unwrap();

        // Three "server processes" (own connection pools), two workers each.
        let mut handles = Vec::new();
        let mut processes = Vec::new();
        for p in 0..3 {
            let store = Store::connect(&db.url).await.unwrap();
            processes.push(store.clone());
            for w in 0..2 {
                let store = store.clone();
                handles.push(tokio::spawn(async move {
                    let me = format!("worker-{p}-{w}");
                    let mut mine = Vec::new();
                    while let Some(job) = store
                        .claim_job(&me, now, Duration::from_secs(60))
                        .await
                        .unwrap()
                    {
                        assert_eq!(job.worker.as_deref(), Some(me.as_str()));
                        assert_eq!(job.status, JobStatus::Running);
                        mine.push(job.id);
                    }
                    mine
                }));
            }
        }
        let mut seen = HashSet::new();
        let mut total = 0;
        for h in handles {
            for id in h.await.unwrap() {
                total += 1;
                assert!(seen.insert(id), "job {id} was claimed twice");
            }
        }
        assert_eq!(total, JOBS);
        assert!(!seen.contains(&later));
        for p in processes {
            p.close().await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_whose_worker_died_is_taken_again_after_its_lease() {
    on_both(|db| async move {
        let s = &db.store;
        let now: Timestamp = "2026-11-25T08:00:00Z".parse().unwrap();
        let payload = serde_json::json!({"team": "t1", "days": [1, 2]});
        let id = s.enqueue_job("plan", &payload, now).await.unwrap();
        let queued = s.job(id).await.unwrap().expect("stored");
        assert_eq!((queued.status, queued.attempts), (JobStatus::Queued, 0));
        assert_eq!(queued.payload, payload);

        let lease = Duration::from_secs(30);
        let first = s.claim_job("a", now, lease).await.unwrap().expect("due");
        assert_eq!(first.id, id);
        assert_eq!(first.lease_until, Some(now + SignedDuration::from_secs(30)));
        // Worker "a" dies. Within the lease nobody else gets the job...
        let soon = now + SignedDuration::from_secs(29);
        assert_eq!(s.claim_job("b", soon, lease).await.unwrap(), None);
        // ...after it, worker "b" does.
        let later = now + SignedDuration::from_secs(31);
        let second = s
            .claim_job("b", later, lease)
            .await
            .unwrap()
            .expect("lease ran out");
        assert_eq!((second.id, second.attempts), (id, 2));
        assert_eq!(second.worker.as_deref(), Some("b"));

        s.finish_job(id, Ok(serde_json::json!({"planned": 12})))
            .await
            .unwrap();
        let done = s.job(id).await.unwrap().expect("stored");
        assert_eq!(done.status, JobStatus::Done);
        assert_eq!(done.result, Some(serde_json::json!({"planned": 12})));
        assert!(done.finished_at.is_some());
        let much_later = now + SignedDuration::from_hours(5);
        assert_eq!(
            s.claim_job("c", much_later, lease).await.unwrap(),
            None,
            "done jobs stay done"
        );

        let failing = s.enqueue_job("plan", &payload, now).await.unwrap();
        s.claim_job("c", now, lease).await.unwrap().expect("due");
        s.finish_job(failing, Err("no shifts that day".into()))
            .await
            .unwrap();
        let failed = s.job(failing).await.unwrap().expect("stored");
        assert_eq!(failed.status, JobStatus::Failed);
        assert_eq!(failed.error.as_deref(), Some("no shifts that day"));
        assert!(matches!(
            s.finish_job(nabo_store::JobId(424242), Ok(serde_json::json!(1)))
                .await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(s.job(nabo_store::JobId(424242)).await.unwrap(), None);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn travel_times_are_cached_per_mode_and_forgotten_when_a_citizen_moves() {
    on_both(|db| async move {
        let s = &db.store;
        s.import(&sample()).await.unwrap();
        let karen = s.citizen(&"c1".into()).await.unwrap().expect("stored");
        let poul = s.citizen(&"c2".into()).await.unwrap().expect("stored");
        let base = GeoPoint::new(55.2466, 9.3066);
        let (k, p) = (karen.location, poul.location);
        let e = |seconds, metres| TravelEntry { seconds, metres };
        s.store_travel(
            TravelMode::Car,
            &[
                (base, k, e(120, 1500)),
                (k, p, e(300, 4000)),
                (p, base, e(280, 3900)),
            ],
        )
        .await
        .unwrap();
        s.store_travel(
            TravelMode::Bike,
            &[(base, k, e(400, 1500)), (base, k, e(410, 1500))],
        )
        .await
        .unwrap();

        // Rounding to 1e-5 degrees: a point a few centimetres off is the same key.
        let near_k = GeoPoint::new(k.lat + 2e-7, k.lon - 2e-7);
        let pairs = [(base, near_k), (k, p), (p, k), (p, base)];
        let car = s.cached_travel(TravelMode::Car, &pairs).await.unwrap();
        assert_eq!(
            car,
            [
                Some(e(120, 1500)),
                Some(e(300, 4000)),
                None,
                Some(e(280, 3900))
            ]
        );
        let bike = s.cached_travel(TravelMode::Bike, &pairs).await.unwrap();
        assert_eq!(
            bike,
            [Some(e(410, 1500)), None, None, None],
            "last entry wins"
        );
        assert_eq!(
            s.cached_travel(TravelMode::Foot, &pairs).await.unwrap(),
            [None; 4]
        );

        // Replacing an entry.
        s.store_travel(TravelMode::Car, &[(base, k, e(130, 1600))])
            .await
            .unwrap();
        assert_eq!(
            s.cached_travel(TravelMode::Car, &pairs[..1]).await.unwrap(),
            [Some(e(130, 1600))]
        );

        // Karen moves: every time to or from her old address goes, in every mode.
        let mut moved = karen.clone();
        moved.location = GeoPoint::new(55.26, 9.32);
        moved.address = "Ny vej 2, 6500 Vojens".into();
        s.upsert_citizen(&moved).await.unwrap();
        let car = s.cached_travel(TravelMode::Car, &pairs).await.unwrap();
        assert_eq!(car, [None, None, None, Some(e(280, 3900))]);
        assert_eq!(
            s.cached_travel(TravelMode::Bike, &pairs).await.unwrap(),
            [None; 4]
        );
        // Updating her without moving keeps what is cached.
        s.store_travel(TravelMode::Car, &[(moved.location, p, e(200, 2500))])
            .await
            .unwrap();
        let mut renamed = moved.clone();
        renamed.key_information = "Ny nøgleboks".into();
        s.upsert_citizen(&renamed).await.unwrap();
        assert_eq!(
            s.cached_travel(TravelMode::Car, &[(moved.location, p)])
                .await
                .unwrap(),
            [Some(e(200, 2500))]
        );

        // Poul moves through an import.
        let mut poul_moved = poul.clone();
        poul_moved.location = GeoPoint::new(55.20, 9.25);
        s.import(&Dataset {
            citizens: vec![poul_moved],
            ..partial()
        })
        .await
        .unwrap();
        let left = s
            .cached_travel(TravelMode::Car, &[(moved.location, p), (p, base)])
            .await
            .unwrap();
        assert_eq!(left, [None, None]);

        s.store_travel(
            TravelMode::Foot,
            &[(base, p, e(1, 1)), (p, base, e(2, 2)), (base, k, e(3, 3))],
        )
        .await
        .unwrap();
        assert_eq!(s.forget_travel_at(p).await.unwrap(), 2);
        assert_eq!(s.forget_travel_at(p).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_travel_matrix_round_trips() {
    on_both(|db| async move {
        let s = &db.store;
        let points: Vec<GeoPoint> = (0..60)
            .map(|i| GeoPoint::new(55.2 + f64::from(i) * 0.001, 9.3 - f64::from(i) * 0.0007))
            .collect();
        let mut entries = Vec::new();
        let mut pairs = Vec::new();
        for (i, a) in points.iter().enumerate() {
            for (j, b) in points.iter().enumerate() {
                let n = u32::try_from(i * 100 + j).unwrap();
                entries.push((
                    *a,
                    *b,
                    TravelEntry {
                        seconds: n,
                        metres: n * 10,
                    },
                ));
                pairs.push((*a, *b));
            }
        }
        s.store_travel(TravelMode::EBike, &entries).await.unwrap();
        let got = s.cached_travel(TravelMode::EBike, &pairs).await.unwrap();
        let want: Vec<_> = entries.iter().map(|(_, _, e)| Some(*e)).collect();
        assert_eq!(got, want);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_urls_are_refused_with_a_hint() {
    let err = Store::connect("mysql://localhost/x")
        .await
        .expect_err("refused");
    assert!(matches!(err, StoreError::BadUrl(_)));
    assert!(err.to_string().contains("sqlite://"), "{err}");
    let err = Store::connect("sqlite:///no/such/folder/nabo.db")
        .await
        .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "cannot create the database /no/such/folder/nabo.db: the folder /no/such/folder does not exist"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_creates_its_file_in_wal_mode_and_reopens_it() {
    let dir = std::env::temp_dir().join(format!("nabo_store_wal_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("fresh.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    assert!(path.exists());
    store.import(&sample()).await.unwrap();
    store.close().await;
    // A second process opening it finds the data, migrations already applied.
    let again = Store::connect(&url).await.unwrap();
    assert_eq!(again.export().await.unwrap(), sample());
    again.close().await;
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);

    let memory = Store::connect("sqlite::memory:").await.unwrap();
    memory.import(&sample()).await.unwrap();
    assert_eq!(memory.export().await.unwrap(), sample());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_processes_may_open_a_new_sqlite_file_at_once() {
    let path = std::env::temp_dir().join(format!("nabo_store_race_{}.db", std::process::id()));
    let url = format!("sqlite://{}", path.display());
    let opens: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { Store::connect(&url).await })
        })
        .collect();
    let mut stores = Vec::new();
    for open in opens {
        stores.push(
            open.await
                .unwrap()
                .expect("every opener gets a migrated database"),
        );
    }
    stores[0].import(&sample()).await.unwrap();
    assert_eq!(stores[3].export().await.unwrap(), sample());
    for s in stores {
        s.close().await;
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_registrations_are_kept_per_danish_day() {
    on_both(|db| async move {
        let s = &db.store;
        s.import(&sample()).await.unwrap();
        // 23:30 UTC on 24 November is 00:30 on the 25th in Denmark.
        let arrived: Timestamp = "2026-11-24T23:30:00Z".parse().unwrap();
        let visit = TimeRegistration {
            id: "tr1".into(),
            employee_id: "e1".into(),
            kind: TimeRegistrationKind::Visit {
                visit_id: "v1".into(),
                arrived,
                left: Some(arrived + SignedDuration::from_mins(25)),
            },
        };
        let call = TimeRegistration {
            id: "tr2".into(),
            employee_id: "e2".into(),
            kind: TimeRegistrationKind::Indirect {
                citizen_id: "c1".into(),
                date: date(2026, 11, 25),
                minutes: 10,
                description: "Opkald til egen læge".into(),
            },
        };
        s.upsert_time_registration(&visit).await.unwrap();
        s.upsert_time_registration(&call).await.unwrap();
        let day = date(2026, 11, 25);
        let on_day = s.time_registrations(None, day, day).await.unwrap();
        assert_eq!(on_day, vec![visit.clone(), call.clone()]);
        assert!(s
            .time_registrations(None, date(2026, 11, 24), date(2026, 11, 24))
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            s.time_registrations(Some(&"e2".into()), day, day)
                .await
                .unwrap(),
            vec![call.clone()]
        );
        assert_eq!(
            s.visit_time_registrations(&"v1".into()).await.unwrap(),
            vec![visit.clone()]
        );

        let mut left_open = visit.clone();
        left_open.kind = TimeRegistrationKind::Visit {
            visit_id: "v1".into(),
            arrived,
            left: None,
        };
        s.upsert_time_registration(&left_open).await.unwrap();
        assert_eq!(
            s.visit_time_registrations(&"v1".into()).await.unwrap(),
            vec![left_open]
        );

        let bad = TimeRegistration {
            id: "tr3".into(),
            employee_id: "e404".into(),
            kind: TimeRegistrationKind::Indirect {
                citizen_id: "c404".into(),
                date: day,
                minutes: 0,
                description: "x".into(),
            },
        };
        match s.upsert_time_registration(&bad).await {
            Err(StoreError::Invalid(errors)) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["minutes", "employee_id", "citizen_id"]);
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert!(s.delete_time_registration(&"tr2".into()).await.unwrap());
        assert!(!s.delete_time_registration(&"tr2".into()).await.unwrap());
        s.clear_all().await.unwrap();
        assert!(s
            .time_registrations(None, day, day)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

//! Shared test harness: a real database (SQLite file or a fresh PostgreSQL database),
//! seeded through `Store::import`, and the real server on a loopback port.

#![allow(dead_code)] // each test binary uses a different part of the harness

use jiff::civil::{time, Date};
use jiff::ToSpan;
use nabo_domain::Dataset;
use nabo_store::{NewUser, Store};
use nabo_web::AppConfig;
use serde_json::json;
use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};
use tokio::sync::oneshot;

pub const PASSWORD: &str = "hemmelig-test-kode";
pub const USERNAME: &str = "anna";

const PG_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that exists for one test and is removed afterwards (also on panic).
pub enum TestDb {
    Sqlite { dir: tempfile::TempDir, url: String },
    Postgres { name: String, url: String },
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("nabo-test.db").display());
        TestDb::Sqlite { dir, url }
    }

    /// A fresh database on the local PostgreSQL. Fails loudly if PostgreSQL is not
    /// reachable: the suite must run on both databases, never silently on one.
    pub async fn postgres() -> TestDb {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "nabo_web_test_{}_{}_{}",
            std::process::id(),
            jiff::Timestamp::now().as_millisecond(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = sqlx::PgConnection::connect(PG_ADMIN)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "PostgreSQL is not reachable at {PG_ADMIN} ({e}). The web tests need it: \
                 start it (e.g. `service postgresql start`) and run again."
                )
            });
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("could not create test database {name}: {e}"));
        let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
        TestDb::Postgres { name, url }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }

    pub async fn connect(&self) -> Store {
        Store::connect(self.url())
            .await
            .unwrap_or_else(|e| panic!("could not open {}: {e}", self.url()))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let TestDb::Postgres { name, .. } = self else {
            return;
        };
        let name = name.clone();
        // Drop cannot await; a separate thread with its own runtime can, even while
        // the test's runtime is shutting down or panicking.
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            rt.block_on(async move {
                if let Ok(mut admin) = sqlx::PgConnection::connect(PG_ADMIN).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut admin)
                        .await
                    {
                        eprintln!("could not drop test database {name}: {e}");
                    }
                }
            });
        });
        let _ = done.join();
    }
}

pub fn today() -> Date {
    nabo_domain::time::civil(jiff::Timestamp::now()).date()
}

fn day(offset: i32) -> String {
    today()
        .checked_add(offset.days())
        .expect("a date")
        .to_string()
}

fn instant_at(offset: i32, hour: i8, minute: i8) -> String {
    let date = today().checked_add(offset.days()).expect("a date");
    nabo_domain::time::instant(date, time(hour, minute, 0, 0)).to_string()
}

/// A small district written by hand: two teams, three staff, three citizens, grants,
/// a base plan and today's visits, shifts and an absence.
pub fn dataset() -> Dataset {
    let value = json!({
        "format": "nabo-dataset/1",
        "organisations": [{"id": "hdl", "name": "Haderslev Kommune"}],
        "districts": [{"id": "vojens", "organisation_id": "hdl", "name": "Vojens"}],
        "teams": [
            {"id": "t-nord", "district_id": "vojens", "name": "Team Vojens Nord",
             "base": {"lat": 55.2490, "lon": 9.3050}},
            {"id": "t-syd", "district_id": "vojens", "name": "Team Vojens Syd",
             "base": {"lat": 55.2400, "lon": 9.3100}}
        ],
        "employees": [
            {"id": "e-anna", "name": "Anna Jensen", "profession": "care_helper",
             "home_team": "t-nord", "contract_hours": 32, "phone": "+45 21 22 23 24",
             "travel_mode": "car"},
            {"id": "e-bo", "name": "Bo Nielsen", "profession": "nurse",
             "home_team": "t-nord", "contract_hours": 37, "travel_mode": "bike"},
            {"id": "e-cecilie", "name": "Cecilie Holm", "profession": "care_assistant",
             "extra_qualifications": [], "home_team": "t-syd", "contract_hours": 30,
             "travel_mode": "e_bike"}
        ],
        "citizens": [
            {"id": "c-karen", "name": "Karen Madsen", "address": "Skolegade 4, 6500 Vojens",
             "location": {"lat": 55.2471, "lon": 9.3042}, "team_id": "t-nord",
             "key_information": "Nøgleboks ved bagdøren, kode 1234. Venlig hund.",
             "contacts": [{"name": "Lone Madsen", "relation": "datter", "phone": "+45 20 30 40 50"}],
             "preferred_staff": ["e-anna"], "refused_staff": ["e-bo"]},
            {"id": "c-erik", "name": "Erik Hansen", "address": "Vestergade 12, 6500 Vojens",
             "location": {"lat": 55.2455, "lon": 9.2990}, "team_id": "t-nord"},
            {"id": "c-inge", "name": "Inge Lund", "address": "Søndergade 3, 6500 Vojens",
             "location": {"lat": 55.2410, "lon": 9.3120}, "team_id": "t-syd"}
        ],
        "grants": [
            {"id": "g-karen-83", "citizen_id": "c-karen", "granted_by": "Visitator Pia Berg",
             "legal_basis": "SEL83", "valid_from": "2026-01-01",
             "hours": [{"category": "personal_care", "hours_per_week": 5.5},
                       {"category": "practical_help", "hours_per_week": 1}],
             "function_assessment": [{"area": "Mobilitet", "score": 3},
                                     {"area": "Personlig hygiejne", "score": 2}]},
            {"id": "g-karen-138", "citizen_id": "c-karen", "granted_by": "Visitator Pia Berg",
             "legal_basis": "SUL138", "valid_from": "2026-01-01",
             "hours": [{"category": "nursing", "hours_per_week": 1.75}]}
        ],
        "recurring_visits": [
            {"id": "rv-karen-morgen", "citizen_id": "c-karen",
             "recurrence": {"weekdays": ["mon","tue","wed","thu","fri","sat","sun"], "starts_on": "2026-01-05"},
             "window_start": "07:00", "window_end": "09:00", "duration_minutes": 45,
             "required_qualification": "care_helper",
             "tasks": "Morgenpleje: bad, påklædning og morgenmad", "grant_id": "g-karen-83"},
            {"id": "rv-karen-medicin", "citizen_id": "c-karen",
             "recurrence": {"weekdays": ["mon","tue","wed","thu","fri","sat","sun"], "starts_on": "2026-01-05"},
             "window_start": "12:00", "window_end": "12:00", "fixed_time": true,
             "fixed_time_reason": "medicin", "duration_minutes": 15,
             "required_qualification": "care_assistant", "tasks": "Medicingivning",
             "grant_id": "g-karen-138"},
            {"id": "rv-karen-rengoering", "citizen_id": "c-karen",
             "recurrence": {"weekdays": ["wed"], "every_nth_week": 2, "starts_on": "2026-01-05"},
             "window_start": "10:00", "window_end": "14:00", "duration_minutes": 60,
             "required_qualification": "unskilled", "tasks": "Rengøring",
             "grant_id": "g-karen-83"},
            {"id": "rv-erik-lift", "citizen_id": "c-erik",
             "recurrence": {"weekdays": ["mon","wed","fri"], "starts_on": "2026-01-05"},
             "window_start": "08:00", "window_end": "09:30", "duration_minutes": 30,
             "required_qualification": "care_helper", "staff_count": 2,
             "tasks": "Forflytning med lift"}
        ],
        "visits": [
            {"id": "v-karen-morgen-0", "citizen_id": "c-karen", "recurring_visit_id": "rv-karen-morgen",
             "date": day(0), "window_start": "07:00", "window_end": "09:00", "duration_minutes": 45,
             "required_qualification": "care_helper",
             "tasks": "Morgenpleje: bad, påklædning og morgenmad",
             "planned_employees": ["e-anna"], "planned_start": instant_at(0, 7, 30),
             "status": "planned"},
            {"id": "v-karen-medicin-0", "citizen_id": "c-karen", "recurring_visit_id": "rv-karen-medicin",
             "date": day(0), "window_start": "12:00", "window_end": "12:00", "fixed_time": true,
             "fixed_time_reason": "medicin", "duration_minutes": 15,
             "required_qualification": "care_assistant", "tasks": "Medicingivning",
             "status": "planned"},
            {"id": "v-erik-lift-0", "citizen_id": "c-erik", "recurring_visit_id": "rv-erik-lift",
             "date": day(0), "window_start": "08:00", "window_end": "09:30", "duration_minutes": 30,
             "required_qualification": "care_helper", "staff_count": 2,
             "tasks": "Forflytning med lift", "planned_employees": ["e-anna", "e-bo"],
             "status": "planned"},
            {"id": "v-karen-morgen-1", "citizen_id": "c-karen", "recurring_visit_id": "rv-karen-morgen",
             "date": day(1), "window_start": "07:00", "window_end": "09:00", "duration_minutes": 45,
             "required_qualification": "care_helper",
             "tasks": "Morgenpleje: bad, påklædning og morgenmad", "status": "planned"}
        ],
        "shifts": [
            {"id": "s-anna-0", "employee_id": "e-anna", "date": day(0), "start": "07:00", "end": "15:00"},
            {"id": "s-anna-1", "employee_id": "e-anna", "date": day(1), "start": "07:00", "end": "15:00"},
            {"id": "s-cecilie-0", "employee_id": "e-cecilie", "date": day(0), "start": "15:00", "end": "23:00"}
        ],
        "absences": [
            {"id": "a-bo-syg", "employee_id": "e-bo", "from": day(0), "to": day(2), "kind": "sick"}
        ]
    });
    serde_json::from_value(value).expect("the test dataset matches the domain types")
}

/// Imports the test district and creates the test user.
pub async fn seed(store: &Store) {
    store
        .import(&dataset())
        .await
        .unwrap_or_else(|e| panic!("test dataset refused: {e}"));
    seed_user_only(store).await;
}

/// Creates the test user (not tied to an employee) in an already filled database.
pub async fn seed_user_only(store: &Store) {
    let employee = store
        .employee(&"e-anna".into())
        .await
        .expect("employee lookup")
        .map(|e| e.id);
    store
        .upsert_user(&NewUser {
            username: USERNAME.into(),
            display_name: "Anna Jensen".into(),
            password_hash: nabo_web::hash_password(PASSWORD),
            employee_id: employee,
            role: "staff".into(),
        })
        .await
        .expect("test user stored");
}

/// The real server on a loopback port, stopped when dropped.
pub struct TestServer {
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    pub async fn start(store: Store) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(nabo_web::launch(
            listener,
            store,
            AppConfig::default(),
            async move {
                let _ = stopped.await;
            },
        ));
        TestServer {
            base,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server and waits until it has finished.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("the server task did not panic")
                .expect("the server ran without I/O errors");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A client that keeps cookies like a browser but does not follow redirects, so
/// tests can see them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// A client without cookies, for sending a session cookie by hand.
pub fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// The `nabo_session` value from a response's `Set-Cookie`.
pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("nabo_session="))
        .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
}

/// Logs in through the JSON API and returns the session token.
pub async fn api_login(client: &reqwest::Client, server: &TestServer) -> String {
    let res = client
        .post(server.url("/api/v1/session"))
        .json(&json!({"username": USERNAME, "password": PASSWORD}))
        .send()
        .await
        .expect("log-in request");
    assert_eq!(res.status(), 200, "log-in with the test user must succeed");
    session_cookie(&res).expect("log-in sets the session cookie")
}

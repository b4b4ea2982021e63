//! Import and export of organisation data on a real SQLite database: round trips, and
//! broken files reported precisely while the database stays unchanged.

use nabo_domain::Dataset;
use nabo_planning::demo::{generate, DemoConfig};
use nabo_planning::export::{export_citizens_csv, export_employees_csv, export_json};
use nabo_planning::import::{import_files, read_file, ImportError, ImportErrors};
use nabo_store::testing::{
    drop_postgres_database, postgres_url_for, recreate_postgres_database,
    DEFAULT_POSTGRES_ADMIN_URL,
};
use nabo_store::Store;
use std::path::{Path, PathBuf};

fn small_demo() -> Dataset {
    generate(&DemoConfig {
        citizens: 40,
        days: 3,
        ..DemoConfig::default()
    })
}

#[derive(Clone, Copy, Debug)]
enum Backend {
    Sqlite,
    Postgres,
}

/// Databases a test made, to drop at its end.
#[derive(Default)]
struct Databases {
    postgres: Vec<String>,
}

impl Databases {
    /// A fresh, empty store: a SQLite file in `dir`, or a new PostgreSQL database
    /// (PostgreSQL must run at 127.0.0.1:5432; the test fails, never skips, otherwise).
    async fn fresh(&mut self, backend: Backend, dir: &Path, name: &str) -> Store {
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.join(name).display());
                Store::connect(&url).await.expect("sqlite store")
            }
            Backend::Postgres => {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0);
                let db = format!(
                    "nabo_planning_{}_{}_{nanos}",
                    std::process::id(),
                    name.replace('.', "_")
                );
                recreate_postgres_database(DEFAULT_POSTGRES_ADMIN_URL, &db)
                    .await
                    .expect("PostgreSQL at 127.0.0.1:5432");
                self.postgres.push(db.clone());
                Store::connect(&postgres_url_for(DEFAULT_POSTGRES_ADMIN_URL, &db))
                    .await
                    .expect("postgres store")
            }
        }
    }

    async fn drop_all(self) {
        for db in self.postgres {
            drop_postgres_database(DEFAULT_POSTGRES_ADMIN_URL, &db)
                .await
                .expect("drop test database");
        }
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test file");
    path
}

fn sorted(mut d: Dataset) -> Dataset {
    d.organisations.sort_by(|a, b| a.id.cmp(&b.id));
    d.districts.sort_by(|a, b| a.id.cmp(&b.id));
    d.teams.sort_by(|a, b| a.id.cmp(&b.id));
    d.employees.sort_by(|a, b| a.id.cmp(&b.id));
    d.citizens.sort_by(|a, b| a.id.cmp(&b.id));
    d.grants.sort_by(|a, b| a.id.cmp(&b.id));
    d.recurring_visits.sort_by(|a, b| a.id.cmp(&b.id));
    d.visits.sort_by(|a, b| a.id.cmp(&b.id));
    d.shifts.sort_by(|a, b| a.id.cmp(&b.id));
    d.absences.sort_by(|a, b| a.id.cmp(&b.id));
    d
}

fn counts(d: &Dataset) -> Vec<(&'static str, usize)> {
    d.counts()
}

#[tokio::test]
async fn a_json_export_imports_back_to_the_same_data_on_sqlite() {
    json_round_trip(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_json_export_imports_back_to_the_same_data_on_postgres() {
    json_round_trip(Backend::Postgres).await;
}

async fn json_round_trip(backend: Backend) {
    let mut dbs = Databases::default();
    let dir = tempfile::tempdir().expect("test step");
    let demo = small_demo();
    let file = write(
        dir.path(),
        "demo.json",
        &serde_json::to_string_pretty(&demo).expect("test step"),
    );
    let first = dbs.fresh(backend, dir.path(), "first.db").await;
    let report = import_files(&first, &[file]).await.expect("import demo");
    assert_eq!(
        report.summary.inserted(),
        counts(&demo).iter().map(|c| c.1).sum::<usize>()
    );
    assert_eq!(
        sorted(first.export().await.expect("test step")),
        sorted(demo.clone())
    );

    let exported = export_json(&first).await.expect("export");
    let again = write(dir.path(), "export.json", &exported);
    let second = dbs.fresh(Backend::Sqlite, dir.path(), "second.db").await;
    import_files(&second, &[again])
        .await
        .expect("import export");
    assert_eq!(export_json(&second).await.expect("test step"), exported);
    assert_eq!(
        sorted(second.export().await.expect("test step")),
        sorted(demo)
    );
}

#[tokio::test]
async fn citizens_and_staff_round_trip_through_csv() {
    let mut dbs = Databases::default();
    let dir = tempfile::tempdir().expect("test step");
    let demo = small_demo();
    let first = dbs.fresh(Backend::Sqlite, dir.path(), "first.db").await;
    first.import(&demo).await.expect("import demo");
    let citizens = write(
        dir.path(),
        "borgere.csv",
        &export_citizens_csv(&first).await.expect("test step"),
    );
    let staff = write(
        dir.path(),
        "medarbejdere.csv",
        &export_employees_csv(&first).await.expect("test step"),
    );
    let org = Dataset {
        organisations: demo.organisations.clone(),
        districts: demo.districts.clone(),
        teams: demo.teams.clone(),
        ..Dataset::default()
    };
    let mut org_json = serde_json::to_value(&org).expect("test step");
    org_json["format"] = "nabo-dataset/1".into();
    let org_file = write(dir.path(), "org.json", &org_json.to_string());

    let second = dbs.fresh(Backend::Sqlite, dir.path(), "second.db").await;
    // Citizens first: their preferred staff are in a later file of the same import.
    import_files(&second, &[citizens, org_file, staff])
        .await
        .expect("csv import");
    assert_eq!(
        second.citizens(None).await.expect("test step"),
        first.citizens(None).await.expect("test step")
    );
    assert_eq!(
        second.employees(None).await.expect("test step"),
        first.employees(None).await.expect("test step")
    );
    assert!(demo.citizens.iter().any(|c| c.contacts.len() >= 2));
}

fn problems(result: Result<impl std::fmt::Debug, ImportErrors>) -> Vec<ImportError> {
    match result {
        Err(ImportErrors::Problems(p)) => p,
        other => panic!("expected problems, got {other:?}"),
    }
}

fn find<'a>(errors: &'a [ImportError], file: &str, line: u64) -> &'a ImportError {
    errors
        .iter()
        .find(|e| e.file.ends_with(file) && e.line == Some(line))
        .unwrap_or_else(|| panic!("no error at {file}:{line} in {errors:#?}"))
}

const HEADER: &str =
    "id,name,address,lat,lon,team_id,key_information,preferred_staff,refused_staff\n";

#[tokio::test]
async fn broken_files_are_reported_precisely_and_change_nothing_on_sqlite() {
    broken_files(Backend::Sqlite).await;
}

#[tokio::test]
async fn broken_files_are_reported_precisely_and_change_nothing_on_postgres() {
    broken_files(Backend::Postgres).await;
}

async fn broken_files(backend: Backend) {
    let mut dbs = Databases::default();
    let dir = tempfile::tempdir().expect("test step");
    let store = dbs.fresh(backend, dir.path(), "nabo.db").await;
    let demo = small_demo();
    store.import(&demo).await.expect("test step");
    let before = counts(&store.export().await.expect("test step"));
    let team = demo.teams[0].id.to_string();
    let staff = demo.employees[0].id.to_string();

    // Rows that cannot be read, and a JSON time that does not exist.
    let bad_rows = write(
        dir.path(),
        "borgere.csv",
        &format!(
            "{HEADER}\
             n1,Inger Hansen,\"Vestergade 3, 6500 Vojens\",55.247,9.305,{team},,{staff},\n\
             n2,Poul Jensen,Skolevej 4, 6500 Vojens,55.25,9.30,{team},,,\n\
             n3,Else Nissen,Engvej 9,55.2x,9.31,{team},,,\n"
        ),
    );
    let bad_time = write(
        dir.path(),
        "vagter.json",
        &format!(
            "{{\n  \"format\": \"nabo-dataset/1\",\n  \"shifts\": [\n    {{\"id\": \"s-new\", \"employee_id\": \"{staff}\", \"date\": \"2026-12-01\",\n     \"start\": \"25:00\", \"end\": \"23:00\"}}\n  ]\n}}\n"
        ),
    );
    let errors = problems(import_files(&store, &[bad_rows, bad_time]).await);
    eprintln!("{}", ImportErrors::Problems(errors.clone()));
    assert_eq!(errors.len(), 3, "{errors:#?}");
    let fields = find(&errors, "borgere.csv", 3);
    assert!(
        fields
            .message
            .contains("has 10 fields but the header has 9"),
        "{fields}"
    );
    assert!(fields.message.contains("quotes"), "{fields}");
    let number = find(&errors, "borgere.csv", 4);
    assert_eq!(number.field.as_deref(), Some("lat"));
    assert_eq!(number.column, Some(4));
    assert!(number.message.contains("'55.2x', not a number"), "{number}");
    let time = find(&errors, "vagter.json", 5);
    assert_eq!(time.field.as_deref(), Some("$.shifts[0].start"));
    assert!(time.column.is_some());
    assert!(time.message.contains("HH:MM"), "{time}");
    assert_eq!(counts(&store.export().await.expect("test step")), before);

    // Rows that read fine but do not fit: an unknown team, a duplicate id, an id the
    // database already has used twice in the file.
    let existing = demo.citizens[0].id.to_string();
    let misfits = write(
        dir.path(),
        "nye.csv",
        &format!(
            "{HEADER}\
             n1,Inger Hansen,Vestergade 3,55.247,9.305,{team},,,\n\
             n2,Poul Jensen,Skolevej 4,55.25,9.30,team-x,,,\n\
             n1,Else Nissen,Engvej 9,55.251,9.31,{team},,,\n"
        ),
    );
    let staff_json = write(
        dir.path(),
        "staff.json",
        "{\"format\": \"nabo-dataset/1\",\n \"employees\": [\n  {\"id\": \"x1\", \"name\": \"Mette Lund\", \"profession\": \"ssh\", \"home_team\": \"nowhere\",\n   \"contract_hours\": 30, \"travel_mode\": \"car\"}\n ]\n}",
    );
    let errors = problems(import_files(&store, &[misfits.clone(), staff_json]).await);
    eprintln!("{}", ImportErrors::Problems(errors.clone()));
    assert_eq!(errors.len(), 3, "{errors:#?}");
    let unknown = find(&errors, "nye.csv", 3);
    assert_eq!(unknown.field.as_deref(), Some("team_id"));
    assert_eq!(unknown.column, Some(6));
    assert!(
        unknown.message.contains("unknown team 'team-x'"),
        "{unknown}"
    );
    assert!(unknown
        .message
        .contains("add it to the file or import it first"));
    let dup = find(&errors, "nye.csv", 4);
    assert_eq!(dup.field.as_deref(), Some("id"));
    assert!(
        dup.message.contains("line 2"),
        "points at the first use: {dup}"
    );
    let home = find(&errors, "staff.json", 3);
    assert_eq!(home.field.as_deref(), Some("$.employees[0].home_team"));
    assert_eq!(counts(&store.export().await.expect("test step")), before);

    // An existing id is an update, not a duplicate.
    let update = write(
        dir.path(),
        "ret.csv",
        &format!("{HEADER}{existing},Ny Navn,Vestergade 3,55.247,9.305,{team},,,\n"),
    );
    import_files(&store, &[update]).await.expect("update");
    let after = store
        .citizen(&existing.as_str().into())
        .await
        .expect("test step")
        .expect("test step");
    assert_eq!(after.name, "Ny Navn");
    assert_eq!(counts(&store.export().await.expect("test step")), before);
    store.close().await;
    dbs.drop_all().await;
}

#[test]
fn files_that_are_not_what_they_seem_get_a_hint() {
    let dir = tempfile::tempdir().expect("test step");
    let danish_excel = write(dir.path(), "a.csv", "id;name;address\n1;Inger;Vej 1\n");
    let e = problems(read_file(&danish_excel));
    assert!(e[0].message.contains("comma-separated"), "{}", e[0]);
    let neither = write(dir.path(), "b.csv", "id,name\n1,Inger\n");
    let e = problems(read_file(&neither));
    assert!(e[0].message.contains("--kind"), "{}", e[0]);
    let latin1 = dir.path().join("c.csv");
    std::fs::write(
        &latin1,
        b"id,name,address,lat,lon,team_id\n1,S\xf8ren,Vej 1,55,9,t\n",
    )
    .expect("test step");
    let e = problems(read_file(&latin1));
    assert_eq!(e[0].line, Some(2));
    assert!(e[0].message.contains("UTF-8"));
    let text = write(dir.path(), "d.txt", "hello");
    assert!(problems(read_file(&text))[0].message.contains(".json"));
    let broken = write(
        dir.path(),
        "e.json",
        "{\"format\": \"nabo-dataset/1\",\n \"teams\": [\n",
    );
    let e = problems(read_file(&broken));
    assert_eq!(e[0].line, Some(3));
    let staff = write(
        dir.path(),
        "f.csv",
        "id,name,profession,home_team,contract_hours,travel_mode,extra_qualifications\n\
         e1,Mette,SSH,t1,\"32,5\",E-bike,care_assistant\n\
         e2,Bo,doctor,t1,37,car,\n",
    );
    let e = problems(read_file(&staff));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(
        (e[0].line, e[0].field.as_deref()),
        (Some(3), Some("profession"))
    );
    assert!(e[0].message.contains("care_helper (ssh)"));
}

#[test]
fn the_readme_json_example_is_a_valid_dataset() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme.find("```json\n").expect("a json example") + 8;
    let end = start + readme[start..].find("```").expect("end of the example");
    let (data, _) = nabo_planning::import::parse_json(Path::new("README.md"), &readme[start..end])
        .expect("the example parses");
    assert!(data.check(&Default::default()).is_empty());
    assert_eq!(data.counts().iter().filter(|c| c.1 == 1).count(), 10);
}

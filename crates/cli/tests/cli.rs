//! The `nabo` binary as a new user meets it: the demo, import and export, and the server
//! over real HTTP on loopback.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

fn nabo(args: &[&str], db: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nabo"))
        .args(args)
        .env("NABO_DATABASE", db)
        .env("NABO_LOG", "warn")
        .output()
        .expect("the nabo binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("nabo.db").display())
}

/// Runs `nabo demo --no-serve` for a small district and returns the database URL.
fn small_demo(dir: &Path) -> String {
    let db = sqlite_url(dir);
    let out = nabo(&["demo", "--no-serve", "--citizens", "40"], &db);
    assert!(out.status.success(), "demo failed: {}", text(&out.stderr));
    db
}

#[test]
fn demo_creates_a_district_and_prints_the_log_ins_and_reuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(dir.path());
    let first = nabo(&["demo", "--no-serve", "--citizens", "40"], &db);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let stdout = text(&first.stdout);
    assert!(stdout.contains("Generated a demo district"), "{stdout}");
    assert!(stdout.contains("40 citizens"), "{stdout}");
    assert!(stdout.contains("koordinator"), "{stdout}");
    assert!(stdout.contains("nabo-demo"), "{stdout}");

    let again = nabo(&["demo", "--no-serve"], &db);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(text(&again.stdout).contains("Reusing the demo data"));

    let fresh = nabo(&["demo", "--no-serve", "--fresh", "--citizens", "30"], &db);
    assert!(fresh.status.success(), "{}", text(&fresh.stderr));
    assert!(text(&fresh.stdout).contains("30 citizens"));
}

#[test]
fn export_then_import_gives_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_demo(dir.path());
    let file = dir.path().join("district.json");
    let out = nabo(&["export", "--out", file.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let other = format!("sqlite://{}", dir.path().join("other.db").display());
    let out = nabo(&["import", file.to_str().unwrap()], &other);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let back = dir.path().join("back.json");
    let out = nabo(&["export", "--out", back.to_str().unwrap()], &other);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let a: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&std::fs::read(&back).unwrap()).unwrap();
    assert_eq!(a, b);
    assert!(!a["citizens"].as_array().unwrap().is_empty());
}

#[test]
fn a_broken_csv_is_refused_whole_with_every_problem_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_demo(dir.path());
    let before = nabo(&["export"], &db);
    assert!(before.status.success());

    let csv = dir.path().join("staff.csv");
    std::fs::write(
        &csv,
        "id,name,profession,home_team,contract_hours,phone,travel_mode,extra_qualifications\n\
         new-1,Karen Holm,care_helper,no-such-team,32,,car,\n\
         new-2,Jens Bro,nurse,no-such-team,lots,,bike,\n",
    )
    .unwrap();
    let out = nabo(&["import", csv.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("staff.csv:3:"), "{stderr}");
    assert!(stderr.contains("contract_hours"), "{stderr}");
    assert!(stderr.contains("database is unchanged"), "{stderr}");

    // Once every row reads, references are checked against the file and the database.
    std::fs::write(
        &csv,
        "id,name,profession,home_team,contract_hours,phone,travel_mode,extra_qualifications\n\
         new-1,Karen Holm,care_helper,no-such-team,32,,car,\n\
         new-1,Jens Bro,nurse,no-such-team,30,,bike,\n",
    )
    .unwrap();
    let out = nabo(&["import", csv.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("staff.csv:2"), "{stderr}");
    assert!(stderr.contains("unknown team 'no-such-team'"), "{stderr}");
    assert!(stderr.contains("duplicate id 'new-1'"), "{stderr}");

    let after = nabo(&["export"], &db);
    assert_eq!(text(&before.stdout), text(&after.stdout));
}

/// A `nabo serve` child process, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nabo"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("NABO_DATABASE", db)
        .env("NABO_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("nabo serve starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("nabo serve printed its address before exiting")
            .expect("stdout is text");
        if let Some(rest) = line.strip_prefix("Nabo is running on ") {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    // Keep reading, as a terminal would, so the server never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, url }
}

#[test]
fn the_served_app_logs_in_and_shows_a_team_page_over_real_http() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_demo(dir.path());
    let server = serve(&db);
    let client = reqwest::blocking::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let health = client
        .get(format!("{}/healthz", server.url))
        .send()
        .unwrap();
    assert!(health.status().is_success());

    let teams = client
        .get(format!("{}/api/v1/teams", server.url))
        .send()
        .unwrap();
    assert_eq!(teams.status(), 401, "the API needs a session");

    let login = client
        .post(format!("{}/login", server.url))
        .header("Origin", &server.url)
        .form(&[("username", "koordinator"), ("password", "nabo-demo")])
        .send()
        .unwrap();
    assert!(
        login.status().is_success(),
        "log-in failed: {}",
        login.status()
    );

    let teams: serde_json::Value = client
        .get(format!("{}/api/v1/teams", server.url))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let team = &teams.as_array().expect("a list of teams")[0];
    let id = team["id"].as_str().expect("a team id");
    let name = team["name"].as_str().expect("a team name");

    let page = client
        .get(format!("{}/teams/{id}", server.url))
        .send()
        .unwrap();
    assert!(page.status().is_success());
    let html = page.text().unwrap();
    assert!(html.contains(name), "the team page names the team");
    assert!(html.contains("Borgere"), "the team page lists its citizens");
}

#[test]
fn travel_times_are_cached_so_the_second_run_fetches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_demo(dir.path());
    let first = nabo(&["travel"], &db);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let second = nabo(&["travel"], &db);
    assert!(second.status.success(), "{}", text(&second.stderr));
    let fetched_column = |out: &str| -> Vec<u64> {
        out.lines()
            .skip(1)
            .map(|line| {
                let cells: Vec<&str> = line.split_whitespace().collect();
                cells[cells.len() - 3]
                    .parse()
                    .expect("a count of fetched pairs")
            })
            .collect()
    };
    let first = fetched_column(&text(&first.stdout));
    assert!(
        !first.is_empty() && first.iter().all(|n| *n > 0),
        "{first:?}"
    );
    let second = fetched_column(&text(&second.stdout));
    assert!(second.iter().all(|n| *n == 0), "{second:?}");

    let unknown = nabo(&["travel", "--team", "no-such-team"], &db);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("there is no team 'no-such-team'"));
}

#[test]
fn the_server_keeps_serving_when_nobody_reads_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let db = small_demo(dir.path());
    // A free port, released again for the server (a small race, fine on loopback in a test).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_nabo"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("NABO_DATABASE", &db)
        .env("NABO_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("nabo serve starts");
    // Close the reading end before the server prints its banner, as `nabo serve | head -0`.
    drop(child.stdout.take());
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::blocking::Client::new();
    let mut answered = false;
    for _ in 0..100 {
        if let Ok(r) = client.get(format!("{}/healthz", server.url)).send() {
            answered = r.status().is_success();
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(answered, "the server did not answer on {}", server.url);
    // Still up after the banner was written into the closed pipe.
    std::thread::sleep(Duration::from_millis(200));
    let again = client.get(format!("{}/healthz", server.url)).send();
    assert!(again.is_ok_and(|r| r.status().is_success()));
}

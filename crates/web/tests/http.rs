//! The web app and the API over real HTTP on loopback, each scenario on SQLite and on
//! PostgreSQL.

#![allow(clippy::unwrap_used)] // a failed request in a test should just fail the test

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Runs each scenario once per database.
macro_rules! on_both_databases {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    super::$scenario(super::TestDb::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    super::$scenario(super::TestDb::postgres().await).await;
                }
            )*
        }
    };
}

on_both_databases!(
    pages_need_a_log_in_and_show_the_team_and_the_citizen,
    api_reads_and_writes_and_refuses_invalid_changes,
    logging_out_ends_the_session,
    a_session_from_one_server_works_on_another,
    every_documented_route_is_served,
    a_failing_database_gives_a_generic_error,
);

async fn text(res: reqwest::Response) -> String {
    res.text().await.expect("a response body")
}

async fn pages_need_a_log_in_and_show_the_team_and_the_citizen(db: TestDb) {
    let store = db.connect().await;
    seed(&store).await;
    let server = TestServer::start(store).await;
    let client = client();

    // Without a session every page sends you to the log-in form, and back afterwards.
    let res = client
        .get(server.url("/teams/t-nord"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/login?next=/teams/t-nord");
    let login = client.get(server.url("/login")).send().await.unwrap();
    assert_eq!(login.status(), 200);
    let html = text(login).await;
    assert!(html.contains(r#"<html lang="da">"#));
    assert!(html.contains(r#"<label for="username">Brugernavn</label>"#));
    assert!(html.contains(r#"<label for="password">Adgangskode</label>"#));

    // A wrong password shows the error summary and sets no cookie.
    let res = client
        .post(server.url("/login"))
        .form(&[
            ("username", USERNAME),
            ("password", "forkert"),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(session_cookie(&res).is_none());
    let html = text(res).await;
    assert!(html.contains("Der er et problem"), "{html}");
    assert!(html.contains(r##"<a href="#username">Brugernavn eller adgangskode er forkert</a>"##));

    // Empty fields are named one by one.
    let res = client
        .post(server.url("/login"))
        .form(&[("username", ""), ("password", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(res).await;
    assert!(html.contains("Skriv dit brugernavn") && html.contains("Skriv din adgangskode"));

    // The right password opens a session and returns to where the user was going.
    let res = client
        .post(server.url("/login"))
        .form(&[
            ("username", USERNAME),
            ("password", PASSWORD),
            ("next", "/teams/t-nord"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/teams/t-nord");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert_eq!(
        session_cookie(&res).map(|t| t.len()),
        Some(64),
        "a 256-bit token in hex"
    );

    // Teams overview with head counts and district.
    let html = text(client.get(server.url("/")).send().await.unwrap()).await;
    assert!(
        html.contains(r#"<a href="/teams/t-nord">Team Vojens Nord</a>"#),
        "{html}"
    );
    assert!(html.contains("Område: Vojens"));
    assert!(html.contains("<dt>Borgere</dt><dd>2</dd>"), "{html}");
    assert!(html.contains("<dt>Medarbejdere</dt><dd>2</dd>"));
    assert!(html.contains("Log ud"));

    // The team page: its citizens and staff, and who works or is away today.
    let res = client
        .get(server.url("/teams/t-nord"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = text(res).await;
    assert!(html.contains(r#"<a class="list__link" href="/citizens/c-karen">Karen Madsen</a>"#));
    assert!(html.contains("Erik Hansen"));
    assert!(
        !html.contains("Inge Lund"),
        "another team's citizen is not listed"
    );
    assert!(html.contains(r#"<a class="list__link" href="/employees/e-anna">Anna Jensen</a>"#));
    assert!(html.contains("vagt 07:00–15:00"), "Anna's shift today");
    assert!(
        html.contains(r#"<span class="tag tag--away">Syg</span>"#),
        "Bo is sick today"
    );
    assert!(html.contains("2 besøg i dag"), "Karen's two visits today");
    assert!(
        html.contains("<dt>Mangler medarbejder</dt><dd class=\"warn\">1</dd>"),
        "{html}"
    );

    // The citizen page: key information, contacts, wishes, grants, base plan, week.
    let html = text(
        client
            .get(server.url("/citizens/c-karen"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    for expected in [
        "<h1>Karen Madsen</h1>",
        "Skolegade 4, 6500 Vojens",
        "Nøgleoplysninger",
        "Nøgleboks ved bagdøren, kode 1234. Venlig hund.",
        "Lone Madsen (datter)",
        r#"<a href="tel:+4520304050">+45 20 30 40 50</a>"#,
        r#"<a href="/employees/e-anna">Anna Jensen</a>"#,
        "SEL §83",
        "SUL §138",
        "Personlig pleje</td><td class=\"num\">5,5",
        "<th scope=\"row\">I alt</th><td class=\"num\">6,5</td>",
        "Mobilitet",
        "Svære begrænsninger",
        "Morgenpleje: bad, påklædning og morgenmad",
        "Alle dage · 45 min · SSH · SEL §83",
        "Fast tid: medicin",
        "Ons, hver 2. uge",
        "Besøg de næste 7 dage",
        "07:30 (vindue 07:00–09:00)",
        "Ingen medarbejder planlagt",
    ] {
        assert!(
            html.contains(expected),
            "citizen page lacks {expected:?}:\n{html}"
        );
    }
    let html = text(
        client
            .get(server.url("/citizens/c-erik"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(html.contains("2 medarbejdere"), "two-person visit flagged");

    // The employee page.
    let html = text(
        client
            .get(server.url("/employees/e-anna"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    for expected in [
        "<h1>Anna Jensen</h1>",
        "Social- og sundhedshjælper",
        "32 timer/uge",
        "Bil",
        "07:00–15:00",
        r#"<a href="/citizens/c-karen">Karen Madsen</a>: Morgenpleje"#,
    ] {
        assert!(
            html.contains(expected),
            "employee page lacks {expected:?}:\n{html}"
        );
    }

    // Unknown things get a Danish 404 page.
    let res = client
        .get(server.url("/citizens/findes-ikke"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(text(res).await.contains("Siden blev ikke fundet"));
    let res = client.get(server.url("/noget/andet")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(text(res).await.contains("Siden blev ikke fundet"));

    // A form posted from another site is refused.
    let res = client
        .post(server.url("/logout"))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        client.get(server.url("/")).send().await.unwrap().status(),
        200,
        "the refused log-out left the session alone"
    );

    // Health check and assets need no session; assets are cached by version.
    assert_eq!(
        text(
            bare_client()
                .get(server.url("/healthz"))
                .send()
                .await
                .unwrap()
        )
        .await,
        "ok\n"
    );
    let html = text(client.get(server.url("/")).send().await.unwrap()).await;
    let css = html
        .split(r#"<link rel="stylesheet" href=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a stylesheet link")
        .to_owned();
    assert!(css.starts_with("/assets/nabo.css?v="), "{css}");
    let res = bare_client().get(server.url(&css)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/css; charset=utf-8");
    assert!(res.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(text(res).await.contains("--focus"));
    server.stop().await;
}

async fn api_reads_and_writes_and_refuses_invalid_changes(db: TestDb) {
    let store = db.connect().await;
    seed(&store).await;
    let server = TestServer::start(store.clone()).await;
    let client = client();

    // No session: 401 with a JSON error.
    let res = client
        .get(server.url("/api/v1/teams"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized");

    let res = client
        .post(server.url("/api/v1/session"))
        .json(&json!({"username": USERNAME, "password": "forkert"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    api_login(&client, &server).await;

    let get = |path: &str| {
        let req = client.get(server.url(path));
        async move {
            let res = req.send().await.unwrap();
            let status = res.status();
            let body: Value = res.json().await.unwrap();
            assert_eq!(status, 200, "{body}");
            body
        }
    };

    let me = get("/api/v1/me").await;
    assert_eq!(me["username"], USERNAME);
    assert_eq!(me["employee_id"], "e-anna");
    assert!(me.get("password_hash").is_none());

    let teams = get("/api/v1/teams").await;
    let nord = teams
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "t-nord")
        .expect("team t-nord listed");
    assert_eq!(nord["citizen_count"], 2);
    assert_eq!(nord["employee_count"], 2);
    assert_eq!(nord["district_name"], "Vojens");
    assert_eq!(get("/api/v1/teams/t-syd").await["name"], "Team Vojens Syd");
    let citizens = get("/api/v1/teams/t-nord/citizens").await;
    let names: Vec<&str> = citizens
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Erik Hansen", "Karen Madsen"]);
    assert_eq!(
        get("/api/v1/teams/t-nord/employees")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let karen = get("/api/v1/citizens/c-karen").await;
    assert_eq!(karen["preferred_staff"], json!(["e-anna"]));
    assert_eq!(karen["contacts"][0]["relation"], "datter");
    let grants = get("/api/v1/citizens/c-karen/grants").await;
    assert_eq!(grants.as_array().unwrap().len(), 2);
    assert!(grants
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["legal_basis"] == "SUL138"));
    let plan = get("/api/v1/citizens/c-karen/recurring-visits").await;
    assert_eq!(plan.as_array().unwrap().len(), 3);
    let today = today().to_string();
    let visits = get(&format!(
        "/api/v1/visits?citizen=c-karen&from={today}&to={today}"
    ))
    .await;
    assert_eq!(visits.as_array().unwrap().len(), 2);
    let visits = get(&format!(
        "/api/v1/visits?employee=e-anna&from={today}&to={today}"
    ))
    .await;
    assert_eq!(
        visits.as_array().unwrap().len(),
        2,
        "Karen's morning and Erik's lift"
    );
    let visits = get("/api/v1/visits?team=t-nord").await;
    assert_eq!(
        visits.as_array().unwrap().len(),
        4,
        "default range is today and 6 days on"
    );
    let shifts = get("/api/v1/shifts?team=t-nord").await;
    assert_eq!(shifts.as_array().unwrap().len(), 2);
    let absences = get("/api/v1/absences").await;
    assert_eq!(absences[0]["kind"], "sick");
    assert_eq!(get("/api/v1/employees/e-bo").await["profession"], "nurse");

    let res = client
        .get(server.url("/api/v1/citizens/nobody"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "not_found");
    let res = client
        .get(server.url("/api/v1/visits?from=2026-13-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = client
        .get(server.url("/api/v1/visits?from=2026-01-01&to=2026-12-31"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.json::<Value>().await.unwrap()["fields"][0]["field"],
        "to"
    );

    // A valid change is stored.
    let mut changed = karen.clone();
    changed["key_information"] = json!("Nøgleboks flyttet til fordøren.");
    let res = client
        .put(server.url("/api/v1/citizens/c-karen"))
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        get("/api/v1/citizens/c-karen").await["key_information"],
        "Nøgleboks flyttet til fordøren."
    );

    // An invalid change is refused with every problem by field, and nothing changes.
    let before = get("/api/v1/citizens/c-karen").await;
    let mut bad = before.clone();
    bad["name"] = json!(" ");
    bad["contacts"][0]["phone"] = json!("12");
    bad["refused_staff"] = json!(["e-anna"]);
    let res = client
        .put(server.url("/api/v1/citizens/c-karen"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "invalid");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["name", "contacts[0].phone", "refused_staff[0]"],
        "{body}"
    );
    assert_eq!(
        get("/api/v1/citizens/c-karen").await,
        before,
        "the refused PUT changed nothing"
    );

    // A reference to a team that does not exist is refused by the store, unchanged too.
    let mut bad = before.clone();
    bad["team_id"] = json!("t-findes-ikke");
    let res = client
        .put(server.url("/api/v1/citizens/c-karen"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        text(res).await
    );
    assert_eq!(get("/api/v1/citizens/c-karen").await, before);

    // The URL's id and the body's must agree.
    let res = client
        .put(server.url("/api/v1/citizens/c-erik"))
        .json(&before)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(get("/api/v1/citizens/c-erik").await["name"], "Erik Hansen");

    // Malformed JSON is a 422 in the same format.
    let res = client
        .put(server.url("/api/v1/employees/e-bo"))
        .header("content-type", "application/json")
        .body("{\"id\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.json::<Value>().await.unwrap()["fields"][0]["field"],
        "body"
    );

    // Employees: valid and invalid.
    let mut bo = get("/api/v1/employees/e-bo").await;
    bo["contract_hours"] = json!(80);
    let res = client
        .put(server.url("/api/v1/employees/e-bo"))
        .json(&bo)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(get("/api/v1/employees/e-bo").await["contract_hours"], 37.0);
    bo["contract_hours"] = json!(30);
    bo["travel_mode"] = json!("e_bike");
    let res = client
        .put(server.url("/api/v1/employees/e-bo"))
        .json(&bo)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(get("/api/v1/employees/e-bo").await["travel_mode"], "e_bike");

    // Plan the unplanned medicine visit on Cecilie; a cancel without reason is refused.
    let visits = get(&format!(
        "/api/v1/visits?citizen=c-karen&from={today}&to={today}"
    ))
    .await;
    let mut medicine = visits
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "v-karen-medicin-0")
        .unwrap()
        .clone();
    medicine["planned_employees"] = json!(["e-cecilie"]);
    let res = client
        .put(server.url("/api/v1/visits/v-karen-medicin-0"))
        .json(&medicine)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut cancelled = medicine.clone();
    cancelled["status"] = json!("cancelled");
    let res = client
        .put(server.url("/api/v1/visits/v-karen-medicin-0"))
        .json(&cancelled)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let visits = get(&format!(
        "/api/v1/visits?employee=e-cecilie&from={today}&to={today}"
    ))
    .await;
    assert_eq!(visits.as_array().unwrap().len(), 1);
    assert_eq!(visits[0]["status"], "planned");

    // Shifts.
    let shift = json!({"id": "s-bo-x", "employee_id": "e-bo", "date": today,
                       "start": "15:00", "end": "23:00"});
    let res = client
        .put(server.url("/api/v1/shifts/s-bo-x"))
        .json(&shift)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut bad_shift = shift.clone();
    bad_shift["end"] = json!("15:00");
    let res = client
        .put(server.url("/api/v1/shifts/s-bo-x"))
        .json(&bad_shift)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let shifts = get("/api/v1/shifts?team=t-nord").await;
    let bo_shift = shifts
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "s-bo-x")
        .unwrap();
    assert_eq!(bo_shift["end"].as_str().map(|s| &s[..5]), Some("23:00"));

    // Absences: add, refuse a backwards one, delete, delete again.
    let absence = json!({"id": "a-anna-ferie", "employee_id": "e-anna", "from": today,
                         "to": today, "kind": "holiday"});
    let res = client
        .put(server.url("/api/v1/absences/a-anna-ferie"))
        .json(&absence)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut backwards = absence.clone();
    backwards["from"] = json!("2099-01-02");
    backwards["to"] = json!("2099-01-01");
    let res = client
        .put(server.url("/api/v1/absences/a-anna-ferie"))
        .json(&backwards)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let absences = get("/api/v1/absences?team=t-nord").await;
    assert_eq!(absences.as_array().unwrap().len(), 2);
    let res = client
        .delete(server.url("/api/v1/absences/a-anna-ferie"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = client
        .delete(server.url("/api/v1/absences/a-anna-ferie"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        get("/api/v1/absences?team=t-nord")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    server.stop().await;
}

async fn logging_out_ends_the_session(db: TestDb) {
    let store = db.connect().await;
    seed(&store).await;
    let server = TestServer::start(store).await;
    let with_cookie = |token: &str| {
        bare_client()
            .get(server.url("/api/v1/me"))
            .header("cookie", format!("nabo_session={token}"))
    };

    // API log-out.
    let token = api_login(&client(), &server).await;
    assert_eq!(with_cookie(&token).send().await.unwrap().status(), 200);
    let res = bare_client()
        .delete(server.url("/api/v1/session"))
        .header("cookie", format!("nabo_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        with_cookie(&token).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "the old token must be dead, not just forgotten by the browser"
    );

    // Form log-out from a page.
    let browser = client();
    let token = api_login(&browser, &server).await;
    assert_eq!(
        browser.get(server.url("/")).send().await.unwrap().status(),
        200
    );
    let res = browser
        .post(server.url("/logout"))
        .header("origin", server.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/login");
    assert_eq!(
        browser.get(server.url("/")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        with_cookie(&token).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let res = bare_client()
        .get(server.url("/teams/t-nord"))
        .header("cookie", format!("nabo_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "pages refuse the dead session too"
    );

    // A made-up token is no session.
    let fake = "0".repeat(64);
    assert_eq!(
        with_cookie(&fake).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    server.stop().await;
}

async fn a_session_from_one_server_works_on_another(db: TestDb) {
    let first_store = db.connect().await;
    seed(&first_store).await;
    let first = TestServer::start(first_store).await;
    // The second process has its own connection pool on the same database.
    let second = TestServer::start(db.connect().await).await;

    let token = api_login(&client(), &first).await;
    let res = bare_client()
        .get(second.url("/api/v1/me"))
        .header("cookie", format!("nabo_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["username"], USERNAME);
    let res = bare_client()
        .get(second.url("/teams/t-nord"))
        .header("cookie", format!("nabo_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // Logging out on the second ends the session on the first.
    let res = bare_client()
        .delete(second.url("/api/v1/session"))
        .header("cookie", format!("nabo_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = bare_client()
        .get(first.url("/api/v1/me"))
        .header("cookie", format!("nabo_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    first.stop().await;
    second.stop().await;
}

/// The document is generated from the handlers' attributes, and the router is built
/// from the same attributes (utoipa-axum), so every API route is documented by
/// construction. This checks the other direction over HTTP: every documented
/// operation is really served (not the fallback, not 405).
async fn every_documented_route_is_served(db: TestDb) {
    let store = db.connect().await;
    seed(&store).await;
    let server = TestServer::start(store).await;
    let client = client();

    let res = client
        .get(server.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the document needs no session");
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["components"]["schemas"]["CitizenDto"].is_object());
    assert_eq!(
        doc["components"]["schemas"]["EmployeeDto"]["properties"]["profession"]["enum"],
        json!([
            "unskilled",
            "care_helper",
            "care_assistant",
            "nurse",
            "occupational_therapist",
            "physiotherapist"
        ])
    );
    let paths = doc["paths"].as_object().unwrap();
    let mut operations: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    // Log out last, so that the session lasts through the other calls.
    operations.sort_by_key(|(m, p)| (p == "/api/v1/session" && m == "delete", p.clone()));
    for expected in [
        ("get", "/api/v1/teams"),
        ("get", "/api/v1/teams/{id}"),
        ("get", "/api/v1/teams/{id}/citizens"),
        ("get", "/api/v1/teams/{id}/employees"),
        ("get", "/api/v1/citizens/{id}"),
        ("put", "/api/v1/citizens/{id}"),
        ("get", "/api/v1/citizens/{id}/grants"),
        ("get", "/api/v1/citizens/{id}/recurring-visits"),
        ("get", "/api/v1/visits"),
        ("put", "/api/v1/visits/{id}"),
        ("get", "/api/v1/shifts"),
        ("put", "/api/v1/shifts/{id}"),
        ("get", "/api/v1/absences"),
        ("put", "/api/v1/absences/{id}"),
        ("delete", "/api/v1/absences/{id}"),
        ("get", "/api/v1/employees/{id}"),
        ("put", "/api/v1/employees/{id}"),
        ("post", "/api/v1/session"),
        ("delete", "/api/v1/session"),
        ("get", "/api/v1/me"),
        ("get", "/api/v1/openapi.json"),
    ] {
        assert!(
            operations
                .iter()
                .any(|(m, p)| m == expected.0 && p == expected.1),
            "{expected:?} is not in the OpenAPI document"
        );
    }
    api_login(&client, &server).await;
    for (method, path) in &operations {
        let url = server.url(&path.replace("{id}", "probe"));
        let req = match method.as_str() {
            "get" => client.get(&url),
            "put" => client.put(&url).json(&json!({})),
            "post" => client.post(&url).json(&json!({})),
            "delete" => client.delete(&url),
            other => panic!("unexpected method {other}"),
        };
        let res = req.send().await.unwrap();
        let status = res.status();
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_ne!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        let body = text(res).await;
        assert!(
            !body.contains("no such page or API route"),
            "{method} {path} is documented but not served: {status} {body}"
        );
    }
    server.stop().await;
}

async fn a_failing_database_gives_a_generic_error(db: TestDb) {
    let store = db.connect().await;
    seed(&store).await;
    let server = TestServer::start(store.clone()).await;
    let token = api_login(&client(), &server).await;
    // Closing the pool makes every query fail, as a lost database would.
    store.close().await;
    let cookie = format!("nabo_session={token}");

    let res = bare_client()
        .get(server.url("/api/v1/teams"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = text(res).await;
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"], "internal");
    for secret in ["sqlx", "pool", "closed", "sqlite", "postgres"] {
        assert!(
            !body.to_lowercase().contains(secret),
            "500 body leaks {secret:?}: {body}"
        );
    }

    let res = bare_client()
        .get(server.url("/teams/t-nord"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = text(res).await;
    assert!(html.contains("Der opstod en fejl"), "{html}");
    assert!(!html.to_lowercase().contains("pool"));

    let res = bare_client()
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    server.stop().await;
}

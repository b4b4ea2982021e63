//! The generated demo district (the planning crate's generator, as `nabo demo` uses it)
//! renders: every team page, and every citizen and staff page of the largest team.

#![allow(clippy::unwrap_used)] // a failed request in a test should just fail the test

mod common;

use common::*;
use nabo_planning::demo::{generate, DemoConfig};
use std::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_the_demo_district_renders() {
    let db = TestDb::sqlite().await;
    let store = db.connect().await;
    let data = generate(&DemoConfig::for_week_of(today()));
    store.import(&data).await.unwrap();
    seed_user_only(&store).await;
    let server = TestServer::start(store.clone()).await;
    let client = client();
    api_login(&client, &server).await;

    let get_page = |path: String| {
        let req = client.get(server.url(&path));
        async move {
            let res = req.send().await.unwrap();
            let status = res.status();
            let html = res.text().await.unwrap();
            assert_eq!(status, 200, "{path}: {html}");
            assert!(html.contains("</html>"), "{path} was cut short");
            html
        }
    };

    let overview = get_page("/".into()).await;
    let summaries = store.team_summaries().await.unwrap();
    assert!(summaries.len() >= 3, "the demo has several teams");
    let mut slowest = (0.0f64, String::new());
    for s in &summaries {
        assert!(
            overview.contains(&s.team.name),
            "overview lacks {}",
            s.team.name
        );
        let path = format!("/teams/{}", s.team.id);
        let started = Instant::now();
        let html = get_page(path.clone()).await;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if ms > slowest.0 {
            slowest = (ms, path);
        }
        assert!(html.contains(&format!(
            "Borgere <span class=\"count\">({})</span>",
            s.citizen_count
        )));
    }
    let biggest = summaries.iter().max_by_key(|s| s.citizen_count).unwrap();
    for c in store.citizens(Some(&biggest.team.id)).await.unwrap() {
        let path = format!("/citizens/{}", c.id);
        let started = Instant::now();
        let html = get_page(path.clone()).await;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if ms > slowest.0 {
            slowest = (ms, path);
        }
        assert!(html.contains("Grundplan"));
    }
    for e in store.employees(Some(&biggest.team.id)).await.unwrap() {
        get_page(format!("/employees/{}", e.id)).await;
    }
    eprintln!(
        "slowest page: {} in {:.0} ms (debug build)",
        slowest.1, slowest.0
    );
    server.stop().await;
}

//! What the server writes to its log: one span per request named by its route (not
//! the raw path, which holds personal ids), and the details of a 500 that the client
//! does not see.

#![allow(clippy::unwrap_used)] // a failed request in a test should just fail the test

mod common;

use common::*;
use std::io::Write;
use std::sync::{Arc, Mutex};
use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_logged_by_route_and_500s_with_their_cause() {
    let log = Log::default();
    let writer = log.clone();
    // The server runs on other threads, so this test binary installs a global subscriber.
    let only_the_server = Targets::new()
        .with_target("nabo_web", Level::DEBUG)
        .with_target("tower_http", Level::DEBUG);
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_max_level(Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish()
            .with(only_the_server),
    )
    .unwrap();

    let db = TestDb::sqlite().await;
    let store = db.connect().await;
    seed(&store).await;
    let server = TestServer::start(store.clone()).await;
    let client = client();
    let token = api_login(&client, &server).await;
    let res = client
        .get(server.url("/citizens/c-karen"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let text = log.text();
    assert!(
        text.contains(r#"route="/citizens/{id}""#),
        "no span with the matched route in:\n{text}"
    );
    assert!(text.contains("method=GET"));
    assert!(
        !text.contains("c-karen"),
        "a citizen id reached the log:\n{text}"
    );
    assert!(!text.contains(&token), "a session token reached the log");
    assert!(!text.contains(PASSWORD), "a password reached the log");

    store.close().await;
    let res = client
        .get(server.url("/api/v1/teams"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 500);
    let text = log.text();
    let failure = text
        .lines()
        .find(|l| l.contains("request failed"))
        .unwrap_or_else(|| panic!("the 500 was not logged:\n{text}"));
    assert!(failure.contains("ERROR"), "{failure}");
    assert!(failure.contains(r#"route="/api/v1/teams""#), "{failure}");
    assert!(
        failure.to_lowercase().contains("closed"),
        "the cause is missing: {failure}"
    );
    server.stop().await;
}

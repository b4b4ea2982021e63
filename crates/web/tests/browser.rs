//! Debian's real Chromium, driven through chromedriver: log in through the form, open a
//! team and a citizen, check what a phone user sees, and save screenshots to
//! target/screenshots/ for a human to look at.

#![allow(clippy::unwrap_used)] // a failed step in a test should just fail the test

mod common;

use common::*;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// An iPhone 12–15's CSS viewport width.
const PHONE_WIDTH: u32 = 390;

fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("screenshots")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// chromedriver on its own port, killed when dropped.
async fn start_chromedriver() -> (tokio::process::Child, String) {
    for binary in [CHROMEDRIVER, CHROMIUM] {
        assert!(
            Path::new(binary).exists(),
            "{binary} is missing; the browser test needs Debian's Chromium. \
             run: apt-get install -y chromium chromium-driver"
        );
    }
    let port = free_port();
    let child = tokio::process::Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {CHROMEDRIVER}: {e}"));
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if let Ok(res) = http.get(format!("{url}/status")).send().await {
            if res.status().is_success() {
                return (child, url);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {url} within 10 s");
}

/// Waits up to 10 s for the browser to arrive at `path` (after a form post).
async fn wait_for_path(browser: &Client, path: &str) {
    for _ in 0..100 {
        if browser.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url = browser.current_url().await.unwrap();
    panic!("the browser did not reach {path}; it is at {url}");
}

async fn js(browser: &Client, script: &str) -> Value {
    browser.execute(script, vec![]).await.unwrap()
}

/// Width the page would scroll sideways by; 0 means it fits the screen.
async fn horizontal_overflow(browser: &Client) -> i64 {
    js(
        browser,
        "const d = document.documentElement; return d.scrollWidth - d.clientWidth;",
    )
    .await
    .as_i64()
    .unwrap()
}

async fn body_text(browser: &Client) -> String {
    browser
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Saves the whole page at the current width: the window is made as tall as the page.
async fn screenshot(browser: &Client, name: &str, width: u32) {
    let height = js(browser, "return document.documentElement.scrollHeight;")
        .await
        .as_u64()
        .unwrap_or(900)
        .clamp(600, 6000);
    browser
        .set_window_size(width, u32::try_from(height).unwrap() + 140)
        .await
        .unwrap();
    let png = browser.screenshot().await.unwrap();
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap();
    eprintln!("screenshot: {}", path.display());
}

/// Makes the CSS viewport exactly `width` wide (the window has borders in some modes).
async fn set_viewport_width(browser: &Client, width: u32) {
    browser.set_window_size(width, 844).await.unwrap();
    let inner = js(browser, "return window.innerWidth;")
        .await
        .as_u64()
        .unwrap();
    let extra = u32::try_from(inner).unwrap().abs_diff(width);
    if extra != 0 {
        browser.set_window_size(width + extra, 844).await.unwrap();
    }
    let inner = js(browser, "return window.innerWidth;")
        .await
        .as_u64()
        .unwrap();
    assert_eq!(
        inner,
        u64::from(width),
        "could not make the viewport {width} px wide"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_care_worker_logs_in_and_reads_a_team_and_a_citizen_on_a_phone() {
    let db = TestDb::sqlite().await;
    let store = db.connect().await;
    seed(&store).await;
    let server = TestServer::start(store).await;
    let (mut driver, driver_url) = start_chromedriver().await;
    let profile = tempfile::tempdir().unwrap();

    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--lang=da-DK",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }),
    );
    let browser = ClientBuilder::native()
        .capabilities(caps)
        .connect(&driver_url)
        .await
        .unwrap_or_else(|e| panic!("chromedriver could not start Chromium: {e}"));

    // Run the steps, then close the browser whatever happened, then report.
    let outcome = tokio::spawn(steps(browser.clone(), server.base.clone())).await;
    let _ = browser.close().await;
    let _ = driver.kill().await;
    server.stop().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn steps(browser: Client, base: String) {
    set_viewport_width(&browser, PHONE_WIDTH).await;

    // A page behind the log-in leads to the form.
    browser.goto(&format!("{base}/teams/t-nord")).await.unwrap();
    let url = browser.current_url().await.unwrap();
    assert_eq!(url.path(), "/login", "{url}");
    assert_eq!(
        js(&browser, "return document.documentElement.lang;").await,
        "da"
    );
    assert_eq!(
        horizontal_overflow(&browser).await,
        0,
        "log-in page scrolls sideways"
    );
    // Every visible field has a label (WCAG 1.3.1 / 3.3.2).
    let unlabelled = js(
        &browser,
        "return [...document.querySelectorAll('input:not([type=hidden])')]
            .filter(i => !document.querySelector(`label[for='${i.id}']`)).length;",
    )
    .await;
    assert_eq!(unlabelled, 0);
    // The first Tab reaches the skip link.
    js(&browser, "document.activeElement.blur(); return null;").await;
    browser
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E004}")
        .await
        .unwrap();
    let focused = js(&browser, "return document.activeElement.textContent;").await;
    assert_eq!(focused, "Gå til indhold");

    // A wrong password first: the error summary links to the field.
    browser
        .find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys(USERNAME)
        .await
        .unwrap();
    browser
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("forkert")
        .await
        .unwrap();
    browser
        .find(Locator::Css("main button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let summary = browser
        .wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .unwrap();
    assert!(summary
        .text()
        .await
        .unwrap()
        .contains("Brugernavn eller adgangskode er forkert"));
    // The script moves focus to the summary, so a screen reader reads it first.
    let focused = js(&browser, "return document.activeElement.className;").await;
    assert_eq!(focused, "error-summary");
    screenshot(&browser, "login-error-phone", PHONE_WIDTH).await;
    set_viewport_width(&browser, PHONE_WIDTH).await;

    // Then the right one, through the real form; the browser returns to the team.
    let password = browser.find(Locator::Id("password")).await.unwrap();
    password.send_keys(PASSWORD).await.unwrap();
    browser
        .find(Locator::Css("main button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/teams/t-nord").await;

    // The team page on a phone.
    let h1 = browser.find(Locator::Css("h1")).await.unwrap();
    assert_eq!(h1.text().await.unwrap(), "Team Vojens Nord");
    let text = body_text(&browser).await;
    for expected in [
        "Borgere (2)",
        "Karen Madsen",
        "Erik Hansen",
        "Medarbejdere (2)",
        "Anna Jensen",
        "Syg",
        "Log ud",
    ] {
        assert!(
            text.contains(expected),
            "team page lacks {expected:?}:\n{text}"
        );
    }
    assert_eq!(
        horizontal_overflow(&browser).await,
        0,
        "team page scrolls sideways at 390 px"
    );
    // Tap targets: the citizen links are at least 24 px high (WCAG 2.5.8) — ours aim for 44.
    let smallest = js(
        &browser,
        "return Math.min(...[...document.querySelectorAll('.list__item')].map(e => e.getBoundingClientRect().height));",
    )
    .await;
    assert!(
        smallest.as_f64().unwrap() >= 44.0,
        "list rows are {smallest} px high"
    );
    screenshot(&browser, "team-phone", PHONE_WIDTH).await;
    set_viewport_width(&browser, PHONE_WIDTH).await;

    // Open the citizen by tapping her name.
    browser
        .find(Locator::LinkText("Karen Madsen"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/citizens/c-karen").await;
    let h1 = browser.find(Locator::Css("h1")).await.unwrap();
    assert_eq!(h1.text().await.unwrap(), "Karen Madsen");
    let key_info = browser.find(Locator::Css(".callout")).await.unwrap();
    assert!(key_info.is_displayed().await.unwrap());
    assert!(key_info
        .text()
        .await
        .unwrap()
        .contains("Nøgleboks ved bagdøren"));
    let text = body_text(&browser).await;
    for expected in [
        "Skolegade 4, 6500 Vojens",
        "Lone Madsen (datter)",
        "SEL §83",
        "Grundplan",
        "Morgenpleje: bad, påklædning og morgenmad",
        "Fast tid: medicin",
        "Besøg de næste 7 dage",
    ] {
        assert!(
            text.contains(expected),
            "citizen page lacks {expected:?}:\n{text}"
        );
    }
    assert_eq!(
        horizontal_overflow(&browser).await,
        0,
        "citizen page scrolls sideways at 390 px"
    );
    screenshot(&browser, "citizen-phone", PHONE_WIDTH).await;
    set_viewport_width(&browser, PHONE_WIDTH).await;

    // The employee page and the overview, also on the phone.
    browser
        .goto(&format!("{base}/employees/e-anna"))
        .await
        .unwrap();
    assert_eq!(
        horizontal_overflow(&browser).await,
        0,
        "employee page scrolls sideways"
    );
    screenshot(&browser, "employee-phone", PHONE_WIDTH).await;
    set_viewport_width(&browser, PHONE_WIDTH).await;
    browser.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(
        horizontal_overflow(&browser).await,
        0,
        "overview scrolls sideways"
    );
    screenshot(&browser, "teams-phone", PHONE_WIDTH).await;

    // Wider screens, for the record.
    screenshot(&browser, "teams-desktop", 1280).await;
    browser.goto(&format!("{base}/teams/t-nord")).await.unwrap();
    screenshot(&browser, "team-desktop", 1280).await;
    browser
        .goto(&format!("{base}/citizens/c-karen"))
        .await
        .unwrap();
    screenshot(&browser, "citizen-desktop", 1280).await;

    // Log out with the header button: back to the form, and the pages are closed.
    browser
        .find(Locator::Css(".logout button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/login").await;
    browser
        .goto(&format!("{base}/citizens/c-karen"))
        .await
        .unwrap();
    assert_eq!(browser.current_url().await.unwrap().path(), "/login");
}

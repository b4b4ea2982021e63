//! Runs each test on both backends: SQLite in a temporary file, and PostgreSQL in a
//! database made for the test and dropped after it.

pub mod sample;

use nabo_store::testing::{
    drop_postgres_database, postgres_url_for, recreate_postgres_database,
    DEFAULT_POSTGRES_ADMIN_URL,
};
use nabo_store::Store;
use std::future::Future;
use std::panic::resume_unwind;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// What a test gets: an empty, migrated store, and its URL (to open more connection
/// pools, as a second server process would).
#[derive(Clone)]
pub struct Db {
    pub store: Store,
    pub url: String,
}

fn unique_name() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "nabo_test_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs `test` on SQLite, then on PostgreSQL. A failure names the backend it failed on.
/// PostgreSQL must be running: the test fails (never skips) when it cannot be reached.
pub async fn on_both<F, Fut>(test: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    on_sqlite(&test).await;
    on_postgres(&test).await;
}

async fn on_sqlite<F, Fut>(test: &F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot open SQLite test database {url}: {e}"));
    let outcome = tokio::spawn(test(Db {
        store: store.clone(),
        url: url.clone(),
    }))
    .await;
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
    if let Err(e) = outcome {
        eprintln!("the test failed on SQLite ({url})");
        resume_unwind(e.into_panic());
    }
}

async fn on_postgres<F, Fut>(test: &F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let admin_url = std::env::var("NABO_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| DEFAULT_POSTGRES_ADMIN_URL.to_owned());
    let name = unique_name();
    if let Err(e) = recreate_postgres_database(&admin_url, &name).await {
        panic!(
            "PostgreSQL is needed for the store tests, but a test database could not be \
             created: {e}\nStart PostgreSQL (for example `sudo service postgresql start` or \
             `pg_ctlcluster 15 main start`), or point NABO_TEST_POSTGRES_URL at a server \
             where the user may create databases (trust, or a password in the URL)."
        )
    }
    let url = postgres_url_for(&admin_url, &name);
    let outcome = match Store::connect(&url).await {
        Ok(store) => {
            let outcome = tokio::spawn(test(Db {
                store: store.clone(),
                url: url.clone(),
            }))
            .await;
            store.close().await;
            outcome.map_err(|e| e.into_panic())
        }
        Err(e) => Err(
            Box::new(format!("cannot open PostgreSQL test database {url}: {e}"))
                as Box<dyn std::any::Any + Send>,
        ),
    };
    let dropped = drop_postgres_database(&admin_url, &name).await;
    if let Err(panic) = outcome {
        eprintln!("the test failed on PostgreSQL ({url})");
        resume_unwind(panic);
    }
    if let Err(e) = dropped {
        panic!("the test passed but its database {name} could not be dropped: {e}");
    }
}

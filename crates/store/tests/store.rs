//! The store's test suite. Every test runs on SQLite and on PostgreSQL.

mod common;

use common::on_both;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_database_is_empty() {
    on_both(|db| async move {
        assert!(db.store.is_empty().await.unwrap());
        assert!(db.store.export().await.unwrap().teams.is_empty());
    })
    .await;
}

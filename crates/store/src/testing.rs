//! Helpers for tests and benchmarks that need a PostgreSQL database of their own.

use crate::{Result, StoreError};
use sqlx::{AnyConnection, AssertSqlSafe, Connection, Executor};

/// The admin connection the test suites use unless `NABO_TEST_POSTGRES_URL` says otherwise.
pub const DEFAULT_POSTGRES_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::BadUrl(format!(
            "'{name}' cannot be a scratch database name: use at most 63 of a-z, 0-9 and '_'"
        )))
    }
}

async fn admin(admin_url: &str) -> Result<AnyConnection> {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(admin_url).await.map_err(|e| {
        StoreError::BadUrl(format!(
            "cannot reach PostgreSQL at {admin_url}: {e}. Start it (for example \
             `sudo service postgresql start`) or give the URL of a server where this user \
             may create databases"
        ))
    })
}

/// Drops database `name` if it exists (closing its connections) and creates it empty.
/// `admin_url` is any database on the server, usually `.../postgres`.
pub async fn recreate_postgres_database(admin_url: &str, name: &str) -> Result<()> {
    check_name(name)?;
    let mut conn = admin(admin_url).await?;
    conn.execute(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .await?;
    conn.execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await?;
    conn.close().await?;
    Ok(())
}

/// Drops database `name` if it exists, closing its connections.
pub async fn drop_postgres_database(admin_url: &str, name: &str) -> Result<()> {
    check_name(name)?;
    let mut conn = admin(admin_url).await?;
    conn.execute(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .await?;
    conn.close().await?;
    Ok(())
}

/// `admin_url` with its database replaced by `name`, keeping user, host and options.
pub fn postgres_url_for(admin_url: &str, name: &str) -> String {
    let (path, query) = match admin_url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (admin_url, None),
    };
    let head = match path.rsplit_once('/') {
        Some((head, _)) if head.contains("://") => head,
        _ => path,
    };
    match query {
        Some(q) => format!("{head}/{name}?{q}"),
        None => format!("{head}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_keep_user_host_and_options() {
        assert_eq!(
            postgres_url_for(DEFAULT_POSTGRES_ADMIN_URL, "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            postgres_url_for("postgres://u:p@h/postgres?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            postgres_url_for("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }

    #[test]
    fn only_plain_names_are_accepted() {
        assert!(check_name("nabo_test_1").is_ok());
        assert!(check_name("x; DROP TABLE y").is_err());
        assert!(check_name("Caps").is_err());
        assert!(check_name("").is_err());
    }
}

//! Nabo's storage: one repository layer over SQLite (the default, one file, nothing to
//! install) and PostgreSQL (several `nabo serve` processes sharing one database).
//!
//! Both backends go through sqlx's `Any` driver with the same SQL (`$1` placeholders,
//! `INSERT ... ON CONFLICT`, `RETURNING`), so every query has one code path; only the
//! migrations (`migrations/sqlite`, `migrations/postgres`) and the job-claim lock hint
//! differ. How times, enums and lists are stored is documented at the top of the
//! migrations.

mod auth;
mod codec;
mod data;
mod error;
mod jobs;
mod org;
pub mod testing;
mod timereg;
mod travel;

pub use auth::{NewUser, User, UserId};
pub use data::{CollectionCount, ImportSummary};
pub use error::StoreError;
pub use jobs::{Job, JobId, JobStatus};
pub use org::{TeamSummary, VisitFilter};
pub use travel::TravelEntry;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

/// Results of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .field("connections", &self.pool.size())
            .finish()
    }
}

/// How long a SQLite connection waits for another process's write lock before giving up.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 10_000;

impl Store {
    /// Opens the database and brings its schema up to date.
    ///
    /// `url` is `sqlite://path.db` (the file is created if missing; WAL journal,
    /// foreign keys on, a busy timeout so that several processes can share it),
    /// `sqlite::memory:` (a private database that lives as long as the store, for tests),
    /// or `postgres://user@host:port/db`.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::BadUrl(format!(
                "'{url}' is not a database URL; use sqlite://FILE.db or postgres://USER@HOST:PORT/DATABASE"
            )));
        };
        let pool = match backend {
            Backend::Sqlite => connect_sqlite(url).await?,
            Backend::Postgres => {
                let options = AnyConnectOptions::from_str(url).map_err(|e| {
                    StoreError::BadUrl(format!("cannot read database URL '{url}': {e}"))
                })?;
                AnyPoolOptions::new()
                    .max_connections(10)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(options)
                    .await?
            }
        };
        let migrator = match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        if let Err(first) = migrator.run(&pool).await {
            // Two processes opening a new SQLite file at once both try to create the
            // schema; the loser finds it done on a second look. (PostgreSQL migrations
            // take an advisory lock instead.)
            if backend != Backend::Sqlite {
                return Err(first.into());
            }
            tracing::debug!(error = %first, "migrating again");
            tokio::time::sleep(Duration::from_millis(200)).await;
            migrator.run(&pool).await?;
        }
        tracing::debug!(?backend, "database ready");
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection; waits for those in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so that a transaction that reads before it writes cannot
    /// fail half-way because another process wrote in between.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

async fn connect_sqlite(url: &str) -> Result<AnyPool> {
    let memory = url.contains(":memory:") || url.contains("mode=memory");
    if !memory {
        // SQLite's own message for this is "unable to open database file".
        let path = url
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:")
            .split('?')
            .next()
            .unwrap_or_default();
        let dir = std::path::Path::new(path).parent();
        if let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty() && !d.is_dir()) {
            return Err(StoreError::BadUrl(format!(
                "cannot create the database {path}: the folder {} does not exist",
                dir.display()
            )));
        }
    }
    // Create the file if missing, unless the URL already says how to open it.
    let url = if memory || url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    let options = AnyConnectOptions::from_str(&url)
        .map_err(|e| StoreError::BadUrl(format!("cannot read database URL '{url}': {e}")))?;
    let pragmas = if memory {
        format!("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};")
    } else {
        format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};"
        )
    };
    let mut pool = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
    pool = if memory {
        // Every new connection to ":memory:" would be a new, empty database: keep one.
        pool.max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
    } else {
        pool.max_connections(4)
    };
    let pool = pool
        .after_connect(move |conn, _| {
            let pragmas = pragmas.clone();
            Box::pin(async move {
                conn.execute(sqlx::AssertSqlSafe(pragmas)).await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    Ok(pool)
}

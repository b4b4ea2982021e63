//! A durable job queue in the database, safe with several server processes: a job is
//! claimed by one atomic statement and held under a lease; a job whose worker died
//! (lease passed without a result) is claimed again.

use crate::codec::{millis, Reader};
use crate::{Backend, Result, Store, StoreError};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::AssertSqlSafe;
use std::fmt;
use std::time::Duration;

/// A job's number in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(pub i64);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for its time and a worker.
    Queued,
    /// Claimed by a worker whose lease has not run out (or has, and it will be retaken).
    Running,
    Done,
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }
}

/// A job and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: JobStatus,
    pub run_at: Timestamp,
    /// How many times it has been claimed.
    pub attempts: u32,
    /// The worker that claimed it last.
    pub worker: Option<String>,
    pub lease_until: Option<Timestamp>,
    pub result: Option<serde_json::Value>,
    pub error: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

const JOB_COLUMNS: &str = "id, kind, payload, status, run_at_ms, attempts, worker, \
    lease_until_ms, result, error, created_ms, finished_ms";

fn json(r: &Reader<'_>, col: &str, text: &str) -> Result<serde_json::Value, sqlx::Error> {
    serde_json::from_str(text)
        .map_err(|e| crate::codec::corrupt(r.table, col, r.row, format!("not JSON: {e}")))
}

fn job_from(row: &AnyRow) -> Result<Job, sqlx::Error> {
    let r = Reader::new("jobs", row);
    let status = match r.text("status")?.as_str() {
        "queued" => JobStatus::Queued,
        "running" => JobStatus::Running,
        "done" => JobStatus::Done,
        "failed" => JobStatus::Failed,
        other => {
            return Err(crate::codec::corrupt(
                "jobs",
                "status",
                row,
                format!("unknown status '{other}'"),
            ))
        }
    };
    let payload = json(&r, "payload", &r.text("payload")?)?;
    let result = match r.opt_text("result")? {
        Some(t) => Some(json(&r, "result", &t)?),
        None => None,
    };
    Ok(Job {
        id: JobId(r.int("id")?),
        kind: r.text("kind")?,
        payload,
        status,
        run_at: r.instant("run_at_ms")?,
        attempts: r.small("attempts")?,
        worker: r.opt_text("worker")?,
        lease_until: r.opt_instant("lease_until_ms")?,
        result,
        error: r.opt_text("error")?,
        created_at: r.instant("created_ms")?,
        finished_at: r.opt_instant("finished_ms")?,
    })
}

impl Store {
    /// Queues a job to run at or after `run_at`.
    pub async fn enqueue_job(
        &self,
        kind: &str,
        payload: &serde_json::Value,
        run_at: Timestamp,
    ) -> Result<JobId> {
        if kind.trim().is_empty() {
            return Err(StoreError::Invalid(vec![nabo_domain::FieldError::new(
                "kind",
                "must name the kind of job",
            )]));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO jobs (kind, payload, status, run_at_ms, attempts, created_ms) \
             VALUES ($1, $2, 'queued', $3, 0, $4) RETURNING id",
        )
        .bind(kind)
        .bind(payload.to_string())
        .bind(millis(run_at))
        .bind(millis(Timestamp::now()))
        .fetch_one(&self.pool)
        .await?;
        Ok(JobId(id))
    }

    /// Takes the next job that is due at `now` (oldest `run_at` first), or one whose
    /// worker's lease ran out, and holds it for `lease`. Atomic: two workers, in the same
    /// process or not, never get the same job while its lease runs.
    pub async fn claim_job(
        &self,
        worker: &str,
        now: Timestamp,
        lease: Duration,
    ) -> Result<Option<Job>> {
        let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        let now_ms = millis(now);
        // PostgreSQL: lock the chosen row and skip rows other claimers hold, so claimers
        // neither wait for nor collide with each other. SQLite: the single UPDATE runs
        // under the database's write lock, which already makes it atomic.
        let lock = match self.backend {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET status = 'running', worker = $1, lease_until_ms = $2, \
               attempts = attempts + 1 \
             WHERE id = (SELECT id FROM jobs \
               WHERE (status = 'queued' AND run_at_ms <= $3) \
                  OR (status = 'running' AND lease_until_ms <= $3) \
               ORDER BY run_at_ms, id LIMIT 1 {lock}) \
             RETURNING {JOB_COLUMNS}"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(worker)
            .bind(now_ms.saturating_add(lease_ms))
            .bind(now_ms)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(job_from).transpose()?)
    }

    /// Records a job's outcome: `Ok(result)` marks it done, `Err(message)` failed.
    pub async fn finish_job(
        &self,
        id: JobId,
        result: std::result::Result<serde_json::Value, String>,
    ) -> Result<()> {
        let (status, result, error) = match result {
            Ok(value) => (JobStatus::Done, Some(value.to_string()), None),
            Err(message) => (JobStatus::Failed, None, Some(message)),
        };
        let done = sqlx::query(
            "UPDATE jobs SET status = $2, result = $3, error = $4, finished_ms = $5, \
               lease_until_ms = NULL WHERE id = $1",
        )
        .bind(id.0)
        .bind(status.as_str())
        .bind(result)
        .bind(error)
        .bind(millis(Timestamp::now()))
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("job {id}")));
        }
        Ok(())
    }

    pub async fn job(&self, id: JobId) -> Result<Option<Job>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"
        )))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(job_from).transpose()?)
    }
}

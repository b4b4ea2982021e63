//! Users and log-in sessions. Sessions live in the database so that several server
//! processes share them; only a hash of each session token is stored.

use crate::codec::{millis, Reader};
use crate::{Result, Store, StoreError};
use jiff::Timestamp;
use nabo_domain::{EmployeeId, FieldError};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use std::fmt;

/// A user's number in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A user to create, or to update when the username exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    /// An argon2id hash in PHC string format, never a password.
    pub password_hash: String,
    pub employee_id: Option<EmployeeId>,
    pub role: String,
}

/// A stored user. Deliberately not `Serialize`: it carries the password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub employee_id: Option<EmployeeId>,
    pub role: String,
}

const USER_COLUMNS: &str =
    "u.id, u.username, u.display_name, u.password_hash, u.employee_id, u.role";

fn user_from(row: &AnyRow) -> Result<User, sqlx::Error> {
    let r = Reader::new("users", row);
    Ok(User {
        id: UserId(r.int("id")?),
        username: r.text("username")?,
        display_name: r.text("display_name")?,
        password_hash: r.text("password_hash")?,
        employee_id: r.opt_text("employee_id")?.map(EmployeeId),
        role: r.text("role")?,
    })
}

impl Store {
    /// Creates a user, or updates the one with the same username; returns its id.
    pub async fn upsert_user(&self, u: &NewUser) -> Result<UserId> {
        let mut errors = Vec::new();
        if u.username.trim().is_empty() || u.username.chars().count() > 100 {
            errors.push(FieldError::new("username", "must be 1 to 100 characters"));
        }
        if u.display_name.trim().is_empty() {
            errors.push(FieldError::new("display_name", "must not be empty"));
        }
        if !u.password_hash.starts_with("$argon2") {
            errors.push(FieldError::new(
                "password_hash",
                "must be an argon2 hash in PHC format ($argon2id$...), never a password",
            ));
        }
        if u.role.trim().is_empty() {
            errors.push(FieldError::new("role", "must not be empty"));
        }
        let mut tx = self.begin_write().await?;
        if let Some(e) = &u.employee_id {
            if !crate::org::exists(&mut tx, "employees", e.as_str()).await? {
                errors.push(FieldError::new(
                    "employee_id",
                    format!("unknown employee '{e}'"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash, employee_id, role) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, \
               password_hash = excluded.password_hash, employee_id = excluded.employee_id, \
               role = excluded.role \
             RETURNING id",
        )
        .bind(u.username.as_str())
        .bind(u.display_name.as_str())
        .bind(u.password_hash.as_str())
        .bind(u.employee_id.as_ref().map(|e| e.0.clone()))
        .bind(u.role.as_str())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(UserId(id))
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1"
        )))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(user_from).transpose()?)
    }

    /// Records a session. `token_hash` is a hash of the token the browser holds.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        expires_at: Timestamp,
    ) -> Result<()> {
        let now = Timestamp::now();
        let done = sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms) \
             SELECT $1, id, $3, $4 FROM users WHERE id = $2",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(millis(now))
        .bind(millis(expires_at))
        .execute(&self.pool)
        .await;
        match done {
            Ok(done) if done.rows_affected() == 0 => {
                Err(StoreError::NotFound(format!("user {user}")))
            }
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict(
                "a session with this token already exists".into(),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// The user a session belongs to, if the session exists and has not expired at `now`.
    pub async fn session_user(&self, token_hash: &str, now: Timestamp) -> Result<Option<User>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_ms > $2"
        )))
        .bind(token_hash)
        .bind(millis(now))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(user_from).transpose()?)
    }

    /// Ends a session (log-out). Ending one that does not exist is not an error.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes sessions expired at `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_ms <= $1")
            .bind(millis(now))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

//! Time registrations: arriving at and leaving a visit, and indirect citizen time.

use crate::codec::{date_text, millis, write_rows, Reader, Table, Val};
use crate::org::exists;
use crate::{Result, Store, StoreError};
use jiff::civil::Date;
use nabo_domain::time::civil;
use nabo_domain::{
    EmployeeId, FieldError, TimeRegistration, TimeRegistrationId, TimeRegistrationKind, Validate,
    VisitId,
};
use sqlx::any::AnyRow;
use sqlx::AssertSqlSafe;

const TIME_REGISTRATIONS: Table = Table {
    name: "time_registrations",
    columns: &[
        "id",
        "employee_id",
        "kind",
        "date",
        "visit_id",
        "arrived_ms",
        "left_ms",
        "citizen_id",
        "minutes",
        "description",
    ],
    key: Some(&["id"]),
};

fn row(t: &TimeRegistration) -> Vec<Val> {
    let mut v: Vec<Val> = vec![t.id.as_str().into(), t.employee_id.as_str().into()];
    match &t.kind {
        TimeRegistrationKind::Visit {
            visit_id,
            arrived,
            left,
        } => v.extend([
            "visit".into(),
            // The Danish calendar day of arrival, so day and week queries find it.
            date_text(civil(*arrived).date()).into(),
            Some(visit_id.0.clone()).into(),
            Some(millis(*arrived)).into(),
            left.map(millis).into(),
            Val::OptText(None),
            Val::OptInt(None),
            Val::OptText(None),
        ]),
        TimeRegistrationKind::Indirect {
            citizen_id,
            date,
            minutes,
            description,
        } => v.extend([
            "indirect".into(),
            date_text(*date).into(),
            Val::OptText(None),
            Val::OptInt(None),
            Val::OptInt(None),
            Some(citizen_id.0.clone()).into(),
            Some(i64::from(*minutes)).into(),
            Some(description.clone()).into(),
        ]),
    }
    v
}

fn from_row(row: &AnyRow) -> Result<TimeRegistration, sqlx::Error> {
    let r = Reader::new("time_registrations", row);
    let missing = |col: &str| crate::codec::corrupt("time_registrations", col, row, "is empty");
    let kind = match r.text("kind")?.as_str() {
        "visit" => TimeRegistrationKind::Visit {
            visit_id: r
                .opt_text("visit_id")?
                .ok_or_else(|| missing("visit_id"))?
                .as_str()
                .into(),
            arrived: r
                .opt_instant("arrived_ms")?
                .ok_or_else(|| missing("arrived_ms"))?,
            left: r.opt_instant("left_ms")?,
        },
        "indirect" => TimeRegistrationKind::Indirect {
            citizen_id: r
                .opt_text("citizen_id")?
                .ok_or_else(|| missing("citizen_id"))?
                .as_str()
                .into(),
            date: r.date("date")?,
            minutes: match r.opt_int("minutes")? {
                Some(m) => u32::try_from(m).map_err(|_| {
                    crate::codec::corrupt("time_registrations", "minutes", row, "out of range")
                })?,
                None => return Err(missing("minutes")),
            },
            description: r.opt_text("description")?.unwrap_or_default(),
        },
        other => {
            return Err(crate::codec::corrupt(
                "time_registrations",
                "kind",
                row,
                format!("unknown kind '{other}'"),
            ))
        }
    };
    Ok(TimeRegistration {
        id: TimeRegistrationId(r.text("id")?),
        employee_id: EmployeeId(r.text("employee_id")?),
        kind,
    })
}

/// Ordered by day, then arrival, indirect time last (spelled out: SQLite sorts NULL
/// first and PostgreSQL last).
async fn load(sql_where: &str, binds: Vec<Val>, store: &Store) -> Result<Vec<TimeRegistration>> {
    let sql = format!(
        "SELECT {} FROM time_registrations WHERE {sql_where} \
         ORDER BY date, CASE WHEN arrived_ms IS NULL THEN 1 ELSE 0 END, arrived_ms, id",
        TIME_REGISTRATIONS.columns.join(", ")
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for b in binds {
        q = crate::codec::bind(q, b);
    }
    let rows = q.fetch_all(&store.pool).await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

impl Store {
    /// Creates or updates a time registration.
    pub async fn upsert_time_registration(&self, t: &TimeRegistration) -> Result<()> {
        let mut errors = t.validate();
        let mut tx = self.begin_write().await?;
        if !exists(&mut tx, "employees", t.employee_id.as_str()).await? {
            errors.push(FieldError::new(
                "employee_id",
                format!("unknown employee '{}'", t.employee_id),
            ));
        }
        let (table, field, what, id) = match &t.kind {
            TimeRegistrationKind::Visit { visit_id, .. } => {
                ("visits", "visit_id", "visit", visit_id.as_str())
            }
            TimeRegistrationKind::Indirect { citizen_id, .. } => {
                ("citizens", "citizen_id", "citizen", citizen_id.as_str())
            }
        };
        if !exists(&mut tx, table, id).await? {
            errors.push(FieldError::new(field, format!("unknown {what} '{id}'")));
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        write_rows(&mut tx, &TIME_REGISTRATIONS, vec![row(t)]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Registrations on Danish calendar days from `from` to `to` (both included), of one
    /// employee or all; by date, then arrival.
    pub async fn time_registrations(
        &self,
        employee: Option<&EmployeeId>,
        from: Date,
        to: Date,
    ) -> Result<Vec<TimeRegistration>> {
        let mut binds: Vec<Val> = vec![date_text(from).into(), date_text(to).into()];
        let mut cond = String::from("date >= $1 AND date <= $2");
        if let Some(e) = employee {
            binds.push(e.as_str().into());
            cond.push_str(" AND employee_id = $3");
        }
        load(&cond, binds, self).await
    }

    /// The arrive/leave registrations of one visit.
    pub async fn visit_time_registrations(&self, visit: &VisitId) -> Result<Vec<TimeRegistration>> {
        load("visit_id = $1", vec![visit.as_str().into()], self).await
    }

    /// Deletes a time registration; `false` when there was none with this id.
    pub async fn delete_time_registration(&self, id: &TimeRegistrationId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM time_registrations WHERE id = $1")
            .bind(id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

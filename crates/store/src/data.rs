//! Whole datasets: import (one transaction, all or nothing), export, and wiping.

use crate::org::{
    load_absences, load_citizens, load_districts, load_employees, load_grants, load_organisations,
    load_recurring, load_shifts, load_teams, load_visits, put_absences, put_citizens,
    put_districts, put_employees, put_grants, put_organisations, put_recurring_visits, put_shifts,
    put_teams, put_visits,
};
use crate::{travel, Backend, Result, Store, StoreError};
use nabo_domain::dataset::{KnownIds, DATASET_FORMAT};
use nabo_domain::{Dataset, GeoPoint};
use serde::Serialize;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::HashMap;
use std::fmt;

/// The collections of a dataset; each is stored in the table of the same name, and the
/// order is the order of dependencies (a record only refers to earlier collections).
const COLLECTIONS: [&str; 10] = [
    "organisations",
    "districts",
    "teams",
    "employees",
    "citizens",
    "grants",
    "recurring_visits",
    "visits",
    "shifts",
    "absences",
];

/// Every table, children before parents, for wiping the database.
const ALL_TABLES_CHILDREN_FIRST: [&str; 20] = [
    "sessions",
    "users",
    "jobs",
    "travel_times",
    "time_registrations",
    "visit_assignments",
    "visits",
    "absences",
    "shifts",
    "recurring_visits",
    "grant_assessments",
    "grant_hours",
    "grants",
    "citizen_staff",
    "citizens",
    "employee_qualifications",
    "employees",
    "teams",
    "districts",
    "organisations",
];

/// How many records of one collection an import added and how many it updated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectionCount {
    pub collection: &'static str,
    pub inserted: usize,
    pub updated: usize,
}

/// What an import did, per collection, in dependency order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub collections: Vec<CollectionCount>,
}

impl ImportSummary {
    pub fn inserted(&self) -> usize {
        self.collections.iter().map(|c| c.inserted).sum()
    }
    pub fn updated(&self) -> usize {
        self.collections.iter().map(|c| c.updated).sum()
    }
    /// Counts of one collection ("teams", "visits", ...).
    pub fn get(&self, collection: &str) -> Option<&CollectionCount> {
        self.collections.iter().find(|c| c.collection == collection)
    }
}

impl fmt::Display for ImportSummary {
    /// "teams: 5 (3 new, 2 updated), citizens: 352 new, ..." leaving out empty ones.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .collections
            .iter()
            .filter(|c| c.inserted + c.updated > 0)
            .map(|c| match (c.inserted, c.updated) {
                (n, 0) => format!("{}: {n} new", c.collection),
                (0, u) => format!("{}: {u} updated", c.collection),
                (n, u) => format!("{}: {} ({n} new, {u} updated)", c.collection, n + u),
            })
            .collect();
        if parts.is_empty() {
            f.write_str("nothing imported")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

async fn known_ids_in(conn: &mut AnyConnection) -> Result<KnownIds> {
    let mut known = KnownIds::default();
    for collection in COLLECTIONS {
        let sql = format!("SELECT id FROM {collection}");
        let ids: Vec<String> = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await?;
        for id in ids {
            known.insert(collection, id);
        }
        // An empty collection is still known to exist, and cheap to look up.
        known.ids.entry(collection).or_default();
    }
    Ok(known)
}

impl Store {
    /// The ids of every record already stored, per collection, for checking a dataset.
    pub async fn known_ids(&self) -> Result<KnownIds> {
        let mut conn = self.pool.acquire().await?;
        known_ids_in(&mut conn).await
    }

    /// Imports a dataset in one transaction. Records whose id exists are updated. The
    /// dataset is checked first (against what is stored, read in the same transaction);
    /// if anything is wrong nothing is written and every problem is returned in
    /// [`StoreError::Dataset`].
    pub async fn import(&self, data: &Dataset) -> Result<ImportSummary> {
        let started = std::time::Instant::now();
        let mut tx = self.begin_write().await?;
        let known = known_ids_in(&mut tx).await?;
        let errors = data.check(&known);
        if !errors.is_empty() {
            tx.rollback().await?;
            return Err(StoreError::Dataset(errors));
        }
        let is_known =
            |collection: &str, id: &str| known.ids.get(collection).is_some_and(|s| s.contains(id));
        let mut counts = Vec::new();
        let mut count = |collection: &'static str, ids: Vec<&str>| {
            let updated = ids.iter().filter(|id| is_known(collection, id)).count();
            counts.push(CollectionCount {
                collection,
                inserted: ids.len() - updated,
                updated,
            });
        };
        count(
            "organisations",
            data.organisations.iter().map(|x| x.id.as_str()).collect(),
        );
        count(
            "districts",
            data.districts.iter().map(|x| x.id.as_str()).collect(),
        );
        count("teams", data.teams.iter().map(|x| x.id.as_str()).collect());
        count(
            "employees",
            data.employees.iter().map(|x| x.id.as_str()).collect(),
        );
        count(
            "citizens",
            data.citizens.iter().map(|x| x.id.as_str()).collect(),
        );
        count(
            "grants",
            data.grants.iter().map(|x| x.id.as_str()).collect(),
        );
        count(
            "recurring_visits",
            data.recurring_visits
                .iter()
                .map(|x| x.id.as_str())
                .collect(),
        );
        count(
            "visits",
            data.visits.iter().map(|x| x.id.as_str()).collect(),
        );
        count(
            "shifts",
            data.shifts.iter().map(|x| x.id.as_str()).collect(),
        );
        count(
            "absences",
            data.absences.iter().map(|x| x.id.as_str()).collect(),
        );

        // Citizens who moved: their cached travel times are forgotten.
        if data
            .citizens
            .iter()
            .any(|c| is_known("citizens", c.id.as_str()))
        {
            let rows = sqlx::query("SELECT id, lat, lon FROM citizens")
                .fetch_all(&mut *tx)
                .await?;
            let mut old: HashMap<String, GeoPoint> = HashMap::with_capacity(rows.len());
            for row in rows {
                old.insert(
                    row.try_get("id")?,
                    GeoPoint::new(row.try_get("lat")?, row.try_get("lon")?),
                );
            }
            let mut moved = Vec::new();
            for c in &data.citizens {
                if let Some(was) = old.get(c.id.as_str()) {
                    if travel::key(*was) != travel::key(c.location)
                        && !moved.contains(&travel::key(*was))
                    {
                        moved.push(travel::key(*was));
                        travel::forget_at(&mut tx, *was).await?;
                    }
                }
            }
        }

        put_organisations(&mut tx, &data.organisations).await?;
        put_districts(&mut tx, &data.districts).await?;
        put_teams(&mut tx, &data.teams).await?;
        put_employees(&mut tx, &data.employees, &|id| is_known("employees", id)).await?;
        put_citizens(&mut tx, &data.citizens, &|id| is_known("citizens", id)).await?;
        put_grants(&mut tx, &data.grants, &|id| is_known("grants", id)).await?;
        put_recurring_visits(&mut tx, &data.recurring_visits).await?;
        put_visits(&mut tx, &data.visits, &|id| is_known("visits", id)).await?;
        put_shifts(&mut tx, &data.shifts).await?;
        put_absences(&mut tx, &data.absences).await?;
        tx.commit().await?;
        let summary = ImportSummary {
            collections: counts,
        };
        tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, %summary, "dataset imported");
        Ok(summary)
    }

    /// Everything stored, as a dataset, each collection ordered by id.
    pub async fn export(&self) -> Result<Dataset> {
        // One snapshot, so that a concurrent write cannot tear the export.
        let mut tx = match self.backend {
            Backend::Sqlite => self.pool.begin().await?,
            Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?
            }
        };
        let all = "1 = 1";
        let data = Dataset {
            format: DATASET_FORMAT.to_owned(),
            organisations: load_organisations(&mut tx).await?,
            districts: load_districts(&mut tx).await?,
            teams: load_teams(&mut tx, all, &[], "p.id").await?,
            employees: load_employees(&mut tx, all, &[], "p.id").await?,
            citizens: load_citizens(&mut tx, all, &[], "p.id").await?,
            grants: load_grants(&mut tx, all, &[]).await?,
            recurring_visits: load_recurring(&mut tx, all, &[]).await?,
            visits: load_visits(&mut tx, "", all, &[], "p.id").await?,
            shifts: load_shifts(&mut tx, "", all, &[], "p.id").await?,
            absences: load_absences(&mut tx, "", all, &[], "p.id").await?,
        };
        tx.commit().await?;
        Ok(data)
    }

    /// Whether the database holds no teams yet (a fresh database).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM teams")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    /// Deletes everything: organisation data, time registrations, users, sessions, jobs and cached travel
    /// times. The schema stays.
    pub async fn clear_all(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for table in ALL_TABLES_CHILDREN_FIRST {
            sqlx::query(AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

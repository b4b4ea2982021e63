//! The travel-time cache: computed or fetched travel times per travel mode, keyed by
//! coordinates rounded to 1e-5 degrees (about a metre).

use crate::codec::{enum_text, write_rows, Table, Val};
use crate::{Result, Store};
use nabo_domain::{GeoPoint, TravelMode};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A travel time and distance from one point to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TravelEntry {
    pub seconds: u32,
    pub metres: u32,
}

const TRAVEL_TIMES: Table = Table {
    name: "travel_times",
    columns: &[
        "mode", "from_lat", "from_lon", "to_lat", "to_lon", "seconds", "metres",
    ],
    key: Some(&["mode", "from_lat", "from_lon", "to_lat", "to_lon"]),
};

/// A (from, to) pair as the cache keys it.
type PairKey = ((i64, i64), (i64, i64));

/// A point as the cache keys it: degrees × 100 000, rounded.
pub(crate) fn key(p: GeoPoint) -> (i64, i64) {
    // Valid coordinates are within ±180°, far inside i64 after scaling.
    ((p.lat * 1e5).round() as i64, (p.lon * 1e5).round() as i64)
}

/// Forgets every cached time from or to `point`; returns how many.
pub(crate) async fn forget_at(conn: &mut AnyConnection, point: GeoPoint) -> Result<u64> {
    let (lat, lon) = key(point);
    let done = sqlx::query(
        "DELETE FROM travel_times \
         WHERE (from_lat = $1 AND from_lon = $2) OR (to_lat = $1 AND to_lon = $2)",
    )
    .bind(lat)
    .bind(lon)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

impl Store {
    /// Cached travel times for `pairs` (from, to), in the same order; `None` where not
    /// cached.
    pub async fn cached_travel(
        &self,
        mode: TravelMode,
        pairs: &[(GeoPoint, GeoPoint)],
    ) -> Result<Vec<Option<TravelEntry>>> {
        let mode = enum_text(&mode);
        let mut origins: Vec<(i64, i64)> = pairs.iter().map(|(from, _)| key(*from)).collect();
        origins.sort_unstable();
        origins.dedup();
        // One query per distinct origin: a whole matrix row comes back at once.
        let mut found: HashMap<PairKey, TravelEntry> = HashMap::new();
        let mut conn = self.pool.acquire().await?;
        for origin in origins {
            let rows = sqlx::query(
                "SELECT to_lat, to_lon, seconds, metres FROM travel_times \
                 WHERE mode = $1 AND from_lat = $2 AND from_lon = $3",
            )
            .bind(mode.as_str())
            .bind(origin.0)
            .bind(origin.1)
            .fetch_all(&mut *conn)
            .await?;
            for row in rows {
                let to = (
                    row.try_get::<i64, _>("to_lat")?,
                    row.try_get::<i64, _>("to_lon")?,
                );
                let seconds: i64 = row.try_get("seconds")?;
                let metres: i64 = row.try_get("metres")?;
                found.insert(
                    (origin, to),
                    TravelEntry {
                        seconds: u32::try_from(seconds).unwrap_or(u32::MAX),
                        metres: u32::try_from(metres).unwrap_or(u32::MAX),
                    },
                );
            }
        }
        Ok(pairs
            .iter()
            .map(|(from, to)| found.get(&(key(*from), key(*to))).copied())
            .collect())
    }

    /// Caches travel times (replacing cached ones for the same pairs).
    pub async fn store_travel(
        &self,
        mode: TravelMode,
        entries: &[(GeoPoint, GeoPoint, TravelEntry)],
    ) -> Result<()> {
        let mode = enum_text(&mode);
        // One row per key: PostgreSQL refuses to update a row twice in one statement.
        let mut unique: HashMap<PairKey, TravelEntry> = HashMap::new();
        let mut order = Vec::new();
        for (from, to, entry) in entries {
            let k = (key(*from), key(*to));
            if unique.insert(k, *entry).is_none() {
                order.push(k);
            }
        }
        let rows: Vec<Vec<Val>> = order
            .into_iter()
            .map(|k| {
                let e = unique[&k];
                vec![
                    mode.as_str().into(),
                    k.0 .0.into(),
                    k.0 .1.into(),
                    k.1 .0.into(),
                    k.1 .1.into(),
                    i64::from(e.seconds).into(),
                    i64::from(e.metres).into(),
                ]
            })
            .collect();
        let mut tx = self.begin_write().await?;
        write_rows(&mut tx, &TRAVEL_TIMES, rows).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets cached travel times from or to `point` (an address or location changed);
    /// returns how many were forgotten.
    pub async fn forget_travel_at(&self, point: GeoPoint) -> Result<u64> {
        let mut conn = self.pool.acquire().await?;
        forget_at(&mut conn, point).await
    }
}

//! Travel times between homes: one provider interface, [`TravelTimes`], and two
//! implementations.
//!
//! * [`Haversine`], the embedded default: great-circle distance × a detour factor ÷ a
//!   speed per travel mode, plus a fixed time per leg to park and get out. Works
//!   offline with nothing to install. The constants and why they were chosen are in
//!   the constants' docs and in `crates/planning/README.md`.
//! * [`OsrmClient`]: a client for an OSRM-compatible `/table` HTTP service
//!   (`--router-url`), which a municipality runs on OpenStreetMap data for real road
//!   times. No OSRM build can be installed on the machine Nabo is developed on, so the
//!   client is tested against a small loopback HTTP server in the tests that answers in
//!   OSRM's documented response format (`code`, `durations`, `distances`, `null` for
//!   unroutable pairs, `{"code":"InvalidQuery","message":...}` on errors).
//!
//! [`Cached`] wraps either and keeps matrices in the database per travel mode, so only
//! pairs not yet cached are asked for (the store forgets a point's times when an
//! address changes). [`Provider`] picks one at run time from an optional router URL.

use nabo_domain::{GeoPoint, TravelMode};
use nabo_store::{Store, StoreError, TravelEntry};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::time::Duration;

/// How much longer the road is than the straight line. Road-network circuity factors
/// of 1.2–1.4 are the usual figure in the literature (e.g. Ballou, Rahardja & Sakai,
/// "Selected country circuity factors for road travel distance estimation",
/// Transportation Research A 36, 2002); 1.3 suits Danish towns and the country roads
/// between villages.
pub const DETOUR_FACTOR: f64 = 1.3;

/// Average door-to-door speed by car, km/h, over a mix of town streets (30–50 km/h)
/// and country roads (80 km/h), including junctions and slowing down to find the house.
pub const CAR_KMH: f64 = 40.0;
/// E-bike, km/h: pedal assistance stops at 25 km/h; ~18 on average with stops.
pub const E_BIKE_KMH: f64 = 18.0;
/// Ordinary bike, km/h: a relaxed commuting pace with stops.
pub const BIKE_KMH: f64 = 15.0;
/// Walking, km/h: a brisk adult pace.
pub const FOOT_KMH: f64 = 4.5;
/// Seconds per car leg to park, get the bag and reach the door.
pub const CAR_PARKING_S: u32 = 120;
/// Seconds per bike leg to lock and unlock the bike.
pub const BIKE_PARKING_S: u32 = 30;

/// Travel times and distances from each of `rows` sources to each of `cols`
/// destinations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TravelMatrix {
    pub rows: usize,
    pub cols: usize,
    /// Row-major, `rows × cols`.
    pub seconds: Vec<u32>,
    pub metres: Vec<u32>,
}

impl TravelMatrix {
    fn zeros(rows: usize, cols: usize) -> Self {
        Self {
            rows,
            cols,
            seconds: vec![0; rows * cols],
            metres: vec![0; rows * cols],
        }
    }

    /// Time and distance from source `from` to destination `to`.
    pub fn get(&self, from: usize, to: usize) -> TravelEntry {
        let k = from * self.cols + to;
        TravelEntry {
            seconds: self.seconds[k],
            metres: self.metres[k],
        }
    }

    fn set(&mut self, from: usize, to: usize, e: TravelEntry) {
        let k = from * self.cols + to;
        self.seconds[k] = e.seconds;
        self.metres[k] = e.metres;
    }
}

/// Why travel times could not be had.
#[derive(Debug, thiserror::Error)]
pub enum TravelError {
    #[error("could not reach the router at {url}: {source}. Check --router-url and that the OSRM service is running")]
    Http {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the router at {url} answered {code}: {message}")]
    Router {
        url: String,
        code: String,
        message: String,
    },
    #[error("the router at {url} answered HTTP {status} without an OSRM error body: {body}")]
    Status {
        url: String,
        status: u16,
        body: String,
    },
    #[error("the router's answer from {url} is not an OSRM table response: {reason}")]
    Malformed { url: String, reason: String },
    #[error("the router found no route from point {from} ({from_point}) to point {to} ({to_point}); check both addresses' coordinates")]
    Unroutable {
        from: usize,
        to: usize,
        from_point: String,
        to_point: String,
    },
    #[error("'{0}' is not a router URL; give one like http://localhost:5000")]
    BadUrl(String),
    #[error("travel-time cache: {0}")]
    Store(#[from] StoreError),
}

pub type Result<T, E = TravelError> = std::result::Result<T, E>;

/// Something that knows how long it takes to get from place to place.
pub trait TravelTimes: Send + Sync {
    /// Times from every source to every destination.
    fn table(
        &self,
        mode: TravelMode,
        sources: &[GeoPoint],
        destinations: &[GeoPoint],
    ) -> impl Future<Output = Result<TravelMatrix>> + Send;

    /// The square matrix between all `points` (zero on the diagonal).
    fn matrix(
        &self,
        mode: TravelMode,
        points: &[GeoPoint],
    ) -> impl Future<Output = Result<TravelMatrix>> + Send {
        self.table(mode, points, points)
    }
}

fn point_text(p: GeoPoint) -> String {
    format!("{:.5} N, {:.5} E", p.lat, p.lon)
}

/// The embedded, offline travel-time model.
#[derive(Debug, Clone, Copy, Default)]
pub struct Haversine;

impl Haversine {
    /// Speed in km/h and fixed seconds per leg for a travel mode.
    pub fn speed(mode: TravelMode) -> (f64, u32) {
        match mode {
            TravelMode::Car => (CAR_KMH, CAR_PARKING_S),
            TravelMode::EBike => (E_BIKE_KMH, BIKE_PARKING_S),
            TravelMode::Bike => (BIKE_KMH, BIKE_PARKING_S),
            TravelMode::Foot => (FOOT_KMH, 0),
        }
    }

    /// One leg. Staying at the same address (a couple) takes no time.
    pub fn leg(mode: TravelMode, from: GeoPoint, to: GeoPoint) -> TravelEntry {
        let metres = from.distance_m(&to) * DETOUR_FACTOR;
        if metres < 1.0 {
            return TravelEntry {
                seconds: 0,
                metres: 0,
            };
        }
        let (kmh, fixed) = Self::speed(mode);
        let seconds = metres / (kmh / 3.6);
        TravelEntry {
            seconds: (seconds.round() as u32).saturating_add(fixed),
            metres: metres.round() as u32,
        }
    }
}

impl TravelTimes for Haversine {
    async fn table(
        &self,
        mode: TravelMode,
        sources: &[GeoPoint],
        destinations: &[GeoPoint],
    ) -> Result<TravelMatrix> {
        let mut m = TravelMatrix::zeros(sources.len(), destinations.len());
        for (i, a) in sources.iter().enumerate() {
            for (j, b) in destinations.iter().enumerate() {
                m.set(i, j, Self::leg(mode, *a, *b));
            }
        }
        Ok(m)
    }
}

/// A client for an OSRM-compatible `/table` service.
#[derive(Debug, Clone)]
pub struct OsrmClient {
    base: String,
    http: reqwest::Client,
    /// Most coordinates in one request (osrm-routed's `--max-table-size`, 100 by
    /// default); bigger tables are fetched in blocks.
    pub max_table_size: usize,
}

/// OSRM's profile name for a travel mode.
pub fn osrm_profile(mode: TravelMode) -> &'static str {
    match mode {
        TravelMode::Car => "driving",
        TravelMode::Bike | TravelMode::EBike => "cycling",
        TravelMode::Foot => "walking",
    }
}

/// The documented shape of an OSRM table response (and of its error responses).
#[derive(Debug, Deserialize)]
struct OsrmTable {
    code: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    durations: Option<Vec<Vec<Option<f64>>>>,
    #[serde(default)]
    distances: Option<Vec<Vec<Option<f64>>>>,
}

impl OsrmClient {
    /// A client for the service at `router_url` (e.g. `http://localhost:5000`).
    pub fn new(router_url: &str) -> Result<Self> {
        let base = router_url.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) || base.len() < 10 {
            return Err(TravelError::BadUrl(router_url.to_owned()));
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|source| TravelError::Http {
                url: base.clone(),
                source,
            })?;
        Ok(Self {
            base,
            http,
            max_table_size: 100,
        })
    }

    /// One request: all `sources` to all `destinations`.
    async fn block(
        &self,
        mode: TravelMode,
        sources: &[GeoPoint],
        destinations: &[GeoPoint],
    ) -> Result<(Vec<Vec<Option<f64>>>, Vec<Vec<Option<f64>>>)> {
        let coords: Vec<String> = sources
            .iter()
            .chain(destinations)
            .map(|p| format!("{:.6},{:.6}", p.lon, p.lat))
            .collect();
        let src: Vec<String> = (0..sources.len()).map(|i| i.to_string()).collect();
        let dst: Vec<String> = (sources.len()..sources.len() + destinations.len())
            .map(|i| i.to_string())
            .collect();
        let url = format!(
            "{}/table/v1/{}/{}?sources={}&destinations={}&annotations=duration,distance",
            self.base,
            osrm_profile(mode),
            coords.join(";"),
            src.join(";"),
            dst.join(";")
        );
        let http_err = |source| TravelError::Http {
            url: url.clone(),
            source,
        };
        let response = self.http.get(&url).send().await.map_err(http_err)?;
        let status = response.status();
        let body = response.text().await.map_err(http_err)?;
        let table: OsrmTable = match serde_json::from_str(&body) {
            Ok(t) => t,
            Err(e) if status.is_success() => {
                return Err(TravelError::Malformed {
                    url,
                    reason: e.to_string(),
                })
            }
            Err(_) => {
                return Err(TravelError::Status {
                    url,
                    status: status.as_u16(),
                    body: body.chars().take(300).collect(),
                })
            }
        };
        if table.code != "Ok" {
            return Err(TravelError::Router {
                url,
                code: table.code,
                message: table.message.unwrap_or_default(),
            });
        }
        let shape_ok = |m: &Vec<Vec<Option<f64>>>| {
            m.len() == sources.len() && m.iter().all(|r| r.len() == destinations.len())
        };
        match (table.durations, table.distances) {
            (Some(d), Some(m)) if shape_ok(&d) && shape_ok(&m) => Ok((d, m)),
            (Some(_), Some(_)) => Err(TravelError::Malformed {
                url,
                reason: format!(
                    "expected {}×{} durations and distances",
                    sources.len(),
                    destinations.len()
                ),
            }),
            _ => Err(TravelError::Malformed {
                url,
                reason: "missing 'durations' or 'distances' (the service must support annotations=duration,distance)".into(),
            }),
        }
    }
}

impl TravelTimes for OsrmClient {
    async fn table(
        &self,
        mode: TravelMode,
        sources: &[GeoPoint],
        destinations: &[GeoPoint],
    ) -> Result<TravelMatrix> {
        let mut m = TravelMatrix::zeros(sources.len(), destinations.len());
        let chunk = (self.max_table_size / 2).max(1);
        for (bi, src) in sources.chunks(chunk).enumerate() {
            for (bj, dst) in destinations.chunks(chunk).enumerate() {
                let (durations, distances) = self.block(mode, src, dst).await?;
                for (i, (drow, mrow)) in durations.iter().zip(&distances).enumerate() {
                    for (j, (d, dist)) in drow.iter().zip(mrow).enumerate() {
                        let (from, to) = (bi * chunk + i, bj * chunk + j);
                        let (Some(d), Some(dist)) = (d, dist) else {
                            return Err(TravelError::Unroutable {
                                from,
                                to,
                                from_point: point_text(sources[from]),
                                to_point: point_text(destinations[to]),
                            });
                        };
                        m.set(
                            from,
                            to,
                            TravelEntry {
                                seconds: d.max(0.0).round() as u32,
                                metres: dist.max(0.0).round() as u32,
                            },
                        );
                    }
                }
            }
        }
        Ok(m)
    }
}

/// The provider chosen at run time: OSRM when a router URL is given, else offline.
#[derive(Debug, Clone)]
pub enum Provider {
    Offline(Haversine),
    Osrm(OsrmClient),
}

impl Provider {
    pub fn new(router_url: Option<&str>) -> Result<Self> {
        Ok(match router_url {
            Some(url) => Provider::Osrm(OsrmClient::new(url)?),
            None => Provider::Offline(Haversine),
        })
    }
}

impl TravelTimes for Provider {
    async fn table(
        &self,
        mode: TravelMode,
        sources: &[GeoPoint],
        destinations: &[GeoPoint],
    ) -> Result<TravelMatrix> {
        match self {
            Provider::Offline(h) => h.table(mode, sources, destinations).await,
            Provider::Osrm(o) => o.table(mode, sources, destinations).await,
        }
    }
}

/// A provider whose answers are kept in the database; only pairs that are not cached
/// yet are asked for, grouped into as few rectangular requests as the gaps allow.
#[derive(Clone)]
pub struct Cached<P> {
    pub store: Store,
    pub inner: P,
}

impl<P: TravelTimes> Cached<P> {
    pub fn new(store: Store, inner: P) -> Self {
        Self { store, inner }
    }
}

impl<P: TravelTimes> TravelTimes for Cached<P> {
    async fn table(
        &self,
        mode: TravelMode,
        sources: &[GeoPoint],
        destinations: &[GeoPoint],
    ) -> Result<TravelMatrix> {
        let pairs: Vec<(GeoPoint, GeoPoint)> = sources
            .iter()
            .flat_map(|a| destinations.iter().map(move |b| (*a, *b)))
            .collect();
        let cached = self.store.cached_travel(mode, &pairs).await?;
        let mut m = TravelMatrix::zeros(sources.len(), destinations.len());
        // Sources grouped by the set of destinations they miss: a new address makes two
        // groups (its row, and everyone's column to it), an empty cache one.
        let mut groups: BTreeMap<Vec<usize>, Vec<usize>> = BTreeMap::new();
        for i in 0..sources.len() {
            let mut missing = Vec::new();
            for j in 0..destinations.len() {
                match cached[i * destinations.len() + j] {
                    Some(e) => m.set(i, j, e),
                    None => missing.push(j),
                }
            }
            if !missing.is_empty() {
                groups.entry(missing).or_default().push(i);
            }
        }
        for (dst_idx, src_idx) in groups {
            // Fetch each distinct point once even if it repeats in the input.
            let src: Vec<GeoPoint> = src_idx.iter().map(|&i| sources[i]).collect();
            let dst: Vec<GeoPoint> = dst_idx.iter().map(|&j| destinations[j]).collect();
            let fetched = self
                .inner
                .table(mode, &src, &dst)
                .await
                .map_err(|e| match e {
                    // Name the caller's indices, not the sub-request's.
                    TravelError::Unroutable {
                        from,
                        to,
                        from_point,
                        to_point,
                    } => TravelError::Unroutable {
                        from: src_idx[from],
                        to: dst_idx[to],
                        from_point,
                        to_point,
                    },
                    other => other,
                })?;
            let mut fresh = Vec::with_capacity(src.len() * dst.len());
            let mut seen = BTreeSet::new();
            for (a, &i) in src_idx.iter().enumerate() {
                for (b, &j) in dst_idx.iter().enumerate() {
                    let e = fetched.get(a, b);
                    m.set(i, j, e);
                    let key = (key(sources[i]), key(destinations[j]));
                    if seen.insert(key) {
                        fresh.push((sources[i], destinations[j], e));
                    }
                }
            }
            self.store.store_travel(mode, &fresh).await?;
        }
        Ok(m)
    }
}

fn key(p: GeoPoint) -> (i64, i64) {
    ((p.lat * 1e5).round() as i64, (p.lon * 1e5).round() as i64)
}

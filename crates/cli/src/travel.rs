//! `nabo travel`: fill the travel-time cache for teams' citizens, through the offline
//! model or an OSRM router, and show what a team's trips look like.

use crate::serve::DatabaseArgs;
use anyhow::{bail, Context, Result};
use clap::Args;
use nabo_domain::{GeoPoint, TeamId, TravelMode};
use nabo_planning::travel::{Cached, Provider, TravelTimes};
use std::collections::BTreeSet;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct TravelArgs {
    /// Only this team (all teams when left out).
    #[arg(long)]
    pub team: Option<String>,
    /// An OSRM-compatible routing service, e.g. http://osrm.intranet:5000; without it the
    /// offline straight-line model is used.
    #[arg(long, env = "NABO_ROUTER_URL")]
    pub router_url: Option<String>,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

pub async fn run(args: TravelArgs) -> Result<()> {
    let store = args.db.open().await?;
    let provider = Provider::new(args.router_url.as_deref())?;
    let travel = Cached::new(store.clone(), provider);
    let mut teams = store.teams().await?;
    if let Some(only) = &args.team {
        teams.retain(|t| t.id == TeamId::from(only.as_str()));
        if teams.is_empty() {
            bail!("there is no team '{only}'; `nabo export` lists the teams");
        }
    }
    println!(
        "{:<28} {:>6} {:>7} {:>8} {:>8} {:>10} {:>10}",
        "team", "mode", "places", "cached", "fetched", "median min", "longest min"
    );
    for team in &teams {
        let citizens = store.citizens(Some(&team.id)).await?;
        let employees = store.employees(Some(&team.id)).await?;
        let mut points = vec![team.base];
        points.extend(citizens.iter().map(|c| c.location));
        dedupe(&mut points);
        let modes: BTreeSet<&'static str> =
            employees.iter().map(|e| e.travel_mode.as_str()).collect();
        for mode in TravelMode::ALL
            .into_iter()
            .filter(|m| modes.contains(m.as_str()))
        {
            let pairs: Vec<(GeoPoint, GeoPoint)> = points
                .iter()
                .flat_map(|a| points.iter().map(move |b| (*a, *b)))
                .collect();
            let cached = store
                .cached_travel(mode, &pairs)
                .await?
                .iter()
                .filter(|e| e.is_some())
                .count();
            let started = Instant::now();
            let matrix = travel
                .matrix(mode, &points)
                .await
                .with_context(|| format!("travel times for {} by {}", team.name, mode.as_str()))?;
            tracing::debug!(elapsed = ?started.elapsed(), "matrix ready");
            let mut minutes: Vec<f64> = matrix
                .seconds
                .iter()
                .enumerate()
                .filter(|(k, _)| k / points.len() != k % points.len())
                .map(|(_, s)| f64::from(*s) / 60.0)
                .collect();
            minutes.sort_by(f64::total_cmp);
            let median = minutes.get(minutes.len() / 2).copied().unwrap_or(0.0);
            let longest = minutes.last().copied().unwrap_or(0.0);
            println!(
                "{:<28} {:>6} {:>7} {:>8} {:>8} {:>10.1} {:>10.1}",
                team.name,
                mode.as_str(),
                points.len(),
                cached,
                pairs.len() - cached,
                median,
                longest
            );
        }
    }
    Ok(())
}

/// Neighbours in one house share a point; ask for it once.
fn dedupe(points: &mut Vec<GeoPoint>) {
    let mut seen = BTreeSet::new();
    points.retain(|p| seen.insert(((p.lat * 1e5).round() as i64, (p.lon * 1e5).round() as i64)));
}

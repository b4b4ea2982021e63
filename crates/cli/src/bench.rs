//! `nabo bench`: speed targets measured by a command that prints a table (never by a
//! timed test: these machines are small and noisy).

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use nabo_planning::demo::{self, DemoConfig};
use nabo_store::Store;
use std::time::Instant;

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Time generating and storing demo municipalities (target: 1,400 citizens < 10 s).
    Demo(DemoBenchArgs),
}

#[derive(Args, Debug)]
pub struct DemoBenchArgs {
    /// Municipality sizes to measure, in citizens.
    #[arg(long, value_delimiter = ',', default_values_t = [352, 1400, 5000])]
    pub citizens: Vec<usize>,
    /// Also measure on this PostgreSQL server (a scratch database is created and dropped).
    #[arg(long)]
    pub postgres: Option<String>,
    /// Repetitions per size; the table shows the best and the median.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
}

pub async fn run(command: BenchCommand) -> Result<()> {
    match command {
        BenchCommand::Demo(args) => demo_bench(args).await,
    }
}

struct Timing {
    generate: f64,
    store: f64,
}

async fn demo_bench(args: DemoBenchArgs) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("nabo-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    println!(
        "{:<10} {:>9} {:>8} {:>8} {:>12} {:>12} {:>10}",
        "database", "citizens", "visits", "shifts", "generate s", "store s", "total s"
    );
    let mut backends = vec![("sqlite", None)];
    if let Some(url) = &args.postgres {
        backends.push(("postgres", Some(url.clone())));
    }
    for (name, admin_url) in backends {
        for &citizens in &args.citizens {
            let mut runs = Vec::new();
            let mut sizes = (0, 0);
            for run in 0..args.runs.max(1) {
                let url = match &admin_url {
                    None => format!("sqlite://{}/bench-{citizens}-{run}.db", dir.display()),
                    Some(admin) => scratch_postgres(admin, citizens, run).await?,
                };
                let started = Instant::now();
                let data = demo::generate(&DemoConfig {
                    citizens,
                    ..DemoConfig::default()
                });
                let generate = started.elapsed().as_secs_f64();
                sizes = (data.visits.len(), data.shifts.len());
                let store = Store::connect(&url).await?;
                let stored = Instant::now();
                store.import(&data).await?;
                runs.push(Timing {
                    generate,
                    store: stored.elapsed().as_secs_f64(),
                });
                store.close().await;
            }
            runs.sort_by(|a, b| (a.generate + a.store).total_cmp(&(b.generate + b.store)));
            let best = &runs[0];
            println!(
                "{:<10} {:>9} {:>8} {:>8} {:>12.3} {:>12.3} {:>10.3}   (best of {}; median total {:.3} s)",
                name,
                citizens,
                sizes.0,
                sizes.1,
                best.generate,
                best.store,
                best.generate + best.store,
                runs.len(),
                runs[runs.len() / 2].generate + runs[runs.len() / 2].store,
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A fresh database on the given PostgreSQL server for one measurement.
async fn scratch_postgres(admin_url: &str, citizens: usize, run: usize) -> Result<String> {
    let name = format!("nabo_bench_{}_{citizens}_{run}", std::process::id());
    nabo_store::testing::recreate_postgres_database(admin_url, &name).await?;
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url, |(base, _)| base);
    Ok(format!("{base}/{name}"))
}

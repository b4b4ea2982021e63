//! `nabo demo`: a generated demo district, stored and served, in one command.

use crate::serve::{self, redact, DatabaseArgs, WebArgs};
use anyhow::{Context, Result};
use clap::Args;
use nabo_domain::Team;
use nabo_planning::demo::{self, DemoConfig};
use nabo_store::{NewUser, Store};
use std::time::Instant;

/// The password of every demo log-in; printed at start-up, never use it for real data.
pub const DEMO_PASSWORD: &str = "nabo-demo";

#[derive(Args, Debug)]
pub struct DemoArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// Throw the existing demo data away and generate it again.
    #[arg(long)]
    pub fresh: bool,
    /// How many citizens the generated municipality has (352 is Vojens district).
    #[arg(long, default_value_t = 352)]
    pub citizens: usize,
    /// Seed of the generator: the same seed and start give the same district.
    #[arg(long)]
    pub seed: Option<u64>,
    /// First day (a Monday) of the generated two weeks; this week's Monday when left out.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<jiff::civil::Date>,
    /// Generate and store the data, then exit without serving.
    #[arg(long)]
    pub no_serve: bool,
    #[command(flatten)]
    pub web: WebArgs,
}

pub async fn run(args: DemoArgs) -> Result<()> {
    if args.fresh {
        remove_sqlite_file(&args.db.database)?;
    }
    let store = args.db.open().await?;
    if args.fresh && !store.is_empty().await? {
        store.clear_all().await?;
    }
    if store.is_empty().await? {
        let today = nabo_domain::time::civil(jiff::Timestamp::now()).date();
        let mut config = DemoConfig::for_week_of(args.start.unwrap_or(today));
        config.citizens = args.citizens;
        if let Some(seed) = args.seed {
            config.seed = seed;
        }
        create(&store, &config).await?;
    } else {
        println!(
            "Reusing the demo data in {} (start with --fresh to generate it again).",
            redact(&args.db.database)
        );
    }
    let logins = create_logins(&store).await?;
    if args.no_serve {
        println!("{logins}");
        return Ok(());
    }
    serve::serve(store, &args.web, Some(logins)).await
}

/// Generates the district and stores it; prints what it made and how long it took.
pub async fn create(store: &Store, config: &DemoConfig) -> Result<()> {
    let started = Instant::now();
    let data = demo::generate(config);
    let generated = started.elapsed();
    let summary = store
        .import(&data)
        .await
        .context("could not store the generated demo district")?;
    let stored = started.elapsed() - generated;
    let counts: Vec<String> = data
        .counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{n} {}", what.replace('_', " ")))
        .collect();
    println!(
        "Generated a demo district: {} (generated in {:.2} s, stored in {:.2} s).",
        counts.join(", "),
        generated.as_secs_f64(),
        stored.as_secs_f64()
    );
    tracing::debug!(?summary, "demo stored");
    Ok(())
}

/// One log-in per team plus a coordinator who sees every team. Made idempotently, so
/// reusing a database prints the same list.
async fn create_logins(store: &Store) -> Result<String> {
    let teams = store.teams().await?;
    let hash = nabo_web::hash_password(DEMO_PASSWORD);
    let mut lines = vec![format!(
        "Demo log-ins (password \"{DEMO_PASSWORD}\" for all):"
    )];
    store
        .upsert_user(&NewUser {
            username: "koordinator".into(),
            display_name: "Koordinator (alle teams)".into(),
            password_hash: hash.clone(),
            employee_id: None,
            role: "coordinator".into(),
        })
        .await?;
    lines.push("  koordinator           all teams".into());
    for team in &teams {
        let username = team_login(team);
        store
            .upsert_user(&NewUser {
                username: username.clone(),
                display_name: format!("Planlægger, {}", team.name),
                password_hash: hash.clone(),
                employee_id: None,
                role: "planner".into(),
            })
            .await?;
        lines.push(format!("  {username:<21} {}", team.name));
    }
    Ok(lines.join("\n"))
}

fn team_login(team: &Team) -> String {
    team.id.as_str().to_lowercase()
}

/// `--fresh` on SQLite starts from an empty file (and its WAL companions).
fn remove_sqlite_file(url: &str) -> Result<()> {
    let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return Ok(());
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || path.starts_with(':') {
        return Ok(());
    }
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{path}{suffix}");
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("could not remove {file}")),
        }
    }
    Ok(())
}

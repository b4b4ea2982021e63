//! `nabo`: the command-line entry point. Every sub-command is a thin shell over the
//! library crates: it parses flags, sets up logging, and reports errors for people.

use anyhow::Result;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

mod bench;
mod data;
mod demo;
mod serve;
mod solve;
mod travel;

/// Nabo: planning and team overview for self-managing home-care teams.
///
/// Start with `nabo demo`: it creates a demo district in nabo-demo.db and serves the
/// web app on http://127.0.0.1:8080.
#[derive(Parser)]
#[command(name = "nabo", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Log filter, e.g. "info" or "nabo_web=debug" (also NABO_LOG).
    #[arg(long, global = true, env = "NABO_LOG", default_value = "info")]
    log: String,
}

#[derive(Subcommand)]
enum Command {
    /// Create (or reuse) a generated demo district and serve the web app on it.
    Demo(demo::DemoArgs),
    /// Serve the web app and JSON API on a SQLite or PostgreSQL database.
    Serve(serve::ServeArgs),
    /// Import organisation data (JSON, or CSV for citizens and staff) in one transaction.
    Import(data::ImportArgs),
    /// Export organisation data as JSON, or citizens and staff as CSV.
    Export(data::ExportArgs),
    /// Fill the travel-time cache for teams' citizens and show their trip lengths.
    Travel(travel::TravelArgs),
    /// Solve one day's routing problem file and print the plan as JSON.
    Solve(solve::SolveArgs),
    /// Measure Nabo's speed targets and print a table.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.log);
    match run(cli.command) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            std::process::ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match command {
            Command::Demo(args) => demo::run(args).await,
            Command::Serve(args) => serve::run(args).await,
            Command::Import(args) => data::import(args).await,
            Command::Export(args) => data::export(args).await,
            Command::Bench(command) => bench::run(command).await,
            Command::Travel(args) => travel::run(args).await,
            // The optimiser is CPU-bound and runs its own threads.
            Command::Solve(args) => tokio::task::spawn_blocking(move || solve::run(&args)).await?,
        }
    })
}

fn init_logging(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

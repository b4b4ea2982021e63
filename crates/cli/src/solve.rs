//! `nabo solve PROBLEM`: solves one problem file with the engine and prints the plan as JSON.
//!
//! The input format is detected: `.txt` files are Solomon/Gehring–Homberger VRPTW
//! instances, JSON files with `patients` and `caregivers` are UHHC instances, and any other
//! JSON is the engine's own problem format (`"format": "nabo-engine/1"`).

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use nabo_engine::formats::{json, solomon, uhhc};
use nabo_engine::solver::{solve_with_stats, Progress, SolveOptions};
use nabo_engine::validate::validate;
use nabo_engine::Problem;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Input format of the problem file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Detect from the extension and content.
    Auto,
    /// The engine's JSON problem format.
    Engine,
    /// Solomon / Gehring–Homberger VRPTW text.
    Solomon,
    /// UHHC home-care JSON instance.
    Uhhc,
}

/// Output format of the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// The engine's JSON plan format, with the cost breakdown.
    Engine,
    /// A UHHC solution file (only for UHHC input).
    Uhhc,
}

/// Arguments of `nabo solve`.
#[derive(clap::Args, Debug)]
pub struct SolveArgs {
    /// Problem file: engine JSON, Solomon `.txt` or UHHC `.json`.
    pub problem: PathBuf,
    /// Time limit in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub time_limit: f64,
    /// Random seed; the same seed, thread count and iteration limit give the same plan.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Parallel searches (one per core); they meet 25 times over the time limit to share
    /// their best plan (where staff belong to teams, in two of every three stretches
    /// between meetings they split the day by team and shift and each improves its
    /// part), and the best plan wins.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Stop after this many iterations per thread (makes the run reproducible even when
    /// the machine is slower; the time limit still applies).
    #[arg(long)]
    pub max_iterations: Option<u64>,
    /// Input format.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub format: InputFormat,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Engine)]
    pub output_format: OutputFormat,
    /// Write the plan to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn detect(path: &Path, text: &str) -> InputFormat {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
    {
        return InputFormat::Solomon;
    }
    let head = text.trim_start();
    if !head.starts_with('{') {
        return InputFormat::Solomon;
    }
    if text.contains("\"caregivers\"") && text.contains("\"patients\"") {
        InputFormat::Uhhc
    } else {
        InputFormat::Engine
    }
}

fn read(path: &Path, format: InputFormat) -> Result<(Problem, InputFormat)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let format = match format {
        InputFormat::Auto => detect(path, &text),
        f => f,
    };
    let problem = match format {
        InputFormat::Solomon => solomon::parse(&text),
        InputFormat::Uhhc => uhhc::parse_instance(&text),
        InputFormat::Engine | InputFormat::Auto => json::read_problem(&text),
    }
    .with_context(|| {
        format!(
            "{} is not a valid {} problem file",
            path.display(),
            match format {
                InputFormat::Solomon => "Solomon",
                InputFormat::Uhhc => "UHHC",
                _ => "engine JSON",
            }
        )
    })?;
    Ok((problem, format))
}

/// Runs `nabo solve`.
pub fn run(args: &SolveArgs) -> Result<()> {
    if !(args.time_limit > 0.0 && args.time_limit.is_finite()) {
        bail!(
            "--time-limit must be a positive number of seconds, got {}",
            args.time_limit
        );
    }
    let (problem, format) = read(&args.problem, args.format)?;
    if args.output_format == OutputFormat::Uhhc && format != InputFormat::Uhhc {
        bail!("--output-format uhhc needs a UHHC instance as input");
    }
    let options = SolveOptions {
        time_limit: Duration::from_secs_f64(args.time_limit),
        seed: args.seed,
        threads: args.threads.max(1),
        max_iterations: args.max_iterations,
        fleet_limit: None,
    };
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new((args.time_limit * 1000.0) as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(100));
        Some(bar)
    } else {
        None
    };
    let mut on_progress = |p: Progress| {
        // `--log debug` prints the search's course, also where no bar is drawn.
        tracing::debug!(
            elapsed_s = p.elapsed.as_secs_f64(),
            best = p.best_objective,
            required_unassigned = p.unassigned_required,
            iterations = p.iterations,
            "new best plan"
        );
        if let Some(bar) = &bar {
            bar.set_position(p.elapsed.as_millis() as u64);
            bar.set_message(format!(
                "best {:.2} · {} staff · {} required unassigned",
                p.best_objective, p.vehicles_used, p.unassigned_required
            ));
        }
    };
    let (plan, stats) = solve_with_stats(&problem, &options, &mut on_progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = validate(&problem, &plan);
    if !report.is_feasible() {
        // The validator is independent of the solver; a violation here is a solver bug.
        bail!(
            "the solver returned a plan that breaks {} hard rule(s), first: {} (please report this with the problem file)",
            report.violations.len(),
            report.violations[0]
        );
    }
    eprintln!(
        "objective {:.2} · {} staff/vehicles · {} visits unassigned ({} required) · {} iterations, {:.1} M moves/s · {:.1} s",
        report.cost.total,
        report.cost.vehicles_used,
        plan.unassigned.len(),
        report.unassigned_required.len(),
        stats.iterations,
        stats.moves_evaluated as f64 / stats.elapsed.as_secs_f64().max(1e-9) / 1e6,
        stats.elapsed.as_secs_f64()
    );
    let text = match args.output_format {
        OutputFormat::Engine => json::write_plan(&plan, Some(&report.cost)),
        OutputFormat::Uhhc => uhhc::write_solution(&problem, &plan)
            .map_err(|e| anyhow::anyhow!("cannot write the plan as a UHHC solution: {e}"))?,
    };
    match &args.out {
        Some(path) => std::fs::write(path, text + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            use std::io::Write;
            // A closed pipe (`nabo solve … | head`) is not an error worth a panic.
            match writeln!(std::io::stdout().lock(), "{text}") {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.context("cannot write the plan to standard output")?,
            }
        }
    }
    Ok(())
}

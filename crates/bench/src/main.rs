//! `nabo-bench`: runs Nabo's planning engine on the public benchmark sets and prints tables.
//!
//! - `nabo-bench solomon --time-limit 10`: the 56 Solomon VRPTW instances with the fleet
//!   fixed to the best-known vehicle count; vehicles and distance gap to the BKS per
//!   instance and per group (C1, C2, R1, R2, RC1, RC2), every plan checked by the engine's
//!   independent validator.
//! - `nabo-bench homberger --time-limit 20`: the same on the 60 Gehring–Homberger
//!   200-customer instances.
//! - `nabo-bench uhhc --time-limit 60`: the UHHC validation instances against the published
//!   reference objectives (`reference_results.csv`).
//!
//! `--peers FILE.jsonl` reads other solvers' routes (one JSON object per line:
//! `{"solver", "instance", "time_limit_s", "routes": [[customer ids]], "wall_s"}`),
//! recomputes each with the same validator in double precision and prints them beside ours.

mod demo_day;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use nabo_engine::formats::{plan_from_sequences, solomon};
use nabo_engine::solver::{solve_with_stats, SolveOptions};
use nabo_engine::validate::validate;
use nabo_engine::{Plan, Problem, StopKind, VisitIdx};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Parser)]
#[command(name = "nabo-bench", about = "Benchmarks for Nabo's planning engine")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Solomon VRPTW, 100 customers (56 instances).
    Solomon(VrptwArgs),
    /// Gehring–Homberger VRPTW, 200 customers (60 instances).
    Homberger(VrptwArgs),
    /// UHHC home-care instances against the published reference objectives.
    Uhhc(UhhcArgs),
    /// Benchmark 3: one day of the demo district, time to within 1 % of a long run.
    DemoDay(demo_day::DemoDayArgs),
}

#[derive(Args)]
struct VrptwArgs {
    /// Seconds per instance and seed (default: 10 for Solomon, 20 for Homberger).
    #[arg(long)]
    time_limit: Option<f64>,
    /// Instances or group prefixes, comma-separated (e.g. `C1,R101,RC2`). Default: all.
    #[arg(long, value_delimiter = ',')]
    instances: Vec<String>,
    /// Number of seeds per instance (from `--first-seed` on); the table shows the best
    /// and the mean gap.
    #[arg(long, default_value_t = 1)]
    seeds: u64,
    /// The first seed (seeds run from here on): splits one measurement over processes.
    #[arg(long, default_value_t = 1)]
    first_seed: u64,
    /// Also print one line per seed on standard error (fleet, distance, gap, when every
    /// customer was first served): which seeds miss the best-known fleet.
    #[arg(long)]
    per_seed: bool,
    /// Threads per solve.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Iteration limit per thread (deterministic runs).
    #[arg(long)]
    max_iterations: Option<u64>,
    /// Let the solver choose the fleet (hierarchical vehicles-then-distance objective)
    /// instead of fixing it to the best-known vehicle count.
    #[arg(long)]
    free_fleet: bool,
    /// Benchmark data folder (holds `solomon/`, `homberger/`, `uhhc/`).
    #[arg(long, env = "NABO_BENCH_DATA", default_value = "../shared/benchmarks")]
    data: PathBuf,
    /// Peer results (JSON lines) to recompute and print beside ours.
    #[arg(long)]
    peers: Option<PathBuf>,
    /// Only recompute the peers' results; do not run the engine.
    #[arg(long)]
    peers_only: bool,
    /// Also write our routes as JSON lines in the peers' format.
    #[arg(long)]
    routes_out: Option<PathBuf>,
}

#[derive(Args)]
struct UhhcArgs {
    /// Seconds per instance.
    #[arg(long, default_value_t = 60.0)]
    time_limit: f64,
    /// Instance names, comma-separated (e.g. `i-054,i-100`). Default: every instance of the set.
    #[arg(long, value_delimiter = ',')]
    instances: Vec<String>,
    /// Instance folder under `uhhc/instances/`: `validation`, `converted/mankowska`,
    /// `converted/italian-ceschia-et-al`, `converted/bazirha`, `generated/small`.
    #[arg(long, default_value = "validation")]
    set: String,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 1)]
    threads: usize,
    #[arg(long)]
    max_iterations: Option<u64>,
    #[arg(long, env = "NABO_BENCH_DATA", default_value = "../shared/benchmarks")]
    data: PathBuf,
    /// Print the weighted objective terms of our plan and of the reference solution.
    #[arg(long)]
    breakdown: bool,
    /// Print the solver's progress (new best plans) on standard error.
    #[arg(long)]
    verbose: bool,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Solomon(a) => vrptw(&a, Family::Solomon),
        Cmd::Homberger(a) => vrptw(&a, Family::Homberger),
        Cmd::Uhhc(a) => uhhc(&a),
        Cmd::DemoDay(a) => demo_day::run_demo_day(&a),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Family {
    Solomon,
    Homberger,
}

struct Bks {
    vehicles: usize,
    distance: f64,
}

fn read_bks(path: &Path) -> Result<BTreeMap<String, Bks>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 3 {
            continue;
        }
        let vehicles = f[1].parse().with_context(|| {
            format!(
                "{}:{}: vehicles {:?} is not a number",
                path.display(),
                i + 1,
                f[1]
            )
        })?;
        let distance = f[2].parse().with_context(|| {
            format!(
                "{}:{}: distance {:?} is not a number",
                path.display(),
                i + 1,
                f[2]
            )
        })?;
        out.insert(f[0].to_string(), Bks { vehicles, distance });
    }
    Ok(out)
}

/// C1, C2, R1, R2, RC1, RC2 from `R101` or `rc1_2_3`.
fn group_of(name: &str) -> String {
    let up = name.to_ascii_uppercase();
    let letters: String = up.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let digit = up[letters.len()..].chars().next().unwrap_or('?');
    format!("{letters}{digit}")
}

fn selected(name: &str, filters: &[String]) -> bool {
    filters.is_empty()
        || filters.iter().any(|f| {
            let f = f.to_ascii_uppercase();
            let n = name.to_ascii_uppercase();
            n == f || (f.len() <= 3 && group_of(&n) == f)
        })
}

/// One scored result (ours or a peer's).
#[derive(Clone)]
struct Score {
    complete: bool,
    vehicles: usize,
    distance: f64,
    note: String,
}

impl Score {
    /// Distance gap to the best-known solution in %, when the plan serves everyone with
    /// the best-known fleet (the only case a gap is compared on).
    fn gap_at_fleet(&self, b: &Bks) -> Option<f64> {
        (self.complete && self.vehicles == b.vehicles)
            .then(|| 100.0 * (self.distance - b.distance) / b.distance)
    }
}

fn score(problem: &Problem, plan: &Plan) -> Score {
    let report = validate(problem, plan);
    let note = if let Some(v) = report.violations.first() {
        format!(
            "INFEASIBLE ({} violations, first: {v})",
            report.violations.len()
        )
    } else if !report.unassigned_required.is_empty() {
        format!("{} customers unserved", report.unassigned_required.len())
    } else {
        String::new()
    };
    Score {
        complete: report.is_complete(),
        vehicles: report.cost.vehicles_used,
        distance: report.cost.raw.distance,
        note,
    }
}

fn with_fleet_objective(problem: &Problem, vehicles_first: bool) -> Result<Problem> {
    let mut d = problem.data().clone();
    d.objective.minimise_vehicles_first = vehicles_first;
    Problem::new(d).map_err(|e| anyhow::anyhow!("{} errors, first: {}", e.len(), e[0]))
}

#[derive(serde::Deserialize, serde::Serialize)]
struct PeerLine {
    solver: String,
    instance: String,
    #[serde(default)]
    time_limit_s: f64,
    routes: Vec<Vec<serde_json::Value>>,
    #[serde(default)]
    wall_s: f64,
}

fn customer_id(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn peer_plan(problem: &Problem, line: &PeerLine) -> Result<Plan> {
    let mut seqs = Vec::new();
    for (ri, r) in line.routes.iter().enumerate() {
        let mut seq = Vec::new();
        for c in r {
            let id =
                customer_id(c).with_context(|| format!("route {ri}: {c} is not a customer id"))?;
            let v = problem.visit_by_id(&id).with_context(|| {
                format!("route {ri}: customer {id} is not in {}", problem.name())
            })?;
            seq.push(v);
        }
        if !seq.is_empty() {
            seqs.push(seq);
        }
    }
    Ok(plan_from_sequences(problem, &seqs)?)
}

fn plan_sequences(plan: &Plan, problem: &Problem) -> Vec<Vec<String>> {
    plan.routes
        .iter()
        .map(|r| {
            r.stops
                .iter()
                .filter_map(|s| match s.kind {
                    StopKind::Visit { visit } => Some(problem.visit(visit).id.clone()),
                    StopKind::Break { .. } => None,
                })
                .collect()
        })
        .filter(|r: &Vec<String>| !r.is_empty())
        .collect()
}

#[derive(Default)]
struct GroupAgg {
    n: usize,
    at_bks: usize,
    gaps: Vec<f64>,
    cnv: usize,
    ctd: f64,
    bks_cnv: usize,
    bks_ctd: f64,
    complete: usize,
}

impl GroupAgg {
    fn add(&mut self, s: &Score, b: &Bks) {
        self.n += 1;
        self.bks_cnv += b.vehicles;
        self.bks_ctd += b.distance;
        if s.complete {
            self.complete += 1;
            self.cnv += s.vehicles;
            self.ctd += s.distance;
            if s.vehicles <= b.vehicles {
                self.at_bks += 1;
                self.gaps.extend(s.gap_at_fleet(b));
            }
        }
    }

    fn mean_gap(&self) -> Option<f64> {
        (!self.gaps.is_empty()).then(|| self.gaps.iter().sum::<f64>() / self.gaps.len() as f64)
    }
}

fn fmt_gap(g: Option<f64>) -> String {
    g.map_or_else(|| "-".to_string(), |g| format!("{g:.2}"))
}

fn vrptw(a: &VrptwArgs, family: Family) -> Result<()> {
    let (dir, default_limit) = match family {
        Family::Solomon => (a.data.join("solomon"), 10.0),
        Family::Homberger => (a.data.join("homberger"), 20.0),
    };
    let time_limit = a.time_limit.unwrap_or(default_limit);
    let bks = read_bks(&dir.join("bks.csv"))?;
    let mut names: Vec<&String> = bks.keys().filter(|n| selected(n, &a.instances)).collect();
    names.sort_by_key(|n| (group_of(n), n.len(), n.to_string()));
    if names.is_empty() {
        bail!(
            "no instance matches {:?} in {}",
            a.instances,
            dir.join("bks.csv").display()
        );
    }
    let peers: Vec<PeerLine> = match &a.peers {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| {
                    serde_json::from_str(l).with_context(|| {
                        format!("{}:{}: not a peer result line", p.display(), i + 1)
                    })
                })
                .collect::<Result<_>>()?
        }
        None => Vec::new(),
    };
    let mut routes_out = match &a.routes_out {
        Some(p) => {
            Some(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => None,
    };
    println!(
        "# {} at {time_limit} s per run, {} seed(s) from {}, {} thread(s), fleet {}",
        match family {
            Family::Solomon => "Solomon",
            Family::Homberger => "Gehring-Homberger 200",
        },
        a.seeds,
        a.first_seed,
        a.threads,
        if a.free_fleet {
            "free (vehicles first)"
        } else {
            "fixed to the BKS vehicle count"
        }
    );
    if !a.peers_only {
        println!(
            "{:<9} {:>4} {:>10} | {:>4} {:>10} {:>7} {:>8} | {:>9} {:>7} {:>9} {:>8}  note",
            "instance",
            "bksV",
            "bksDist",
            "veh",
            "dist",
            "gap%",
            "meanGap%",
            "iter/s",
            "Mmove/s",
            "constr_ms",
            "served_s"
        );
    }
    let mut ours: BTreeMap<String, GroupAgg> = BTreeMap::new();
    let mut ours_mean: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut peer_aggs: BTreeMap<String, BTreeMap<String, GroupAgg>> = BTreeMap::new();
    let mut peer_rows: Vec<(String, String, Score, f64)> = Vec::new();
    for name in &names {
        let b = &bks[*name];
        let path = dir.join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let parsed =
            solomon::parse(&text).with_context(|| format!("parsing {}", path.display()))?;
        let problem = with_fleet_objective(&parsed, a.free_fleet)?;
        let group = group_of(name);
        for p in peers
            .iter()
            .filter(|p| p.instance.eq_ignore_ascii_case(name))
        {
            let s = match peer_plan(&parsed, p) {
                Ok(plan) => score(&parsed, &plan),
                Err(e) => Score {
                    complete: false,
                    vehicles: 0,
                    distance: f64::NAN,
                    note: format!("unreadable: {e:#}"),
                },
            };
            peer_aggs
                .entry(p.solver.clone())
                .or_default()
                .entry(group.clone())
                .or_default()
                .add(&s, b);
            peer_rows.push((p.solver.clone(), name.to_string(), s, p.wall_s));
        }
        if a.peers_only {
            continue;
        }
        let mut best: Option<(Score, Plan)> = None;
        let mut gaps = Vec::new();
        let mut iters = 0.0;
        let mut moves = 0.0;
        let mut constr = 0.0;
        // When the run first served every customer (mean over the seeds that did): the
        // rest of the budget is what the distance gets.
        let mut served_at = Vec::new();
        for seed in a.first_seed..a.first_seed.saturating_add(a.seeds) {
            let opts = SolveOptions {
                time_limit: Duration::from_secs_f64(time_limit),
                seed,
                threads: a.threads,
                max_iterations: a.max_iterations,
                fleet_limit: if a.free_fleet { None } else { Some(b.vehicles) },
            };
            let mut served: Option<Duration> = None;
            let (plan, stats) = solve_with_stats(&problem, &opts, &mut |p| {
                if p.unassigned_required == 0 && served.is_none() {
                    served = Some(p.elapsed);
                }
            });
            served_at.extend(served.map(|d| d.as_secs_f64()));
            let secs = stats.elapsed.as_secs_f64().max(1e-9);
            iters += stats.iterations as f64 / secs / a.seeds as f64;
            moves += stats.moves_evaluated as f64 / secs / 1e6 / a.seeds as f64;
            constr += stats.construction.as_secs_f64() * 1e3 / a.seeds as f64;
            // Scored on the instance as published (vehicles first, full fleet).
            let s = score(&parsed, &plan);
            let seed_gap = s.gap_at_fleet(b);
            gaps.extend(seed_gap);
            if a.per_seed {
                eprintln!(
                    "{name:<9} seed {seed:>3}: {} vehicles{}, distance {:.2}, gap {}, served {}",
                    s.vehicles,
                    if s.complete {
                        ""
                    } else {
                        " (customers left out)"
                    },
                    s.distance,
                    seed_gap.map_or("-".into(), |g| format!("{g:.2} %")),
                    served.map_or("never".into(), |d| format!("at {:.2} s", d.as_secs_f64())),
                );
            }
            let is_better = best.as_ref().is_none_or(|(bs, _)| {
                (!s.complete, s.vehicles, s.distance) < (!bs.complete, bs.vehicles, bs.distance)
            });
            if is_better {
                best = Some((s, plan));
            }
        }
        let Some((s, plan)) = best else { continue };
        if let Some(f) = routes_out.as_mut() {
            let line = serde_json::json!({
                "solver": "nabo",
                "instance": name,
                "time_limit_s": time_limit,
                "routes": plan_sequences(&plan, &parsed),
                "wall_s": time_limit,
            });
            writeln!(f, "{line}")?;
        }
        let gap = s.gap_at_fleet(b);
        let mean_gap = (!gaps.is_empty()).then(|| gaps.iter().sum::<f64>() / gaps.len() as f64);
        let mut note = s.note.clone();
        if a.seeds > 1 && (gaps.len() as u64) < a.seeds {
            // The mean gap is over these seeds only.
            if !note.is_empty() {
                note.push(' ');
            }
            note += &format!("{} of {} seeds at the BKS fleet", gaps.len(), a.seeds);
        }
        println!(
            "{:<9} {:>4} {:>10.2} | {:>4} {:>10.2} {:>7} {:>8} | {:>9.0} {:>7.1} {:>9.2} {:>8}  {}",
            name,
            b.vehicles,
            b.distance,
            s.vehicles,
            s.distance,
            fmt_gap(gap),
            fmt_gap(mean_gap),
            iters,
            moves,
            constr,
            if served_at.is_empty() {
                "-".to_string()
            } else {
                format!(
                    "{:.2}",
                    served_at.iter().sum::<f64>() / served_at.len() as f64
                )
            },
            note
        );
        std::io::stdout().flush()?;
        ours.entry(group.clone()).or_default().add(&s, b);
        ours_mean.entry(group).or_default().extend(gaps);
    }
    if !a.peers_only {
        println!();
        println!("## Per group (nabo): feasible at the BKS fleet, mean gap % over those (best seed; mean over seeds)");
        print_groups(&ours, Some(&ours_mean));
    }
    if !peer_rows.is_empty() {
        println!();
        println!("## Peers, recomputed by the validator (double precision)");
        println!(
            "{:<12} {:<9} {:>4} {:>10} {:>7} {:>7}  note",
            "solver", "instance", "veh", "dist", "gap%", "wall_s"
        );
        for (solver, inst, s, wall) in &peer_rows {
            let b = &bks[inst];
            let gap = s.gap_at_fleet(b);
            println!(
                "{:<12} {:<9} {:>4} {:>10.2} {:>7} {:>7.1}  {}",
                solver,
                inst,
                s.vehicles,
                s.distance,
                fmt_gap(gap),
                wall,
                s.note
            );
        }
        for (solver, aggs) in &peer_aggs {
            println!();
            println!("## Per group ({solver})");
            print_groups(aggs, None);
        }
    }
    Ok(())
}

fn print_groups(aggs: &BTreeMap<String, GroupAgg>, means: Option<&BTreeMap<String, Vec<f64>>>) {
    println!(
        "{:<6} {:>3} {:>9} {:>9} {:>10} {:>6} {:>6} {:>10} {:>10}",
        "group", "n", "atBKSfleet", "meanGap%", "seedsGap%", "CNV", "bksCNV", "CTD", "bksCTD"
    );
    let mut all = GroupAgg::default();
    let mut all_means: Vec<f64> = Vec::new();
    for (g, a) in aggs {
        let m = means.and_then(|m| m.get(g)).filter(|v| !v.is_empty());
        if let Some(v) = m {
            all_means.extend(v);
        }
        println!(
            "{:<6} {:>3} {:>9} {:>9} {:>10} {:>6} {:>6} {:>10.2} {:>10.2}",
            g,
            a.n,
            format!("{}/{}", a.at_bks, a.n),
            fmt_gap(a.mean_gap()),
            fmt_gap(m.map(|v| v.iter().sum::<f64>() / v.len() as f64)),
            a.cnv,
            a.bks_cnv,
            a.ctd,
            a.bks_ctd
        );
        all.n += a.n;
        all.at_bks += a.at_bks;
        all.gaps.extend(&a.gaps);
        all.cnv += a.cnv;
        all.ctd += a.ctd;
        all.bks_cnv += a.bks_cnv;
        all.bks_ctd += a.bks_ctd;
    }
    println!(
        "{:<6} {:>3} {:>9} {:>9} {:>10} {:>6} {:>6} {:>10.2} {:>10.2}",
        "all",
        all.n,
        format!("{}/{}", all.at_bks, all.n),
        fmt_gap(all.mean_gap()),
        fmt_gap(
            (!all_means.is_empty()).then(|| all_means.iter().sum::<f64>() / all_means.len() as f64)
        ),
        all.cnv,
        all.bks_cnv,
        all.ctd,
        all.bks_ctd
    );
}

fn terms(c: &nabo_engine::Cost) -> String {
    c.weighted
        .named()
        .iter()
        .filter(|(_, v)| *v != 0.0)
        .map(|(k, v)| format!("{k}={v:.0}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// (method, solution path) per instance.
fn read_reference_paths(path: &Path) -> Result<BTreeMap<String, Vec<(String, String)>>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() >= 4 {
            out.entry(f[0].to_string())
                .or_default()
                .push((f[1].to_string(), f[3].to_string()));
        }
    }
    Ok(out)
}

struct Reference {
    objective: f64,
    method: String,
}

fn read_references(path: &Path) -> Result<BTreeMap<String, Vec<Reference>>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out: BTreeMap<String, Vec<Reference>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 6 {
            continue;
        }
        let obj = if !f[2].is_empty() { f[2] } else { f[5] };
        if let Ok(objective) = obj.parse() {
            out.entry(f[0].to_string()).or_default().push(Reference {
                objective,
                method: f[1].to_string(),
            });
        }
    }
    Ok(out)
}

fn uhhc(a: &UhhcArgs) -> Result<()> {
    let root = a.data.join("uhhc");
    let refs = read_references(&root.join("reference_results.csv"))?;
    let ref_paths = read_reference_paths(&root.join("reference_results.csv"))?;
    let dir = root.join("instances").join(&a.set);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    println!(
        "# UHHC {} at {} s per instance, seed {}, {} thread(s)",
        a.set, a.time_limit, a.seed, a.threads
    );
    println!(
        "{:<28} {:>10} {:>10} {:>10} {:>8} {:>8} {:>6}  note",
        "instance", "SA", "CP-SAT", "nabo", "gapSA%", "gapBest%", "unasg"
    );
    let (mut n, mut le_sa, mut feasible, mut gaps) = (0, 0, 0, Vec::new());
    for path in files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        if !a.instances.is_empty() && !a.instances.contains(&name) {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let problem = match nabo_engine::formats::uhhc::parse_instance(&text) {
            Ok(p) => p,
            Err(e) => {
                println!("{name:<28} unreadable: {e}");
                continue;
            }
        };
        let opts = SolveOptions {
            time_limit: Duration::from_secs_f64(a.time_limit),
            seed: a.seed,
            threads: a.threads,
            max_iterations: a.max_iterations,
            fleet_limit: None,
        };
        let verbose = a.verbose;
        let (plan, _) = solve_with_stats(&problem, &opts, &mut |p| {
            if verbose {
                eprintln!(
                    "  {:>6.2}s best {:.1} staff {} required-unassigned {} iter {}",
                    p.elapsed.as_secs_f64(),
                    p.best_objective,
                    p.vehicles_used,
                    p.unassigned_required,
                    p.iterations
                );
            }
        });
        let report = validate(&problem, &plan);
        let ours = report.cost.total;
        let r = refs.get(&name);
        let sa = r
            .and_then(|v| v.iter().find(|x| x.method == "simulated-annealing"))
            .map(|x| x.objective);
        let cp = r
            .and_then(|v| v.iter().find(|x| x.method == "cp-sat"))
            .map(|x| x.objective);
        let best = match (sa, cp) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let ok = report.is_feasible();
        n += 1;
        if ok {
            feasible += 1;
        }
        if let (true, Some(s)) = (ok, sa) {
            if ours <= s + 1e-6 {
                le_sa += 1;
            }
            gaps.push(100.0 * (ours - s) / s);
        }
        let f = |x: Option<f64>| x.map_or_else(|| "-".into(), |v| format!("{v:.0}"));
        let g = |x: Option<f64>| {
            x.map_or_else(|| "-".into(), |v| format!("{:.2}", 100.0 * (ours - v) / v))
        };
        println!(
            "{:<28} {:>10} {:>10} {:>10.1} {:>8} {:>8} {:>6}  {}",
            name,
            f(sa),
            f(cp),
            ours,
            g(sa),
            g(best),
            plan.unassigned.len(),
            if ok {
                String::new()
            } else {
                format!("INFEASIBLE: {}", report.violations[0])
            }
        );
        if a.breakdown {
            println!("    nabo: {}", terms(&report.cost));
            for (method, rel) in ref_paths.get(&name).into_iter().flatten() {
                let path = root.join(rel);
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                match nabo_engine::formats::uhhc::parse_solution(&text, &problem) {
                    Ok(plan) => {
                        println!("    {method}: {}", terms(&validate(&problem, &plan).cost))
                    }
                    Err(e) => println!("    {method}: unreadable ({e})"),
                }
            }
        }
        std::io::stdout().flush()?;
    }
    println!();
    println!(
        "instances {n}, feasible {feasible}, at or below the SA reference {le_sa}/{}, mean gap to SA {}%",
        gaps.len(),
        fmt_gap((!gaps.is_empty()).then(|| gaps.iter().sum::<f64>() / gaps.len() as f64))
    );
    let _ = VisitIdx(0);
    Ok(())
}

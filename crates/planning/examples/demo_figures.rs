//! Prints the demo generator's figures and generation time:
//! `cargo run --release -p nabo-planning --example demo_figures -- 1400`
use nabo_planning::demo::{figures, generate, DemoConfig};
use std::time::Instant;

fn main() {
    let citizens = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(352);
    let config = DemoConfig {
        citizens,
        ..DemoConfig::default()
    };
    let started = Instant::now();
    let ds = generate(&config);
    let took = started.elapsed();
    println!("{:#?}", figures(&ds));
    for t in &ds.teams {
        let citizens = ds.citizens.iter().filter(|c| c.team_id == t.id).count();
        let staff = ds.employees.iter().filter(|e| e.home_team == t.id).count();
        println!(
            "{:<12} {:<28} {citizens:>3} citizens {staff:>3} staff",
            t.id, t.name
        );
    }
    if std::env::var_os("DEMO_ASSIGN").is_some() {
        let mut ds = ds.clone();
        let report = nabo_planning::demo::assign_by_continuity(&mut ds);
        println!("{report:?}");
        let mut left = std::collections::BTreeMap::new();
        for v in ds.visits.iter().filter(|v| v.planned_employees.is_empty()) {
            *left
                .entry((
                    v.window_start.hour(),
                    format!("{:?}", v.required_qualification),
                    v.staff_count,
                ))
                .or_insert(0) += 1;
        }
        for (k, n) in left {
            println!("unassigned {k:?}: {n}");
        }
        let mut staff_per: std::collections::HashMap<_, std::collections::HashSet<_>> =
            Default::default();
        for v in &ds.visits {
            for e in &v.planned_employees {
                staff_per.entry(&v.citizen_id).or_default().insert(e);
            }
        }
        let mean = staff_per.values().map(|s| s.len()).sum::<usize>() as f64
            / staff_per.len().max(1) as f64;
        println!("unique staff per citizen over the period: {mean:.1}");
    }
    if std::env::var_os("DEMO_SAMPLE").is_some() {
        let c = &ds.citizens[0];
        println!("{}", serde_json::to_string_pretty(c).unwrap_or_default());
        for rv in ds.recurring_visits.iter().filter(|r| r.citizen_id == c.id) {
            println!("{}", serde_json::to_string(rv).unwrap_or_default());
        }
        for g in ds.grants.iter().filter(|g| g.citizen_id == c.id) {
            println!("{}", serde_json::to_string(g).unwrap_or_default());
        }
        println!(
            "{}",
            serde_json::to_string(&ds.employees[3]).unwrap_or_default()
        );
    }
    let contract: f64 = ds.employees.iter().map(|e| e.contract_hours).sum();
    println!("contract hours per day: {:.1}", contract / 7.0);
    println!("generated {citizens} citizens in {took:?}");
    let errors = ds.check(&Default::default());
    println!("check: {} errors", errors.len());
    for e in errors.iter().take(10) {
        println!("  {e}");
    }
}

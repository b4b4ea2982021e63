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
    let contract: f64 = ds.employees.iter().map(|e| e.contract_hours).sum();
    println!("contract hours per day: {:.1}", contract / 7.0);
    println!("generated {citizens} citizens in {took:?}");
    let errors = ds.check(&Default::default());
    println!("check: {} errors", errors.len());
    for e in errors.iter().take(10) {
        println!("  {e}");
    }
}

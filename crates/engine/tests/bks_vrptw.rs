//! Every Solomon (56) and Gehring–Homberger 200-customer (60) best-known route file is
//! feasible under the independent validator, with the stored distance and vehicle count.

mod common;

use nabo_engine::formats::solomon;
use nabo_engine::validate;

fn check_instance(
    dir: &str,
    name: &str,
    solution_text: &str,
    json: bool,
    bks_distance: f64,
    bks_vehicles: usize,
    tol: f64,
) -> Result<(), String> {
    let problem = solomon::parse(&common::read(&format!("{dir}/{name}.txt")))
        .map_err(|e| format!("{name}: {e}"))?;
    let sol = if json {
        solomon::parse_bks_json(solution_text, &problem)
    } else {
        solomon::parse_sintef_txt(solution_text, &problem)
    }
    .map_err(|e| format!("{name}: {e}"))?;
    let report = validate(&problem, &sol.plan);
    if !report.is_complete() {
        return Err(format!(
            "{name}: infeasible or incomplete: {:?}, unassigned {:?}",
            report
                .violations
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>(),
            report.unassigned_required
        ));
    }
    let distance = report.cost.raw.travel_time;
    if report.cost.vehicles_used != bks_vehicles {
        return Err(format!(
            "{name}: {} vehicles, BKS has {bks_vehicles}",
            report.cost.vehicles_used
        ));
    }
    if (report.cost.total - distance).abs() > 1e-9 {
        return Err(format!(
            "{name}: objective {} differs from distance {distance}",
            report.cost.total
        ));
    }
    // Full precision where the file states it, else the table's 2 decimals.
    let (reference, tol) = match sol.stated_distance {
        Some(d) => (d, tol),
        None => (bks_distance, tol.max(0.005)),
    };
    if (distance - reference).abs() > tol {
        return Err(format!(
            "{name}: distance {distance} vs stored {reference} (|Δ| > {tol})"
        ));
    }
    if (distance - bks_distance).abs() > 0.005 + 1e-9 {
        return Err(format!(
            "{name}: distance {distance} does not round to the table's {bks_distance}"
        ));
    }
    Ok(())
}

#[test]
fn all_56_solomon_bks_route_files_validate() {
    let rows = common::csv("solomon/bks.csv");
    assert_eq!(rows.len(), 56, "solomon/bks.csv should have 56 rows");
    let mut failures = Vec::new();
    for row in &rows {
        let name = &row["instance"];
        let sol = common::read(&format!(
            "solomon/bks_solutions/{name}.bks.HierarchicalVehicleCost.json"
        ));
        let vehicles: usize = row["vehicles"]
            .parse()
            .expect("vehicles column is an integer");
        let distance: f64 = row["distance"]
            .parse()
            .expect("distance column is a number");
        if let Err(e) = check_instance("solomon", name, &sol, true, distance, vehicles, 1e-6) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 56 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn all_60_homberger_bks_route_files_validate() {
    let rows = common::csv("homberger/bks.csv");
    assert_eq!(rows.len(), 60, "homberger/bks.csv should have 60 rows");
    let files: Vec<String> =
        std::fs::read_dir(common::benchmarks().join("homberger/bks_solutions"))
            .expect("homberger/bks_solutions is readable")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
    let mut failures = Vec::new();
    for row in &rows {
        let name = &row["instance"];
        let prefix = format!("{name}.");
        let file = files
            .iter()
            .find(|f| f.starts_with(&prefix) && f.ends_with(".txt"))
            .unwrap_or_else(|| panic!("no route file for {name} in homberger/bks_solutions"));
        // The file name carries the full-precision (4-decimal) distance.
        let stated: f64 = file
            .trim_end_matches(".txt")
            .rsplit('_')
            .next()
            .and_then(|d| d.parse().ok())
            .unwrap_or_else(|| panic!("cannot read the distance from file name {file}"));
        let sol = common::read(&format!("homberger/bks_solutions/{file}"));
        let vehicles: usize = row["vehicles"]
            .parse()
            .expect("vehicles column is an integer");
        let distance: f64 = row["distance"]
            .parse()
            .expect("distance column is a number");
        let check = check_instance("homberger", name, &sol, false, distance, vehicles, 1e-4)
            .and_then(|()| {
                let problem = solomon::parse(&common::read(&format!("homberger/{name}.txt")))
                    .map_err(|e| e.to_string())?;
                let plan = solomon::parse_sintef_txt(&sol, &problem)
                    .map_err(|e| e.to_string())?
                    .plan;
                let d = validate(&problem, &plan).cost.raw.travel_time;
                if (d - stated).abs() > 1e-4 {
                    return Err(format!("{name}: distance {d} vs file name {stated}"));
                }
                Ok(())
            });
        if let Err(e) = check {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 60 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

//! Solomon / Gehring–Homberger VRPTW text instances and their best-known route files.
//!
//! Conventions (SINTEF, see `shared/benchmarks/README.md` §4): Euclidean arcs in full double
//! precision, travel time = distance, service must *start* in `[READY, DUE]` (hard, early
//! arrival waits), capacity per vehicle, return to the depot by its due date, objective
//! vehicles first, then distance.
//!
//! The problem built by [`parse`]: location `i` is customer `i` (0 = depot), visit `k` is
//! customer `k + 1` with id `"k+1"`, vehicles `v1..vN` (ids) with the depot's window as
//! shift (no overtime), capacity, and [`Objective::minimise_vehicles_first`]. Leaving a
//! customer out costs [`UNASSIGNED_PENALTY`], far above any route length, so a plan with
//! unassigned customers never beats a complete one.

use super::{plan_from_sequences, ParseError};
use crate::plan::Plan;
use crate::problem::{
    LocIdx, Location, Matrix, Objective, Problem, ProblemData, SkillSet, Staff, TimeWindow, Visit,
    VisitIdx, Weights, WindowAnchor, WindowKind,
};
use std::collections::HashMap;

/// Penalty for an unassigned customer.
pub const UNASSIGNED_PENALTY: f64 = 1e6;

/// A best-known solution read from a route file.
#[derive(Clone, Debug, PartialEq)]
pub struct BksSolution {
    /// The routes as a plan (earliest start times).
    pub plan: Plan,
    /// The distance the file states (`cost` of the JSON files), if any.
    pub stated_distance: Option<f64>,
    /// Number of routes.
    pub vehicles: usize,
}

fn numbers(line: &str, lineno: usize, want: usize, what: &str) -> Result<Vec<f64>, ParseError> {
    let vals: Vec<f64> = line
        .split_whitespace()
        .map(|t| {
            t.parse::<f64>()
                .map_err(|_| ParseError::line(lineno, format!("{what}: {t:?} is not a number")))
        })
        .collect::<Result<_, _>>()?;
    if vals.len() != want {
        return Err(ParseError::line(
            lineno,
            format!("{what}: expected {want} numbers, found {}", vals.len()),
        ));
    }
    Ok(vals)
}

/// Parses a Solomon-format instance (CR/LF safe). Errors name the line.
pub fn parse(text: &str) -> Result<Problem, ParseError> {
    let mut name = None;
    let mut fleet: Option<(usize, f64, f64)> = None;
    let mut rows: Vec<(usize, Vec<f64>)> = Vec::new();
    let mut state = 0;
    let mut last_line = 0;
    // Blank lines (and the lone-space line after the header) are skipped; `trim` also drops
    // the CR of CRLF files.
    for (n, l) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        last_line = n;
        if l.is_empty() {
            continue;
        }
        let upper = l.to_ascii_uppercase();
        let expect = |word: &str| {
            if upper.starts_with(word) {
                Ok(())
            } else {
                Err(ParseError::line(
                    n,
                    format!("expected a line starting with {word:?}, found {l:?}"),
                ))
            }
        };
        match state {
            0 => name = Some(l.to_string()),
            1 => expect("VEHICLE")?,
            2 => expect("NUMBER")?,
            3 => {
                let v = numbers(l, n, 2, "vehicle line (NUMBER CAPACITY)")?;
                fleet = Some((n, v[0], v[1]));
            }
            4 => expect("CUSTOMER")?,
            5 => expect("CUST")?,
            _ => rows.push((
                n,
                numbers(l, n, 7, "customer row (NO X Y DEMAND READY DUE SERVICE)")?,
            )),
        }
        state += 1;
    }
    let name = name.ok_or_else(|| ParseError::line(1, "empty file: expected the instance name"))?;
    if state < 6 {
        return Err(ParseError::line(
            last_line,
            "file ends early: expected name, VEHICLE, NUMBER CAPACITY, the vehicle line, CUSTOMER, the column header and customer rows",
        ));
    }
    let (fleet_line, number, capacity) =
        fleet.ok_or_else(|| ParseError::line(last_line, "no vehicle line found"))?;
    if number < 1.0 || number.fract() != 0.0 || capacity < 0.0 || capacity.fract() != 0.0 {
        return Err(ParseError::line(
            fleet_line,
            "vehicle NUMBER and CAPACITY must be a positive and a non-negative integer",
        ));
    }
    if rows.is_empty() {
        return Err(ParseError::line(
            last_line,
            "no customer rows found (the depot row 0 is required)",
        ));
    }
    for (k, (n, r)) in rows.iter().enumerate() {
        if r[0] != k as f64 {
            return Err(ParseError::line(
                *n,
                format!("customer number {} out of sequence: expected {k}", r[0]),
            ));
        }
        if r[4] > r[5] {
            return Err(ParseError::line(
                *n,
                format!("READY {} is after DUE {}", r[4], r[5]),
            ));
        }
        if r[3] < 0.0 || r[3].fract() != 0.0 {
            return Err(ParseError::line(
                *n,
                format!("DEMAND {} must be a non-negative integer", r[3]),
            ));
        }
    }
    let points: Vec<[f64; 2]> = rows.iter().map(|(_, r)| [r[1], r[2]]).collect();
    let depot = &rows[0].1;
    let visits = rows[1..]
        .iter()
        .map(|(_, r)| {
            let mut v = Visit::new(
                format!("{}", r[0] as u64),
                LocIdx::from(r[0] as usize),
                r[6],
            );
            v.time_windows = vec![TimeWindow::new(r[4], r[5])];
            v.window_kind = WindowKind::Hard;
            v.demand = r[3] as i64;
            v.unassigned_penalty = UNASSIGNED_PENALTY;
            v
        })
        .collect();
    let staff = (1..=number as usize)
        .map(|i| Staff {
            id: format!("v{i}"),
            shift: TimeWindow::new(depot[4], depot[5]),
            max_overtime: Some(0.0),
            start_location: LocIdx(0),
            end_location: LocIdx(0),
            skills: SkillSet::EMPTY,
            team: None,
            capacity: Some(capacity as i64),
            break_rule: None,
            fixed_cost: 0.0,
        })
        .collect();
    let weights = Weights {
        travel_time: 1.0,
        distance: 0.0,
        unassigned: 1.0,
        continuity: 0.0,
        preferred: 0.0,
        team_boundary: 0.0,
        overtime: 0.0,
        tardiness: 0.0,
        max_tardiness: 0.0,
        waiting: 0.0,
        max_waiting: 0.0,
        idle: 0.0,
        max_idle: 0.0,
        missed_break: 0.0,
        workload_balance: 0.0,
        working_time: 0.0,
        fixed_cost: 0.0,
    };
    let data = ProblemData {
        name,
        locations: rows
            .iter()
            .map(|(_, r)| Location {
                id: format!("{}", r[0] as u64),
                coord: Some([r[1], r[2]]),
            })
            .collect(),
        travel_time: Matrix::euclidean(&points),
        distance: None,
        skills: Vec::new(),
        teams: Vec::new(),
        citizens: Vec::new(),
        visits,
        staff,
        links: Vec::new(),
        window_anchor: WindowAnchor::Start,
        objective: Objective {
            weights,
            minimise_vehicles_first: true,
            count_wait_after_leading_break: true,
        },
    };
    Problem::new(data).map_err(ParseError::Invalid)
}

fn customer_index(problem: &Problem) -> HashMap<&str, VisitIdx> {
    problem
        .visits()
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), VisitIdx::from(i)))
        .collect()
}

fn to_sequences(
    problem: &Problem,
    routes: &[(usize, Vec<String>)],
    field: &str,
) -> Result<Vec<Vec<VisitIdx>>, ParseError> {
    let index = customer_index(problem);
    routes
        .iter()
        .map(|(at, r)| {
            r.iter()
                .map(|c| {
                    index.get(c.as_str()).copied().ok_or_else(|| {
                        ParseError::field(
                            format!("{field}[{at}]"),
                            format!("customer {c} is not in instance {}", problem.name()),
                        )
                    })
                })
                .collect()
        })
        .collect()
}

/// Reads a MAMUT/SINTEF JSON route file (`solomon/bks_solutions/*.json`:
/// `{"routes": [[5, 3, ...], ...], "cost": 828.93...}`) into a plan for `problem`.
pub fn parse_bks_json(text: &str, problem: &Problem) -> Result<BksSolution, ParseError> {
    #[derive(serde::Deserialize)]
    struct File {
        routes: Vec<Vec<u64>>,
        cost: Option<f64>,
    }
    let f: File = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    let routes: Vec<(usize, Vec<String>)> = f
        .routes
        .iter()
        .enumerate()
        .map(|(i, r)| (i, r.iter().map(|c| c.to_string()).collect()))
        .collect();
    let seqs = to_sequences(problem, &routes, "routes")?;
    Ok(BksSolution {
        plan: plan_from_sequences(problem, &seqs)?,
        stated_distance: f.cost,
        vehicles: seqs.len(),
    })
}

/// Reads a SINTEF text route file (`homberger/bks_solutions/*.txt`: header lines, then
/// `Route k : c1 c2 ...`) into a plan for `problem`. Errors name the line.
pub fn parse_sintef_txt(text: &str, problem: &Problem) -> Result<BksSolution, ParseError> {
    let mut routes = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if !line.to_ascii_lowercase().starts_with("route") {
            continue;
        }
        let Some((_, customers)) = line.split_once(':') else {
            return Err(ParseError::line(i + 1, "route line without ':'"));
        };
        let mut r = Vec::new();
        for t in customers.split_whitespace() {
            let n: u64 = t
                .parse()
                .map_err(|_| ParseError::line(i + 1, format!("{t:?} is not a customer number")))?;
            r.push(n.to_string());
        }
        routes.push((i + 1, r));
    }
    if routes.is_empty() {
        return Err(ParseError::line(
            text.lines().count().max(1),
            "no \"Route k : ...\" lines found",
        ));
    }
    let seqs = to_sequences(problem, &routes, "line")?;
    Ok(BksSolution {
        plan: plan_from_sequences(problem, &seqs)?,
        stated_distance: None,
        vehicles: seqs.len(),
    })
}

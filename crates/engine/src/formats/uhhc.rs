//! UHHC home-care JSON (Ceschia et al., ITOR 2026): instances, solutions and the writer.
//!
//! The mapping into the engine model (see `shared/benchmarks/uhhc/FORMAT.md`):
//!
//! - matrix index `i` → location `i` (id = terminal or patient id); `distances` → travel time;
//! - each service id → a skill; each caregiver → a staff member with its abilities;
//! - each patient → a citizen, and one visit per required service, id `"{patient}/{service}"`,
//!   requiring that service as its skill. A patient's two services are tied by a [`Link`]
//!   with `all_or_none` (rule 2: a patient is served completely or not at all); `simultaneous`
//!   adds gap `[0, 0]` and distinct staff, `sequential` adds gap `[min, max]` from the first
//!   listed service to the second;
//! - weights `m(w)` (number → itself, `"HARD"` → 1, absent → 0) go to the weights of the same
//!   meaning; `"HARD"` tardiness makes windows hard, `"HARD"` extra time (or working time)
//!   forbids overtime, `"HARD"` or absent missed lunch makes the break mandatory, `"HARD"`
//!   preferences refuse everyone else, `"HARD"` unscheduled makes every patient required;
//! - the unscheduled-patient weight sits on the first visit of each patient (the second visit
//!   has penalty 0), so that an unserved patient costs it once;
//! - the objective does not count the wait after a leading break
//!   ([`Objective::count_wait_after_leading_break`] = false), as the reference does.
//!
//! Caregivers without a working shift get the shift `[0, horizon]` (or `[0, 10^6]` without a
//! horizon) with unlimited overtime. Known differences from the reference toolbox, none of
//! which affects the copied data: idle time also counts caregivers without a shift or missing
//! from the solution (the toolbox gives them 0); bazirha-origin departure at shift start only
//! changes waiting/idle, which bazirha instances do not weight; numeric (soft) `qualification`
//! and `incompabilities` weights are rejected.
//!
//! Breaks: a UHHC lunch entry names the patient at whose location it is taken; if that
//! patient gets no service, the break is at the caregiver's departure terminal. The writer
//! therefore needs breaks at a served patient's address or at the departure terminal.
//!
//! Departure: UHHC derives each caregiver's departure as "just in time" for the first entry,
//! so the first entry never waits. A plan that departs earlier has waiting (in the engine's
//! view) that a UHHC validator does not see; solvers should depart just in time.

use super::ParseError;
use crate::plan::{Cost, Plan, Route, Stop, StopKind, Unassigned, UnassignedReason};
use crate::problem::{
    BreakRule, Citizen, CitizenIdx, Gap, Link, LocIdx, Location, Matrix, Objective, Problem,
    ProblemData, SkillSet, Staff, StaffIdx, TimeWindow, Visit, VisitIdx, Weights, WindowAnchor,
    WindowKind,
};
use crate::validate::validate;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// Shift end for caregivers without a working shift and instances without a horizon.
pub const NO_SHIFT_END: f64 = 1e6;

#[derive(Deserialize)]
struct Instance {
    metadata: Metadata,
    distances: Vec<Vec<f64>>,
    #[serde(alias = "departing_points", alias = "central_offices")]
    terminal_points: Vec<Terminal>,
    caregivers: Vec<Caregiver>,
    patients: Vec<Patient>,
    services: Vec<Service>,
    #[serde(default)]
    lunch_breaks: Option<Lunch>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    time_window_met: Option<String>,
    #[serde(default)]
    horizon: Option<f64>,
    #[serde(default)]
    cost_components: HashMap<String, Weight>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum Weight {
    Number(f64),
    Text(String),
}

#[derive(Deserialize)]
struct Terminal {
    id: String,
    distance_matrix_index: usize,
    #[serde(default)]
    location: Option<Vec<f64>>,
}

#[derive(Deserialize)]
struct Caregiver {
    id: String,
    #[serde(default)]
    abilities: Vec<String>,
    #[serde(alias = "starting_point_id")]
    departing_point: String,
    #[serde(default)]
    arrival_point: Option<String>,
    #[serde(default)]
    working_shift: Option<Window>,
    #[serde(default)]
    lunch_break: Option<bool>,
}

#[derive(Deserialize, Clone, Copy)]
struct Window {
    start: f64,
    end: f64,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<Window>),
    One(Window),
}

#[derive(Deserialize)]
struct Patient {
    id: String,
    distance_matrix_index: usize,
    #[serde(default)]
    location: Option<Vec<f64>>,
    required_services: Vec<Required>,
    #[serde(alias = "time_window")]
    time_windows: OneOrMany,
    #[serde(default)]
    synchronization: Option<Sync>,
    #[serde(default)]
    optional: Option<bool>,
    #[serde(default)]
    preferred_caregivers: Option<Vec<String>>,
    #[serde(default)]
    incompatible_caregivers: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Required {
    service: String,
    #[serde(default)]
    duration: Option<f64>,
}

#[derive(Deserialize)]
struct Sync {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    distance: Option<SyncDistance>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SyncDistance {
    Object { min: f64, max: f64 },
    Pair([f64; 2]),
    Single(f64),
}

#[derive(Deserialize)]
struct Service {
    id: String,
    #[serde(default)]
    default_duration: Option<f64>,
}

#[derive(Deserialize)]
struct Lunch {
    start: f64,
    end: f64,
    min_duration: f64,
}

const KNOWN_COMPONENTS: &[&str] = &[
    "travel_time",
    "total_tardiness",
    "highest_tardiness",
    "total_waiting_time",
    "max_waiting_time",
    "total_extra_time",
    "max_idle_time",
    "caregiver_preferences",
    "preferences",
    "optional_patients",
    "unscheduled",
    "missed_lunch_break",
    "qualification",
    "incompabilities",
    "working_time",
    "workload_balance",
    "tw_max_dev_in_time",
    "tw_max_dev_in_desired_time",
];

/// The cost components of one instance: `m(weight)` and whether it is `"HARD"`.
struct Components(HashMap<String, Weight>);

impl Components {
    fn get(&self, names: &[&str]) -> Option<&Weight> {
        names.iter().find_map(|n| self.0.get(*n))
    }
    fn m(&self, names: &[&str]) -> f64 {
        match self.get(names) {
            Some(Weight::Number(x)) => *x,
            Some(Weight::Text(_)) => 1.0,
            None => 0.0,
        }
    }
    fn hard(&self, names: &[&str]) -> bool {
        matches!(self.get(names), Some(Weight::Text(_)))
    }
    fn hard_or_absent(&self, names: &[&str]) -> bool {
        !matches!(self.get(names), Some(Weight::Number(_)))
    }
}

/// Parses a UHHC instance into a problem. Errors name the line (malformed JSON) or the
/// field (unknown ids, inconsistent indices).
pub fn parse_instance(text: &str) -> Result<Problem, ParseError> {
    let inst: Instance = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    for (k, w) in &inst.metadata.cost_components {
        if !KNOWN_COMPONENTS.contains(&k.as_str()) {
            return Err(ParseError::field(
                format!("metadata.cost_components.{k}"),
                "unknown cost component",
            ));
        }
        if let Weight::Text(t) = w {
            if t != "HARD" {
                return Err(ParseError::field(
                    format!("metadata.cost_components.{k}"),
                    format!("weight {t:?}: expected a number or \"HARD\""),
                ));
            }
        }
    }
    let cc = Components(inst.metadata.cost_components.clone());
    for soft_unsupported in ["qualification", "incompabilities"] {
        if let Some(Weight::Number(w)) = cc.get(&[soft_unsupported]) {
            if *w != 0.0 {
                return Err(ParseError::field(
                    format!("metadata.cost_components.{soft_unsupported}"),
                    "a numeric (soft) weight is not supported: Nabo treats this rule as hard",
                ));
            }
        }
    }
    let anchor = match inst.metadata.time_window_met.as_deref() {
        None | Some("at_service_start") => WindowAnchor::Start,
        Some("at_service_end") => WindowAnchor::End,
        Some(other) => {
            return Err(ParseError::field(
                "metadata.time_window_met",
                format!("{other:?}: expected \"at_service_start\" or \"at_service_end\""),
            ))
        }
    };

    let n = inst.distances.len();
    for (i, row) in inst.distances.iter().enumerate() {
        if row.len() != n {
            return Err(ParseError::field(
                format!("distances[{i}]"),
                format!(
                    "row has {} values, expected {n} (the matrix must be square)",
                    row.len()
                ),
            ));
        }
    }
    let travel = Matrix::from_rows(&inst.distances)
        .ok_or_else(|| ParseError::field("distances", "the matrix must be square"))?;

    let mut locations: Vec<Option<Location>> = vec![None; n];
    let mut place =
        |idx: usize, id: &str, coord: &Option<Vec<f64>>, field: String| -> Result<(), ParseError> {
            let slot = locations.get_mut(idx).ok_or_else(|| {
                ParseError::field(
                    &field,
                    format!("index {idx} is outside the {n}×{n} distance matrix"),
                )
            })?;
            if slot.is_some() {
                return Err(ParseError::field(
                    &field,
                    format!("index {idx} is used twice"),
                ));
            }
            *slot = Some(Location {
                id: id.to_string(),
                coord: coord
                    .as_ref()
                    .and_then(|c| (c.len() == 2).then(|| [c[0], c[1]])),
            });
            Ok(())
        };
    let mut terminals = HashMap::new();
    for (i, t) in inst.terminal_points.iter().enumerate() {
        place(
            t.distance_matrix_index,
            &t.id,
            &t.location,
            format!("terminal_points[{i}].distance_matrix_index"),
        )?;
        terminals.insert(t.id.as_str(), LocIdx::from(t.distance_matrix_index));
    }
    for (i, p) in inst.patients.iter().enumerate() {
        place(
            p.distance_matrix_index,
            &p.id,
            &p.location,
            format!("patients[{i}].distance_matrix_index"),
        )?;
    }
    let locations: Vec<Location> = locations
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            l.ok_or_else(|| {
                ParseError::field(
                    "distances",
                    format!("matrix index {i} belongs to no terminal point or patient"),
                )
            })
        })
        .collect::<Result<_, _>>()?;

    let services: HashMap<&str, (usize, &Service)> = inst
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), (i, s)))
        .collect();
    let caregiver_idx: HashMap<&str, usize> = inst
        .caregivers
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let horizon = inst.metadata.horizon.unwrap_or(NO_SHIFT_END);
    let overtime_hard = cc.hard(&["total_extra_time"]) || cc.hard(&["working_time"]);

    let mut staff = Vec::with_capacity(inst.caregivers.len());
    for (i, c) in inst.caregivers.iter().enumerate() {
        let mut skills = SkillSet::EMPTY;
        for (k, a) in c.abilities.iter().enumerate() {
            let (si, _) = services.get(a.as_str()).ok_or_else(|| {
                ParseError::field(
                    format!("caregivers[{i}].abilities[{k}]"),
                    format!("unknown service {a:?}"),
                )
            })?;
            skills.insert(*si);
        }
        let terminal = |id: &str, field: &str| {
            terminals.get(id).copied().ok_or_else(|| {
                ParseError::field(
                    format!("caregivers[{i}].{field}"),
                    format!("unknown terminal {id:?}"),
                )
            })
        };
        let start_location = terminal(&c.departing_point, "departing_point")?;
        let end_location = match &c.arrival_point {
            Some(a) => terminal(a, "arrival_point")?,
            None => start_location,
        };
        let break_rule = match (c.lunch_break, &inst.lunch_breaks) {
            (Some(true), Some(l)) => Some(BreakRule {
                window: TimeWindow::new(l.start, l.end),
                duration: l.min_duration,
                min_shift_length: 0.0,
                mandatory: cc.hard_or_absent(&["missed_lunch_break"]),
            }),
            (Some(true), None) => return Err(ParseError::field(
                format!("caregivers[{i}].lunch_break"),
                "the caregiver must take a lunch break but the instance has no lunch_breaks rule",
            )),
            _ => None,
        };
        staff.push(Staff {
            id: c.id.clone(),
            shift: c.working_shift.map_or(TimeWindow::new(0.0, horizon), |w| {
                TimeWindow::new(w.start, w.end)
            }),
            max_overtime: (overtime_hard && c.working_shift.is_some()).then_some(0.0),
            start_location,
            end_location,
            skills,
            team: None,
            capacity: None,
            break_rule,
            fixed_cost: 0.0,
        });
    }

    let tardiness_hard = cc.hard(&["total_tardiness"]) || cc.hard(&["highest_tardiness"]);
    let preferences_hard = cc.hard(&["caregiver_preferences", "preferences"]);
    let all_required = cc.hard(&["optional_patients", "unscheduled"]);
    let unscheduled_weight = cc.m(&["optional_patients", "unscheduled"]);
    let mut citizens = Vec::with_capacity(inst.patients.len());
    let mut visits = Vec::new();
    let mut links = Vec::new();
    for (pi, p) in inst.patients.iter().enumerate() {
        citizens.push(Citizen {
            id: p.id.clone(),
            recent_staff: Vec::new(),
        });
        let staff_list = |list: &Option<Vec<String>>,
                          name: &str|
         -> Result<Vec<crate::problem::StaffIdx>, ParseError> {
            list.iter()
                .flatten()
                .enumerate()
                .map(|(k, id)| {
                    caregiver_idx
                        .get(id.as_str())
                        .map(|&i| StaffIdx::from(i))
                        .ok_or_else(|| {
                            ParseError::field(
                                format!("patients[{pi}].{name}[{k}]"),
                                format!("unknown caregiver {id:?}"),
                            )
                        })
                })
                .collect()
        };
        let preferred = staff_list(&p.preferred_caregivers, "preferred_caregivers")?;
        let mut refused = staff_list(&p.incompatible_caregivers, "incompatible_caregivers")?;
        if preferences_hard && !preferred.is_empty() {
            refused.extend(
                (0..staff.len())
                    .map(StaffIdx::from)
                    .filter(|s| !preferred.contains(s)),
            );
            refused.sort();
            refused.dedup();
        }
        let windows: Vec<TimeWindow> = match &p.time_windows {
            OneOrMany::Many(v) => v.iter().map(|w| TimeWindow::new(w.start, w.end)).collect(),
            OneOrMany::One(w) => vec![TimeWindow::new(w.start, w.end)],
        };
        if p.required_services.is_empty() || p.required_services.len() > 2 {
            return Err(ParseError::field(
                format!("patients[{pi}].required_services"),
                format!(
                    "{} services: a patient requires 1 or 2",
                    p.required_services.len()
                ),
            ));
        }
        let first = visits.len();
        for (k, rs) in p.required_services.iter().enumerate() {
            let field = format!("patients[{pi}].required_services[{k}]");
            let (si, service) = services.get(rs.service.as_str()).ok_or_else(|| {
                ParseError::field(
                    format!("{field}.service"),
                    format!("unknown service {:?}", rs.service),
                )
            })?;
            let duration = rs.duration.or(service.default_duration).ok_or_else(|| {
                ParseError::field(
                    format!("{field}.duration"),
                    "no duration and the service has no default_duration",
                )
            })?;
            let mut v = Visit::new(
                format!("{}/{}", p.id, rs.service),
                LocIdx::from(p.distance_matrix_index),
                duration,
            );
            v.time_windows = windows.clone();
            v.window_kind = if tardiness_hard {
                WindowKind::Hard
            } else {
                WindowKind::Soft
            };
            v.required_skills = SkillSet::single(*si);
            v.unassigned_penalty = if k == 0 { unscheduled_weight } else { 0.0 };
            v.optional = p.optional.unwrap_or(false) && !all_required;
            v.citizen = Some(CitizenIdx::from(pi));
            v.preferred_staff = preferred.clone();
            v.refused_staff = refused.clone();
            visits.push(v);
        }
        if p.required_services.len() == 2 {
            let sync = p.synchronization.as_ref().ok_or_else(|| {
                ParseError::field(
                    format!("patients[{pi}].synchronization"),
                    "a patient with two services needs a synchronization",
                )
            })?;
            let (gap, distinct_staff) = match sync.kind.as_str() {
                "independent" => (None, false),
                "simultaneous" => (
                    Some(Gap {
                        min: 0.0,
                        max: Some(0.0),
                    }),
                    true,
                ),
                "sequential" => {
                    let (min, max) = match sync.distance {
                        Some(SyncDistance::Object { min, max }) => (min, max),
                        Some(SyncDistance::Pair([min, max])) => (min, max),
                        Some(SyncDistance::Single(x)) => (x, x),
                        None => {
                            return Err(ParseError::field(
                                format!("patients[{pi}].synchronization.distance"),
                                "sequential synchronization needs a distance {min, max}",
                            ))
                        }
                    };
                    (
                        Some(Gap {
                            min,
                            max: Some(max),
                        }),
                        false,
                    )
                }
                other => {
                    return Err(ParseError::field(
                        format!("patients[{pi}].synchronization.type"),
                        format!("{other:?}: expected independent, simultaneous or sequential"),
                    ))
                }
            };
            links.push(Link {
                first: VisitIdx::from(first),
                second: VisitIdx::from(first + 1),
                gap,
                distinct_staff,
                all_or_none: true,
            });
        }
    }

    let weights = Weights {
        travel_time: cc.m(&["travel_time"]),
        distance: 0.0,
        unassigned: 1.0,
        continuity: 0.0,
        preferred: cc.m(&["caregiver_preferences", "preferences"]),
        team_boundary: 0.0,
        overtime: cc.m(&["total_extra_time"]),
        tardiness: cc.m(&["total_tardiness"]),
        max_tardiness: cc.m(&["highest_tardiness"]),
        waiting: cc.m(&["total_waiting_time"]),
        max_waiting: cc.m(&["max_waiting_time"]),
        idle: 0.0,
        max_idle: cc.m(&["max_idle_time"]),
        missed_break: cc.m(&["missed_lunch_break"]),
        workload_balance: cc.m(&["workload_balance"]),
        working_time: cc.m(&["working_time"]),
        fixed_cost: 0.0,
    };
    let data = ProblemData {
        name: inst.metadata.name.unwrap_or_default(),
        locations,
        travel_time: travel,
        distance: None,
        skills: inst.services.iter().map(|s| s.id.clone()).collect(),
        teams: Vec::new(),
        citizens,
        visits,
        staff,
        links,
        window_anchor: anchor,
        objective: Objective {
            weights,
            minimise_vehicles_first: false,
            count_wait_after_leading_break: false,
        },
    };
    Problem::new(data).map_err(ParseError::Invalid)
}

#[derive(Deserialize)]
struct SolutionFile {
    routes: Vec<SolutionRoute>,
}

#[derive(Deserialize)]
struct SolutionRoute {
    caregiver_id: String,
    #[serde(default)]
    locations: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    patient: Option<String>,
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    depot: Option<String>,
    #[serde(default)]
    departing_time: Option<f64>,
    #[serde(default, alias = "arrival_time", alias = "start_time")]
    start_service_time: Option<f64>,
    #[serde(default, alias = "departure_time", alias = "end_time")]
    end_service_time: Option<f64>,
}

/// `(patient id, service id)` → visit, for a problem built by [`parse_instance`].
fn visit_keys(problem: &Problem) -> HashMap<(&str, &str), VisitIdx> {
    problem
        .visits()
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let c = v.citizen?;
            let s = v.required_skills.iter().next()?;
            Some((
                (
                    problem.citizens()[c.get()].id.as_str(),
                    problem.skills()[s].as_str(),
                ),
                VisitIdx::from(i),
            ))
        })
        .collect()
}

/// Reads a UHHC solution for `problem` (built by [`parse_instance`]) into a plan. Entries
/// are sorted by start time per route, as the reference does; each caregiver departs just
/// in time for the first entry unless the file gives an explicit depot departure. Patients
/// without any service are listed as unassigned.
pub fn parse_solution(text: &str, problem: &Problem) -> Result<Plan, ParseError> {
    let file: SolutionFile = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    let keys = visit_keys(problem);
    let citizen_loc: HashMap<&str, LocIdx> = problem
        .visits()
        .iter()
        .filter_map(|v| Some((problem.citizens()[v.citizen?.get()].id.as_str(), v.location)))
        .collect();
    // Patients receiving at least one real service (lunch locations depend on it).
    let served: HashSet<&str> = file
        .routes
        .iter()
        .flat_map(|r| r.locations.iter().flatten())
        .filter(|e| e.service.as_deref() != Some("lunch_break"))
        .filter_map(|e| e.patient.as_deref())
        .collect();

    let mut seen_staff = HashSet::new();
    let mut routes = Vec::new();
    let mut planned = vec![false; problem.visits().len()];
    for (ri, r) in file.routes.iter().enumerate() {
        let field = format!("routes[{ri}]");
        let staff_idx = problem.staff_by_id(&r.caregiver_id).ok_or_else(|| {
            ParseError::field(
                format!("{field}.caregiver_id"),
                format!("unknown caregiver {:?}", r.caregiver_id),
            )
        })?;
        if !seen_staff.insert(staff_idx) {
            return Err(ParseError::field(
                format!("{field}.caregiver_id"),
                format!("caregiver {:?} has two routes", r.caregiver_id),
            ));
        }
        let staff = problem.staff_member(staff_idx);
        let Some(entries) = &r.locations else {
            routes.push(Route {
                staff: staff_idx,
                departure: staff.shift.start,
                stops: Vec::new(),
            });
            continue;
        };
        let mut departure = None;
        let mut stops = Vec::new();
        for (k, e) in entries.iter().enumerate() {
            let ef = format!("{field}.locations[{k}]");
            if e.depot.is_some() {
                if let Some(t) = e.departing_time {
                    departure = Some(t);
                }
                continue;
            }
            let start = e.start_service_time.ok_or_else(|| {
                ParseError::field(
                    &ef,
                    "no start time (start_service_time / arrival_time / start_time)",
                )
            })?;
            let end = e.end_service_time.ok_or_else(|| {
                ParseError::field(
                    &ef,
                    "no end time (end_service_time / departure_time / end_time)",
                )
            })?;
            let patient = e
                .patient
                .as_deref()
                .ok_or_else(|| ParseError::field(&ef, "no patient"))?;
            let service = e
                .service
                .as_deref()
                .ok_or_else(|| ParseError::field(&ef, "no service"))?;
            if service == "lunch_break" {
                let location = if served.contains(patient) {
                    *citizen_loc.get(patient).ok_or_else(|| {
                        ParseError::field(
                            format!("{ef}.patient"),
                            format!("unknown patient {patient:?}"),
                        )
                    })?
                } else {
                    staff.start_location
                };
                stops.push(Stop::rest(location, start, end));
            } else {
                let v = *keys.get(&(patient, service)).ok_or_else(|| {
                    ParseError::field(
                        &ef,
                        format!(
                            "patient {patient:?} with service {service:?} is not in the instance"
                        ),
                    )
                })?;
                planned[v.get()] = true;
                stops.push(Stop::visit(v, start, end));
            }
        }
        // Stable: ties keep the file order, as in the reference.
        stops.sort_by(|a, b| a.start.total_cmp(&b.start));
        let departure = match (departure, stops.first()) {
            (Some(t), _) => t,
            (None, Some(first)) => {
                let loc = match first.kind {
                    StopKind::Visit { visit } => problem.visit(visit).location,
                    StopKind::Break { location } => location,
                };
                first.start - problem.travel(staff.start_location, loc)
            }
            (None, None) => staff.shift.start,
        };
        routes.push(Route {
            staff: staff_idx,
            departure,
            stops,
        });
    }
    let unassigned = planned
        .iter()
        .enumerate()
        .filter(|(_, p)| !**p)
        .map(|(i, _)| Unassigned {
            visit: VisitIdx::from(i),
            reason: UnassignedReason::NotInSolution,
        })
        .collect();
    Ok(Plan { routes, unassigned })
}

/// Why a plan cannot be written in the UHHC format.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{what}: {message}")]
pub struct WriteError {
    /// The stop or visit concerned.
    pub what: String,
    /// What is wrong.
    pub message: String,
}

fn json_number(x: f64) -> serde_json::Value {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        serde_json::Value::from(x as i64)
    } else {
        serde_json::Value::from(x)
    }
}

/// The nine UHHC cost components of a cost, weighted, under their UHHC names (the keys of
/// a solution's `cost_components`): travel, total and highest tardiness, waiting, extra
/// time (overtime), max idle, preferences, unscheduled patients, missed lunch breaks.
pub fn components_of(cost: &Cost) -> [(&'static str, f64); 9] {
    let w = &cost.weighted;
    [
        ("travel_time", w.travel_time),
        ("total_tardiness", w.tardiness),
        ("highest_tardiness", w.max_tardiness),
        ("total_waiting_time", w.waiting),
        ("total_extra_time", w.overtime),
        ("max_idle_time", w.max_idle),
        ("caregiver_preferences", w.preferred),
        ("optional_patients", w.unassigned),
        ("missed_lunch_break", w.missed_break),
    ]
}

/// Writes `plan` as a UHHC solution for `problem` (built by [`parse_instance`]), with the
/// recomputed weighted `cost_components` (integers only, as the reference expects; omitted
/// when a component is fractional) and `cost.objective`.
pub fn write_solution(problem: &Problem, plan: &Plan) -> Result<String, WriteError> {
    use serde_json::{json, Map, Value};
    let patient_of = |v: VisitIdx| -> Result<(&str, &str), WriteError> {
        let visit = problem.visit(v);
        let c = visit.citizen.ok_or_else(|| WriteError {
            what: format!("visit {}", visit.id),
            message: "has no citizen (patient)".into(),
        })?;
        let s = visit
            .required_skills
            .iter()
            .next()
            .ok_or_else(|| WriteError {
                what: format!("visit {}", visit.id),
                message: "requires no service".into(),
            })?;
        Ok((
            problem.citizens()[c.get()].id.as_str(),
            problem.skills()[s].as_str(),
        ))
    };
    let served: HashSet<CitizenIdx> = plan
        .routes
        .iter()
        .flat_map(|r| r.stops.iter())
        .filter_map(|s| s.visit_idx())
        .filter_map(|v| problem.visits().get(v.get()).and_then(|x| x.citizen))
        .collect();
    // Locations of served patients: a break there is written as taken at that patient.
    let served_at: HashMap<LocIdx, &str> = problem
        .visits()
        .iter()
        .filter_map(|v| {
            let c = v.citizen.filter(|c| served.contains(c))?;
            Some((v.location, problem.citizens()[c.get()].id.as_str()))
        })
        .collect();
    let unserved_patient = (0..problem.citizens().len())
        .map(CitizenIdx::from)
        .find(|c| !served.contains(c))
        .map(|c| problem.citizens()[c.get()].id.as_str());

    let mut routes = Vec::new();
    for r in &plan.routes {
        let staff = problem
            .staff()
            .get(r.staff.get())
            .ok_or_else(|| WriteError {
                what: format!("route of staff index {}", r.staff),
                message: "no such staff member".into(),
            })?;
        let mut locations = Vec::new();
        for (k, stop) in r.stops.iter().enumerate() {
            let (patient, service) = match stop.kind {
                StopKind::Visit { visit } => patient_of(visit)?,
                StopKind::Break { location } => {
                    let p = if let Some(p) = served_at.get(&location) {
                        *p
                    } else if location == staff.start_location {
                        // UHHC puts a break "at" an unserved patient at the departure terminal.
                        // Without one, a leading break can move to the first visit's address:
                        // the same travel, and the same waiting and idle time.
                        let next = r.stops.get(k + 1).and_then(|s| s.visit_idx());
                        match (unserved_patient, next) {
                            (Some(p), _) => p,
                            (None, Some(v))
                                if k == 0
                                    && stop.start - problem.travel(location, problem.visit(v).location)
                                        >= staff.shift.start =>
                            {
                                patient_of(v)?.0
                            }
                            _ => {
                                return Err(WriteError {
                                    what: format!("break of {} at {}", staff.id, stop.start),
                                    message: "a break at the depot cannot be named in UHHC here (every patient is served); take it at a patient's address".into(),
                                })
                            }
                        }
                    } else {
                        return Err(WriteError {
                            what: format!("break of {} at {}", staff.id, stop.start),
                            message: "UHHC breaks are taken at a served patient's address or at the departure terminal".into(),
                        });
                    };
                    (p, "lunch_break")
                }
            };
            locations.push(json!({
                "start_service_time": json_number(stop.start),
                "end_service_time": json_number(stop.end),
                "patient": patient,
                "service": service,
            }));
        }
        routes.push(json!({ "caregiver_id": staff.id, "locations": locations }));
    }
    let report = validate(problem, plan);
    let mut components = Map::new();
    let all = components_of(&report.cost);
    if all.iter().all(|(_, v)| v.fract() == 0.0) {
        for (k, v) in all {
            components.insert(k.to_string(), json_number(v));
        }
    }
    let out = json!({
        "instance": problem.name(),
        "routes": routes,
        "cost_components": Value::Object(components),
        "cost": { "objective": json_number(report.cost.total), "violations": report.violations.len() },
        "global_ordering": [],
    });
    Ok(serde_json::to_string_pretty(&out).unwrap_or_default())
}

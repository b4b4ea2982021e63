//! The plan model: who does which visit when, in which order, and what was left out.
//!
//! A [`Plan`] is plain data with explicit times, so that a plan read from a file (a BKS
//! route file, a UHHC solution) and a plan produced by the solver are checked the same way
//! by [`crate::validate::validate`]. [`Cost`] is the objective broken down into every term.

use crate::problem::{LocIdx, Objective, StaffIdx, Time, VisitIdx};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// What a stop is.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StopKind {
    /// Doing a visit (at the visit's location).
    Visit {
        /// The visit.
        visit: VisitIdx,
    },
    /// Taking the staff member's break at a location (usually where the previous stop was,
    /// so that it adds no travel; the UHHC format names a patient's location).
    Break {
        /// Where the break is taken.
        location: LocIdx,
    },
}

/// One stop of a route with its start and end time. `end − start` is at least the visit's
/// duration (or the break's minimum length); a longer stop is allowed.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    /// Visit or break.
    #[serde(flatten)]
    pub kind: StopKind,
    /// Service (or break) start.
    pub start: Time,
    /// Service (or break) end.
    pub end: Time,
}

impl Stop {
    /// A visit stop.
    pub fn visit(visit: VisitIdx, start: Time, end: Time) -> Stop {
        Stop {
            kind: StopKind::Visit { visit },
            start,
            end,
        }
    }

    /// A break stop.
    pub fn rest(location: LocIdx, start: Time, end: Time) -> Stop {
        Stop {
            kind: StopKind::Break { location },
            start,
            end,
        }
    }

    /// The visit, if this is a visit stop.
    pub fn visit_idx(&self) -> Option<VisitIdx> {
        match self.kind {
            StopKind::Visit { visit } => Some(visit),
            StopKind::Break { .. } => None,
        }
    }
}

/// One staff member's day: leave the start location at `departure`, do the stops in order,
/// then travel to the end location (the return time is derived: last end + travel).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// Whose route.
    pub staff: StaffIdx,
    /// Departure time from the start location.
    pub departure: Time,
    /// Stops in order of execution.
    pub stops: Vec<Stop>,
}

/// Why a visit is not in the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnassignedReason {
    /// No staff member has the required skills.
    NoQualifiedStaff,
    /// Every qualified staff member is refused by the citizen.
    AllQualifiedStaffRefused,
    /// No qualified staff member works when the visit can happen.
    OutsideAllShifts,
    /// The time window (or fixed time) cannot be reached by any qualified staff member.
    TimeWindowUnreachable,
    /// No vehicle has capacity left for the demand.
    Capacity,
    /// Not enough qualified staff at the same time for a two-person visit.
    NoSecondStaff,
    /// A linked visit (precedence, same citizen) could not be placed.
    LinkedVisitUnassigned,
    /// Placing it would cost more than its unassigned penalty (optional visits).
    TooCostly,
    /// No room found within the search; the visit may be placeable with more time.
    NoRoomFound,
    /// The plan came from outside (a solution file) and does not contain it.
    NotInSolution,
}

/// A visit left out of the plan, with the reason.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unassigned {
    /// The visit.
    pub visit: VisitIdx,
    /// Why.
    pub reason: UnassignedReason,
}

/// A plan: routes (at most one per staff member) and the visits left out. Every visit of
/// the problem appears either `staff_count` times in the routes or once in `unassigned`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Routes; staff members without a route do nothing.
    pub routes: Vec<Route>,
    /// Visits left out.
    #[serde(default)]
    pub unassigned: Vec<Unassigned>,
}

/// Raw values of every objective term (before weighting). The weighted total is
/// `Σ weight × term` with the weights of [`crate::problem::Weights`] of the same name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostTerms {
    /// Total travel time over all routes, start location → stops (breaks included) → end
    /// location.
    pub travel_time: f64,
    /// Total distance along the same legs.
    pub distance: f64,
    /// Sum of `unassigned_penalty` of unassigned visits.
    pub unassigned: f64,
    /// Number of distinct (citizen, staff member) pairs in the plan where the staff member is
    /// not among the citizen's recent staff.
    pub continuity: f64,
    /// Number of (visit, staff member) performances where the visit has preferred staff and
    /// the staff member is not one of them.
    pub preferred: f64,
    /// Number of (visit, staff member) performances across a team boundary.
    pub team_boundary: f64,
    /// Total overtime: Σ max(0, return − shift end).
    pub overtime: f64,
    /// Total lateness of soft-window visits (start or end per anchor, against the applicable
    /// window's end; a two-person visit counts once per staff member, as it has one stop each).
    pub tardiness: f64,
    /// Largest single lateness.
    pub max_tardiness: f64,
    /// Total waiting: Σ max(0, start − arrival) over all stops (breaks included).
    pub waiting: f64,
    /// Largest single wait.
    pub max_waiting: f64,
    /// Total idle time over staff members (see `max_idle`).
    pub idle: f64,
    /// Largest idle time of one staff member: (departure − shift start)⁺ + Σ waits + (shift
    /// end − return if returning in time). Staff without a route are idle all shift.
    pub max_idle: f64,
    /// Number of non-mandatory breaks not taken.
    pub missed_break: f64,
    /// Σ over staff of ⌈|workload − mean workload|⌉, workload = service + travel time, mean
    /// over all staff (rounded up per staff member to whole minutes, as UHHC does).
    pub workload_balance: f64,
    /// Σ over staff of service time (end − start of visit stops) + travel time.
    pub working_time: f64,
    /// Σ fixed cost of staff/vehicles with at least one visit.
    pub fixed_cost: f64,
}

impl CostTerms {
    /// Term names and values, in declaration order (for tables and reports).
    pub fn named(&self) -> [(&'static str, f64); 17] {
        [
            ("travel_time", self.travel_time),
            ("distance", self.distance),
            ("unassigned", self.unassigned),
            ("continuity", self.continuity),
            ("preferred", self.preferred),
            ("team_boundary", self.team_boundary),
            ("overtime", self.overtime),
            ("tardiness", self.tardiness),
            ("max_tardiness", self.max_tardiness),
            ("waiting", self.waiting),
            ("max_waiting", self.max_waiting),
            ("idle", self.idle),
            ("max_idle", self.max_idle),
            ("missed_break", self.missed_break),
            ("workload_balance", self.workload_balance),
            ("working_time", self.working_time),
            ("fixed_cost", self.fixed_cost),
        ]
    }

    /// Each term multiplied by its weight.
    pub fn weighted(&self, objective: &Objective) -> CostTerms {
        let w = &objective.weights;
        CostTerms {
            travel_time: w.travel_time * self.travel_time,
            distance: w.distance * self.distance,
            unassigned: w.unassigned * self.unassigned,
            continuity: w.continuity * self.continuity,
            preferred: w.preferred * self.preferred,
            team_boundary: w.team_boundary * self.team_boundary,
            overtime: w.overtime * self.overtime,
            tardiness: w.tardiness * self.tardiness,
            max_tardiness: w.max_tardiness * self.max_tardiness,
            waiting: w.waiting * self.waiting,
            max_waiting: w.max_waiting * self.max_waiting,
            idle: w.idle * self.idle,
            max_idle: w.max_idle * self.max_idle,
            missed_break: w.missed_break * self.missed_break,
            workload_balance: w.workload_balance * self.workload_balance,
            working_time: w.working_time * self.working_time,
            fixed_cost: w.fixed_cost * self.fixed_cost,
        }
    }

    /// Sum of all terms (of a weighted `CostTerms`: the objective).
    pub fn sum(&self) -> f64 {
        self.named().iter().map(|(_, v)| v).sum()
    }
}

/// The objective of a plan, broken down.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// Raw terms.
    pub raw: CostTerms,
    /// Weighted terms.
    pub weighted: CostTerms,
    /// The weighted total (the objective value).
    pub total: f64,
    /// Staff members / vehicles with at least one visit.
    pub vehicles_used: usize,
    /// Number of unassigned visits.
    pub unassigned_visits: usize,
    /// Whether the objective ranks `vehicles_used` first (hierarchical VRPTW objective).
    pub vehicles_first: bool,
}

impl Cost {
    /// Builds the breakdown from raw terms and the objective.
    pub fn new(
        raw: CostTerms,
        vehicles_used: usize,
        unassigned_visits: usize,
        objective: &Objective,
    ) -> Cost {
        let weighted = raw.weighted(objective);
        Cost {
            raw,
            weighted,
            total: weighted.sum(),
            vehicles_used,
            unassigned_visits,
            vehicles_first: objective.minimise_vehicles_first,
        }
    }

    /// Compares two costs under the objective: vehicles first when the objective is
    /// hierarchical, then the weighted total. Lower is better.
    pub fn cmp_key(&self, other: &Cost) -> Ordering {
        if self.vehicles_first || other.vehicles_first {
            match self.vehicles_used.cmp(&other.vehicles_used) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        self.total.total_cmp(&other.total)
    }
}

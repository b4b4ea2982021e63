//! nabo-engine: Nabo's planning engine. A [`Problem`] goes in, a [`Plan`] comes out.
//!
//! - [`problem`]: the immutable, validated problem model (visits, staff, matrices, links,
//!   objective weights). One model for home care and classic VRPTW.
//! - [`plan`]: routes with explicit times, unassigned visits with reasons, and the [`Cost`]
//!   breakdown.
//! - [`formats`]: the engine's JSON, Solomon/Homberger and UHHC readers and writers.
//! - [`mod@validate`]: the independent validator (feasibility and every objective term).
//!
//! The crate does no I/O: readers take `&str`, writers return `String`.

pub mod formats;
pub mod plan;
pub mod problem;
pub mod solver;
#[cfg(feature = "testing")]
pub mod testing;
pub mod validate;

pub use formats::ParseError;
pub use plan::{Cost, CostTerms, Plan, Route, Stop, StopKind, Unassigned, UnassignedReason};
pub use problem::{
    BreakRule, Citizen, CitizenIdx, FixedTime, Gap, Link, LocIdx, Location, Matrix, Objective,
    Problem, ProblemData, ProblemError, ProblemErrorCode, SkillSet, Staff, StaffIdx, Team, TeamIdx,
    Time, TimeWindow, Visit, VisitIdx, Weights, WindowAnchor, WindowKind,
};
pub use validate::{validate, Report, RouteSummary, Violation};

//! nabo-engine: Nabo's planning engine. A [`Problem`] goes in, a [`Plan`] comes out.
//!
//! - [`problem`]: the immutable, validated problem model (visits, staff, matrices, links,
//!   objective weights). One model for home care and classic VRPTW.
//! - [`plan`]: routes with explicit times, unassigned visits with reasons, and the [`Cost`]
//!   breakdown.
//!
//! The crate does no I/O: readers take `&str`, writers return `String`.

pub mod plan;
pub mod problem;

pub use plan::{Cost, CostTerms, Plan, Route, Stop, StopKind, Unassigned, UnassignedReason};
pub use problem::{
    BreakRule, Citizen, CitizenIdx, FixedTime, Gap, Link, LocIdx, Location, Matrix, Objective,
    Problem, ProblemData, ProblemError, ProblemErrorCode, SkillSet, Staff, StaffIdx, Team, TeamIdx,
    Time, TimeWindow, Visit, VisitIdx, Weights, WindowAnchor, WindowKind,
};

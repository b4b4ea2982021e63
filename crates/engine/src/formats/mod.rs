//! Readers and writers: the engine's own JSON ([`json`]), Solomon / Gehring–Homberger VRPTW
//! text and their best-known route files ([`solomon`]), and the UHHC home-care JSON
//! ([`uhhc`]). Readers take `&str`, writers return `String`; no I/O happens here.

pub mod json;
pub mod solomon;
pub mod uhhc;

use crate::plan::{Plan, Route, Stop, Unassigned, UnassignedReason};
use crate::problem::{Problem, ProblemError, StaffIdx, Time, VisitIdx, WindowAnchor};

/// Why input could not be read. Every variant names where the problem is.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ParseError {
    /// Malformed text at a line (1-based; column when known).
    #[error("line {line}{}: {message}", column.map(|c| format!(", column {c}")).unwrap_or_default())]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column, if known.
        column: Option<usize>,
        /// What is wrong and what was expected.
        message: String,
    },
    /// Well-formed text with a wrong or inconsistent value in a field.
    #[error("{field}: {message}")]
    Field {
        /// Path of the field, e.g. `patients[3].required_services[0].service`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The problem built from the input failed validation.
    #[error("the problem is invalid: {}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ProblemError>),
}

impl ParseError {
    pub(crate) fn field(field: impl Into<String>, message: impl Into<String>) -> ParseError {
        ParseError::Field {
            field: field.into(),
            message: message.into(),
        }
    }

    pub(crate) fn line(line: usize, message: impl Into<String>) -> ParseError {
        ParseError::Syntax {
            line,
            column: None,
            message: message.into(),
        }
    }

    pub(crate) fn json(e: &serde_json::Error) -> ParseError {
        ParseError::Syntax {
            line: e.line(),
            column: Some(e.column()),
            message: e.to_string(),
        }
    }
}

/// Turns visit sequences (one per staff member, in staff order) into a [`Plan`] with
/// earliest start times: depart at the shift start, start each visit at
/// max(arrival, opening of the first window not yet closed), end after its duration.
/// Visits in no sequence are listed as unassigned ([`UnassignedReason::NotInSolution`]).
///
/// This is how route-only files (SINTEF / BKS) become plans; feasibility is left to the
/// validator.
///
/// Fails if there are more sequences than staff members or a visit index is out of range.
pub fn plan_from_sequences(
    problem: &Problem,
    sequences: &[Vec<VisitIdx>],
) -> Result<Plan, ParseError> {
    if sequences.len() > problem.staff().len() {
        return Err(ParseError::field(
            "routes",
            format!(
                "{} routes but the problem has only {} staff members/vehicles",
                sequences.len(),
                problem.staff().len()
            ),
        ));
    }
    if let Some(bad) = sequences
        .iter()
        .flatten()
        .find(|v| v.get() >= problem.visits().len())
    {
        return Err(ParseError::field(
            "routes",
            format!(
                "visit index {bad} is out of range: there are {} visits",
                problem.visits().len()
            ),
        ));
    }
    let mut seen = vec![false; problem.visits().len()];
    let mut routes = Vec::new();
    for (k, seq) in sequences.iter().enumerate() {
        let staff = problem.staff_member(StaffIdx::from(k));
        let mut loc = staff.start_location;
        let mut time = staff.shift.start;
        let mut stops = Vec::with_capacity(seq.len());
        for &v in seq {
            let visit = problem.visit(v);
            seen[v.get()] = true;
            let arrival = time + problem.travel(loc, visit.location);
            let latest_start = |end: Time| match problem.window_anchor() {
                WindowAnchor::Start => end,
                WindowAnchor::End => end - visit.duration,
            };
            let start = visit
                .time_windows
                .iter()
                .find(|w| latest_start(w.end) >= arrival)
                .map_or(arrival, |w| arrival.max(w.start));
            stops.push(Stop::visit(v, start, start + visit.duration));
            time = start + visit.duration;
            loc = visit.location;
        }
        routes.push(Route {
            staff: StaffIdx::from(k),
            departure: staff.shift.start,
            stops,
        });
    }
    let unassigned = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| !**s)
        .map(|(i, _)| Unassigned {
            visit: VisitIdx::from(i),
            reason: UnassignedReason::NotInSolution,
        })
        .collect();
    Ok(Plan { routes, unassigned })
}

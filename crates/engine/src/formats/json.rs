//! The engine's own JSON format, `"format": "nabo-engine/1"` (documented in the crate's
//! README): a problem file `{"format", "problem": ProblemData}` and a plan file
//! `{"format", "plan": Plan, "cost"?: Cost}`. Readers reject any other format tag, so a
//! future `nabo-engine/2` cannot be misread.

use super::ParseError;
use crate::plan::{Cost, Plan};
use crate::problem::{Problem, ProblemData};
use serde::{Deserialize, Serialize};

/// The format tag of this version.
pub const FORMAT: &str = "nabo-engine/1";

#[derive(Serialize)]
struct ProblemOut<'a> {
    format: &'static str,
    problem: &'a ProblemData,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProblemIn {
    format: String,
    problem: ProblemData,
}

#[derive(Serialize)]
struct PlanOut<'a> {
    format: &'static str,
    plan: &'a Plan,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<&'a Cost>,
}

#[derive(Deserialize)]
struct PlanIn {
    format: String,
    plan: Plan,
}

#[derive(Deserialize)]
struct Tag {
    format: Option<String>,
}

fn check_tag(text: &str) -> Result<(), ParseError> {
    // Read the tag alone first so that a wrong version gets a clear message rather than a
    // schema error deep inside.
    let tag: Tag = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    match tag.format.as_deref() {
        Some(FORMAT) => Ok(()),
        Some(other) => Err(ParseError::field(
            "format",
            format!("{other:?} is not supported: this engine reads {FORMAT:?}"),
        )),
        None => Err(ParseError::field(
            "format",
            format!("missing: expected {FORMAT:?}"),
        )),
    }
}

/// Writes a problem file.
pub fn write_problem(problem: &Problem) -> String {
    serde_json::to_string_pretty(&ProblemOut {
        format: FORMAT,
        problem: problem.data(),
    })
    .unwrap_or_default()
}

/// Reads and validates a problem file. Errors name the line (JSON), the field (format tag)
/// or every invalid field of the problem.
pub fn read_problem(text: &str) -> Result<Problem, ParseError> {
    check_tag(text)?;
    let p: ProblemIn = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    debug_assert_eq!(p.format, FORMAT);
    Problem::new(p.problem).map_err(ParseError::Invalid)
}

/// Writes a plan file, optionally with its cost breakdown (informational; readers ignore it).
pub fn write_plan(plan: &Plan, cost: Option<&Cost>) -> String {
    serde_json::to_string_pretty(&PlanOut {
        format: FORMAT,
        plan,
        cost,
    })
    .unwrap_or_default()
}

/// Reads a plan file.
pub fn read_plan(text: &str) -> Result<Plan, ParseError> {
    check_tag(text)?;
    let p: PlanIn = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    debug_assert_eq!(p.format, FORMAT);
    Ok(p.plan)
}

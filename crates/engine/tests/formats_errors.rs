//! Broken input is rejected, and the error names the line or the field.

mod common;

use nabo_engine::formats::{json, solomon, uhhc, ParseError};
use nabo_engine::ProblemErrorCode;

const SMALL: &str = "TINY\r\n\r\nVEHICLE\r\nNUMBER     CAPACITY\r\n  2         50\r\n\r\nCUSTOMER\r\nCUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\r\n \r\n    0      0         0          0          0       100          0\r\n    1      3         4         10          0        50         5\r\n    2      6         8         20         10        60         5\r\n";

#[test]
fn solomon_crlf_file_parses() {
    let p = solomon::parse(SMALL).expect("valid");
    assert_eq!(p.name(), "TINY");
    assert_eq!(p.visits().len(), 2);
    assert_eq!(p.staff().len(), 2);
    assert_eq!(p.staff()[0].capacity, Some(50));
    assert_eq!(p.travel(0usize.into(), 1usize.into()), 5.0);
    assert_eq!(p.visits()[1].demand, 20);
}

fn line_of(e: ParseError) -> usize {
    match e {
        ParseError::Syntax { line, .. } => line,
        other => panic!("expected a line error, got {other}"),
    }
}

#[test]
fn solomon_bad_number_names_the_line() {
    let broken = SMALL.replace("   6         8         20", "   6         x8        20");
    let e = solomon::parse(&broken).expect_err("broken");
    assert!(e.to_string().contains("\"x8\""), "{e}");
    assert_eq!(line_of(e), 12);
}

#[test]
fn solomon_short_row_and_missing_section_name_the_line() {
    let broken = SMALL.replace(
        "    1      3         4         10          0        50         5",
        "    1      3         4",
    );
    assert_eq!(line_of(solomon::parse(&broken).expect_err("short row")), 11);
    let broken = SMALL
        .replace("CUSTOMER\r\n", "CUSTOMERS?\r\n")
        .replace("VEHICLE", "VEHICLES_X")
        .replace("VEHICLES_X", "FLEET");
    let e = solomon::parse(&broken).expect_err("no VEHICLE");
    assert!(e.to_string().contains("VEHICLE"), "{e}");
    assert_eq!(line_of(e), 3);
}

#[test]
fn solomon_window_and_sequence_errors_name_the_line() {
    let broken = SMALL.replace("0        50         5", "90        50         5");
    let e = solomon::parse(&broken).expect_err("ready after due");
    assert!(e.to_string().contains("READY"), "{e}");
    assert_eq!(line_of(e), 11);
    let broken = SMALL.replace("    2      6", "    7      6");
    assert_eq!(
        line_of(solomon::parse(&broken).expect_err("out of sequence")),
        12
    );
}

#[test]
fn sintef_route_file_with_unknown_customer_is_rejected() {
    let p = solomon::parse(SMALL).expect("valid");
    let e = solomon::parse_sintef_txt("Solution\nRoute 1 : 1 9\n", &p).expect_err("customer 9");
    assert!(e.to_string().contains("customer 9"), "{e}");
    assert!(e.to_string().contains("line[2]"), "{e}");
    let e = solomon::parse_sintef_txt("Route 1 : 1 two\n", &p).expect_err("not a number");
    assert_eq!(line_of(e), 1);
    let e = solomon::parse_sintef_txt("Route 1 : 1\nRoute 2 : 2\nRoute 3 :\n", &p)
        .expect_err("3 routes, 2 vehicles");
    assert!(e.to_string().contains("only 2"), "{e}");
}

#[test]
fn uhhc_json_syntax_error_names_line_and_column() {
    let e = uhhc::parse_instance("{\n  \"metadata\": {\n  \"name\": ,\n}").expect_err("bad JSON");
    match e {
        ParseError::Syntax { line, column, .. } => {
            assert_eq!(line, 3);
            assert!(column.is_some());
        }
        other => panic!("expected a syntax error, got {other}"),
    }
}

fn small_uhhc() -> serde_json::Value {
    serde_json::json!({
        "metadata": {"name": "t", "origin": "generated", "cost_components": {"travel_time": 1}},
        "distances": [[0, 5, 7], [5, 0, 3], [7, 3, 0]],
        "terminal_points": [{"id": "d0", "distance_matrix_index": 0}],
        "caregivers": [{"id": "c1", "abilities": ["s1"], "departing_point": "d0", "working_shift": {"start": 0, "end": 600}}],
        "patients": [
            {"id": "p1", "distance_matrix_index": 1, "required_services": [{"service": "s1", "duration": 10}], "time_windows": [{"start": 0, "end": 100}]},
            {"id": "p2", "distance_matrix_index": 2, "required_services": [{"service": "s1"}], "time_windows": [{"start": 50, "end": 200}]}
        ],
        "services": [{"id": "s1", "type": "t0", "default_duration": 20}]
    })
}

#[test]
fn uhhc_small_instance_parses_with_default_duration() {
    let p = uhhc::parse_instance(&small_uhhc().to_string()).expect("valid");
    assert_eq!(p.visits().len(), 2);
    assert_eq!(p.visits()[1].duration, 20.0);
    assert_eq!(p.visits()[1].id, "p2/s1");
}

#[test]
fn uhhc_unknown_references_name_the_field() {
    let mut v = small_uhhc();
    v["caregivers"][0]["abilities"][0] = "s9".into();
    let e = uhhc::parse_instance(&v.to_string()).expect_err("unknown service");
    assert!(
        e.to_string().starts_with("caregivers[0].abilities[0]"),
        "{e}"
    );

    let mut v = small_uhhc();
    v["patients"][1]["distance_matrix_index"] = 1.into();
    let e = uhhc::parse_instance(&v.to_string()).expect_err("index used twice");
    assert!(
        e.to_string()
            .starts_with("patients[1].distance_matrix_index"),
        "{e}"
    );

    let mut v = small_uhhc();
    v["patients"][0]["required_services"][0]["duration"] = serde_json::Value::Null;
    v["services"][0]["default_duration"] = serde_json::Value::Null;
    let e = uhhc::parse_instance(&v.to_string()).expect_err("no duration");
    assert!(
        e.to_string()
            .starts_with("patients[0].required_services[0].duration"),
        "{e}"
    );

    let mut v = small_uhhc();
    v["distances"][2] = serde_json::json!([7, 3]);
    let e = uhhc::parse_instance(&v.to_string()).expect_err("ragged matrix");
    assert!(e.to_string().starts_with("distances[2]"), "{e}");

    let mut v = small_uhhc();
    v["patients"][0]["time_windows"] = serde_json::json!([{"start": 100, "end": 50}]);
    match uhhc::parse_instance(&v.to_string()).expect_err("window start after end") {
        ParseError::Invalid(errors) => {
            assert_eq!(errors[0].field, "visits[0].time_windows[0]");
            assert_eq!(errors[0].code, ProblemErrorCode::InvalidWindow);
        }
        other => panic!("expected validation errors, got {other}"),
    }
}

#[test]
fn uhhc_solution_with_unknown_patient_names_the_entry() {
    let p = uhhc::parse_instance(&small_uhhc().to_string()).expect("valid");
    let sol = r#"{"routes":[{"caregiver_id":"c1","locations":[{"arrival_time":5,"departure_time":15,"patient":"p1","service":"s1"},{"arrival_time":50,"departure_time":70,"patient":"p7","service":"s1"}]}],"cost_components":{}}"#;
    let e = uhhc::parse_solution(sol, &p).expect_err("unknown patient");
    assert!(e.to_string().starts_with("routes[0].locations[1]"), "{e}");
    let e = uhhc::parse_solution(r#"{"routes":[{"caregiver_id":"c9","locations":null}]}"#, &p)
        .expect_err("unknown caregiver");
    assert!(e.to_string().starts_with("routes[0].caregiver_id"), "{e}");
}

#[test]
fn engine_json_round_trips_and_checks_the_version() {
    let p = solomon::parse(&common::read("solomon/C101.txt")).expect("C101");
    let text = json::write_problem(&p);
    assert!(text.contains("\"format\": \"nabo-engine/1\""));
    let back = json::read_problem(&text).expect("reads back");
    assert!(back == p, "the problem changed in a JSON round trip");

    let e = json::read_problem(&text.replace("nabo-engine/1", "nabo-engine/9"))
        .expect_err("future version");
    assert!(e.to_string().starts_with("format:"), "{e}");

    // A misspelt field is an error naming it, not silently ignored.
    let typo = text.replacen("\"time_windows\"", "\"time_window\"", 1);
    let e = json::read_problem(&typo).expect_err("misspelt field");
    assert!(e.to_string().contains("unknown field `time_window`"), "{e}");
    assert!(matches!(e, ParseError::Syntax { .. }), "{e}");

    let bad = text.replacen("\"duration\": 90.0", "\"duration\": -90.0", 1);
    match json::read_problem(&bad).expect_err("negative duration") {
        ParseError::Invalid(errors) => assert_eq!(errors[0].field, "visits[0].duration"),
        other => panic!("expected validation errors, got {other}"),
    }

    let sol = solomon::parse_bks_json(
        &common::read("solomon/bks_solutions/C101.bks.HierarchicalVehicleCost.json"),
        &p,
    )
    .expect("C101 BKS");
    let report = nabo_engine::validate(&p, &sol.plan);
    let plan_text = json::write_plan(&sol.plan, Some(&report.cost));
    assert_eq!(
        json::read_plan(&plan_text).expect("plan reads back"),
        sol.plan
    );
}

#[test]
fn every_uhhc_instance_parses() {
    let root = common::benchmarks().join("uhhc/instances");
    let mut count = 0;
    let mut failures = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("readable directory")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                count += 1;
                let text = std::fs::read_to_string(&path).expect("readable");
                if let Err(e) = uhhc::parse_instance(&text) {
                    failures.push(format!("{}: {e}", path.display()));
                }
            }
        }
    }
    assert_eq!(count, 226, "expected the 226 UHHC instances");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The JSON examples in the crate README are real files the readers accept.
#[test]
fn readme_examples_are_valid() {
    let readme = include_str!("../README.md");
    let blocks: Vec<&str> = readme
        .split("```json")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .collect();
    assert_eq!(
        blocks.len(),
        2,
        "the README has a problem and a plan example"
    );
    let problem =
        json::read_problem(blocks[0]).unwrap_or_else(|e| panic!("README problem example: {e}"));
    assert_eq!(problem.visits().len(), 2);
    assert_eq!(problem.links().len(), 1);
    // The plan example abbreviates its cost with "..."; the reader ignores `cost`.
    let plan = json::read_plan(blocks[1]).unwrap_or_else(|e| panic!("README plan example: {e}"));
    assert_eq!(plan.routes[0].stops.len(), 2);
    assert_eq!(
        plan.unassigned[0].reason,
        nabo_engine::UnassignedReason::TimeWindowUnreachable
    );
}

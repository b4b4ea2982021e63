//! Reading organisation data files into a [`Dataset`], and importing them into the
//! store in one transaction.
//!
//! Two formats are read:
//!
//! * **JSON** (`.json`): the [`Dataset`] shape that `nabo export` writes (see
//!   `crates/planning/README.md` for an example). A value of the wrong type is reported
//!   with its JSON path (`$.shifts[0].start`), line and column.
//! * **CSV** (`.csv`, UTF-8, comma-separated, a header row naming the columns in any
//!   order) for citizens and for staff. Lists inside a cell are separated by `;`.
//!
//!   Citizens — required: `id,name,address,lat,lon,team_id`; optional:
//!   `key_information`, `preferred_staff`, `refused_staff` (employee ids),
//!   `contacts` (`name|relation|phone` entries, phone may be empty).
//!
//!   Employees — required: `id,name,profession,home_team,contract_hours,travel_mode`;
//!   optional: `phone`, `extra_qualifications`. Professions: `unskilled`,
//!   `care_helper` (or `ssh`), `care_assistant` (or `ssa`), `nurse`,
//!   `occupational_therapist`, `physiotherapist`. Travel modes: `car`, `bike`,
//!   `e_bike`, `foot`. Qualifications: `unskilled`, `care_helper`, `care_assistant`,
//!   `nurse`, `occupational_therapy`, `physiotherapy`.
//!
//!   Which kind a CSV file holds is told by its header (a `profession` column means
//!   staff, an `address` column citizens) or by [`CsvKind`] given explicitly.
//!
//! Every error names the file, the line (CSV: the file's line, the header being line
//! 1; JSON: the line where the value or record starts), the field and the reason, and
//! the reason says what to do. Problems found by [`Dataset::check`] (unknown team,
//! duplicate id, ...) are mapped back to the file and line the record came from.

use crate::export::{CITIZEN_COLUMNS, EMPLOYEE_COLUMNS};
use nabo_domain::dataset::{DatasetError, KnownIds, DATASET_FORMAT};
use nabo_domain::{
    Citizen, CitizenId, Contact, Dataset, Employee, EmployeeId, GeoPoint, Profession,
    Qualification, TeamId, TravelMode,
};
use nabo_store::{ImportSummary, Store, StoreError};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    pub file: PathBuf,
    /// Line in the file, from 1.
    pub line: Option<u64>,
    /// Column (JSON: character in the line, from 1).
    pub column: Option<u64>,
    /// Where in the data: a JSON path (`$.citizens[3].team_id`) or a CSV column name.
    pub field: Option<String>,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why files could not be imported. Nothing was written in either case.
#[derive(Debug, thiserror::Error)]
pub enum ImportErrors {
    #[error("{} problem(s), nothing was imported:\n{}", .0.len(), lines(.0))]
    Problems(Vec<ImportError>),
    #[error("nothing was imported: {0}")]
    Store(StoreError),
}

impl ImportErrors {
    /// The file problems (empty for a database failure).
    pub fn problems(&self) -> &[ImportError] {
        match self {
            ImportErrors::Problems(p) => p,
            ImportErrors::Store(_) => &[],
        }
    }
}

fn lines(errors: &[ImportError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Which records a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    Citizens,
    Employees,
}

impl std::str::FromStr for CsvKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "citizens" | "borgere" => Ok(CsvKind::Citizens),
            "employees" | "staff" | "medarbejdere" => Ok(CsvKind::Employees),
            _ => Err(format!(
                "'{s}' is not a CSV kind; use citizens or employees"
            )),
        }
    }
}

/// Where each record of a dataset came from, to point check errors back at it.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// Per collection, per record (in dataset order).
    records: HashMap<&'static str, Vec<Origin>>,
}

#[derive(Debug, Clone)]
struct Origin {
    file: PathBuf,
    line: Option<u64>,
    /// For JSON: `$.collection[i]` in the file; for CSV: `None`.
    json_path: Option<String>,
    /// For CSV: the header row, to give a field's column.
    columns: Option<std::sync::Arc<Vec<String>>>,
}

impl Origins {
    fn push(&mut self, collection: &'static str, origin: Origin) {
        self.records.entry(collection).or_default().push(origin);
    }

    fn get(&self, collection: &str, index: usize) -> Option<&Origin> {
        self.records.get(collection)?.get(index)
    }

    fn append(&mut self, other: Origins) {
        for (k, v) in other.records {
            self.records.entry(k).or_default().extend(v);
        }
    }

    /// A dataset error told in terms of the file it came from.
    pub fn locate(&self, e: &DatasetError) -> ImportError {
        let mut message = e.message.clone();
        // "also used by citizens[0]" → the first record's file and line.
        let marker = format!("also used by {}[", e.collection);
        if let Some(at) = message.find(&marker) {
            let rest = &message[at + marker.len()..];
            if let Some(end) = rest.find(']') {
                if let Ok(first) = rest[..end].parse::<usize>() {
                    if let Some(o) = self.get(e.collection, first) {
                        let place = describe(o);
                        message = format!(
                            "{}also used by {place}; give each record its own id",
                            &message[..at]
                        );
                    }
                }
            }
        }
        match self.get(e.collection, e.index) {
            Some(o) => ImportError {
                file: o.file.clone(),
                line: o.line,
                column: o.columns.as_ref().and_then(|cols| {
                    // "preferred_staff[1]" is in the column "preferred_staff".
                    let name = e.field.split('[').next().unwrap_or("");
                    cols.iter().position(|c| c == name).map(|i| i as u64 + 1)
                }),
                field: Some(match &o.json_path {
                    Some(path) => format!("{path}.{}", e.field),
                    None => e.field.clone(),
                }),
                message,
            },
            None => ImportError {
                file: PathBuf::new(),
                line: None,
                column: None,
                field: Some(format!("$.{}[{}].{}", e.collection, e.index, e.field)),
                message,
            },
        }
    }
}

fn describe(o: &Origin) -> String {
    match (o.line, &o.json_path) {
        (Some(line), Some(path)) => format!("{path} ({} line {line})", o.file.display()),
        (Some(line), None) => format!("{} line {line}", o.file.display()),
        (None, Some(path)) => format!("{path} in {}", o.file.display()),
        (None, None) => o.file.display().to_string(),
    }
}

/// Reads one file; the format comes from the extension, a CSV file's kind from its
/// header.
pub fn read_file(path: &Path) -> Result<Dataset, ImportErrors> {
    read_file_with_origins(path, None).map(|(d, _)| d)
}

/// Like [`read_file`], also saying where each record came from; `kind` overrides what a
/// CSV header suggests.
pub fn read_file_with_origins(
    path: &Path,
    kind: Option<CsvKind>,
) -> Result<(Dataset, Origins), ImportErrors> {
    let problem = |line, message: String| {
        ImportErrors::Problems(vec![ImportError {
            file: path.to_owned(),
            line,
            column: None,
            field: None,
            message,
        }])
    };
    let bytes = std::fs::read(path).map_err(|e| {
        problem(
            None,
            format!("cannot read the file: {e}; check the path and that you may read it"),
        )
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1;
            return Err(problem(
                Some(line),
                "is not UTF-8 text (perhaps saved as Latin-1 / Windows-1252); save the file as UTF-8 (in Excel: \"CSV UTF-8\")".into(),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("json") => parse_json(path, text),
        Some("csv") => parse_csv(path, text, kind),
        _ => Err(problem(
            None,
            "has an unknown extension; name the file .json (a nabo export) or .csv (citizens or staff with a header row)".into(),
        )),
    }
}

/// Parses a dataset in JSON.
pub fn parse_json(path: &Path, text: &str) -> Result<(Dataset, Origins), ImportErrors> {
    let mut de = serde_json::Deserializer::from_str(text);
    let data: Dataset = match serde_path_to_error::deserialize(&mut de) {
        Ok(d) => d,
        Err(err) => {
            let json_path = format!("$.{}", err.path()).replace("$..", "$");
            let inner = err.inner();
            let full = inner.to_string();
            let reason = match full.rfind(" at line ") {
                Some(at) => full[..at].to_owned(),
                None => full,
            };
            let field = err.path().iter().next_back().map(|s| s.to_string());
            return Err(ImportErrors::Problems(vec![ImportError {
                file: path.to_owned(),
                line: Some(inner.line() as u64).filter(|l| *l > 0),
                column: Some(inner.column() as u64).filter(|c| *c > 0),
                field: Some(json_path),
                message: with_hint(
                    &reason,
                    field.as_deref(),
                    inner.is_syntax() || inner.is_eof(),
                ),
            }]));
        }
    };
    if data.format != DATASET_FORMAT {
        return Err(ImportErrors::Problems(vec![ImportError {
            file: path.to_owned(),
            line: None,
            column: None,
            field: Some("$.format".into()),
            message: format!(
                "is '{}', expected '{DATASET_FORMAT}'; export the data again with this version of nabo",
                data.format
            ),
        }]));
    }
    let lines = record_lines(text);
    let mut origins = Origins::default();
    for (collection, n) in data.counts() {
        for i in 0..n {
            origins.push(
                collection,
                Origin {
                    file: path.to_owned(),
                    line: lines.get(&(collection.to_owned(), i)).copied(),
                    json_path: Some(format!("$.{collection}[{i}]")),
                    columns: None,
                },
            );
        }
    }
    Ok((data, origins))
}

/// What to do about a value serde refused.
fn with_hint(reason: &str, field: Option<&str>, syntax: bool) -> String {
    if syntax {
        return format!(
            "{reason}; the file is not valid JSON there (a missing comma, quote or bracket?)"
        );
    }
    let field = field.unwrap_or("");
    let hint = if reason.starts_with("missing field") {
        "add the field to the record"
    } else if reason.starts_with("unknown field") {
        "remove the field or correct its spelling"
    } else if reason.starts_with("unknown variant") {
        "use one of the values listed"
    } else if matches!(field, "start" | "end" | "window_start" | "window_end") {
        "write the time as HH:MM between 00:00 and 23:59, e.g. \"07:30\""
    } else if field.contains("date")
        || matches!(
            field,
            "from" | "to" | "valid_from" | "valid_to" | "starts_on" | "ends_on"
        )
    {
        "write the date as YYYY-MM-DD, e.g. \"2026-11-30\""
    } else {
        "correct the value and import again"
    };
    format!("{reason}; {hint}")
}

/// The line where each record of each top-level list starts:
/// `("citizens", 3) → 41`. A small scanner over the (already valid) JSON text.
fn record_lines(text: &str) -> HashMap<(String, usize), u64> {
    let mut out = HashMap::new();
    let (mut depth, mut line) = (0usize, 1u64);
    let (mut in_str, mut escaped) = (false, false);
    let mut string = String::new();
    let mut last_key: Option<String> = None;
    let mut list: Option<String> = None;
    let mut index = 0usize;
    let mut expecting = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
                if depth == 1 {
                    last_key = Some(std::mem::take(&mut string));
                }
            } else if depth == 1 {
                string.push(c);
            }
            continue;
        }
        if c.is_whitespace() || c == ':' {
            continue;
        }
        if depth == 2 && expecting && c != ']' && c != ',' {
            if let Some(name) = &list {
                out.insert((name.clone(), index), line);
            }
            expecting = false;
        }
        match c {
            '"' => {
                in_str = true;
                string.clear();
            }
            '{' | '[' => {
                depth += 1;
                if depth == 2 && c == '[' {
                    list = last_key.take();
                    index = 0;
                    expecting = true;
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    list = None;
                }
            }
            ',' if depth == 2 && list.is_some() => {
                index += 1;
                expecting = true;
            }
            _ => {}
        }
    }
    out
}

/// A CSV file's rows as header name → cell, with the file line of each row.
struct Table<'a> {
    path: &'a Path,
    headers: Vec<String>,
    errors: Vec<ImportError>,
}

impl Table<'_> {
    fn error(&mut self, line: u64, field: &str, message: impl Into<String>) {
        self.errors.push(ImportError {
            file: self.path.to_owned(),
            line: Some(line),
            column: self
                .headers
                .iter()
                .position(|h| h == field)
                .map(|i| i as u64 + 1),
            field: Some(field.to_owned()),
            message: message.into(),
        });
    }
}

struct Row<'r> {
    line: u64,
    cells: HashMap<&'r str, &'r str>,
}

impl Row<'_> {
    fn text(&self, column: &str) -> String {
        self.cells
            .get(column)
            .map(|s| s.trim())
            .unwrap_or("")
            .to_owned()
    }

    fn optional(&self, column: &str) -> Option<String> {
        Some(self.text(column)).filter(|s| !s.is_empty())
    }

    fn list(&self, column: &str) -> Vec<String> {
        self.text(column)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

fn number(table: &mut Table, row: &Row, column: &str, what: &str) -> Option<f64> {
    let raw = row.text(column);
    // Danish spreadsheets write decimal commas.
    match raw.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            let shown = if raw.is_empty() {
                "empty".to_owned()
            } else {
                format!("'{raw}'")
            };
            table.error(
                row.line,
                column,
                format!("is {shown}, not a number; write {what}"),
            );
            None
        }
    }
}

fn enum_value<T: serde::de::DeserializeOwned>(
    table: &mut Table,
    row: &Row,
    column: &str,
    raw: &str,
    allowed: &str,
) -> Option<T> {
    let normalised = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    match serde_json::from_value(serde_json::Value::String(normalised)) {
        Ok(v) => Some(v),
        Err(_) => {
            table.error(
                row.line,
                column,
                format!("'{raw}' is not one of {allowed}; use one of those"),
            );
            None
        }
    }
}

const PROFESSIONS: &str = "unskilled, care_helper (ssh), care_assistant (ssa), nurse, occupational_therapist, physiotherapist";
const QUALIFICATIONS: &str =
    "unskilled, care_helper, care_assistant, nurse, occupational_therapy, physiotherapy";
const TRAVEL_MODES: &str = "car, bike, e_bike, foot";

/// Parses a CSV file of citizens or employees.
pub fn parse_csv(
    path: &Path,
    text: &str,
    kind: Option<CsvKind>,
) -> Result<(Dataset, Origins), ImportErrors> {
    let fail = |line: Option<u64>, message: String| {
        ImportErrors::Problems(vec![ImportError {
            file: path.to_owned(),
            line,
            column: None,
            field: None,
            message,
        }])
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        Err(e) => return Err(fail(Some(1), format!("cannot read the header row: {e}"))),
    };
    if headers.len() <= 1 && text.lines().next().is_some_and(|l| l.contains(';')) {
        return Err(fail(
            Some(1),
            "separates columns with ';' (Excel with Danish settings); save it as comma-separated CSV UTF-8".into(),
        ));
    }
    let kind = match kind {
        Some(k) => k,
        None if headers.iter().any(|h| h == "profession") => CsvKind::Employees,
        None if headers.iter().any(|h| h == "address" || h == "lat") => CsvKind::Citizens,
        None => {
            return Err(fail(
                Some(1),
                "the header names neither citizens (an 'address' column) nor staff (a 'profession' column); add the right header row or say which kind the file is (--kind citizens|employees)".into(),
            ))
        }
    };
    let (all, required): (&[&str], &[&str]) = match kind {
        CsvKind::Citizens => (
            CITIZEN_COLUMNS,
            &["id", "name", "address", "lat", "lon", "team_id"],
        ),
        CsvKind::Employees => (
            EMPLOYEE_COLUMNS,
            &[
                "id",
                "name",
                "profession",
                "home_team",
                "contract_hours",
                "travel_mode",
            ],
        ),
    };
    let mut table = Table {
        path,
        headers: headers.clone(),
        errors: Vec::new(),
    };
    for h in &headers {
        if !all.contains(&h.as_str()) {
            table.error(
                1,
                h,
                format!("is not a known column; the columns are {}", all.join(",")),
            );
        }
    }
    for r in required {
        if !headers.iter().any(|h| h == r) {
            table.errors.push(ImportError {
                file: path.to_owned(),
                line: Some(1),
                column: None,
                field: Some((*r).to_owned()),
                message: format!("the header row lacks the required column '{r}'; add it"),
            });
        }
    }
    if !table.errors.is_empty() {
        return Err(ImportErrors::Problems(table.errors));
    }
    let mut data = Dataset {
        format: DATASET_FORMAT.to_owned(),
        ..Dataset::default()
    };
    let mut origins = Origins::default();
    let columns = std::sync::Arc::new(headers.clone());
    let collection = match kind {
        CsvKind::Citizens => "citizens",
        CsvKind::Employees => "employees",
    };
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line());
                table.errors.push(ImportError {
                    file: path.to_owned(),
                    line,
                    column: None,
                    field: None,
                    message: format!(
                        "cannot read the row: {e}; check the quoting (\"...\") of the fields"
                    ),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            table.errors.push(ImportError {
                file: path.to_owned(),
                line: Some(line),
                column: None,
                field: None,
                message: format!(
                    "has {} fields but the header has {}; put quotes (\"...\") around a value that contains a comma, or add the missing fields",
                    record.len(),
                    headers.len()
                ),
            });
            continue;
        }
        let row = Row {
            line,
            cells: headers
                .iter()
                .map(String::as_str)
                .zip(record.iter())
                .collect(),
        };
        let before = table.errors.len();
        match kind {
            CsvKind::Citizens => {
                if let Some(c) = citizen(&mut table, &row) {
                    if table.errors.len() == before {
                        data.citizens.push(c);
                    }
                }
            }
            CsvKind::Employees => {
                if let Some(e) = employee(&mut table, &row) {
                    if table.errors.len() == before {
                        data.employees.push(e);
                    }
                }
            }
        }
        if table.errors.len() == before {
            origins.push(
                collection,
                Origin {
                    file: path.to_owned(),
                    line: Some(line),
                    json_path: None,
                    columns: Some(columns.clone()),
                },
            );
        }
    }
    if table.errors.is_empty() {
        Ok((data, origins))
    } else {
        Err(ImportErrors::Problems(table.errors))
    }
}

fn citizen(table: &mut Table, row: &Row) -> Option<Citizen> {
    let lat = number(
        table,
        row,
        "lat",
        "the latitude in decimal degrees, e.g. 55.2466",
    );
    let lon = number(
        table,
        row,
        "lon",
        "the longitude in decimal degrees, e.g. 9.3066",
    );
    let mut contacts = Vec::new();
    for entry in row.list("contacts") {
        let parts: Vec<&str> = entry.split('|').map(str::trim).collect();
        match parts.as_slice() {
            [name, relation] | [name, relation, ""] => contacts.push(Contact {
                name: (*name).to_owned(),
                relation: (*relation).to_owned(),
                phone: None,
            }),
            [name, relation, phone] => contacts.push(Contact {
                name: (*name).to_owned(),
                relation: (*relation).to_owned(),
                phone: Some((*phone).to_owned()),
            }),
            _ => table.error(
                row.line,
                "contacts",
                format!("'{entry}' is not name|relation|phone; write each contact as name|relation|phone, separated by ';'"),
            ),
        }
    }
    Some(Citizen {
        id: CitizenId::new(row.text("id")),
        name: row.text("name"),
        address: row.text("address"),
        location: GeoPoint::new(lat?, lon?),
        team_id: TeamId::new(row.text("team_id")),
        key_information: row.text("key_information"),
        contacts,
        preferred_staff: row
            .list("preferred_staff")
            .into_iter()
            .map(EmployeeId::new)
            .collect(),
        refused_staff: row
            .list("refused_staff")
            .into_iter()
            .map(EmployeeId::new)
            .collect(),
    })
}

fn employee(table: &mut Table, row: &Row) -> Option<Employee> {
    let hours = number(table, row, "contract_hours", "hours per week, e.g. 32");
    let profession: Option<Profession> = enum_value(
        table,
        row,
        "profession",
        &row.text("profession"),
        PROFESSIONS,
    );
    let travel_mode: Option<TravelMode> = enum_value(
        table,
        row,
        "travel_mode",
        &row.text("travel_mode"),
        TRAVEL_MODES,
    );
    let mut extra = Vec::new();
    for q in row.list("extra_qualifications") {
        if let Some(q) =
            enum_value::<Qualification>(table, row, "extra_qualifications", &q, QUALIFICATIONS)
        {
            extra.push(q);
        }
    }
    Some(Employee {
        id: EmployeeId::new(row.text("id")),
        name: row.text("name"),
        profession: profession?,
        extra_qualifications: extra,
        home_team: TeamId::new(row.text("home_team")),
        contract_hours: hours?,
        phone: row.optional("phone"),
        travel_mode: travel_mode?,
    })
}

/// Appends `more` to `into`, collection by collection.
fn merge(into: &mut Dataset, more: Dataset) {
    into.organisations.extend(more.organisations);
    into.districts.extend(more.districts);
    into.teams.extend(more.teams);
    into.employees.extend(more.employees);
    into.citizens.extend(more.citizens);
    into.grants.extend(more.grants);
    into.recurring_visits.extend(more.recurring_visits);
    into.visits.extend(more.visits);
    into.shifts.extend(more.shifts);
    into.absences.extend(more.absences);
}

/// Reads several files into one dataset; every file's problems are reported together.
pub fn read_files(
    files: &[(PathBuf, Option<CsvKind>)],
) -> Result<(Dataset, Origins), ImportErrors> {
    let mut data = Dataset {
        format: DATASET_FORMAT.to_owned(),
        ..Dataset::default()
    };
    let mut origins = Origins::default();
    let mut errors = Vec::new();
    for (path, kind) in files {
        match read_file_with_origins(path, *kind) {
            Ok((d, o)) => {
                merge(&mut data, d);
                origins.append(o);
            }
            Err(ImportErrors::Problems(p)) => errors.extend(p),
            Err(e) => return Err(e),
        }
    }
    if errors.is_empty() {
        Ok((data, origins))
    } else {
        Err(ImportErrors::Problems(errors))
    }
}

/// Checks a dataset against what is stored, errors pointing into the files.
pub fn check(data: &Dataset, origins: &Origins, known: &KnownIds) -> Vec<ImportError> {
    data.check(known)
        .iter()
        .map(|e| origins.locate(e))
        .collect()
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub files: Vec<PathBuf>,
    pub summary: ImportSummary,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "imported {} file(s): {}", self.files.len(), self.summary)
    }
}

/// Reads every file, merges them, checks them against the database and imports them in
/// one transaction: all files or nothing.
pub async fn import_files(store: &Store, paths: &[PathBuf]) -> Result<ImportReport, ImportErrors> {
    let files: Vec<(PathBuf, Option<CsvKind>)> = paths.iter().map(|p| (p.clone(), None)).collect();
    import_files_as(store, &files).await
}

/// [`import_files`] with an explicit CSV kind per file where the header cannot tell.
pub async fn import_files_as(
    store: &Store,
    files: &[(PathBuf, Option<CsvKind>)],
) -> Result<ImportReport, ImportErrors> {
    let (data, origins) = read_files(files)?;
    let known = store.known_ids().await.map_err(ImportErrors::Store)?;
    let errors = check(&data, &origins, &known);
    if !errors.is_empty() {
        return Err(ImportErrors::Problems(errors));
    }
    // The store checks again inside its transaction (the database may have changed).
    let summary = store.import(&data).await.map_err(|e| match e {
        StoreError::Dataset(errors) => {
            ImportErrors::Problems(errors.iter().map(|e| origins.locate(e)).collect())
        }
        other => ImportErrors::Store(other),
    })?;
    tracing::info!(files = files.len(), %summary, "imported");
    Ok(ImportReport {
        files: files.iter().map(|(p, _)| p.clone()).collect(),
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_lines_finds_where_each_record_starts() {
        let text = "{\n \"format\": \"nabo-dataset/1\",\n \"teams\": [\n  {\"id\": \"a\", \"name\": \"x]\\\"\"},\n  {\"id\": \"b\"}\n ],\n \"citizens\": [{\"id\": \"c\"}]\n}";
        let lines = record_lines(text);
        assert_eq!(lines.get(&("teams".into(), 0)), Some(&4));
        assert_eq!(lines.get(&("teams".into(), 1)), Some(&5));
        assert_eq!(lines.get(&("citizens".into(), 0)), Some(&7));
        assert_eq!(lines.len(), 3);
    }
}

//! A whole organisation's data as one value: what `nabo import` reads and `nabo export`
//! writes. Checking a dataset finds every broken value and every dangling reference,
//! so that an import either takes the whole file or nothing.

use crate::care::{Grant, RecurringVisit, Visit};
use crate::org::{District, Organisation, Team};
use crate::people::{Citizen, Employee};
use crate::schedule::{Absence, Shift};
use crate::validation::{FieldError, Validate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The version written into exported files; bumped when the shape changes.
pub const DATASET_FORMAT: &str = "nabo-dataset/1";

/// Organisation data. Every list may be empty; references may point into the
/// database the data is imported into (see [`KnownIds`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    #[serde(default = "format_name")]
    pub format: String,
    #[serde(default)]
    pub organisations: Vec<Organisation>,
    #[serde(default)]
    pub districts: Vec<District>,
    #[serde(default)]
    pub teams: Vec<Team>,
    #[serde(default)]
    pub employees: Vec<Employee>,
    #[serde(default)]
    pub citizens: Vec<Citizen>,
    #[serde(default)]
    pub grants: Vec<Grant>,
    #[serde(default)]
    pub recurring_visits: Vec<RecurringVisit>,
    #[serde(default)]
    pub visits: Vec<Visit>,
    #[serde(default)]
    pub shifts: Vec<Shift>,
    #[serde(default)]
    pub absences: Vec<Absence>,
}

fn format_name() -> String {
    DATASET_FORMAT.to_owned()
}

impl Default for Dataset {
    /// An empty dataset in the current format.
    fn default() -> Self {
        Dataset {
            format: format_name(),
            organisations: Vec::new(),
            districts: Vec::new(),
            teams: Vec::new(),
            employees: Vec::new(),
            citizens: Vec::new(),
            grants: Vec::new(),
            recurring_visits: Vec::new(),
            visits: Vec::new(),
            shifts: Vec::new(),
            absences: Vec::new(),
        }
    }
}

/// Ids that already exist where the dataset is going, per collection name.
#[derive(Debug, Default, Clone)]
pub struct KnownIds {
    pub ids: HashMap<&'static str, HashSet<String>>,
}

impl KnownIds {
    pub fn insert(&mut self, collection: &'static str, id: impl Into<String>) {
        self.ids.entry(collection).or_default().insert(id.into());
    }

    fn contains(&self, collection: &str, id: &str) -> bool {
        self.ids.get(collection).is_some_and(|s| s.contains(id))
    }
}

/// One problem in a dataset: which record (collection and position), which field, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetError {
    pub collection: &'static str,
    /// Position in the collection, from 0.
    pub index: usize,
    pub id: Option<String>,
    pub field: String,
    pub message: String,
}

impl fmt::Display for DatasetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.collection == self.field {
            // A top-level field such as `format`, not a record in a list.
            write!(f, "$.{}", self.field)?;
        } else {
            write!(f, "$.{}[{}].{}", self.collection, self.index, self.field)?;
        }
        if let Some(id) = &self.id {
            write!(f, " (id {id})")?;
        }
        write!(f, ": {}", self.message)
    }
}

struct Collector<'a> {
    known: &'a KnownIds,
    in_file: HashMap<&'static str, HashSet<String>>,
    errors: Vec<DatasetError>,
}

impl Collector<'_> {
    fn push(&mut self, collection: &'static str, index: usize, id: &str, e: FieldError) {
        self.errors.push(DatasetError {
            collection,
            index,
            id: Some(id.to_owned()),
            field: e.field,
            message: e.message,
        });
    }

    fn records<T: Validate>(
        &mut self,
        collection: &'static str,
        items: &[T],
        id_of: impl Fn(&T) -> &str,
    ) {
        let mut first_seen: HashMap<String, usize> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let id = id_of(item);
            for e in item.validate() {
                self.push(collection, i, id, e);
            }
            if let Some(first) = first_seen.insert(id.to_owned(), i) {
                first_seen.insert(id.to_owned(), first);
                self.push(
                    collection,
                    i,
                    id,
                    FieldError::new(
                        "id",
                        format!("duplicate id '{id}': also used by {collection}[{first}]"),
                    ),
                );
            }
        }
        self.in_file
            .insert(collection, first_seen.into_keys().collect());
    }

    fn reference(
        &mut self,
        collection: &'static str,
        index: usize,
        id: &str,
        field: &str,
        target: &'static str,
        target_id: &str,
    ) {
        let found = self
            .in_file
            .get(target)
            .is_some_and(|s| s.contains(target_id))
            || self.known.contains(target, target_id);
        if !found {
            let what = target.trim_end_matches('s').replace('_', " ");
            self.push(
                collection,
                index,
                id,
                FieldError::new(
                    field,
                    format!("unknown {what} '{target_id}': add it to the file or import it first"),
                ),
            );
        }
    }
}

impl Dataset {
    /// Every problem in the dataset, in file order. Empty means it can be imported.
    pub fn check(&self, known: &KnownIds) -> Vec<DatasetError> {
        let mut c = Collector {
            known,
            in_file: HashMap::new(),
            errors: Vec::new(),
        };
        if self.format != DATASET_FORMAT {
            c.errors.push(DatasetError {
                collection: "format",
                index: 0,
                id: None,
                field: "format".into(),
                message: format!(
                    "is '{}', expected '{DATASET_FORMAT}' (written by this version of nabo export)",
                    self.format
                ),
            });
        }
        c.records("organisations", &self.organisations, |x| x.id.as_str());
        c.records("districts", &self.districts, |x| x.id.as_str());
        c.records("teams", &self.teams, |x| x.id.as_str());
        c.records("employees", &self.employees, |x| x.id.as_str());
        c.records("citizens", &self.citizens, |x| x.id.as_str());
        c.records("grants", &self.grants, |x| x.id.as_str());
        c.records("recurring_visits", &self.recurring_visits, |x| {
            x.id.as_str()
        });
        c.records("visits", &self.visits, |x| x.id.as_str());
        c.records("shifts", &self.shifts, |x| x.id.as_str());
        c.records("absences", &self.absences, |x| x.id.as_str());

        for (i, d) in self.districts.iter().enumerate() {
            c.reference(
                "districts",
                i,
                d.id.as_str(),
                "organisation_id",
                "organisations",
                d.organisation_id.as_str(),
            );
        }
        for (i, t) in self.teams.iter().enumerate() {
            c.reference(
                "teams",
                i,
                t.id.as_str(),
                "district_id",
                "districts",
                t.district_id.as_str(),
            );
        }
        for (i, e) in self.employees.iter().enumerate() {
            c.reference(
                "employees",
                i,
                e.id.as_str(),
                "home_team",
                "teams",
                e.home_team.as_str(),
            );
        }
        for (i, x) in self.citizens.iter().enumerate() {
            c.reference(
                "citizens",
                i,
                x.id.as_str(),
                "team_id",
                "teams",
                x.team_id.as_str(),
            );
            for (j, s) in x.preferred_staff.iter().enumerate() {
                c.reference(
                    "citizens",
                    i,
                    x.id.as_str(),
                    &format!("preferred_staff[{j}]"),
                    "employees",
                    s.as_str(),
                );
            }
            for (j, s) in x.refused_staff.iter().enumerate() {
                c.reference(
                    "citizens",
                    i,
                    x.id.as_str(),
                    &format!("refused_staff[{j}]"),
                    "employees",
                    s.as_str(),
                );
            }
        }
        for (i, g) in self.grants.iter().enumerate() {
            c.reference(
                "grants",
                i,
                g.id.as_str(),
                "citizen_id",
                "citizens",
                g.citizen_id.as_str(),
            );
        }
        for (i, r) in self.recurring_visits.iter().enumerate() {
            c.reference(
                "recurring_visits",
                i,
                r.id.as_str(),
                "citizen_id",
                "citizens",
                r.citizen_id.as_str(),
            );
            if let Some(g) = &r.grant_id {
                c.reference(
                    "recurring_visits",
                    i,
                    r.id.as_str(),
                    "grant_id",
                    "grants",
                    g.as_str(),
                );
            }
        }
        for (i, v) in self.visits.iter().enumerate() {
            c.reference(
                "visits",
                i,
                v.id.as_str(),
                "citizen_id",
                "citizens",
                v.citizen_id.as_str(),
            );
            if let Some(r) = &v.recurring_visit_id {
                c.reference(
                    "visits",
                    i,
                    v.id.as_str(),
                    "recurring_visit_id",
                    "recurring_visits",
                    r.as_str(),
                );
            }
            if let Some(g) = &v.grant_id {
                c.reference("visits", i, v.id.as_str(), "grant_id", "grants", g.as_str());
            }
            for (j, e) in v.planned_employees.iter().enumerate() {
                c.reference(
                    "visits",
                    i,
                    v.id.as_str(),
                    &format!("planned_employees[{j}]"),
                    "employees",
                    e.as_str(),
                );
            }
        }
        for (i, s) in self.shifts.iter().enumerate() {
            c.reference(
                "shifts",
                i,
                s.id.as_str(),
                "employee_id",
                "employees",
                s.employee_id.as_str(),
            );
        }
        for (i, a) in self.absences.iter().enumerate() {
            c.reference(
                "absences",
                i,
                a.id.as_str(),
                "employee_id",
                "employees",
                a.employee_id.as_str(),
            );
        }
        c.errors
    }

    /// Number of records of every kind, for a summary after import or export.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("organisations", self.organisations.len()),
            ("districts", self.districts.len()),
            ("teams", self.teams.len()),
            ("employees", self.employees.len()),
            ("citizens", self.citizens.len()),
            ("grants", self.grants.len()),
            ("recurring_visits", self.recurring_visits.len()),
            ("visits", self.visits.len()),
            ("shifts", self.shifts.len()),
            ("absences", self.absences.len()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{
      "format": "nabo-dataset/1",
      "organisations": [{"id": "hdl", "name": "Haderslev Kommune"}],
      "districts": [{"id": "vojens", "organisation_id": "hdl", "name": "Vojens"}],
      "teams": [{"id": "t1", "district_id": "vojens", "name": "Team Nord",
                 "base": {"lat": 55.25, "lon": 9.30}}],
      "employees": [
        {"id": "e1", "name": "Anna", "profession": "care_helper", "home_team": "t1",
         "contract_hours": 32, "travel_mode": "car"},
        {"id": "e1", "name": "Bo", "profession": "nurse", "home_team": "t9",
         "contract_hours": 37, "travel_mode": "bike"}
      ],
      "shifts": [{"id": "s1", "employee_id": "e1", "date": "2026-11-25",
                  "start": "07:00", "end": "15:00"}]
    }"#;

    #[test]
    fn duplicate_ids_and_unknown_teams_are_each_reported_with_their_place() {
        let d: Dataset = serde_json::from_str(SMALL).unwrap();
        let errors: Vec<String> = d
            .check(&KnownIds::default())
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errors,
            [
                "$.employees[1].id (id e1): duplicate id 'e1': also used by employees[0]",
                "$.employees[1].home_team (id e1): unknown team 't9': add it to the file or import it first",
            ]
        );
    }

    #[test]
    fn an_empty_dataset_is_valid_and_a_wrong_format_is_named_at_the_top() {
        assert!(Dataset::default().check(&KnownIds::default()).is_empty());
        let d = Dataset {
            format: "other/9".into(),
            ..Dataset::default()
        };
        let errors: Vec<String> = d
            .check(&KnownIds::default())
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("$.format: is 'other/9'"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn references_to_data_already_stored_are_accepted() {
        let mut d: Dataset = serde_json::from_str(SMALL).unwrap();
        d.employees.truncate(1);
        d.teams.clear();
        let mut known = KnownIds::default();
        assert_eq!(d.check(&known).len(), 1);
        known.insert("teams", "t1");
        assert!(d.check(&known).is_empty());
    }
}

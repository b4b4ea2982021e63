//! Writing organisation data: the whole dataset as JSON, citizens and staff as CSV in
//! the columns [`crate::import`] reads back.

use nabo_domain::{Citizen, Employee};
use nabo_store::{Store, StoreError};

/// Citizen CSV columns, in the order they are written.
pub const CITIZEN_COLUMNS: &[&str] = &[
    "id",
    "name",
    "address",
    "lat",
    "lon",
    "team_id",
    "key_information",
    "preferred_staff",
    "refused_staff",
    "contacts",
];

/// Employee CSV columns, in the order they are written.
pub const EMPLOYEE_COLUMNS: &[&str] = &[
    "id",
    "name",
    "profession",
    "home_team",
    "contract_hours",
    "phone",
    "travel_mode",
    "extra_qualifications",
];

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Everything in the database as a pretty-printed JSON dataset.
pub async fn export_json(store: &Store) -> Result<String, ExportError> {
    let data = store.export().await?;
    Ok(serde_json::to_string_pretty(&data)?)
}

/// Every citizen as CSV.
pub async fn export_citizens_csv(store: &Store) -> Result<String, ExportError> {
    citizens_csv(&store.citizens(None).await?)
}

/// Every employee as CSV.
pub async fn export_employees_csv(store: &Store) -> Result<String, ExportError> {
    employees_csv(&store.employees(None).await?)
}

fn enum_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<String, ExportError> {
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError::Csv(csv::Error::from(e.into_error())))?;
    // The writer only ever received UTF-8 strings.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Citizens as CSV with a header row. Coordinates are written in full precision, so
/// reading the file back gives the same numbers.
pub fn citizens_csv(citizens: &[Citizen]) -> Result<String, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CITIZEN_COLUMNS)?;
    for c in citizens {
        let join = |ids: &[nabo_domain::EmployeeId]| {
            ids.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(";")
        };
        let contacts: Vec<String> = c
            .contacts
            .iter()
            .map(|k| {
                format!(
                    "{}|{}|{}",
                    k.name,
                    k.relation,
                    k.phone.as_deref().unwrap_or("")
                )
            })
            .collect();
        w.write_record([
            c.id.as_str(),
            &c.name,
            &c.address,
            &c.location.lat.to_string(),
            &c.location.lon.to_string(),
            c.team_id.as_str(),
            &c.key_information,
            &join(&c.preferred_staff),
            &join(&c.refused_staff),
            &contacts.join(";"),
        ])?;
    }
    finish(w)
}

/// Employees as CSV with a header row.
pub fn employees_csv(employees: &[Employee]) -> Result<String, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(EMPLOYEE_COLUMNS)?;
    for e in employees {
        let extra: Vec<String> = e.extra_qualifications.iter().map(enum_text).collect();
        w.write_record([
            e.id.as_str(),
            &e.name,
            &enum_text(&e.profession),
            e.home_team.as_str(),
            &e.contract_hours.to_string(),
            e.phone.as_deref().unwrap_or(""),
            &enum_text(&e.travel_mode),
            &extra.join(";"),
        ])?;
    }
    finish(w)
}

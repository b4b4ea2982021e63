//! Organisation data: teams, staff, citizens, grants, the base plan, visits, shifts and
//! absences. Each kind has a row builder (domain value -> columns), a reader (row ->
//! domain value) and a batched writer shared by single upserts and whole imports.

use crate::codec::{
    date_text, delete_where_in, enum_text, millis, time_text, write_rows, Reader, Table, Val,
};
use crate::{travel, Result, Store, StoreError};
use jiff::civil::Date;
use nabo_domain::{
    Absence, AbsenceId, Citizen, CitizenId, Contact, District, Employee, EmployeeId, FieldError,
    FunctionAssessment, GeoPoint, Grant, GrantedHours, Organisation, OrganisationId, Recurrence,
    RecurringVisit, Shift, Team, TeamId, Validate, Visit, Weekdays,
};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::HashMap;

// ---- tables ----

const ID: &[&str] = &["id"];

pub(crate) const ORGANISATIONS: Table = Table {
    name: "organisations",
    columns: &["id", "name"],
    key: Some(ID),
};
pub(crate) const DISTRICTS: Table = Table {
    name: "districts",
    columns: &["id", "organisation_id", "name"],
    key: Some(ID),
};
pub(crate) const TEAMS: Table = Table {
    name: "teams",
    columns: &["id", "district_id", "name", "base_lat", "base_lon"],
    key: Some(ID),
};
pub(crate) const EMPLOYEES: Table = Table {
    name: "employees",
    columns: &[
        "id",
        "name",
        "profession",
        "home_team",
        "contract_hours",
        "phone",
        "travel_mode",
    ],
    key: Some(ID),
};
const EMPLOYEE_QUALIFICATIONS: Table = Table {
    name: "employee_qualifications",
    columns: &["employee_id", "position", "qualification"],
    key: None,
};
pub(crate) const CITIZENS: Table = Table {
    name: "citizens",
    columns: &[
        "id",
        "name",
        "address",
        "lat",
        "lon",
        "team_id",
        "key_information",
        "contacts",
    ],
    key: Some(ID),
};
const CITIZEN_STAFF: Table = Table {
    name: "citizen_staff",
    columns: &["citizen_id", "preference", "position", "employee_id"],
    key: None,
};
pub(crate) const GRANTS: Table = Table {
    name: "grants",
    columns: &[
        "id",
        "citizen_id",
        "granted_by",
        "legal_basis",
        "valid_from",
        "valid_to",
    ],
    key: Some(ID),
};
const GRANT_HOURS: Table = Table {
    name: "grant_hours",
    columns: &["grant_id", "position", "category", "hours_per_week"],
    key: None,
};
const GRANT_ASSESSMENTS: Table = Table {
    name: "grant_assessments",
    columns: &["grant_id", "position", "area", "score"],
    key: None,
};
pub(crate) const RECURRING_VISITS: Table = Table {
    name: "recurring_visits",
    columns: &[
        "id",
        "citizen_id",
        "weekdays",
        "every_nth_week",
        "starts_on",
        "ends_on",
        "window_start",
        "window_end",
        "fixed_time",
        "fixed_time_reason",
        "duration_minutes",
        "required_qualification",
        "staff_count",
        "tasks",
        "grant_id",
    ],
    key: Some(ID),
};
pub(crate) const VISITS: Table = Table {
    name: "visits",
    columns: &[
        "id",
        "citizen_id",
        "recurring_visit_id",
        "date",
        "window_start",
        "window_end",
        "fixed_time",
        "fixed_time_reason",
        "duration_minutes",
        "required_qualification",
        "staff_count",
        "tasks",
        "grant_id",
        "planned_start_ms",
        "status",
        "cancel_reason",
    ],
    key: Some(ID),
};
const VISIT_ASSIGNMENTS: Table = Table {
    name: "visit_assignments",
    columns: &["visit_id", "position", "employee_id"],
    key: None,
};
pub(crate) const SHIFTS: Table = Table {
    name: "shifts",
    columns: &[
        "id",
        "employee_id",
        "date",
        "start_time",
        "end_time",
        "starts_ms",
        "ends_ms",
        "start_lat",
        "start_lon",
        "end_lat",
        "end_lon",
    ],
    key: Some(ID),
};
pub(crate) const ABSENCES: Table = Table {
    name: "absences",
    columns: &["id", "employee_id", "from_date", "to_date", "kind"],
    key: Some(ID),
};

/// `a.x, a.y, ...` for a table's columns.
pub(crate) fn cols(alias: &str, table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pos(i: usize) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX)
}

// ---- rows ----

fn organisation_row(o: &Organisation) -> Vec<Val> {
    vec![o.id.as_str().into(), o.name.as_str().into()]
}

fn district_row(d: &District) -> Vec<Val> {
    vec![
        d.id.as_str().into(),
        d.organisation_id.as_str().into(),
        d.name.as_str().into(),
    ]
}

fn team_row(t: &Team) -> Vec<Val> {
    vec![
        t.id.as_str().into(),
        t.district_id.as_str().into(),
        t.name.as_str().into(),
        t.base.lat.into(),
        t.base.lon.into(),
    ]
}

fn employee_row(e: &Employee) -> Vec<Val> {
    vec![
        e.id.as_str().into(),
        e.name.as_str().into(),
        enum_text(&e.profession).into(),
        e.home_team.as_str().into(),
        e.contract_hours.into(),
        e.phone.clone().into(),
        enum_text(&e.travel_mode).into(),
    ]
}

fn citizen_row(c: &Citizen) -> Vec<Val> {
    // Contacts are plain data with string fields; serialising them cannot fail.
    let contacts = serde_json::to_string(&c.contacts).unwrap_or_else(|_| "[]".into());
    vec![
        c.id.as_str().into(),
        c.name.as_str().into(),
        c.address.as_str().into(),
        c.location.lat.into(),
        c.location.lon.into(),
        c.team_id.as_str().into(),
        c.key_information.as_str().into(),
        contacts.into(),
    ]
}

fn grant_row(g: &Grant) -> Vec<Val> {
    vec![
        g.id.as_str().into(),
        g.citizen_id.as_str().into(),
        g.granted_by.as_str().into(),
        enum_text(&g.legal_basis).into(),
        date_text(g.valid_from).into(),
        g.valid_to.map(date_text).into(),
    ]
}

fn recurring_row(r: &RecurringVisit) -> Vec<Val> {
    vec![
        r.id.as_str().into(),
        r.citizen_id.as_str().into(),
        i64::from(r.recurrence.weekdays.bits()).into(),
        i64::from(r.recurrence.every_nth_week).into(),
        date_text(r.recurrence.starts_on).into(),
        r.recurrence.ends_on.map(date_text).into(),
        time_text(r.window_start).into(),
        time_text(r.window_end).into(),
        r.fixed_time.into(),
        r.fixed_time_reason.clone().into(),
        i64::from(r.duration_minutes).into(),
        enum_text(&r.required_qualification).into(),
        i64::from(r.staff_count).into(),
        r.tasks.as_str().into(),
        r.grant_id.as_ref().map(|g| g.0.clone()).into(),
    ]
}

fn visit_row(v: &Visit) -> Vec<Val> {
    vec![
        v.id.as_str().into(),
        v.citizen_id.as_str().into(),
        v.recurring_visit_id.as_ref().map(|r| r.0.clone()).into(),
        date_text(v.date).into(),
        time_text(v.window_start).into(),
        time_text(v.window_end).into(),
        v.fixed_time.into(),
        v.fixed_time_reason.clone().into(),
        i64::from(v.duration_minutes).into(),
        enum_text(&v.required_qualification).into(),
        i64::from(v.staff_count).into(),
        v.tasks.as_str().into(),
        v.grant_id.as_ref().map(|g| g.0.clone()).into(),
        v.planned_start.map(millis).into(),
        enum_text(&v.status).into(),
        v.cancel_reason.clone().into(),
    ]
}

fn shift_row(s: &Shift) -> Vec<Val> {
    let (from, to) = s.instants();
    vec![
        s.id.as_str().into(),
        s.employee_id.as_str().into(),
        date_text(s.date).into(),
        time_text(s.start).into(),
        time_text(s.end).into(),
        millis(from).into(),
        millis(to).into(),
        s.start_location.map(|p| p.lat).into(),
        s.start_location.map(|p| p.lon).into(),
        s.end_location.map(|p| p.lat).into(),
        s.end_location.map(|p| p.lon).into(),
    ]
}

fn absence_row(a: &Absence) -> Vec<Val> {
    vec![
        a.id.as_str().into(),
        a.employee_id.as_str().into(),
        date_text(a.from).into(),
        date_text(a.to).into(),
        enum_text(&a.kind).into(),
    ]
}

// ---- writers (shared by single upserts and imports) ----

/// Ids of the records being written that already exist: their child rows are replaced.
pub(crate) type Existing<'a> = &'a (dyn Fn(&str) -> bool + Sync);

pub(crate) async fn put_organisations(
    conn: &mut AnyConnection,
    items: &[Organisation],
) -> Result<()> {
    write_rows(
        conn,
        &ORGANISATIONS,
        items.iter().map(organisation_row).collect(),
    )
    .await?;
    Ok(())
}

pub(crate) async fn put_districts(conn: &mut AnyConnection, items: &[District]) -> Result<()> {
    write_rows(conn, &DISTRICTS, items.iter().map(district_row).collect()).await?;
    Ok(())
}

pub(crate) async fn put_teams(conn: &mut AnyConnection, items: &[Team]) -> Result<()> {
    write_rows(conn, &TEAMS, items.iter().map(team_row).collect()).await?;
    Ok(())
}

pub(crate) async fn put_employees(
    conn: &mut AnyConnection,
    items: &[Employee],
    existing: Existing<'_>,
) -> Result<()> {
    write_rows(conn, &EMPLOYEES, items.iter().map(employee_row).collect()).await?;
    let old: Vec<&str> = items
        .iter()
        .map(|e| e.id.as_str())
        .filter(|id| existing(id))
        .collect();
    delete_where_in(conn, EMPLOYEE_QUALIFICATIONS.name, "employee_id", &old).await?;
    let rows = items
        .iter()
        .flat_map(|e| {
            e.extra_qualifications
                .iter()
                .enumerate()
                .map(|(i, q)| vec![e.id.as_str().into(), pos(i).into(), enum_text(q).into()])
        })
        .collect();
    write_rows(conn, &EMPLOYEE_QUALIFICATIONS, rows).await?;
    Ok(())
}

pub(crate) async fn put_citizens(
    conn: &mut AnyConnection,
    items: &[Citizen],
    existing: Existing<'_>,
) -> Result<()> {
    write_rows(conn, &CITIZENS, items.iter().map(citizen_row).collect()).await?;
    let old: Vec<&str> = items
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| existing(id))
        .collect();
    delete_where_in(conn, CITIZEN_STAFF.name, "citizen_id", &old).await?;
    let mut rows = Vec::new();
    for c in items {
        for (kind, list) in [
            ("preferred", &c.preferred_staff),
            ("refused", &c.refused_staff),
        ] {
            for (i, e) in list.iter().enumerate() {
                rows.push(vec![
                    c.id.as_str().into(),
                    kind.into(),
                    pos(i).into(),
                    e.as_str().into(),
                ]);
            }
        }
    }
    write_rows(conn, &CITIZEN_STAFF, rows).await?;
    Ok(())
}

pub(crate) async fn put_grants(
    conn: &mut AnyConnection,
    items: &[Grant],
    existing: Existing<'_>,
) -> Result<()> {
    write_rows(conn, &GRANTS, items.iter().map(grant_row).collect()).await?;
    let old: Vec<&str> = items
        .iter()
        .map(|g| g.id.as_str())
        .filter(|id| existing(id))
        .collect();
    delete_where_in(conn, GRANT_HOURS.name, "grant_id", &old).await?;
    delete_where_in(conn, GRANT_ASSESSMENTS.name, "grant_id", &old).await?;
    let hours = items
        .iter()
        .flat_map(|g| {
            g.hours.iter().enumerate().map(|(i, h)| {
                vec![
                    g.id.as_str().into(),
                    pos(i).into(),
                    enum_text(&h.category).into(),
                    h.hours_per_week.into(),
                ]
            })
        })
        .collect();
    write_rows(conn, &GRANT_HOURS, hours).await?;
    let scores = items
        .iter()
        .flat_map(|g| {
            g.function_assessment.iter().enumerate().map(|(i, a)| {
                vec![
                    g.id.as_str().into(),
                    pos(i).into(),
                    a.area.as_str().into(),
                    i64::from(a.score).into(),
                ]
            })
        })
        .collect();
    write_rows(conn, &GRANT_ASSESSMENTS, scores).await?;
    Ok(())
}

pub(crate) async fn put_recurring_visits(
    conn: &mut AnyConnection,
    items: &[RecurringVisit],
) -> Result<()> {
    write_rows(
        conn,
        &RECURRING_VISITS,
        items.iter().map(recurring_row).collect(),
    )
    .await?;
    Ok(())
}

pub(crate) async fn put_visits(
    conn: &mut AnyConnection,
    items: &[Visit],
    existing: Existing<'_>,
) -> Result<()> {
    write_rows(conn, &VISITS, items.iter().map(visit_row).collect()).await?;
    let old: Vec<&str> = items
        .iter()
        .map(|v| v.id.as_str())
        .filter(|id| existing(id))
        .collect();
    delete_where_in(conn, VISIT_ASSIGNMENTS.name, "visit_id", &old).await?;
    let rows = items
        .iter()
        .flat_map(|v| {
            v.planned_employees
                .iter()
                .enumerate()
                .map(|(i, e)| vec![v.id.as_str().into(), pos(i).into(), e.as_str().into()])
        })
        .collect();
    write_rows(conn, &VISIT_ASSIGNMENTS, rows).await?;
    Ok(())
}

pub(crate) async fn put_shifts(conn: &mut AnyConnection, items: &[Shift]) -> Result<()> {
    write_rows(conn, &SHIFTS, items.iter().map(shift_row).collect()).await?;
    Ok(())
}

pub(crate) async fn put_absences(conn: &mut AnyConnection, items: &[Absence]) -> Result<()> {
    write_rows(conn, &ABSENCES, items.iter().map(absence_row).collect()).await?;
    Ok(())
}

// ---- readers ----

fn organisation_from(row: &AnyRow) -> Result<Organisation, sqlx::Error> {
    let r = Reader::new("organisations", row);
    Ok(Organisation {
        id: OrganisationId(r.text("id")?),
        name: r.text("name")?,
    })
}

fn district_from(row: &AnyRow) -> Result<District, sqlx::Error> {
    let r = Reader::new("districts", row);
    Ok(District {
        id: r.text("id")?.as_str().into(),
        organisation_id: r.text("organisation_id")?.as_str().into(),
        name: r.text("name")?,
    })
}

fn team_from(row: &AnyRow) -> Result<Team, sqlx::Error> {
    let r = Reader::new("teams", row);
    Ok(Team {
        id: TeamId(r.text("id")?),
        district_id: r.text("district_id")?.as_str().into(),
        name: r.text("name")?,
        base: GeoPoint::new(r.real("base_lat")?, r.real("base_lon")?),
    })
}

fn employee_from(row: &AnyRow, extra: &mut Children) -> Result<Employee, sqlx::Error> {
    let r = Reader::new("employees", row);
    let id = r.text("id")?;
    let mut quals = Vec::new();
    for q in extra.take(&id) {
        quals.push(Reader::new("employee_qualifications", &q).enumeration("qualification")?);
    }
    Ok(Employee {
        id: EmployeeId(id),
        name: r.text("name")?,
        profession: r.enumeration("profession")?,
        extra_qualifications: quals,
        home_team: TeamId(r.text("home_team")?),
        contract_hours: r.real("contract_hours")?,
        phone: r.opt_text("phone")?,
        travel_mode: r.enumeration("travel_mode")?,
    })
}

fn citizen_from(row: &AnyRow, staff: &mut Children) -> Result<Citizen, sqlx::Error> {
    let r = Reader::new("citizens", row);
    let id = r.text("id")?;
    let contacts_json = r.text("contacts")?;
    let contacts: Vec<Contact> = serde_json::from_str(&contacts_json).map_err(|e| {
        crate::codec::corrupt(
            "citizens",
            "contacts",
            row,
            format!("not a contact list: {e}"),
        )
    })?;
    let (mut preferred, mut refused) = (Vec::new(), Vec::new());
    for s in staff.take(&id) {
        let sr = Reader::new("citizen_staff", &s);
        let employee = EmployeeId(sr.text("employee_id")?);
        match sr.text("preference")?.as_str() {
            "refused" => refused.push(employee),
            _ => preferred.push(employee),
        }
    }
    Ok(Citizen {
        id: CitizenId(id),
        name: r.text("name")?,
        address: r.text("address")?,
        location: GeoPoint::new(r.real("lat")?, r.real("lon")?),
        team_id: TeamId(r.text("team_id")?),
        key_information: r.text("key_information")?,
        contacts,
        preferred_staff: preferred,
        refused_staff: refused,
    })
}

fn grant_from(
    row: &AnyRow,
    hours: &mut Children,
    scores: &mut Children,
) -> Result<Grant, sqlx::Error> {
    let r = Reader::new("grants", row);
    let id = r.text("id")?;
    let mut h = Vec::new();
    for x in hours.take(&id) {
        let xr = Reader::new("grant_hours", &x);
        h.push(GrantedHours {
            category: xr.enumeration("category")?,
            hours_per_week: xr.real("hours_per_week")?,
        });
    }
    let mut a = Vec::new();
    for x in scores.take(&id) {
        let xr = Reader::new("grant_assessments", &x);
        a.push(FunctionAssessment {
            area: xr.text("area")?,
            score: xr.small("score")?,
        });
    }
    Ok(Grant {
        id: id.as_str().into(),
        citizen_id: CitizenId(r.text("citizen_id")?),
        granted_by: r.text("granted_by")?,
        legal_basis: r.enumeration("legal_basis")?,
        valid_from: r.date("valid_from")?,
        valid_to: r.opt_date("valid_to")?,
        hours: h,
        function_assessment: a,
    })
}

fn recurring_from(row: &AnyRow) -> Result<RecurringVisit, sqlx::Error> {
    let r = Reader::new("recurring_visits", row);
    Ok(RecurringVisit {
        id: r.text("id")?.as_str().into(),
        citizen_id: CitizenId(r.text("citizen_id")?),
        recurrence: Recurrence {
            weekdays: Weekdays::from_bits(r.small("weekdays")?),
            every_nth_week: r.small("every_nth_week")?,
            starts_on: r.date("starts_on")?,
            ends_on: r.opt_date("ends_on")?,
        },
        window_start: r.time("window_start")?,
        window_end: r.time("window_end")?,
        fixed_time: r.bool("fixed_time")?,
        fixed_time_reason: r.opt_text("fixed_time_reason")?,
        duration_minutes: r.small("duration_minutes")?,
        required_qualification: r.enumeration("required_qualification")?,
        staff_count: r.small("staff_count")?,
        tasks: r.text("tasks")?,
        grant_id: r.opt_text("grant_id")?.map(|g| g.as_str().into()),
    })
}

/// A visit from a row of `visits` (its planned employees are added by the caller).
fn visit_from(row: &AnyRow) -> Result<Visit, sqlx::Error> {
    let r = Reader::new("visits", row);
    Ok(Visit {
        id: r.text("id")?.as_str().into(),
        citizen_id: CitizenId(r.text("citizen_id")?),
        recurring_visit_id: r.opt_text("recurring_visit_id")?.map(|x| x.as_str().into()),
        date: r.date("date")?,
        window_start: r.time("window_start")?,
        window_end: r.time("window_end")?,
        fixed_time: r.bool("fixed_time")?,
        fixed_time_reason: r.opt_text("fixed_time_reason")?,
        duration_minutes: r.small("duration_minutes")?,
        required_qualification: r.enumeration("required_qualification")?,
        staff_count: r.small("staff_count")?,
        tasks: r.text("tasks")?,
        grant_id: r.opt_text("grant_id")?.map(|g| g.as_str().into()),
        planned_employees: Vec::new(),
        planned_start: r.opt_instant("planned_start_ms")?,
        status: r.enumeration("status")?,
        cancel_reason: r.opt_text("cancel_reason")?,
    })
}

fn point(r: &Reader<'_>, lat: &str, lon: &str) -> Result<Option<GeoPoint>, sqlx::Error> {
    Ok(match (r.opt_real(lat)?, r.opt_real(lon)?) {
        (Some(lat), Some(lon)) => Some(GeoPoint::new(lat, lon)),
        _ => None,
    })
}

fn shift_from(row: &AnyRow) -> Result<Shift, sqlx::Error> {
    let r = Reader::new("shifts", row);
    Ok(Shift {
        id: r.text("id")?.as_str().into(),
        employee_id: EmployeeId(r.text("employee_id")?),
        date: r.date("date")?,
        start: r.time("start_time")?,
        end: r.time("end_time")?,
        start_location: point(&r, "start_lat", "start_lon")?,
        end_location: point(&r, "end_lat", "end_lon")?,
    })
}

fn absence_from(row: &AnyRow) -> Result<Absence, sqlx::Error> {
    let r = Reader::new("absences", row);
    Ok(Absence {
        id: AbsenceId(r.text("id")?),
        employee_id: EmployeeId(r.text("employee_id")?),
        from: r.date("from_date")?,
        to: r.date("to_date")?,
        kind: r.enumeration("kind")?,
    })
}

/// Child rows grouped by their parent's id.
#[derive(Default)]
pub(crate) struct Children(HashMap<String, Vec<AnyRow>>);

impl Children {
    fn take(&mut self, parent: &str) -> Vec<AnyRow> {
        self.0.remove(parent).unwrap_or_default()
    }
}

/// Runs `sql` (rows ordered by parent, then position) and groups them by `parent_col`.
async fn children(
    conn: &mut AnyConnection,
    sql: String,
    binds: &[Val],
    parent_col: &str,
) -> Result<Children> {
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for b in binds {
        q = crate::codec::bind(q, b.clone());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let mut map: HashMap<String, Vec<AnyRow>> = HashMap::new();
    for row in rows {
        let parent: String = row.try_get(parent_col)?;
        map.entry(parent).or_default().push(row);
    }
    Ok(Children(map))
}

async fn fetch(conn: &mut AnyConnection, sql: String, binds: &[Val]) -> Result<Vec<AnyRow>> {
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for b in binds {
        q = crate::codec::bind(q, b.clone());
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

// Loaders take a WHERE clause over the parent table (alias `p`) and its binds, so that
// lists, single records and exports share one reader.

pub(crate) async fn load_organisations(conn: &mut AnyConnection) -> Result<Vec<Organisation>> {
    let sql = format!(
        "SELECT {} FROM organisations p ORDER BY p.id",
        cols("p", &ORGANISATIONS)
    );
    let rows = fetch(conn, sql, &[]).await?;
    Ok(rows
        .iter()
        .map(organisation_from)
        .collect::<Result<_, _>>()?)
}

pub(crate) async fn load_districts(conn: &mut AnyConnection) -> Result<Vec<District>> {
    let sql = format!(
        "SELECT {} FROM districts p ORDER BY p.id",
        cols("p", &DISTRICTS)
    );
    let rows = fetch(conn, sql, &[]).await?;
    Ok(rows.iter().map(district_from).collect::<Result<_, _>>()?)
}

pub(crate) async fn load_teams(
    conn: &mut AnyConnection,
    filter: &str,
    binds: &[Val],
    order: &str,
) -> Result<Vec<Team>> {
    let sql = format!(
        "SELECT {} FROM teams p WHERE {filter} ORDER BY {order}",
        cols("p", &TEAMS)
    );
    let rows = fetch(conn, sql, binds).await?;
    Ok(rows.iter().map(team_from).collect::<Result<_, _>>()?)
}

pub(crate) async fn load_employees(
    conn: &mut AnyConnection,
    filter: &str,
    binds: &[Val],
    order: &str,
) -> Result<Vec<Employee>> {
    let sql = format!(
        "SELECT {} FROM employees p WHERE {filter} ORDER BY {order}",
        cols("p", &EMPLOYEES)
    );
    let rows = fetch(conn, sql, binds).await?;
    let child_sql = format!(
        "SELECT q.employee_id, q.qualification FROM employee_qualifications q \
         WHERE q.employee_id IN (SELECT p.id FROM employees p WHERE {filter}) \
         ORDER BY q.employee_id, q.position"
    );
    let mut quals = children(conn, child_sql, binds, "employee_id").await?;
    Ok(rows
        .iter()
        .map(|r| employee_from(r, &mut quals))
        .collect::<Result<_, _>>()?)
}

pub(crate) async fn load_citizens(
    conn: &mut AnyConnection,
    filter: &str,
    binds: &[Val],
    order: &str,
) -> Result<Vec<Citizen>> {
    let sql = format!(
        "SELECT {} FROM citizens p WHERE {filter} ORDER BY {order}",
        cols("p", &CITIZENS)
    );
    let rows = fetch(conn, sql, binds).await?;
    let child_sql = format!(
        "SELECT s.citizen_id, s.preference, s.employee_id FROM citizen_staff s \
         WHERE s.citizen_id IN (SELECT p.id FROM citizens p WHERE {filter}) \
         ORDER BY s.citizen_id, s.preference, s.position"
    );
    let mut staff = children(conn, child_sql, binds, "citizen_id").await?;
    Ok(rows
        .iter()
        .map(|r| citizen_from(r, &mut staff))
        .collect::<Result<_, _>>()?)
}

pub(crate) async fn load_grants(
    conn: &mut AnyConnection,
    filter: &str,
    binds: &[Val],
) -> Result<Vec<Grant>> {
    let sql = format!(
        "SELECT {} FROM grants p WHERE {filter} ORDER BY p.id",
        cols("p", &GRANTS)
    );
    let rows = fetch(conn, sql, binds).await?;
    let hours_sql = format!(
        "SELECT h.grant_id, h.category, h.hours_per_week FROM grant_hours h \
         WHERE h.grant_id IN (SELECT p.id FROM grants p WHERE {filter}) \
         ORDER BY h.grant_id, h.position"
    );
    let mut hours = children(conn, hours_sql, binds, "grant_id").await?;
    let scores_sql = format!(
        "SELECT a.grant_id, a.area, a.score FROM grant_assessments a \
         WHERE a.grant_id IN (SELECT p.id FROM grants p WHERE {filter}) \
         ORDER BY a.grant_id, a.position"
    );
    let mut scores = children(conn, scores_sql, binds, "grant_id").await?;
    Ok(rows
        .iter()
        .map(|r| grant_from(r, &mut hours, &mut scores))
        .collect::<Result<_, _>>()?)
}

pub(crate) async fn load_recurring(
    conn: &mut AnyConnection,
    filter: &str,
    binds: &[Val],
) -> Result<Vec<RecurringVisit>> {
    let sql = format!(
        "SELECT {} FROM recurring_visits p WHERE {filter} ORDER BY p.id",
        cols("p", &RECURRING_VISITS)
    );
    let rows = fetch(conn, sql, binds).await?;
    Ok(rows.iter().map(recurring_from).collect::<Result<_, _>>()?)
}

/// Visits with their planned employees, in one query (a two-person visit gives two rows).
pub(crate) async fn load_visits(
    conn: &mut AnyConnection,
    joins: &str,
    filter: &str,
    binds: &[Val],
    order: &str,
) -> Result<Vec<Visit>> {
    let sql = format!(
        "SELECT {}, a.employee_id AS assigned_employee FROM visits p \
         LEFT JOIN visit_assignments a ON a.visit_id = p.id {joins} \
         WHERE {filter} ORDER BY {order}, a.position",
        cols("p", &VISITS)
    );
    let rows = fetch(conn, sql, binds).await?;
    let mut out: Vec<Visit> = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: String = row.try_get("id")?;
        let assigned: Option<String> = row.try_get("assigned_employee")?;
        match out.last_mut() {
            Some(last) if last.id.as_str() == id => {}
            _ => out.push(visit_from(row)?),
        }
        if let (Some(e), Some(last)) = (assigned, out.last_mut()) {
            last.planned_employees.push(EmployeeId(e));
        }
    }
    Ok(out)
}

pub(crate) async fn load_shifts(
    conn: &mut AnyConnection,
    joins: &str,
    filter: &str,
    binds: &[Val],
    order: &str,
) -> Result<Vec<Shift>> {
    let sql = format!(
        "SELECT {} FROM shifts p {joins} WHERE {filter} ORDER BY {order}",
        cols("p", &SHIFTS)
    );
    let rows = fetch(conn, sql, binds).await?;
    Ok(rows.iter().map(shift_from).collect::<Result<_, _>>()?)
}

pub(crate) async fn load_absences(
    conn: &mut AnyConnection,
    joins: &str,
    filter: &str,
    binds: &[Val],
    order: &str,
) -> Result<Vec<Absence>> {
    let sql = format!(
        "SELECT {} FROM absences p {joins} WHERE {filter} ORDER BY {order}",
        cols("p", &ABSENCES)
    );
    let rows = fetch(conn, sql, binds).await?;
    Ok(rows.iter().map(absence_from).collect::<Result<_, _>>()?)
}

/// Whether a record with this id exists in `table`.
pub(crate) async fn exists(conn: &mut AnyConnection, table: &str, id: &str) -> Result<bool> {
    let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE id = $1");
    let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

// ---- public API ----

/// A team with how many citizens and staff belong to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamSummary {
    pub team: Team,
    pub citizen_count: u64,
    pub employee_count: u64,
}

/// Which visits to read: all dates from `from` to `to` (both included), narrowed by
/// team (the citizen's team), citizen and/or a planned employee.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitFilter {
    pub team: Option<TeamId>,
    pub citizen: Option<CitizenId>,
    pub employee: Option<EmployeeId>,
    pub from: Date,
    pub to: Date,
}

impl VisitFilter {
    /// Every visit in the date range.
    pub fn dates(from: Date, to: Date) -> Self {
        Self {
            team: None,
            citizen: None,
            employee: None,
            from,
            to,
        }
    }
}

/// Checks that a referenced record exists; adds a field error if not.
async fn require(
    conn: &mut AnyConnection,
    errors: &mut Vec<FieldError>,
    field: &str,
    table: &str,
    what: &str,
    id: &str,
) -> Result<()> {
    if !exists(conn, table, id).await? {
        errors.push(FieldError::new(field, format!("unknown {what} '{id}'")));
    }
    Ok(())
}

fn invalid_or_ok(errors: Vec<FieldError>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}

fn yes(_: &str) -> bool {
    true
}

impl Store {
    pub async fn organisations(&self) -> Result<Vec<Organisation>> {
        let mut conn = self.pool.acquire().await?;
        load_organisations(&mut conn).await
    }

    pub async fn districts(&self) -> Result<Vec<District>> {
        let mut conn = self.pool.acquire().await?;
        load_districts(&mut conn).await
    }

    /// All teams, by name.
    pub async fn teams(&self) -> Result<Vec<Team>> {
        let mut conn = self.pool.acquire().await?;
        load_teams(&mut conn, "1 = 1", &[], "p.name, p.id").await
    }

    pub async fn team(&self, id: &TeamId) -> Result<Option<Team>> {
        let mut conn = self.pool.acquire().await?;
        let teams = load_teams(&mut conn, "p.id = $1", &[id.as_str().into()], "p.id").await?;
        Ok(teams.into_iter().next())
    }

    /// All teams by name, each with its number of citizens and staff.
    pub async fn team_summaries(&self) -> Result<Vec<TeamSummary>> {
        let mut conn = self.pool.acquire().await?;
        let sql = format!(
            "SELECT {}, \
               (SELECT COUNT(*) FROM citizens c WHERE c.team_id = p.id) AS citizen_count, \
               (SELECT COUNT(*) FROM employees e WHERE e.home_team = p.id) AS employee_count \
             FROM teams p ORDER BY p.name, p.id",
            cols("p", &TEAMS)
        );
        let rows = fetch(&mut conn, sql, &[]).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let r = Reader::new("teams", row);
            out.push(TeamSummary {
                team: team_from(row)?,
                citizen_count: r.small("citizen_count")?,
                employee_count: r.small("employee_count")?,
            });
        }
        Ok(out)
    }

    /// Staff, of one team or all, sorted by name.
    pub async fn employees(&self, team: Option<&TeamId>) -> Result<Vec<Employee>> {
        let mut conn = self.pool.acquire().await?;
        match team {
            Some(t) => {
                load_employees(
                    &mut conn,
                    "p.home_team = $1",
                    &[t.as_str().into()],
                    "p.name, p.id",
                )
                .await
            }
            None => load_employees(&mut conn, "1 = 1", &[], "p.name, p.id").await,
        }
    }

    pub async fn employee(&self, id: &EmployeeId) -> Result<Option<Employee>> {
        let mut conn = self.pool.acquire().await?;
        let found = load_employees(&mut conn, "p.id = $1", &[id.as_str().into()], "p.id").await?;
        Ok(found.into_iter().next())
    }

    /// Citizens, of one team or all, sorted by name.
    pub async fn citizens(&self, team: Option<&TeamId>) -> Result<Vec<Citizen>> {
        let mut conn = self.pool.acquire().await?;
        match team {
            Some(t) => {
                load_citizens(
                    &mut conn,
                    "p.team_id = $1",
                    &[t.as_str().into()],
                    "p.name, p.id",
                )
                .await
            }
            None => load_citizens(&mut conn, "1 = 1", &[], "p.name, p.id").await,
        }
    }

    pub async fn citizen(&self, id: &CitizenId) -> Result<Option<Citizen>> {
        let mut conn = self.pool.acquire().await?;
        let found = load_citizens(&mut conn, "p.id = $1", &[id.as_str().into()], "p.id").await?;
        Ok(found.into_iter().next())
    }

    /// A citizen's grants, by id.
    pub async fn grants(&self, citizen: &CitizenId) -> Result<Vec<Grant>> {
        let mut conn = self.pool.acquire().await?;
        load_grants(&mut conn, "p.citizen_id = $1", &[citizen.as_str().into()]).await
    }

    /// A citizen's base plan, by id.
    pub async fn recurring_visits(&self, citizen: &CitizenId) -> Result<Vec<RecurringVisit>> {
        let mut conn = self.pool.acquire().await?;
        load_recurring(&mut conn, "p.citizen_id = $1", &[citizen.as_str().into()]).await
    }

    /// Visits in a date range (both ends included), ordered by date and window start.
    pub async fn visits(&self, filter: &VisitFilter) -> Result<Vec<Visit>> {
        let mut binds: Vec<Val> = vec![date_text(filter.from).into(), date_text(filter.to).into()];
        let mut joins = String::new();
        let mut cond = String::from("p.date >= $1 AND p.date <= $2");
        if let Some(team) = &filter.team {
            binds.push(team.as_str().into());
            joins.push_str(" JOIN citizens c ON c.id = p.citizen_id");
            cond.push_str(&format!(" AND c.team_id = ${}", binds.len()));
        }
        if let Some(citizen) = &filter.citizen {
            binds.push(citizen.as_str().into());
            cond.push_str(&format!(" AND p.citizen_id = ${}", binds.len()));
        }
        if let Some(employee) = &filter.employee {
            binds.push(employee.as_str().into());
            cond.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM visit_assignments x \
                   WHERE x.visit_id = p.id AND x.employee_id = ${})",
                binds.len()
            ));
        }
        let mut conn = self.pool.acquire().await?;
        load_visits(
            &mut conn,
            &joins,
            &cond,
            &binds,
            "p.date, p.window_start, p.id",
        )
        .await
    }

    /// Shifts on dates from `from` to `to` (both included), of one team's staff or all.
    pub async fn shifts(&self, team: Option<&TeamId>, from: Date, to: Date) -> Result<Vec<Shift>> {
        let mut binds: Vec<Val> = vec![date_text(from).into(), date_text(to).into()];
        let mut conn = self.pool.acquire().await?;
        let order = "p.date, p.start_time, p.employee_id, p.id";
        match team {
            Some(t) => {
                binds.push(t.as_str().into());
                load_shifts(
                    &mut conn,
                    "JOIN employees e ON e.id = p.employee_id",
                    "p.date >= $1 AND p.date <= $2 AND e.home_team = $3",
                    &binds,
                    order,
                )
                .await
            }
            None => {
                load_shifts(
                    &mut conn,
                    "",
                    "p.date >= $1 AND p.date <= $2",
                    &binds,
                    order,
                )
                .await
            }
        }
    }

    /// Absences overlapping the dates from `from` to `to`, of one team's staff or all.
    pub async fn absences(
        &self,
        team: Option<&TeamId>,
        from: Date,
        to: Date,
    ) -> Result<Vec<Absence>> {
        // Overlap: it starts by the end of the range and ends on or after its start.
        let mut binds: Vec<Val> = vec![date_text(to).into(), date_text(from).into()];
        let mut conn = self.pool.acquire().await?;
        let order = "p.from_date, p.employee_id, p.id";
        match team {
            Some(t) => {
                binds.push(t.as_str().into());
                load_absences(
                    &mut conn,
                    "JOIN employees e ON e.id = p.employee_id",
                    "p.from_date <= $1 AND p.to_date >= $2 AND e.home_team = $3",
                    &binds,
                    order,
                )
                .await
            }
            None => {
                load_absences(
                    &mut conn,
                    "",
                    "p.from_date <= $1 AND p.to_date >= $2",
                    &binds,
                    order,
                )
                .await
            }
        }
    }

    /// Creates or updates a citizen. When the location changed, cached travel times at
    /// the old location are forgotten.
    pub async fn upsert_citizen(&self, c: &Citizen) -> Result<()> {
        let mut errors = c.validate();
        let mut tx = self.begin_write().await?;
        require(
            &mut tx,
            &mut errors,
            "team_id",
            "teams",
            "team",
            c.team_id.as_str(),
        )
        .await?;
        for (name, list) in [
            ("preferred_staff", &c.preferred_staff),
            ("refused_staff", &c.refused_staff),
        ] {
            for (i, e) in list.iter().enumerate() {
                let field = format!("{name}[{i}]");
                require(
                    &mut tx,
                    &mut errors,
                    &field,
                    "employees",
                    "employee",
                    e.as_str(),
                )
                .await?;
            }
        }
        invalid_or_ok(errors)?;
        let old = sqlx::query("SELECT lat, lon FROM citizens WHERE id = $1")
            .bind(c.id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = old {
            let r = Reader::new("citizens", &row);
            let was = GeoPoint::new(r.real("lat")?, r.real("lon")?);
            if travel::key(was) != travel::key(c.location) {
                travel::forget_at(&mut tx, was).await?;
            }
        }
        put_citizens(&mut tx, std::slice::from_ref(c), &yes).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn upsert_employee(&self, e: &Employee) -> Result<()> {
        let mut errors = e.validate();
        let mut tx = self.begin_write().await?;
        require(
            &mut tx,
            &mut errors,
            "home_team",
            "teams",
            "team",
            e.home_team.as_str(),
        )
        .await?;
        invalid_or_ok(errors)?;
        put_employees(&mut tx, std::slice::from_ref(e), &yes).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn upsert_visit(&self, v: &Visit) -> Result<()> {
        let mut errors = v.validate();
        let mut tx = self.begin_write().await?;
        require(
            &mut tx,
            &mut errors,
            "citizen_id",
            "citizens",
            "citizen",
            v.citizen_id.as_str(),
        )
        .await?;
        if let Some(rv) = &v.recurring_visit_id {
            let owner: Option<String> =
                sqlx::query_scalar("SELECT citizen_id FROM recurring_visits WHERE id = $1")
                    .bind(rv.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            match owner {
                None => errors.push(FieldError::new(
                    "recurring_visit_id",
                    format!("unknown recurring visit '{rv}'"),
                )),
                Some(owner) if owner != v.citizen_id.as_str() => errors.push(FieldError::new(
                    "recurring_visit_id",
                    format!(
                        "recurring visit '{rv}' belongs to citizen '{owner}', not '{}'",
                        v.citizen_id
                    ),
                )),
                Some(_) => {}
            }
        }
        if let Some(g) = &v.grant_id {
            require(
                &mut tx,
                &mut errors,
                "grant_id",
                "grants",
                "grant",
                g.as_str(),
            )
            .await?;
        }
        for (i, e) in v.planned_employees.iter().enumerate() {
            let field = format!("planned_employees[{i}]");
            require(
                &mut tx,
                &mut errors,
                &field,
                "employees",
                "employee",
                e.as_str(),
            )
            .await?;
        }
        invalid_or_ok(errors)?;
        put_visits(&mut tx, std::slice::from_ref(v), &yes).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn upsert_shift(&self, s: &Shift) -> Result<()> {
        let mut errors = s.validate();
        let mut tx = self.begin_write().await?;
        require(
            &mut tx,
            &mut errors,
            "employee_id",
            "employees",
            "employee",
            s.employee_id.as_str(),
        )
        .await?;
        invalid_or_ok(errors)?;
        put_shifts(&mut tx, std::slice::from_ref(s)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn upsert_absence(&self, a: &Absence) -> Result<()> {
        let mut errors = a.validate();
        let mut tx = self.begin_write().await?;
        require(
            &mut tx,
            &mut errors,
            "employee_id",
            "employees",
            "employee",
            a.employee_id.as_str(),
        )
        .await?;
        invalid_or_ok(errors)?;
        put_absences(&mut tx, std::slice::from_ref(a)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an absence; `false` when there was none with this id.
    pub async fn delete_absence(&self, id: &AbsenceId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM absences WHERE id = $1")
            .bind(id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

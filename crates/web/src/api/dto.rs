//! The API's own copies of the domain types. The wire format and its OpenAPI schema
//! live here, so the domain crate stays free of HTTP concerns; `From` goes both ways.
//! Enum fields keep the domain enums (their serde names are the wire names) and get
//! their schema from the enums' own value lists, so the document cannot drift.

use jiff::civil::{Date, Time};
use jiff::Timestamp;
use nabo_domain::{
    Absence, AbsenceKind, Citizen, Contact, Employee, FunctionAssessment, GeoPoint, Grant,
    GrantedHours, LegalBasis, Profession, Qualification, Recurrence, RecurringVisit,
    ServiceCategory, Shift, Team, TravelMode, Visit, VisitStatus, Weekday, Weekdays,
};
use nabo_domain::{
    AbsenceId, CitizenId, EmployeeId, GrantId, RecurringVisitId, ShiftId, TeamId, VisitId,
};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, Type};
use utoipa::openapi::{KnownFormat, SchemaFormat};
use utoipa::ToSchema;

fn string_enum<T: Serialize>(values: &[T], description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(
            values
                .iter()
                .filter_map(|v| serde_json::to_value(v).ok())
                .collect::<Vec<_>>(),
        ))
        .description(Some(description))
        .build()
}

fn profession_schema() -> Object {
    string_enum(
        &Profession::ALL,
        "Profession (SSH = care_helper, SSA = care_assistant).",
    )
}
fn qualification_schema() -> Object {
    string_enum(
        &Qualification::ALL,
        "Qualification; care levels form a ladder unskilled < care_helper < care_assistant < nurse.",
    )
}
fn qualifications_schema() -> Array {
    ArrayBuilder::new().items(qualification_schema()).build()
}
fn travel_mode_schema() -> Object {
    string_enum(&TravelMode::ALL, "How the employee travels between homes.")
}
fn legal_basis_schema() -> Object {
    string_enum(
        &[LegalBasis::Sel83, LegalBasis::Sel83a, LegalBasis::Sul138],
        "Serviceloven §83, §83a or Sundhedsloven §138.",
    )
}
fn service_category_schema() -> Object {
    string_enum(
        &[
            ServiceCategory::PersonalCare,
            ServiceCategory::PracticalHelp,
            ServiceCategory::Meals,
            ServiceCategory::Rehabilitation,
            ServiceCategory::Nursing,
        ],
        "Category of granted help.",
    )
}
fn visit_status_schema() -> Object {
    string_enum(
        &[
            VisitStatus::Planned,
            VisitStatus::Started,
            VisitStatus::Done,
            VisitStatus::Cancelled,
        ],
        "Where the visit stands.",
    )
}
fn absence_kind_schema() -> Object {
    string_enum(
        &[
            AbsenceKind::Sick,
            AbsenceKind::Holiday,
            AbsenceKind::Course,
            AbsenceKind::Other,
        ],
        "Why the employee is away.",
    )
}
fn weekdays_schema() -> Array {
    ArrayBuilder::new()
        .items(string_enum(&Weekday::ALL, "Day of the week."))
        .description(Some("Days of the week, Monday first."))
        .build()
}
fn date_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .description(Some("Civil date in Denmark, YYYY-MM-DD."))
        .examples(["2026-11-25"])
        .build()
}
fn time_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("Danish wall-clock time, HH:MM or HH:MM:SS."))
        .examples(["07:30"])
        .build()
}
fn timestamp_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
        .description(Some("An instant, RFC 3339 in UTC."))
        .build()
}

/// A WGS84 position in decimal degrees.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GeoPointDto {
    #[schema(example = 55.2466)]
    pub lat: f64,
    #[schema(example = 9.3066)]
    pub lon: f64,
}

impl From<GeoPoint> for GeoPointDto {
    fn from(p: GeoPoint) -> Self {
        Self {
            lat: p.lat,
            lon: p.lon,
        }
    }
}
impl From<GeoPointDto> for GeoPoint {
    fn from(p: GeoPointDto) -> Self {
        GeoPoint::new(p.lat, p.lon)
    }
}

/// A self-managing team.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TeamDto {
    #[schema(example = "t-nord")]
    pub id: String,
    pub district_id: String,
    #[schema(example = "Team Nord")]
    pub name: String,
    /// The team's base, where shifts start and end by default.
    pub base: GeoPointDto,
}

impl From<Team> for TeamDto {
    fn from(t: Team) -> Self {
        Self {
            id: t.id.0,
            district_id: t.district_id.0,
            name: t.name,
            base: t.base.into(),
        }
    }
}

/// A team with its head counts, for overviews.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamSummaryDto {
    #[serde(flatten)]
    pub team: TeamDto,
    /// The district's name.
    pub district_name: Option<String>,
    pub citizen_count: u64,
    pub employee_count: u64,
}

/// A member of staff.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EmployeeDto {
    #[schema(example = "e-001")]
    pub id: String,
    #[schema(example = "Anna Jensen")]
    pub name: String,
    #[schema(schema_with = profession_schema)]
    pub profession: Profession,
    #[serde(default)]
    #[schema(schema_with = qualifications_schema)]
    pub extra_qualifications: Vec<Qualification>,
    pub home_team: String,
    /// Contracted hours per week, 0–48.
    #[schema(example = 32.0)]
    pub contract_hours: f64,
    #[serde(default)]
    pub phone: Option<String>,
    #[schema(schema_with = travel_mode_schema)]
    pub travel_mode: TravelMode,
}

impl From<Employee> for EmployeeDto {
    fn from(e: Employee) -> Self {
        Self {
            id: e.id.0,
            name: e.name,
            profession: e.profession,
            extra_qualifications: e.extra_qualifications,
            home_team: e.home_team.0,
            contract_hours: e.contract_hours,
            phone: e.phone,
            travel_mode: e.travel_mode,
        }
    }
}
impl From<EmployeeDto> for Employee {
    fn from(e: EmployeeDto) -> Self {
        Self {
            id: EmployeeId(e.id),
            name: e.name,
            profession: e.profession,
            extra_qualifications: e.extra_qualifications,
            home_team: TeamId(e.home_team),
            contract_hours: e.contract_hours,
            phone: e.phone,
            travel_mode: e.travel_mode,
        }
    }
}

/// A relative or other contact of a citizen.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ContactDto {
    pub name: String,
    /// How they relate to the citizen ("datter", "nabo").
    pub relation: String,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A citizen receiving home care.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CitizenDto {
    #[schema(example = "c-0001")]
    pub id: String,
    pub name: String,
    pub address: String,
    pub location: GeoPointDto,
    pub team_id: String,
    /// What everyone entering the home must know (key box, dog, ...).
    #[serde(default)]
    pub key_information: String,
    #[serde(default)]
    pub contacts: Vec<ContactDto>,
    #[serde(default)]
    pub preferred_staff: Vec<String>,
    #[serde(default)]
    pub refused_staff: Vec<String>,
}

impl From<Citizen> for CitizenDto {
    fn from(c: Citizen) -> Self {
        Self {
            id: c.id.0,
            name: c.name,
            address: c.address,
            location: c.location.into(),
            team_id: c.team_id.0,
            key_information: c.key_information,
            contacts: c
                .contacts
                .into_iter()
                .map(|k| ContactDto {
                    name: k.name,
                    relation: k.relation,
                    phone: k.phone,
                })
                .collect(),
            preferred_staff: c.preferred_staff.into_iter().map(|e| e.0).collect(),
            refused_staff: c.refused_staff.into_iter().map(|e| e.0).collect(),
        }
    }
}
impl From<CitizenDto> for Citizen {
    fn from(c: CitizenDto) -> Self {
        Self {
            id: CitizenId(c.id),
            name: c.name,
            address: c.address,
            location: c.location.into(),
            team_id: TeamId(c.team_id),
            key_information: c.key_information,
            contacts: c
                .contacts
                .into_iter()
                .map(|k| Contact {
                    name: k.name,
                    relation: k.relation,
                    phone: k.phone,
                })
                .collect(),
            preferred_staff: c.preferred_staff.into_iter().map(EmployeeId).collect(),
            refused_staff: c.refused_staff.into_iter().map(EmployeeId).collect(),
        }
    }
}

/// Hours per week granted in one category.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GrantedHoursDto {
    #[schema(schema_with = service_category_schema)]
    pub category: ServiceCategory,
    pub hours_per_week: f64,
}

/// One area of the Fællessprog III function assessment, scored 0–4.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FunctionAssessmentDto {
    #[schema(example = "Mobilitet")]
    pub area: String,
    #[schema(minimum = 0, maximum = 4)]
    pub score: u8,
}

/// A package of help granted by a visitator.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GrantDto {
    pub id: String,
    pub citizen_id: String,
    pub granted_by: String,
    #[schema(schema_with = legal_basis_schema)]
    pub legal_basis: LegalBasis,
    #[schema(schema_with = date_schema)]
    pub valid_from: Date,
    /// Last day the grant applies; open-ended when null.
    #[serde(default)]
    #[schema(schema_with = date_schema)]
    pub valid_to: Option<Date>,
    pub hours: Vec<GrantedHoursDto>,
    #[serde(default)]
    pub function_assessment: Vec<FunctionAssessmentDto>,
}

impl From<Grant> for GrantDto {
    fn from(g: Grant) -> Self {
        Self {
            id: g.id.0,
            citizen_id: g.citizen_id.0,
            granted_by: g.granted_by,
            legal_basis: g.legal_basis,
            valid_from: g.valid_from,
            valid_to: g.valid_to,
            hours: g
                .hours
                .into_iter()
                .map(|h| GrantedHoursDto {
                    category: h.category,
                    hours_per_week: h.hours_per_week,
                })
                .collect(),
            function_assessment: g
                .function_assessment
                .into_iter()
                .map(|a| FunctionAssessmentDto {
                    area: a.area,
                    score: a.score,
                })
                .collect(),
        }
    }
}
impl From<GrantDto> for Grant {
    fn from(g: GrantDto) -> Self {
        Self {
            id: GrantId(g.id),
            citizen_id: CitizenId(g.citizen_id),
            granted_by: g.granted_by,
            legal_basis: g.legal_basis,
            valid_from: g.valid_from,
            valid_to: g.valid_to,
            hours: g
                .hours
                .into_iter()
                .map(|h| GrantedHours {
                    category: h.category,
                    hours_per_week: h.hours_per_week,
                })
                .collect(),
            function_assessment: g
                .function_assessment
                .into_iter()
                .map(|a| FunctionAssessment {
                    area: a.area,
                    score: a.score,
                })
                .collect(),
        }
    }
}

fn one() -> u8 {
    1
}

/// When a recurring visit happens.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecurrenceDto {
    #[schema(schema_with = weekdays_schema)]
    pub weekdays: Weekdays,
    /// 1 every week, 2 every other week, ...; counted from the week of `starts_on`.
    #[serde(default = "one")]
    pub every_nth_week: u8,
    #[schema(schema_with = date_schema)]
    pub starts_on: Date,
    #[serde(default)]
    #[schema(schema_with = date_schema)]
    pub ends_on: Option<Date>,
}

/// A visit in the base plan that recurs.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecurringVisitDto {
    pub id: String,
    pub citizen_id: String,
    pub recurrence: RecurrenceDto,
    /// Earliest start.
    #[schema(schema_with = time_schema)]
    pub window_start: Time,
    /// Latest start.
    #[schema(schema_with = time_schema)]
    pub window_end: Time,
    #[serde(default)]
    pub fixed_time: bool,
    #[serde(default)]
    pub fixed_time_reason: Option<String>,
    pub duration_minutes: u32,
    #[schema(schema_with = qualification_schema)]
    pub required_qualification: Qualification,
    /// 1, or 2 for a two-person visit.
    #[serde(default = "one")]
    pub staff_count: u8,
    pub tasks: String,
    #[serde(default)]
    pub grant_id: Option<String>,
}

impl From<RecurringVisit> for RecurringVisitDto {
    fn from(r: RecurringVisit) -> Self {
        Self {
            id: r.id.0,
            citizen_id: r.citizen_id.0,
            recurrence: RecurrenceDto {
                weekdays: r.recurrence.weekdays,
                every_nth_week: r.recurrence.every_nth_week,
                starts_on: r.recurrence.starts_on,
                ends_on: r.recurrence.ends_on,
            },
            window_start: r.window_start,
            window_end: r.window_end,
            fixed_time: r.fixed_time,
            fixed_time_reason: r.fixed_time_reason,
            duration_minutes: r.duration_minutes,
            required_qualification: r.required_qualification,
            staff_count: r.staff_count,
            tasks: r.tasks,
            grant_id: r.grant_id.map(|g| g.0),
        }
    }
}
impl From<RecurringVisitDto> for RecurringVisit {
    fn from(r: RecurringVisitDto) -> Self {
        Self {
            id: RecurringVisitId(r.id),
            citizen_id: CitizenId(r.citizen_id),
            recurrence: Recurrence {
                weekdays: r.recurrence.weekdays,
                every_nth_week: r.recurrence.every_nth_week,
                starts_on: r.recurrence.starts_on,
                ends_on: r.recurrence.ends_on,
            },
            window_start: r.window_start,
            window_end: r.window_end,
            fixed_time: r.fixed_time,
            fixed_time_reason: r.fixed_time_reason,
            duration_minutes: r.duration_minutes,
            required_qualification: r.required_qualification,
            staff_count: r.staff_count,
            tasks: r.tasks,
            grant_id: r.grant_id.map(GrantId),
        }
    }
}

/// A visit on a date.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VisitDto {
    pub id: String,
    pub citizen_id: String,
    #[serde(default)]
    pub recurring_visit_id: Option<String>,
    #[schema(schema_with = date_schema)]
    pub date: Date,
    #[schema(schema_with = time_schema)]
    pub window_start: Time,
    #[schema(schema_with = time_schema)]
    pub window_end: Time,
    #[serde(default)]
    pub fixed_time: bool,
    #[serde(default)]
    pub fixed_time_reason: Option<String>,
    pub duration_minutes: u32,
    #[schema(schema_with = qualification_schema)]
    pub required_qualification: Qualification,
    #[serde(default = "one")]
    pub staff_count: u8,
    pub tasks: String,
    #[serde(default)]
    pub grant_id: Option<String>,
    /// Who is planned to do it (one, or two for a two-person visit).
    #[serde(default)]
    pub planned_employees: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = timestamp_schema)]
    pub planned_start: Option<Timestamp>,
    #[schema(schema_with = visit_status_schema)]
    pub status: VisitStatus,
    #[serde(default)]
    pub cancel_reason: Option<String>,
}

impl From<Visit> for VisitDto {
    fn from(v: Visit) -> Self {
        Self {
            id: v.id.0,
            citizen_id: v.citizen_id.0,
            recurring_visit_id: v.recurring_visit_id.map(|r| r.0),
            date: v.date,
            window_start: v.window_start,
            window_end: v.window_end,
            fixed_time: v.fixed_time,
            fixed_time_reason: v.fixed_time_reason,
            duration_minutes: v.duration_minutes,
            required_qualification: v.required_qualification,
            staff_count: v.staff_count,
            tasks: v.tasks,
            grant_id: v.grant_id.map(|g| g.0),
            planned_employees: v.planned_employees.into_iter().map(|e| e.0).collect(),
            planned_start: v.planned_start,
            status: v.status,
            cancel_reason: v.cancel_reason,
        }
    }
}
impl From<VisitDto> for Visit {
    fn from(v: VisitDto) -> Self {
        Self {
            id: VisitId(v.id),
            citizen_id: CitizenId(v.citizen_id),
            recurring_visit_id: v.recurring_visit_id.map(RecurringVisitId),
            date: v.date,
            window_start: v.window_start,
            window_end: v.window_end,
            fixed_time: v.fixed_time,
            fixed_time_reason: v.fixed_time_reason,
            duration_minutes: v.duration_minutes,
            required_qualification: v.required_qualification,
            staff_count: v.staff_count,
            tasks: v.tasks,
            grant_id: v.grant_id.map(GrantId),
            planned_employees: v.planned_employees.into_iter().map(EmployeeId).collect(),
            planned_start: v.planned_start,
            status: v.status,
            cancel_reason: v.cancel_reason,
        }
    }
}

/// A shift on a civil date; an `end` not after `start` ends the next day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ShiftDto {
    pub id: String,
    pub employee_id: String,
    #[schema(schema_with = date_schema)]
    pub date: Date,
    #[schema(schema_with = time_schema)]
    pub start: Time,
    #[schema(schema_with = time_schema)]
    pub end: Time,
    /// The team's base when null.
    #[serde(default)]
    pub start_location: Option<GeoPointDto>,
    #[serde(default)]
    pub end_location: Option<GeoPointDto>,
}

impl From<Shift> for ShiftDto {
    fn from(s: Shift) -> Self {
        Self {
            id: s.id.0,
            employee_id: s.employee_id.0,
            date: s.date,
            start: s.start,
            end: s.end,
            start_location: s.start_location.map(Into::into),
            end_location: s.end_location.map(Into::into),
        }
    }
}
impl From<ShiftDto> for Shift {
    fn from(s: ShiftDto) -> Self {
        Self {
            id: ShiftId(s.id),
            employee_id: EmployeeId(s.employee_id),
            date: s.date,
            start: s.start,
            end: s.end,
            start_location: s.start_location.map(Into::into),
            end_location: s.end_location.map(Into::into),
        }
    }
}

/// An absence over whole days, both ends included.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AbsenceDto {
    pub id: String,
    pub employee_id: String,
    #[schema(schema_with = date_schema)]
    pub from: Date,
    #[schema(schema_with = date_schema)]
    pub to: Date,
    #[schema(schema_with = absence_kind_schema)]
    pub kind: AbsenceKind,
}

impl From<Absence> for AbsenceDto {
    fn from(a: Absence) -> Self {
        Self {
            id: a.id.0,
            employee_id: a.employee_id.0,
            from: a.from,
            to: a.to,
            kind: a.kind,
        }
    }
}
impl From<AbsenceDto> for Absence {
    fn from(a: AbsenceDto) -> Self {
        Self {
            id: AbsenceId(a.id),
            employee_id: EmployeeId(a.employee_id),
            from: a.from,
            to: a.to,
            kind: a.kind,
        }
    }
}

/// The logged-in user.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserDto {
    pub username: String,
    pub display_name: String,
    pub role: String,
    /// The staff member this log-in belongs to, if any.
    pub employee_id: Option<String>,
}

impl From<nabo_store::User> for UserDto {
    fn from(u: nabo_store::User) -> Self {
        Self {
            username: u.username,
            display_name: u.display_name,
            role: u.role,
            employee_id: u.employee_id.map(|e| e.0),
        }
    }
}

/// Credentials for `POST /api/v1/session`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

//! `/api/v1`: everything the pages read or write, as JSON. Routes are registered
//! through utoipa-axum's [`OpenApiRouter`], which takes each route's path and method
//! from its `#[utoipa::path]`, so the router and the OpenAPI document come from the
//! same attribute and cannot drift apart.

pub mod dto;

use crate::auth::{self, CurrentUser};
use crate::error::{AppError, ErrorBody, FieldErrorDto};
use crate::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{middleware, Extension, Json};
use dto::*;
use jiff::civil::Date;
use jiff::ToSpan;
use nabo_domain::{
    Absence, AbsenceId, Citizen, CitizenId, Employee, EmployeeId, FieldError, Shift, TeamId,
    Validate, Visit,
};
use nabo_store::VisitFilter;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Longest date range one list request may span.
const MAX_RANGE_DAYS: i64 = 92;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Nabo API",
        description = "Teams, citizens, staff, grants, the base plan, visits, shifts and \
            absences of self-managing home-care teams. Log in with POST /api/v1/session; \
            the session cookie it sets authenticates every other call.",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(ErrorBody, FieldErrorDto)),
    modifiers(&SessionCookie),
    security(("session" = [])),
    tags(
        (name = "session", description = "Log-in and log-out"),
        (name = "teams", description = "Teams and who belongs to them"),
        (name = "citizens", description = "Citizens, their grants and base plan"),
        (name = "staff", description = "Employees, shifts and absences"),
        (name = "visits", description = "Dated visits"),
    )
)]
struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(auth::SESSION_COOKIE))),
        );
    }
}

/// All API routes with their documentation.
pub fn routes(state: &AppState) -> OpenApiRouter<AppState> {
    let protected = OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(list_teams))
        .routes(routes!(get_team))
        .routes(routes!(team_citizens))
        .routes(routes!(team_employees))
        .routes(routes!(get_citizen, put_citizen))
        .routes(routes!(citizen_grants))
        .routes(routes!(citizen_recurring_visits))
        .routes(routes!(get_employee, put_employee))
        .routes(routes!(list_visits))
        .routes(routes!(put_visit))
        .routes(routes!(list_shifts))
        .routes(routes!(put_shift))
        .routes(routes!(list_absences))
        .routes(routes!(put_absence, delete_absence))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_api_session,
        ));
    let public = OpenApiRouter::new()
        .routes(routes!(create_session, delete_session))
        .routes(routes!(openapi_json));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(protected)
        .merge(public)
}

/// `Json` whose rejections are 422s in the API's error format.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(json_rejection(e)),
        }
    }
}

fn json_rejection(e: JsonRejection) -> AppError {
    AppError::invalid("body", e.body_text())
}

/// `Query` whose rejections are 422s in the API's error format.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(query_rejection(e)),
        }
    }
}

fn query_rejection(e: QueryRejection) -> AppError {
    AppError::invalid("query", e.body_text())
}

/// 422 unless the value is valid by the domain's rules and its id matches the URL's.
fn validated<T: Validate>(value: &T, url_id: &str, body_id: &str) -> Result<(), AppError> {
    let mut errors = value.validate();
    if url_id != body_id {
        errors.insert(
            0,
            FieldError::new(
                "id",
                format!("is '{body_id}' but the URL names '{url_id}'; they must be the same"),
            ),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

// ---------------------------------------------------------------- session

/// Log in; sets the session cookie.
#[utoipa::path(
    post,
    path = "/api/v1/session",
    tag = "session",
    security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; the `nabo_session` cookie is set", body = UserDto),
        (status = 401, description = "Unknown user or wrong password", body = ErrorBody),
        (status = 422, description = "Malformed body", body = ErrorBody),
    )
)]
async fn create_session(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    match auth::log_in(&state, &body.username, &body.password).await? {
        Some((user, token)) => Ok((
            [(header::SET_COOKIE, auth::session_cookie(&state, &token))],
            Json(UserDto::from(user)),
        )
            .into_response()),
        None => Err(AppError::Unauthorized),
    }
}

/// Log out; ends the session and clears the cookie.
#[utoipa::path(
    delete,
    path = "/api/v1/session",
    tag = "session",
    responses((status = 204, description = "Logged out (also when there was no session)"))
)]
async fn delete_session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    auth::log_out(&state, &headers).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, auth::clear_cookie(&state))],
    )
        .into_response())
}

/// Who is logged in.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "session",
    responses(
        (status = 200, body = UserDto),
        (status = 401, description = "No session", body = ErrorBody),
    )
)]
async fn me(Extension(CurrentUser(user)): Extension<CurrentUser>) -> Json<UserDto> {
    Json(user.into())
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "session",
    security(()),
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json"))
)]
async fn openapi_json(
    Extension(doc): Extension<Arc<utoipa::openapi::OpenApi>>,
) -> Result<Response, AppError> {
    let json = doc
        .to_json()
        .map_err(|e| AppError::Internal(format!("openapi document: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

// ---------------------------------------------------------------- teams

/// Every team with its district and head counts.
#[utoipa::path(
    get,
    path = "/api/v1/teams",
    tag = "teams",
    responses((status = 200, body = Vec<TeamSummaryDto>))
)]
async fn list_teams(State(state): State<AppState>) -> Result<Json<Vec<TeamSummaryDto>>, AppError> {
    Ok(Json(team_summaries(&state).await?))
}

pub(crate) async fn team_summaries(state: &AppState) -> Result<Vec<TeamSummaryDto>, AppError> {
    let districts: HashMap<String, String> = state
        .store
        .districts()
        .await?
        .into_iter()
        .map(|d| (d.id.0, d.name))
        .collect();
    Ok(state
        .store
        .team_summaries()
        .await?
        .into_iter()
        .map(|s| TeamSummaryDto {
            district_name: districts.get(s.team.district_id.as_str()).cloned(),
            team: s.team.into(),
            citizen_count: s.citizen_count,
            employee_count: s.employee_count,
        })
        .collect())
}

async fn find_team(state: &AppState, id: &str) -> Result<nabo_domain::Team, AppError> {
    state
        .store
        .team(&TeamId::new(id))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no team with id '{id}'")))
}

/// One team.
#[utoipa::path(
    get,
    path = "/api/v1/teams/{id}",
    tag = "teams",
    params(("id" = String, Path, description = "Team id")),
    responses((status = 200, body = TeamDto), (status = 404, body = ErrorBody))
)]
async fn get_team(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<TeamDto>, AppError> {
    Ok(Json(find_team(&state, &id).await?.into()))
}

/// The team's citizens, by name.
#[utoipa::path(
    get,
    path = "/api/v1/teams/{id}/citizens",
    tag = "teams",
    params(("id" = String, Path, description = "Team id")),
    responses((status = 200, body = Vec<CitizenDto>), (status = 404, body = ErrorBody))
)]
async fn team_citizens(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<CitizenDto>>, AppError> {
    let team = find_team(&state, &id).await?;
    let citizens = state.store.citizens(Some(&team.id)).await?;
    Ok(Json(citizens.into_iter().map(Into::into).collect()))
}

/// The team's staff, by name.
#[utoipa::path(
    get,
    path = "/api/v1/teams/{id}/employees",
    tag = "teams",
    params(("id" = String, Path, description = "Team id")),
    responses((status = 200, body = Vec<EmployeeDto>), (status = 404, body = ErrorBody))
)]
async fn team_employees(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<EmployeeDto>>, AppError> {
    let team = find_team(&state, &id).await?;
    let employees = state.store.employees(Some(&team.id)).await?;
    Ok(Json(employees.into_iter().map(Into::into).collect()))
}

// ---------------------------------------------------------------- citizens

async fn find_citizen(state: &AppState, id: &str) -> Result<Citizen, AppError> {
    state
        .store
        .citizen(&CitizenId::new(id))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no citizen with id '{id}'")))
}

/// One citizen.
#[utoipa::path(
    get,
    path = "/api/v1/citizens/{id}",
    tag = "citizens",
    params(("id" = String, Path, description = "Citizen id")),
    responses((status = 200, body = CitizenDto), (status = 404, body = ErrorBody))
)]
async fn get_citizen(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CitizenDto>, AppError> {
    Ok(Json(find_citizen(&state, &id).await?.into()))
}

/// Create or replace a citizen. Nothing is stored unless every field is valid.
#[utoipa::path(
    put,
    path = "/api/v1/citizens/{id}",
    tag = "citizens",
    params(("id" = String, Path, description = "Citizen id; must equal the body's id")),
    request_body = CitizenDto,
    responses(
        (status = 200, description = "Stored", body = CitizenDto),
        (status = 422, description = "Invalid fields; nothing stored", body = ErrorBody),
    )
)]
async fn put_citizen(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CitizenDto>,
) -> Result<Json<CitizenDto>, AppError> {
    let citizen = Citizen::from(body);
    validated(&citizen, &id, citizen.id.as_str())?;
    state.store.upsert_citizen(&citizen).await?;
    Ok(Json(find_citizen(&state, &id).await?.into()))
}

/// The citizen's grants.
#[utoipa::path(
    get,
    path = "/api/v1/citizens/{id}/grants",
    tag = "citizens",
    params(("id" = String, Path, description = "Citizen id")),
    responses((status = 200, body = Vec<GrantDto>), (status = 404, body = ErrorBody))
)]
async fn citizen_grants(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<GrantDto>>, AppError> {
    let citizen = find_citizen(&state, &id).await?;
    let grants = state.store.grants(&citizen.id).await?;
    Ok(Json(grants.into_iter().map(Into::into).collect()))
}

/// The citizen's base plan: the visits that recur.
#[utoipa::path(
    get,
    path = "/api/v1/citizens/{id}/recurring-visits",
    tag = "citizens",
    params(("id" = String, Path, description = "Citizen id")),
    responses((status = 200, body = Vec<RecurringVisitDto>), (status = 404, body = ErrorBody))
)]
async fn citizen_recurring_visits(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<RecurringVisitDto>>, AppError> {
    let citizen = find_citizen(&state, &id).await?;
    let visits = state.store.recurring_visits(&citizen.id).await?;
    Ok(Json(visits.into_iter().map(Into::into).collect()))
}

// ---------------------------------------------------------------- employees

async fn find_employee(state: &AppState, id: &str) -> Result<Employee, AppError> {
    state
        .store
        .employee(&EmployeeId::new(id))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no employee with id '{id}'")))
}

/// One employee.
#[utoipa::path(
    get,
    path = "/api/v1/employees/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "Employee id")),
    responses((status = 200, body = EmployeeDto), (status = 404, body = ErrorBody))
)]
async fn get_employee(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EmployeeDto>, AppError> {
    Ok(Json(find_employee(&state, &id).await?.into()))
}

/// Create or replace an employee. Nothing is stored unless every field is valid.
#[utoipa::path(
    put,
    path = "/api/v1/employees/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "Employee id; must equal the body's id")),
    request_body = EmployeeDto,
    responses(
        (status = 200, description = "Stored", body = EmployeeDto),
        (status = 422, description = "Invalid fields; nothing stored", body = ErrorBody),
    )
)]
async fn put_employee(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EmployeeDto>,
) -> Result<Json<EmployeeDto>, AppError> {
    let employee = Employee::from(body);
    validated(&employee, &id, employee.id.as_str())?;
    state.store.upsert_employee(&employee).await?;
    Ok(Json(find_employee(&state, &id).await?.into()))
}

// ---------------------------------------------------------------- dated lists

/// A date range, `from` and `to` both included. Defaults: today and a week on.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// Only this team's people.
    team: Option<String>,
    /// First day (YYYY-MM-DD); today in Denmark when absent.
    #[param(value_type = Option<String>, format = Date)]
    from: Option<Date>,
    /// Last day, included; `from` + 6 days when absent. At most 92 days after `from`.
    #[param(value_type = Option<String>, format = Date)]
    to: Option<Date>,
}

/// Which visits to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitQuery {
    /// Only visits to this team's citizens.
    team: Option<String>,
    /// Only this citizen's visits.
    citizen: Option<String>,
    /// Only visits planned for this employee.
    employee: Option<String>,
    /// First day (YYYY-MM-DD); today in Denmark when absent.
    #[param(value_type = Option<String>, format = Date)]
    from: Option<Date>,
    /// Last day, included; `from` + 6 days when absent. At most 92 days after `from`.
    #[param(value_type = Option<String>, format = Date)]
    to: Option<Date>,
}

fn range(from: Option<Date>, to: Option<Date>) -> Result<(Date, Date), AppError> {
    let from = from.unwrap_or_else(crate::view::today);
    let to = match to {
        Some(to) => to,
        None => from
            .checked_add(6.days())
            .map_err(|e| AppError::invalid("from", e.to_string()))?,
    };
    if to < from {
        return Err(AppError::invalid("to", "must not be before from"));
    }
    let days = from
        .until(to)
        .map(|s| i64::from(s.get_days()))
        .unwrap_or(i64::MAX);
    if days > MAX_RANGE_DAYS {
        return Err(AppError::invalid(
            "to",
            format!("the range may span at most {MAX_RANGE_DAYS} days; ask in pieces"),
        ));
    }
    Ok((from, to))
}

/// Visits in a date range, by date and window.
#[utoipa::path(
    get,
    path = "/api/v1/visits",
    tag = "visits",
    params(VisitQuery),
    responses((status = 200, body = Vec<VisitDto>), (status = 422, body = ErrorBody))
)]
async fn list_visits(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<VisitQuery>,
) -> Result<Json<Vec<VisitDto>>, AppError> {
    let (from, to) = range(q.from, q.to)?;
    let filter = VisitFilter {
        team: q.team.map(TeamId::new),
        citizen: q.citizen.map(CitizenId::new),
        employee: q.employee.map(EmployeeId::new),
        from,
        to,
    };
    let visits = state.store.visits(&filter).await?;
    Ok(Json(visits.into_iter().map(Into::into).collect()))
}

/// Create or replace a visit (plan it, move it, mark it done or cancelled).
#[utoipa::path(
    put,
    path = "/api/v1/visits/{id}",
    tag = "visits",
    params(("id" = String, Path, description = "Visit id; must equal the body's id")),
    request_body = VisitDto,
    responses(
        (status = 200, description = "Stored", body = VisitDto),
        (status = 422, description = "Invalid fields; nothing stored", body = ErrorBody),
    )
)]
async fn put_visit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VisitDto>,
) -> Result<Json<VisitDto>, AppError> {
    let visit = Visit::from(body);
    validated(&visit, &id, visit.id.as_str())?;
    state.store.upsert_visit(&visit).await?;
    Ok(Json(visit.into()))
}

/// Shifts in a date range.
#[utoipa::path(
    get,
    path = "/api/v1/shifts",
    tag = "staff",
    params(RangeQuery),
    responses((status = 200, body = Vec<ShiftDto>), (status = 422, body = ErrorBody))
)]
async fn list_shifts(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<RangeQuery>,
) -> Result<Json<Vec<ShiftDto>>, AppError> {
    let (from, to) = range(q.from, q.to)?;
    let team = q.team.map(TeamId::new);
    let shifts = state.store.shifts(team.as_ref(), from, to).await?;
    Ok(Json(shifts.into_iter().map(Into::into).collect()))
}

/// Create or replace a shift.
#[utoipa::path(
    put,
    path = "/api/v1/shifts/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "Shift id; must equal the body's id")),
    request_body = ShiftDto,
    responses(
        (status = 200, description = "Stored", body = ShiftDto),
        (status = 422, description = "Invalid fields; nothing stored", body = ErrorBody),
    )
)]
async fn put_shift(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ShiftDto>,
) -> Result<Json<ShiftDto>, AppError> {
    let shift = Shift::from(body);
    validated(&shift, &id, shift.id.as_str())?;
    state.store.upsert_shift(&shift).await?;
    Ok(Json(shift.into()))
}

/// Absences overlapping a date range.
#[utoipa::path(
    get,
    path = "/api/v1/absences",
    tag = "staff",
    params(RangeQuery),
    responses((status = 200, body = Vec<AbsenceDto>), (status = 422, body = ErrorBody))
)]
async fn list_absences(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<RangeQuery>,
) -> Result<Json<Vec<AbsenceDto>>, AppError> {
    let (from, to) = range(q.from, q.to)?;
    let team = q.team.map(TeamId::new);
    let absences = state.store.absences(team.as_ref(), from, to).await?;
    Ok(Json(absences.into_iter().map(Into::into).collect()))
}

/// Create or replace an absence (report someone sick, book a holiday).
#[utoipa::path(
    put,
    path = "/api/v1/absences/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "Absence id; must equal the body's id")),
    request_body = AbsenceDto,
    responses(
        (status = 200, description = "Stored", body = AbsenceDto),
        (status = 422, description = "Invalid fields; nothing stored", body = ErrorBody),
    )
)]
async fn put_absence(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AbsenceDto>,
) -> Result<Json<AbsenceDto>, AppError> {
    let absence = Absence::from(body);
    validated(&absence, &id, absence.id.as_str())?;
    state.store.upsert_absence(&absence).await?;
    Ok(Json(absence.into()))
}

/// Remove an absence.
#[utoipa::path(
    delete,
    path = "/api/v1/absences/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "Absence id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody))
)]
async fn delete_absence(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if state.store.delete_absence(&AbsenceId::new(&id)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound(format!("no absence with id '{id}'")))
    }
}

#[cfg(test)]
mod tests {
    /// Routes added with plain axum calls would be served but missing from the
    /// document. Only `routes!` (which reads `#[utoipa::path]`) may add API routes.
    #[test]
    fn api_routes_are_only_registered_together_with_their_documentation() {
        let api = include_str!("mod.rs");
        let api = api.split("#[cfg(test)]").next().unwrap_or(api);
        for bypass in [".route(", ".route_service(", ".nest(", ".nest_service("] {
            assert!(
                !api.contains(bypass),
                "api/mod.rs adds a route with {bypass}"
            );
        }
        let documented = api.matches("#[utoipa::path(").count();
        let registered: usize = api
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix(".routes(routes!("))
            .map(|handlers| handlers.matches(',').count() + 1)
            .sum();
        assert_eq!(documented, registered, "a documented handler is not routed");
        let app = include_str!("../lib.rs");
        assert!(
            !app.contains(".route(\"/api"),
            "lib.rs adds an API route outside the documented router"
        );
    }
}

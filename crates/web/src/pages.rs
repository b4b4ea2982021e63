//! Server-rendered pages for care staff. Plain HTML forms and links: every page works
//! without JavaScript, reads on a phone, and speaks Danish.

use crate::api::dto::TeamSummaryDto;
use crate::auth::{self, CurrentUser};
use crate::error::AppError;
use crate::view;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{middleware, Extension, Form, Router};
use jiff::civil::Date;
use jiff::ToSpan;
use nabo_domain::{
    Absence, Citizen, CitizenId, Employee, EmployeeId, Qualification, Shift, TeamId, Visit,
    VisitStatus,
};
use nabo_store::VisitFilter;
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes(state: &AppState) -> Router<AppState> {
    let protected = Router::new()
        .route("/", get(teams_page))
        .route("/teams/{id}", get(team_page))
        .route("/citizens/{id}", get(citizen_page))
        .route("/employees/{id}", get(employee_page))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_page_session,
        ));
    Router::new()
        .merge(protected)
        .route("/login", get(login_form).post(login_submit))
        .route("/logout", post(logout))
}

/// What the frame around every page needs.
pub struct Layout {
    pub css: String,
    pub js: String,
    pub icon: String,
    /// The logged-in user's display name; no menu when absent.
    pub user: Option<String>,
}

impl Layout {
    fn new(user: Option<&CurrentUser>) -> Self {
        Self {
            css: crate::assets::url("nabo.css"),
            js: crate::assets::url("nabo.js"),
            icon: crate::assets::url("nabo.svg"),
            user: user.map(|u| u.0.display_name.clone()),
        }
    }
}

fn render(t: &impl Template) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

// ---------------------------------------------------------------- errors

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    layout: Layout,
    status: u16,
    heading: &'static str,
    text: &'static str,
}

impl ErrorPage {
    pub fn for_status(status: StatusCode) -> Self {
        let (heading, text) = match status {
            StatusCode::NOT_FOUND => (
                "Siden blev ikke fundet",
                "Adressen er måske skrevet forkert, eller det, du leder efter, er slettet.",
            ),
            StatusCode::FORBIDDEN => (
                "Handlingen blev afvist",
                "Formularen kom ikke fra Nabo selv. Gå tilbage, genindlæs siden og prøv igen.",
            ),
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => (
                "Forespørgslen kunne ikke forstås",
                "Gå tilbage og prøv igen.",
            ),
            _ => (
                "Der opstod en fejl",
                "Prøv igen om lidt. Fortsætter fejlen, så kontakt din systemansvarlige.",
            ),
        };
        Self {
            layout: Layout::new(None),
            status: status.as_u16(),
            heading,
            text,
        }
    }
}

// ---------------------------------------------------------------- log-in

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    /// (field id, message) for the error summary and the fields.
    errors: Vec<(&'static str, &'static str)>,
}

impl LoginPage {
    fn error_for(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| *m)
    }
}

#[derive(Deserialize, Default)]
struct LoginQuery {
    #[serde(default)]
    next: String,
}

/// Only paths on this site may be returned to, never `//evil.example`; and only
/// printable ASCII, so the value is always a valid `Location` header.
fn safe_next(next: &str) -> String {
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.bytes().all(|b| b.is_ascii_graphic())
    {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    if auth::session_user(&state, &headers).await?.is_some() {
        return Ok(Redirect::to(&safe_next(&q.next)).into_response());
    }
    render(&LoginPage {
        layout: Layout::new(None),
        username: String::new(),
        next: safe_next(&q.next),
        errors: vec![],
    })
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn login_submit(
    State(state): State<AppState>,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(&form.next);
    let mut errors = vec![];
    if form.username.trim().is_empty() {
        errors.push(("username", "Skriv dit brugernavn"));
    }
    if form.password.is_empty() {
        errors.push(("password", "Skriv din adgangskode"));
    }
    let status = if !errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        match auth::log_in(&state, &form.username, &form.password).await? {
            Some((_, token)) => {
                return Ok((
                    [(header::SET_COOKIE, auth::session_cookie(&state, &token))],
                    Redirect::to(&next),
                )
                    .into_response());
            }
            None => {
                errors.push(("username", "Brugernavn eller adgangskode er forkert"));
                StatusCode::UNAUTHORIZED
            }
        }
    };
    let page = LoginPage {
        layout: Layout::new(None),
        username: form.username,
        next,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    auth::log_out(&state, &headers).await?;
    Ok((
        [(header::SET_COOKIE, auth::clear_cookie(&state))],
        Redirect::to("/login"),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn a_search_matches_every_word_anywhere() {
        use super::matches;
        assert!(matches("karen skole", &["Karen Madsen", "Skolegade 4"]));
        assert!(matches("", &["anything"]));
        assert!(!matches("karen vester", &["Karen Madsen", "Skolegade 4"]));
        assert!(matches("ÆBLE", &["Æblevej 1"]));
    }

    #[test]
    fn log_in_only_returns_to_pages_on_this_site() {
        assert_eq!(safe_next("/citizens/c1?x=1"), "/citizens/c1?x=1");
        assert_eq!(safe_next("//evil.example/"), "/");
        assert_eq!(safe_next("/\\evil.example/"), "/");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("/a\r\nSet-Cookie: x"), "/");
        assert_eq!(safe_next(""), "/");
    }
}

// ---------------------------------------------------------------- teams

#[derive(Template)]
#[template(path = "teams.html")]
struct TeamsPage {
    layout: Layout,
    today: String,
    teams: Vec<TeamSummaryDto>,
}

async fn teams_page(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Response, AppError> {
    render(&TeamsPage {
        layout: Layout::new(Some(&user)),
        today: view::date_full(view::today()),
        teams: crate::api::team_summaries(&state).await?,
    })
}

struct CitizenRow {
    id: String,
    name: String,
    address: String,
    visits_today: usize,
}

struct StaffRow {
    id: String,
    name: String,
    profession: &'static str,
    profession_short: &'static str,
    contract_hours: String,
    /// "07:00–15:00", "Syg", or empty when off.
    today: String,
    away: bool,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    layout: Layout,
    id: String,
    name: String,
    /// The search text, empty when showing everyone.
    q: String,
    district: String,
    today: String,
    visits_today: usize,
    unplanned_today: usize,
    on_shift: usize,
    absent: usize,
    citizens: Vec<CitizenRow>,
    staff: Vec<StaffRow>,
}

fn shift_text(s: &Shift) -> String {
    format!("{}–{}", view::time_hm(s.start), view::time_hm(s.end))
}

#[derive(Deserialize, Default)]
struct TeamQuery {
    #[serde(default)]
    q: String,
}

/// Whether every word of the search occurs in one of the texts (case-insensitive).
fn matches(query: &str, texts: &[&str]) -> bool {
    let haystack = texts.join(" ").to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

async fn team_page(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(query): Query<TeamQuery>,
) -> Result<Response, AppError> {
    let q = query.q.trim().to_owned();
    let store = &state.store;
    let team = store
        .team(&TeamId::new(&id))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no team with id '{id}'")))?;
    let today = view::today();
    let district = store
        .districts()
        .await?
        .into_iter()
        .find(|d| d.id == team.district_id)
        .map(|d| d.name)
        .unwrap_or_default();
    let citizens = store.citizens(Some(&team.id)).await?;
    let employees = store.employees(Some(&team.id)).await?;
    let shifts = store.shifts(Some(&team.id), today, today).await?;
    let absences = store.absences(Some(&team.id), today, today).await?;
    let visits = store
        .visits(&VisitFilter {
            team: Some(team.id.clone()),
            citizen: None,
            employee: None,
            from: today,
            to: today,
        })
        .await?;

    let mut per_citizen: HashMap<&CitizenId, usize> = HashMap::new();
    for v in visits.iter().filter(|v| v.status != VisitStatus::Cancelled) {
        *per_citizen.entry(&v.citizen_id).or_default() += 1;
    }
    let staff: Vec<StaffRow> = employees
        .iter()
        .map(|e| {
            let absence = absences.iter().find(|a| a.employee_id == e.id);
            let shift = shifts.iter().find(|s| s.employee_id == e.id);
            let (today, away) = match (absence, shift) {
                (Some(a), _) => (a.kind.label_da().to_owned(), true),
                (None, Some(s)) => (shift_text(s), false),
                (None, None) => (String::new(), false),
            };
            StaffRow {
                id: e.id.0.clone(),
                name: e.name.clone(),
                profession: e.profession.label_da(),
                profession_short: e.profession.abbreviation(),
                contract_hours: view::hours(e.contract_hours),
                today,
                away,
            }
        })
        .collect();
    let active: Vec<&Visit> = visits
        .iter()
        .filter(|v| v.status != VisitStatus::Cancelled)
        .collect();
    let page = TeamPage {
        layout: Layout::new(Some(&user)),
        id: team.id.0.clone(),
        name: team.name.clone(),
        district,
        today: view::date_full(today),
        visits_today: active.len(),
        unplanned_today: active
            .iter()
            .filter(|v| v.planned_employees.len() < usize::from(v.staff_count))
            .count(),
        on_shift: staff
            .iter()
            .filter(|s| !s.away && !s.today.is_empty())
            .count(),
        absent: staff.iter().filter(|s| s.away).count(),
        citizens: citizens
            .iter()
            .map(|c| CitizenRow {
                id: c.id.0.clone(),
                name: c.name.clone(),
                address: c.address.clone(),
                visits_today: per_citizen.get(&c.id).copied().unwrap_or(0),
            })
            .collect(),
        staff: staff
            .into_iter()
            .filter(|s| matches(&q, &[&s.name, s.profession, s.profession_short]))
            .collect(),
        q,
    };
    render(&page)
}

// ---------------------------------------------------------------- citizens

struct PersonLink {
    id: String,
    name: String,
}

struct GrantView {
    legal_basis: &'static str,
    granted_by: String,
    period: String,
    current: bool,
    hours: Vec<(&'static str, String)>,
    total_hours: String,
    assessment: Vec<(String, u8, &'static str)>,
}

struct PlanView {
    tasks: String,
    days: String,
    window: String,
    fixed: Option<String>,
    duration: String,
    qualification: &'static str,
    two_person: bool,
    grant: Option<&'static str>,
    period: Option<String>,
}

struct VisitView {
    time: String,
    tasks: String,
    duration: String,
    staff: Vec<PersonLink>,
    missing_staff: usize,
    status: &'static str,
    status_class: &'static str,
    fixed: Option<String>,
    two_person: bool,
    cancel_reason: Option<String>,
}

struct DayView {
    date: String,
    is_today: bool,
    visits: Vec<VisitView>,
}

#[derive(Template)]
#[template(path = "citizen.html")]
struct CitizenPage {
    layout: Layout,
    citizen: Citizen,
    team_id: String,
    team_name: String,
    preferred: Vec<PersonLink>,
    refused: Vec<PersonLink>,
    grants: Vec<GrantView>,
    plan: Vec<PlanView>,
    days: Vec<DayView>,
    week_label: String,
}

fn window_text(start: jiff::civil::Time, end: jiff::civil::Time) -> String {
    if start == end {
        view::time_hm(start)
    } else {
        format!("{}–{}", view::time_hm(start), view::time_hm(end))
    }
}

fn qualification_text(q: Qualification) -> &'static str {
    q.label_da()
}

fn period_text(from: Date, to: Option<Date>) -> String {
    match to {
        Some(to) => format!("{} – {}", view::date_short(from), view::date_short(to)),
        None => format!("Fra {}", view::date_short(from)),
    }
}

/// Names of all staff, for showing ids as people.
async fn staff_names(state: &AppState) -> Result<HashMap<EmployeeId, String>, AppError> {
    Ok(state
        .store
        .employees(None)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect())
}

fn person(names: &HashMap<EmployeeId, String>, id: &EmployeeId) -> PersonLink {
    PersonLink {
        id: id.0.clone(),
        name: names.get(id).cloned().unwrap_or_else(|| id.0.clone()),
    }
}

fn visit_view(v: &Visit, names: &HashMap<EmployeeId, String>) -> VisitView {
    let time = match v.planned_start {
        Some(at) if v.status != VisitStatus::Cancelled => {
            let civil = nabo_domain::time::civil(at).time();
            format!(
                "{} (vindue {})",
                view::time_hm(civil),
                window_text(v.window_start, v.window_end)
            )
        }
        _ => window_text(v.window_start, v.window_end),
    };
    VisitView {
        time,
        tasks: v.tasks.clone(),
        duration: view::minutes(v.duration_minutes),
        staff: v
            .planned_employees
            .iter()
            .map(|e| person(names, e))
            .collect(),
        missing_staff: usize::from(v.staff_count).saturating_sub(v.planned_employees.len()),
        status: v.status.label_da(),
        status_class: match v.status {
            VisitStatus::Planned => "planned",
            VisitStatus::Started => "started",
            VisitStatus::Done => "done",
            VisitStatus::Cancelled => "cancelled",
        },
        fixed: v
            .fixed_time
            .then(|| v.fixed_time_reason.clone().unwrap_or_default()),
        two_person: v.staff_count >= 2,
        cancel_reason: v.cancel_reason.clone(),
    }
}

fn group_by_day(
    visits: &[Visit],
    from: Date,
    days: i32,
    names: &HashMap<EmployeeId, String>,
) -> Vec<DayView> {
    (0..days)
        .filter_map(|i| from.checked_add(i.days()).ok())
        .map(|date| DayView {
            date: view::capitalise(&view::date_long(date)),
            is_today: date == from,
            visits: visits
                .iter()
                .filter(|v| v.date == date)
                .map(|v| visit_view(v, names))
                .collect(),
        })
        .collect()
}

async fn citizen_page(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let store = &state.store;
    let citizen = store
        .citizen(&CitizenId::new(&id))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no citizen with id '{id}'")))?;
    let team_name = store
        .team(&citizen.team_id)
        .await?
        .map(|t| t.name)
        .unwrap_or_else(|| citizen.team_id.0.clone());
    let names = staff_names(&state).await?;
    let today = view::today();
    let grants = store.grants(&citizen.id).await?;
    let plan = store.recurring_visits(&citizen.id).await?;
    let last = today.checked_add(6.days()).unwrap_or(today);
    let visits = store
        .visits(&VisitFilter {
            team: None,
            citizen: Some(citizen.id.clone()),
            employee: None,
            from: today,
            to: last,
        })
        .await?;

    let grant_label: HashMap<&str, &'static str> = grants
        .iter()
        .map(|g| (g.id.as_str(), g.legal_basis.label()))
        .collect();
    let mut plan = plan;
    plan.sort_by_key(|r| (r.window_start, r.window_end));
    let plan = plan
        .iter()
        .map(|r| {
            let mut days = r.recurrence.weekdays.to_string();
            if r.recurrence.every_nth_week > 1 {
                days = format!("{days}, hver {}. uge", r.recurrence.every_nth_week);
            }
            PlanView {
                tasks: r.tasks.clone(),
                days: view::capitalise(&days),
                window: window_text(r.window_start, r.window_end),
                fixed: r
                    .fixed_time
                    .then(|| r.fixed_time_reason.clone().unwrap_or_default()),
                duration: view::minutes(r.duration_minutes),
                qualification: qualification_text(r.required_qualification),
                two_person: r.staff_count >= 2,
                grant: r
                    .grant_id
                    .as_ref()
                    .and_then(|g| grant_label.get(g.as_str()).copied()),
                period: (r.recurrence.ends_on.is_some() || r.recurrence.starts_on > today)
                    .then(|| period_text(r.recurrence.starts_on, r.recurrence.ends_on)),
            }
        })
        .collect();
    let grants = grants
        .iter()
        .map(|g| GrantView {
            legal_basis: g.legal_basis.label(),
            granted_by: g.granted_by.clone(),
            period: period_text(g.valid_from, g.valid_to),
            current: g.is_valid_on(today),
            hours: g
                .hours
                .iter()
                .map(|h| (h.category.label_da(), view::hours(h.hours_per_week)))
                .collect(),
            total_hours: view::hours(g.total_hours_per_week()),
            assessment: g
                .function_assessment
                .iter()
                .map(|a| (a.area.clone(), a.score, view::fsiii_label(a.score)))
                .collect(),
        })
        .collect();
    let page = CitizenPage {
        layout: Layout::new(Some(&user)),
        team_id: citizen.team_id.0.clone(),
        team_name,
        preferred: citizen
            .preferred_staff
            .iter()
            .map(|e| person(&names, e))
            .collect(),
        refused: citizen
            .refused_staff
            .iter()
            .map(|e| person(&names, e))
            .collect(),
        grants,
        plan,
        days: group_by_day(&visits, today, 7, &names),
        week_label: format!("{} – {}", view::date_short(today), view::date_short(last)),
        citizen,
    };
    render(&page)
}

// ---------------------------------------------------------------- employees

struct ShiftView {
    date: String,
    time: String,
    hours: String,
}

struct AbsenceView {
    kind: &'static str,
    period: String,
}

struct EmployeeVisitView {
    citizen: PersonLink,
    visit: VisitView,
}

struct EmployeeDay {
    date: String,
    visits: Vec<EmployeeVisitView>,
}

#[derive(Template)]
#[template(path = "employee.html")]
struct EmployeePage {
    layout: Layout,
    employee: Employee,
    profession: &'static str,
    extra: Vec<&'static str>,
    team_id: String,
    team_name: String,
    contract_hours: String,
    travel_mode: &'static str,
    shifts: Vec<ShiftView>,
    absences: Vec<AbsenceView>,
    days: Vec<EmployeeDay>,
}

async fn employee_page(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let store = &state.store;
    let employee = store
        .employee(&EmployeeId::new(&id))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no employee with id '{id}'")))?;
    let team = &employee.home_team;
    let team_name = store
        .team(team)
        .await?
        .map(|t| t.name)
        .unwrap_or_else(|| team.0.clone());
    let today = view::today();
    let two_weeks = today.checked_add(13.days()).unwrap_or(today);
    let week = today.checked_add(6.days()).unwrap_or(today);
    let horizon = today.checked_add(60.days()).unwrap_or(today);
    let shifts: Vec<Shift> = store
        .shifts(Some(team), today, two_weeks)
        .await?
        .into_iter()
        .filter(|s| s.employee_id == employee.id)
        .collect();
    let absences: Vec<Absence> = store
        .absences(Some(team), today, horizon)
        .await?
        .into_iter()
        .filter(|a| a.employee_id == employee.id)
        .collect();
    let visits = store
        .visits(&VisitFilter {
            team: None,
            citizen: None,
            employee: Some(employee.id.clone()),
            from: today,
            to: week,
        })
        .await?;
    let names = staff_names(&state).await?;
    let citizens: HashMap<CitizenId, String> = store
        .citizens(Some(team))
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    // The store orders visits by date, so each day's visits are consecutive.
    let mut days: Vec<EmployeeDay> = Vec::new();
    for v in &visits {
        let date = view::capitalise(&view::date_long(v.date));
        if days.last().is_none_or(|d| d.date != date) {
            days.push(EmployeeDay {
                date,
                visits: Vec::new(),
            });
        }
        if let Some(day) = days.last_mut() {
            day.visits.push(EmployeeVisitView {
                citizen: PersonLink {
                    id: v.citizen_id.0.clone(),
                    name: citizens
                        .get(&v.citizen_id)
                        .cloned()
                        .unwrap_or_else(|| v.citizen_id.0.clone()),
                },
                visit: visit_view(v, &names),
            });
        }
    }
    let page = EmployeePage {
        layout: Layout::new(Some(&user)),
        profession: employee.profession.label_da(),
        extra: employee
            .extra_qualifications
            .iter()
            .map(|q| q.label_da())
            .collect(),
        team_id: team.0.clone(),
        team_name,
        contract_hours: view::hours(employee.contract_hours),
        travel_mode: employee.travel_mode.label_da(),
        shifts: shifts
            .iter()
            .map(|s| ShiftView {
                date: view::capitalise(&view::date_long(s.date)),
                time: shift_text(s),
                hours: view::minutes(u32::try_from(s.minutes()).unwrap_or(0)),
            })
            .collect(),
        absences: absences
            .iter()
            .map(|a| AbsenceView {
                kind: a.kind.label_da(),
                period: if a.from == a.to {
                    view::date_short(a.from)
                } else {
                    format!("{} – {}", view::date_short(a.from), view::date_short(a.to))
                },
            })
            .collect(),
        days,
        employee,
    };
    render(&page)
}

//! One civil day of a district as a planning-engine [`Problem`], and the engine's
//! [`Plan`] back as visit assignments.
//!
//! [`day_problem`] reads the organisation data of one date (teams, staff, citizens, the
//! date's visits or the base plan expanded for it, shifts, absences, and who visited whom
//! in the last days) and builds the engine's model:
//!
//! - **Time** is minutes of real time since local midnight of the date in
//!   Europe/Copenhagen, computed through instants ([`nabo_domain::time`]), so the spring
//!   day has 23 hours and the autumn day 25 ([`DayProblem::horizon_minutes`]). A shift
//!   07:00–15:00 on the spring day starts at minute 360, not 420.
//! - **Locations** are the team bases (or a shift's own start/end places) and the
//!   citizens' homes; identical coordinates (a couple, a care centre shared by two
//!   teams) are one location.
//! - **Travel** comes from a provider, a precomputed matrix, or the offline great-circle
//!   model ([`offline_matrix`], [`crate::travel::Haversine`]). The engine has one travel matrix per problem, so one
//!   travel mode ([`DayConfig::matrix_mode`], the car by default) is used for everyone;
//!   staff who cycle or walk are listed in [`DayProblem::notes`].
//! - **Qualifications** become skills: a staff member has every skill whose visits the
//!   domain lets them do ([`Employee::can_do`]: the care ladder unskilled < care helper <
//!   care assistant < nurse, therapists apart), a visit requires its qualification.
//! - **Rules**: two-person visits, fixed-time visits within a tolerance, hard time
//!   windows, shifts of staff who are not absent, a mandatory break in the middle of long
//!   shifts, refused staff (hard), preferred staff, continuity and the team boundary
//!   (priced), started visits pinned to their staff and start.
//!
//! [`apply_plan`] maps a plan back: per visit the planned employees and start instant, or
//! the reason it is left out.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use nabo_domain::time::{instant, minutes_between};
use nabo_domain::{
    Absence, Citizen, CitizenId, Dataset, Employee, EmployeeId, GeoPoint, Qualification,
    RecurringVisit, Shift, ShiftId, Team, TeamId, TravelMode, Visit, VisitId, VisitStatus,
};
use nabo_engine::{
    BreakRule, CitizenIdx, FixedTime, LocIdx, Location, Matrix, Objective, Plan, Problem,
    ProblemData, ProblemError, SkillSet, Staff, StaffIdx, StopKind, TeamIdx, TimeWindow,
    UnassignedReason, VisitIdx, Weights, WindowAnchor, WindowKind,
};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use crate::travel::{Haversine, TravelMatrix};

/// The offline travel matrix between `points`: the planning crate's embedded
/// great-circle model ([`Haversine`]), computed synchronously.
pub fn offline_matrix(points: &[GeoPoint], mode: TravelMode) -> TravelMatrix {
    let n = points.len();
    let mut seconds = Vec::with_capacity(n * n);
    let mut metres = Vec::with_capacity(n * n);
    for a in points {
        for b in points {
            let leg = Haversine::leg(mode, *a, *b);
            seconds.push(leg.seconds);
            metres.push(leg.metres);
        }
    }
    TravelMatrix {
        rows: n,
        cols: n,
        seconds,
        metres,
    }
}

/// A travel-time source called with the day's locations ([`day_locations`]) and a mode.
pub type TravelProvider<'a> = &'a dyn Fn(&[GeoPoint], TravelMode) -> Result<TravelMatrix, String>;

/// Where travel times come from.
#[derive(Clone, Copy)]
pub enum Travel<'a> {
    /// The offline great-circle model ([`offline_matrix`]).
    Offline,
    /// A provider (a router client, a cache), called once with the day's locations.
    Provider(TravelProvider<'a>),
    /// Matrices already computed for [`day_locations`] of the same input and config.
    Matrices(&'a [(TravelMode, TravelMatrix)]),
}

impl fmt::Debug for Travel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Travel::Offline => f.write_str("Offline"),
            Travel::Provider(_) => f.write_str("Provider(..)"),
            Travel::Matrices(m) => write!(f, "Matrices({} modes)", m.len()),
        }
    }
}

/// A past visit by a staff member to a citizen, for continuity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecentVisit {
    pub citizen_id: CitizenId,
    pub employee_id: EmployeeId,
    pub date: Date,
}

/// The organisation data of one day. Lists may hold more than the day needs (a whole
/// dataset): only what concerns [`DayInput::date`] is used.
#[derive(Debug, Clone, Copy)]
pub struct DayInput<'a> {
    pub date: Date,
    pub teams: &'a [Team],
    pub employees: &'a [Employee],
    pub citizens: &'a [Citizen],
    pub recurring_visits: &'a [RecurringVisit],
    /// Dated visits. Those of the date are planned; earlier ones with planned staff
    /// count as history.
    pub visits: &'a [Visit],
    pub shifts: &'a [Shift],
    pub absences: &'a [Absence],
    /// Extra history (e.g. from time registrations), besides the earlier dated visits.
    pub history: &'a [RecentVisit],
    pub travel: Travel<'a>,
}

impl<'a> DayInput<'a> {
    /// The day `date` of a whole dataset, with offline travel times and no extra history.
    pub fn from_dataset(ds: &'a Dataset, date: Date) -> DayInput<'a> {
        DayInput {
            date,
            teams: &ds.teams,
            employees: &ds.employees,
            citizens: &ds.citizens,
            recurring_visits: &ds.recurring_visits,
            visits: &ds.visits,
            shifts: &ds.shifts,
            absences: &ds.absences,
            history: &[],
            travel: Travel::Offline,
        }
    }
}

/// When the base plan is expanded into visits for the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecurringExpansion {
    /// Only when the selected citizens have no dated visit (of any status) on the date:
    /// once a day has been generated, its dated visits are the truth.
    WhenNoDatedVisits,
    /// Every recurring visit occurring on the date that no dated visit stems from.
    Always,
    /// Never: plan the dated visits only.
    Never,
}

/// How a day is turned into a problem. `Default` is what a team gets.
#[derive(Debug, Clone, PartialEq)]
pub struct DayConfig {
    /// Plan only these teams' citizens and staff (home team); `None`: every team.
    pub teams: Option<Vec<TeamId>>,
    /// A fixed-time visit starts within this many minutes of its time, either way.
    pub fixed_time_tolerance_minutes: u32,
    /// Break length, taken by staff whose shift is longer than `break_after_minutes`.
    pub break_minutes: u32,
    pub break_after_minutes: u32,
    /// The break starts within this share of the shift, centred on its middle (1/3:
    /// 09:40–12:20 on a 07–15 shift).
    pub break_middle_share: f64,
    /// Overtime allowed after a shift's end; `None`: unlimited (priced per minute).
    pub max_overtime_minutes: Option<u32>,
    /// How far back a staff member still counts as known to a citizen.
    pub history_days: u32,
    /// The travel mode of the one travel matrix the engine uses.
    pub matrix_mode: TravelMode,
    pub expand_recurring: RecurringExpansion,
    /// Cost of leaving a one-person visit out; doubled for two-person and for fixed-time
    /// visits (medicine).
    pub unassigned_penalty: f64,
    pub weights: Weights,
}

/// The objective weights of a day plan, in minutes of driving: continuity of care first
/// (a staff member new to the citizen costs as much as two hours' driving, once per
/// citizen and staff member), then the citizen's preferred staff and the team boundary,
/// then travel time. Leaving a visit out costs [`DayConfig::unassigned_penalty`] (1,000),
/// far above these: a visit is left out only when it cannot be done at all, never to
/// save a new face.
pub fn day_weights() -> Weights {
    Weights {
        travel_time: 1.0,
        distance: 0.0,
        unassigned: 1.0,
        continuity: 120.0,
        preferred: 40.0,
        team_boundary: 30.0,
        overtime: 2.0,
        tardiness: 0.0,
        max_tardiness: 0.0,
        waiting: 0.0,
        max_waiting: 0.0,
        idle: 0.0,
        max_idle: 0.0,
        missed_break: 60.0,
        workload_balance: 0.0,
        working_time: 0.0,
        fixed_cost: 0.0,
    }
}

impl Default for DayConfig {
    fn default() -> Self {
        DayConfig {
            teams: None,
            fixed_time_tolerance_minutes: 15,
            break_minutes: 30,
            break_after_minutes: 6 * 60,
            break_middle_share: 1.0 / 3.0,
            max_overtime_minutes: Some(0),
            history_days: 14,
            matrix_mode: TravelMode::Car,
            expand_recurring: RecurringExpansion::WhenNoDatedVisits,
            unassigned_penalty: 1000.0,
            weights: day_weights(),
        }
    }
}

/// Why a day could not be turned into a problem. Each names the record and field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DayError {
    #[error("visit {visit}: citizen_id '{citizen}' is not among the citizens; add the citizen or remove the visit")]
    UnknownCitizen { visit: String, citizen: CitizenId },
    #[error("shift {shift}: employee_id '{employee}' is not among the employees; add the employee or remove the shift")]
    UnknownEmployee {
        shift: ShiftId,
        employee: EmployeeId,
    },
    #[error("{what}: team '{team}' is not among the teams; add the team or correct the reference")]
    UnknownTeam { what: String, team: TeamId },
    #[error("{what}: {message}")]
    BadLocation { what: String, message: String },
    #[error("travel times ({}): {message}", mode.as_str())]
    Travel { mode: TravelMode, message: String },
    #[error("travel times ({}): the matrix has {found} values per row, the day has {expected} locations; compute it for day_locations()", mode.as_str())]
    MatrixSize {
        mode: TravelMode,
        expected: usize,
        found: usize,
    },
    #[error("travel times: no {} matrix given; add one for day_locations()", mode.as_str())]
    MissingMatrix { mode: TravelMode },
    #[error("the engine refused the day's problem: {}", list(.0))]
    Problem(Vec<ProblemError>),
}

fn list(errors: &[ProblemError]) -> String {
    let shown: Vec<String> = errors.iter().take(5).map(ToString::to_string).collect();
    let more = errors.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} (and {more} more)", shown.join("; "))
    } else {
        shown.join("; ")
    }
}

/// An engine staff member: one shift of one employee.
#[derive(Debug, Clone, PartialEq)]
pub struct DayStaff {
    pub employee_id: EmployeeId,
    pub shift_id: ShiftId,
    pub travel_mode: TravelMode,
}

/// A day as an engine problem, with what is needed to map a plan back.
#[derive(Debug, Clone)]
pub struct DayProblem {
    pub date: Date,
    /// Local midnight of the date: minute 0 of the problem.
    pub midnight: Timestamp,
    /// Real minutes from this midnight to the next: 1,440, or 1,380 / 1,500 on the days
    /// daylight saving time starts / ends.
    pub horizon_minutes: i64,
    pub problem: Problem,
    /// The day's visits; index `i` is engine visit `i`. Visits expanded from the base plan
    /// are new [`Visit`] values (id `RECURRING-ID.YYYYMMDD`) ready to be stored.
    pub visits: Vec<Visit>,
    /// Index `i` is engine staff member `i`.
    pub staff: Vec<DayStaff>,
    /// Index `i` is engine location `i`.
    pub locations: Vec<GeoPoint>,
    /// Approximations made (travel modes, pins that could not be kept), for the user.
    pub notes: Vec<String>,
}

impl DayProblem {
    /// The instant `minutes` real minutes after local midnight of the date.
    pub fn instant_at(&self, minutes: f64) -> Timestamp {
        let secs = (minutes * 60.0).round();
        // Plans hold times within a day or two; anything beyond is saturated.
        let secs = secs.clamp(-1e12, 1e12) as i64;
        self.midnight
            .saturating_add(SignedDuration::from_secs(secs))
            .unwrap_or(self.midnight)
    }

    /// Minutes of an instant since local midnight of the date.
    pub fn minutes_of(&self, at: Timestamp) -> f64 {
        at.duration_since(self.midnight).as_secs_f64() / 60.0
    }

    /// The day's visits with the plan's staff and start filled in (unassigned ones keep
    /// no staff and no start).
    pub fn planned_visits(&self, plan: &Plan) -> Vec<Visit> {
        let assignments = apply_plan(self, plan);
        self.visits
            .iter()
            .zip(assignments)
            .map(|(v, a)| Visit {
                planned_employees: a.employees,
                planned_start: a.start,
                ..v.clone()
            })
            .collect()
    }
}

/// What the plan says about one visit.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitAssignment {
    pub visit_id: VisitId,
    pub citizen_id: CitizenId,
    /// Who does it (two for a two-person visit); empty when unassigned.
    pub employees: Vec<EmployeeId>,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    /// Why it is left out, when it is.
    pub unassigned: Option<UnassignedReason>,
}

/// Maps the engine's plan back to the day's visits, in the order of
/// [`DayProblem::visits`]. A visit the plan neither routes nor lists is reported
/// unassigned with [`UnassignedReason::NotInSolution`].
pub fn apply_plan(day: &DayProblem, plan: &Plan) -> Vec<VisitAssignment> {
    let n = day.visits.len();
    let mut done: Vec<Vec<(StaffIdx, f64, f64)>> = vec![Vec::new(); n];
    for route in &plan.routes {
        for stop in &route.stops {
            if let StopKind::Visit { visit } = stop.kind {
                if let Some(slot) = done.get_mut(visit.get()) {
                    slot.push((route.staff, stop.start, stop.end));
                }
            }
        }
    }
    let mut reasons: HashMap<usize, UnassignedReason> = HashMap::new();
    for u in &plan.unassigned {
        reasons.insert(u.visit.get(), u.reason);
    }
    day.visits
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let stops = &done[i];
            let employees: Vec<EmployeeId> = stops
                .iter()
                .filter_map(|(s, _, _)| day.staff.get(s.get()).map(|d| d.employee_id.clone()))
                .collect();
            if stops.is_empty() || employees.len() != stops.len() {
                return VisitAssignment {
                    visit_id: v.id.clone(),
                    citizen_id: v.citizen_id.clone(),
                    employees: Vec::new(),
                    start: None,
                    end: None,
                    unassigned: Some(
                        reasons
                            .get(&i)
                            .copied()
                            .unwrap_or(UnassignedReason::NotInSolution),
                    ),
                };
            }
            let start = stops.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
            let end = stops.iter().map(|s| s.2).fold(f64::NEG_INFINITY, f64::max);
            VisitAssignment {
                visit_id: v.id.clone(),
                citizen_id: v.citizen_id.clone(),
                employees,
                start: Some(day.instant_at(start)),
                end: Some(day.instant_at(end)),
                unassigned: None,
            }
        })
        .collect()
}

/// The skill names of day problems: one per domain qualification, in
/// [`Qualification::ALL`] order.
pub fn skill_names() -> Vec<String> {
    Qualification::ALL
        .iter()
        .map(|q| format!("{q:?}").to_lowercase())
        .collect()
}

fn skill_of(q: Qualification) -> usize {
    Qualification::ALL
        .iter()
        .position(|x| *x == q)
        .unwrap_or_default()
}

/// Every skill whose visits the employee may do.
fn skills_of(e: &Employee) -> SkillSet {
    let mut set = SkillSet::EMPTY;
    for q in Qualification::ALL {
        if e.can_do(q) {
            set.insert(skill_of(q));
        }
    }
    set
}

/// A shift of the day, before it becomes an engine staff member.
struct DayShift<'a> {
    shift: &'a Shift,
    employee: &'a Employee,
    start: f64,
    end: f64,
    start_at: GeoPoint,
    end_at: GeoPoint,
}

/// What [`day_problem`] plans: the day's visits and shifts, resolved.
struct Selection<'a> {
    midnight: Timestamp,
    horizon: i64,
    visits: Vec<Visit>,
    shifts: Vec<DayShift<'a>>,
    citizens: HashMap<&'a str, &'a Citizen>,
    teams: Vec<&'a Team>,
    /// Locations (deduplicated) and their labels.
    points: Vec<GeoPoint>,
    labels: Vec<String>,
    index: HashMap<(u64, u64), usize>,
}

impl Selection<'_> {
    fn place(&mut self, p: GeoPoint, label: impl FnOnce() -> String) -> usize {
        // -0.0 and 0.0 are the same place.
        let key = ((p.lat + 0.0).to_bits(), (p.lon + 0.0).to_bits());
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.points.len();
        self.points.push(p);
        self.labels.push(label());
        self.index.insert(key, i);
        i
    }
}

fn minutes_since(midnight: Timestamp, at: Timestamp) -> f64 {
    at.duration_since(midnight).as_secs_f64() / 60.0
}

fn select<'a>(data: &DayInput<'a>, config: &DayConfig) -> Result<Selection<'a>, DayError> {
    let date = data.date;
    let midnight = instant(date, jiff::civil::Time::midnight());
    let next = instant(date.saturating_add(1.day()), jiff::civil::Time::midnight());
    let horizon = minutes_between(midnight, next);

    let wanted: Option<HashSet<&str>> = config
        .teams
        .as_ref()
        .map(|ts| ts.iter().map(TeamId::as_str).collect());
    let team_ok = |t: &TeamId| wanted.as_ref().is_none_or(|w| w.contains(t.as_str()));
    let teams: Vec<&Team> = data.teams.iter().filter(|t| team_ok(&t.id)).collect();
    let team_by_id: HashMap<&str, &Team> = data.teams.iter().map(|t| (t.id.as_str(), t)).collect();
    let citizens: HashMap<&str, &Citizen> =
        data.citizens.iter().map(|c| (c.id.as_str(), c)).collect();
    let employees: HashMap<&str, &Employee> =
        data.employees.iter().map(|e| (e.id.as_str(), e)).collect();

    // The date's visits of the selected citizens.
    let citizen_of = |id: &str, citizen: &CitizenId| -> Result<&'a Citizen, DayError> {
        citizens
            .get(citizen.as_str())
            .copied()
            .ok_or_else(|| DayError::UnknownCitizen {
                visit: id.to_owned(),
                citizen: citizen.clone(),
            })
    };
    let mut dated_any = false;
    let mut from_recurring: HashSet<&str> = HashSet::new();
    let mut visits: Vec<Visit> = Vec::new();
    for v in data.visits.iter().filter(|v| v.date == date) {
        let c = citizen_of(v.id.as_str(), &v.citizen_id)?;
        if !team_ok(&c.team_id) {
            continue;
        }
        dated_any = true;
        if let Some(rv) = &v.recurring_visit_id {
            from_recurring.insert(rv.as_str());
        }
        // Done and cancelled visits need no plan.
        if matches!(v.status, VisitStatus::Planned | VisitStatus::Started) {
            visits.push(v.clone());
        }
    }
    let expand = match config.expand_recurring {
        RecurringExpansion::WhenNoDatedVisits => !dated_any,
        RecurringExpansion::Always => true,
        RecurringExpansion::Never => false,
    };
    if expand {
        for rv in data.recurring_visits {
            if from_recurring.contains(rv.id.as_str()) || !rv.recurrence.occurs_on(date) {
                continue;
            }
            let c = citizen_of(rv.id.as_str(), &rv.citizen_id)?;
            if !team_ok(&c.team_id) {
                continue;
            }
            let id = VisitId::new(format!("{}.{}", rv.id, date.strftime("%Y%m%d")));
            visits.push(Visit::from_recurring(id, rv, date));
        }
    }
    visits.sort_by(|a, b| (a.window_start, &a.id).cmp(&(b.window_start, &b.id)));

    // Shifts of the date, and last night's shifts reaching into it, of staff not away.
    let yesterday = date.saturating_sub(1.day());
    let mut shifts: Vec<DayShift<'a>> = Vec::new();
    for s in data.shifts {
        if s.date != date && s.date != yesterday {
            continue;
        }
        let (from, to) = s.instants();
        let (start, end) = (minutes_since(midnight, from), minutes_since(midnight, to));
        if end <= 0.0 {
            continue;
        }
        let e = employees
            .get(s.employee_id.as_str())
            .copied()
            .ok_or_else(|| DayError::UnknownEmployee {
                shift: s.id.clone(),
                employee: s.employee_id.clone(),
            })?;
        if !team_ok(&e.home_team) {
            continue;
        }
        let away = data
            .absences
            .iter()
            .any(|a| a.employee_id == e.id && a.covers(s.date));
        if away {
            continue;
        }
        let base = || -> Result<GeoPoint, DayError> {
            team_by_id
                .get(e.home_team.as_str())
                .map(|t| t.base)
                .ok_or_else(|| DayError::UnknownTeam {
                    what: format!("employee {} (home_team, the base of shift {})", e.id, s.id),
                    team: e.home_team.clone(),
                })
        };
        let start_at = match s.start_location {
            Some(p) => p,
            None => base()?,
        };
        let end_at = match s.end_location {
            Some(p) => p,
            None => base()?,
        };
        shifts.push(DayShift {
            shift: s,
            employee: e,
            start: start.max(0.0),
            end,
            start_at,
            end_at,
        });
    }
    shifts.sort_by(|a, b| {
        (a.start, a.employee.id.as_str(), a.shift.id.as_str())
            .partial_cmp(&(b.start, b.employee.id.as_str(), b.shift.id.as_str()))
            .unwrap_or(std::cmp::Ordering::Equal)
    });

    let mut sel = Selection {
        midnight,
        horizon,
        visits,
        shifts,
        citizens,
        teams,
        points: Vec::new(),
        labels: Vec::new(),
        index: HashMap::new(),
    };
    // Places, checked: bases first, then homes in visit order.
    for k in 0..sel.shifts.len() {
        let (start_at, end_at) = (sel.shifts[k].start_at, sel.shifts[k].end_at);
        let shift_id = sel.shifts[k].shift.id.clone();
        for (p, which) in [(start_at, "start"), (end_at, "end")] {
            if let Some(problem) = p.problem() {
                return Err(DayError::BadLocation {
                    what: format!("shift {shift_id} ({which} location or team base)"),
                    message: problem.to_owned(),
                });
            }
            sel.place(p, || format!("{which}:{shift_id}"));
        }
    }
    for k in 0..sel.visits.len() {
        let cid = sel.visits[k].citizen_id.clone();
        let Some(c) = sel.citizens.get(cid.as_str()).copied() else {
            continue;
        };
        if let Some(problem) = c.location.problem() {
            return Err(DayError::BadLocation {
                what: format!("citizen {} (location)", c.id),
                message: problem.to_owned(),
            });
        }
        sel.place(c.location, || format!("home:{}", c.id));
    }
    Ok(sel)
}

/// The day's locations in engine order, for computing travel matrices outside (e.g.
/// asynchronously from a router) and passing them as [`Travel::Matrices`].
pub fn day_locations(data: &DayInput, config: &DayConfig) -> Result<Vec<GeoPoint>, DayError> {
    Ok(select(data, config)?.points)
}

fn travel_matrix(
    data: &DayInput,
    mode: TravelMode,
    points: &[GeoPoint],
) -> Result<TravelMatrix, DayError> {
    let m = match data.travel {
        Travel::Offline => offline_matrix(points, mode),
        Travel::Provider(f) => {
            f(points, mode).map_err(|message| DayError::Travel { mode, message })?
        }
        Travel::Matrices(ms) => ms
            .iter()
            .find(|(m, _)| *m == mode)
            .map(|(_, m)| m.clone())
            .ok_or(DayError::MissingMatrix { mode })?,
    };
    let n = points.len();
    if m.rows != n || m.cols != n || m.seconds.len() != n * n || m.metres.len() != n * n {
        return Err(DayError::MatrixSize {
            mode,
            expected: n,
            found: m.cols,
        });
    }
    Ok(m)
}

/// Builds the engine problem of one day. See the module docs for what is modelled.
pub fn day_problem(data: &DayInput, config: &DayConfig) -> Result<DayProblem, DayError> {
    let sel = select(data, config)?;
    let mode = config.matrix_mode;
    let tm = travel_matrix(data, mode, &sel.points)?;
    let n = sel.points.len();
    // Whole minutes, rounded up: a plan then lists whole-minute times and never
    // promises less driving than the source says.
    let minutes: Vec<f64> = tm
        .seconds
        .iter()
        .map(|&s| (f64::from(s) / 60.0).ceil())
        .collect();
    let km: Vec<f64> = tm.metres.iter().map(|&m| f64::from(m) / 1000.0).collect();
    let (Some(travel_time), Some(distance)) = (
        Matrix::from_row_major(n, minutes),
        Matrix::from_row_major(n, km),
    ) else {
        return Err(DayError::MatrixSize {
            mode,
            expected: n,
            found: tm.cols,
        });
    };

    let loc = |p: GeoPoint| -> LocIdx {
        let key = ((p.lat + 0.0).to_bits(), (p.lon + 0.0).to_bits());
        LocIdx::from(sel.index.get(&key).copied().unwrap_or_default())
    };
    let team_idx: HashMap<&str, TeamIdx> = sel
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), TeamIdx::from(i)))
        .collect();

    // Staff: one per shift.
    let mut staff = Vec::with_capacity(sel.shifts.len());
    let mut day_staff = Vec::with_capacity(sel.shifts.len());
    let mut staff_of: HashMap<&str, Vec<StaffIdx>> = HashMap::new();
    let mut seen_ids: HashMap<&str, usize> = HashMap::new();
    for (i, s) in sel.shifts.iter().enumerate() {
        let e = s.employee;
        let count = seen_ids.entry(e.id.as_str()).or_insert(0);
        *count += 1;
        let id = if *count == 1 {
            e.id.to_string()
        } else {
            format!("{}#{}", e.id, count)
        };
        let length = s.end - s.start;
        let middle = s.start + length / 2.0;
        let half = length * config.break_middle_share.clamp(0.0, 1.0) / 2.0;
        staff.push(Staff {
            id,
            shift: TimeWindow::new(s.start, s.end),
            max_overtime: config.max_overtime_minutes.map(f64::from),
            start_location: loc(s.start_at),
            end_location: loc(s.end_at),
            skills: skills_of(e),
            team: team_idx.get(e.home_team.as_str()).copied(),
            capacity: None,
            break_rule: (config.break_minutes > 0).then(|| BreakRule {
                window: TimeWindow::new(middle - half, middle + half),
                duration: f64::from(config.break_minutes),
                min_shift_length: f64::from(config.break_after_minutes),
                mandatory: true,
            }),
            fixed_cost: 0.0,
        });
        day_staff.push(DayStaff {
            employee_id: e.id.clone(),
            shift_id: s.shift.id.clone(),
            travel_mode: e.travel_mode,
        });
        staff_of
            .entry(e.id.as_str())
            .or_default()
            .push(StaffIdx::from(i));
    }
    let staff_list = |ids: &[EmployeeId]| -> Vec<StaffIdx> {
        ids.iter()
            .flat_map(|e| staff_of.get(e.as_str()).into_iter().flatten().copied())
            .collect()
    };

    // Continuity: who saw each citizen in the window before the date.
    let first_day = data
        .date
        .saturating_sub(i64::from(config.history_days).days());
    let in_window = |d: Date| d >= first_day && d < data.date;
    let mut recent: HashMap<&str, BTreeSet<StaffIdx>> = HashMap::new();
    let mut remember = |citizen: &CitizenId, employee: &EmployeeId| {
        if let Some(idx) = staff_of.get(employee.as_str()) {
            if let Some(c) = sel.citizens.get(citizen.as_str()) {
                recent.entry(c.id.as_str()).or_default().extend(idx);
            }
        }
    };
    for v in data.visits {
        if in_window(v.date) && v.status != VisitStatus::Cancelled {
            for e in &v.planned_employees {
                remember(&v.citizen_id, e);
            }
        }
    }
    for h in data.history {
        if in_window(h.date) {
            remember(&h.citizen_id, &h.employee_id);
        }
    }

    // Citizens with visits today, and the visits.
    let mut citizen_idx: HashMap<&str, CitizenIdx> = HashMap::new();
    let mut engine_citizens = Vec::new();
    let mut engine_visits = Vec::with_capacity(sel.visits.len());
    let mut notes = Vec::new();
    let tolerance = f64::from(config.fixed_time_tolerance_minutes);
    for v in &sel.visits {
        let Some(c) = sel.citizens.get(v.citizen_id.as_str()).copied() else {
            continue;
        };
        let ci = *citizen_idx.entry(c.id.as_str()).or_insert_with(|| {
            engine_citizens.push(nabo_engine::Citizen {
                id: c.id.to_string(),
                recent_staff: recent
                    .get(c.id.as_str())
                    .map(|s| s.iter().copied().collect())
                    .unwrap_or_default(),
            });
            CitizenIdx::from(engine_citizens.len() - 1)
        });
        let ws = minutes_since(sel.midnight, instant(data.date, v.window_start));
        let we = minutes_since(sel.midnight, instant(data.date, v.window_end)).max(ws);
        let (window, fixed_time) = if v.fixed_time {
            (
                TimeWindow::new(ws - tolerance, we),
                Some(FixedTime {
                    time: ws,
                    tolerance,
                }),
            )
        } else {
            (TimeWindow::new(ws, we), None)
        };
        let refused = staff_list(&c.refused_staff);
        let preferred: Vec<StaffIdx> = staff_list(&c.preferred_staff)
            .into_iter()
            .filter(|s| !refused.contains(s))
            .collect();
        let mut penalty = config.unassigned_penalty * f64::from(v.staff_count.max(1));
        if v.fixed_time {
            penalty *= 2.0;
        }
        let mut ev = nabo_engine::Visit::new(
            v.id.to_string(),
            loc(c.location),
            f64::from(v.duration_minutes),
        );
        ev.time_windows = vec![window];
        ev.window_kind = WindowKind::Hard;
        ev.fixed_time = fixed_time;
        ev.required_skills = SkillSet::single(skill_of(v.required_qualification));
        ev.staff_count = v.staff_count.clamp(1, 2);
        ev.unassigned_penalty = penalty;
        ev.citizen = Some(ci);
        ev.team = team_idx.get(c.team_id.as_str()).copied();
        ev.preferred_staff = preferred;
        ev.refused_staff = refused;
        if v.status == VisitStatus::Started {
            pin(v, &mut ev, &staff, &staff_of, &sel, &mut notes);
        }
        engine_visits.push(ev);
    }

    let others: Vec<&DayStaff> = day_staff.iter().filter(|s| s.travel_mode != mode).collect();
    if !others.is_empty() {
        let mut modes: Vec<&str> = others.iter().map(|s| s.travel_mode.as_str()).collect();
        modes.sort_unstable();
        modes.dedup();
        notes.push(format!(
            "{} of {} staff travel by {}; the plan uses {} travel times for everyone (the engine has one travel matrix per problem)",
            others.len(),
            day_staff.len(),
            modes.join("/"),
            mode.as_str()
        ));
    }

    let data_out = ProblemData {
        name: format!("day-{}", data.date),
        locations: sel
            .points
            .iter()
            .zip(&sel.labels)
            .map(|(p, l)| Location {
                id: l.clone(),
                coord: Some([p.lon, p.lat]),
            })
            .collect(),
        travel_time,
        distance: Some(distance),
        skills: skill_names(),
        teams: sel
            .teams
            .iter()
            .map(|t| nabo_engine::Team {
                id: t.id.to_string(),
            })
            .collect(),
        citizens: engine_citizens,
        visits: engine_visits,
        staff,
        links: Vec::new(),
        window_anchor: WindowAnchor::Start,
        objective: Objective {
            weights: config.weights,
            minimise_vehicles_first: false,
            count_wait_after_leading_break: true,
        },
    };
    let problem = Problem::new(data_out).map_err(DayError::Problem)?;
    Ok(DayProblem {
        date: data.date,
        midnight: sel.midnight,
        horizon_minutes: sel.horizon,
        problem,
        visits: sel.visits,
        staff: day_staff,
        locations: sel.points,
        notes,
    })
}

/// Pins a started visit to its staff and start when the engine can keep the pin;
/// otherwise plans it afresh and says so.
fn pin(
    v: &Visit,
    ev: &mut nabo_engine::Visit,
    staff: &[Staff],
    staff_of: &HashMap<&str, Vec<StaffIdx>>,
    sel: &Selection,
    notes: &mut Vec<String>,
) {
    let Some(start) = v.planned_start else {
        notes.push(format!(
            "visit {} has started but has no planned start; planned afresh",
            v.id
        ));
        return;
    };
    let at = minutes_since(sel.midnight, start);
    let mut pinned = Vec::new();
    for e in &v.planned_employees {
        // The employee's shift that covers the start.
        let found = staff_of.get(e.as_str()).and_then(|idx| {
            idx.iter().copied().find(|s| {
                let st = &staff[s.get()];
                st.shift.start <= at
                    && at <= st.shift.end
                    && st.skills.covers(ev.required_skills)
                    && !ev.refused_staff.contains(s)
            })
        });
        match found {
            Some(s) => pinned.push(s),
            None => {
                notes.push(format!(
                    "visit {} has started with {e}, who has no qualifying shift at that time today; planned afresh",
                    v.id
                ));
                return;
            }
        }
    }
    if pinned.is_empty() || pinned.len() > usize::from(ev.staff_count) {
        return;
    }
    ev.pinned_staff = pinned;
    ev.pinned_start = Some(at);
    // It has started when it started: the window and fixed time must admit that.
    if let Some(w) = ev.time_windows.first_mut() {
        *w = TimeWindow::new(w.start.min(at), w.end.max(at));
    }
    ev.fixed_time = None;
}

/// The engine visit of a day visit id.
pub fn visit_index(day: &DayProblem, id: &VisitId) -> Option<VisitIdx> {
    day.visits
        .iter()
        .position(|v| v.id == *id)
        .map(VisitIdx::from)
}

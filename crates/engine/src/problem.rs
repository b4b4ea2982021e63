//! The problem model: one planning day, its visits, staff, travel matrices and objective.
//!
//! A [`Problem`] is immutable and validated when it is built: [`Problem::new`] takes the
//! plain [`ProblemData`] and returns either the problem or **every** error found, each with
//! a stable code and the field it concerns (the PyVRP / vrp-pragmatic style). The same model
//! expresses classic VRPTW (Solomon: capacity, one hard window, vehicles first then distance)
//! and home care (qualifications, two-person visits, breaks, soft windows, continuity).
//!
//! # Units: `f64` minutes, deliberately
//!
//! Times, durations, travel times, distances and costs are `f64`. Integer newtypes were
//! considered and rejected: the Solomon / Gehring–Homberger best-known solutions are defined
//! on Euclidean arcs in full double precision (the SINTEF convention), which no fixed-point
//! scale reproduces, while UHHC's integer minutes and three-decimal Mankowska distances are
//! exactly representable in `f64` (every sum of integers below 2^53 is exact). So `f64` lets
//! one model validate both sets of published results exactly. Times are minutes from the
//! start of the planning day (t = 0); Solomon's unit-less times are read as minutes.
//!
//! Entities refer to each other by dense indices ([`LocIdx`], [`VisitIdx`], [`StaffIdx`],
//! [`CitizenIdx`], [`TeamIdx`]); every entity also carries a string `id` for mapping back to
//! the caller's world.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

/// Minutes since the start of the planning day (t = 0). See the module docs for why `f64`.
pub type Time = f64;

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The index as `usize`, for indexing slices.
            #[inline]
            pub fn get(self) -> usize {
                self.0 as usize
            }
        }

        impl From<usize> for $name {
            #[inline]
            fn from(i: usize) -> Self {
                // Problems are far below 2^32 entities; Problem::new rejects larger ones.
                $name(i as u32)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

index_type!(
    /// Index of a location: a row/column of the travel matrices and an entry of
    /// [`ProblemData::locations`].
    LocIdx
);
index_type!(
    /// Index into [`ProblemData::visits`].
    VisitIdx
);
index_type!(
    /// Index into [`ProblemData::staff`] (a staff member, or a vehicle in VRPTW).
    StaffIdx
);
index_type!(
    /// Index into [`ProblemData::citizens`].
    CitizenIdx
);
index_type!(
    /// Index into [`ProblemData::teams`].
    TeamIdx
);

/// A dense square matrix of `f64`, row-major, `get(from, to)`. Asymmetric matrices are
/// allowed. Serialised as an array of rows. The default is the 0 × 0 matrix.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    n: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// Builds an `n × n` matrix from row-major values; `None` if `data.len() != n * n`.
    pub fn from_row_major(n: usize, data: Vec<f64>) -> Option<Matrix> {
        (data.len() == n * n).then_some(Matrix { n, data })
    }

    /// Builds a matrix from rows; `None` if the rows are not all of length `rows.len()`.
    pub fn from_rows(rows: &[Vec<f64>]) -> Option<Matrix> {
        let n = rows.len();
        let mut data = Vec::with_capacity(n * n);
        for r in rows {
            if r.len() != n {
                return None;
            }
            data.extend_from_slice(r);
        }
        Some(Matrix { n, data })
    }

    /// A matrix of Euclidean distances between points, in double precision (SINTEF
    /// convention: no rounding, no truncation).
    pub fn euclidean(points: &[[f64; 2]]) -> Matrix {
        let n = points.len();
        let mut data = Vec::with_capacity(n * n);
        for a in points {
            for b in points {
                data.push(((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt());
            }
        }
        Matrix { n, data }
    }

    /// Number of rows (= columns).
    #[inline]
    pub fn len(&self) -> usize {
        self.n
    }

    /// True for the 0 × 0 matrix.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The value from `from` to `to`. Panics if an index is out of range; indices in a
    /// validated [`Problem`] are always in range.
    #[inline]
    pub fn get(&self, from: LocIdx, to: LocIdx) -> f64 {
        self.data[from.get() * self.n + to.get()]
    }

    /// The values in row-major order.
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }

    /// One row (all values from `from`).
    pub fn row(&self, from: LocIdx) -> &[f64] {
        &self.data[from.get() * self.n..(from.get() + 1) * self.n]
    }
}

impl Serialize for Matrix {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.n))?;
        for i in 0..self.n {
            seq.serialize_element(&self.data[i * self.n..(i + 1) * self.n])?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Matrix {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows = Vec::<Vec<f64>>::deserialize(d)?;
        Matrix::from_rows(&rows).ok_or_else(|| {
            serde::de::Error::custom(
                "matrix is not square: every row must have as many values as there are rows",
            )
        })
    }
}

/// A set of skills (qualifications) as a bitset over [`ProblemData::skills`] (at most 64).
///
/// A staff member may do a visit when the visit's required set is a subset of the staff
/// member's set. Ordered levels (unskilled < care helper < care assistant < nurse) are
/// expressed by giving a higher level every lower skill too; therapists are separate skills.
/// Serialised as a sorted array of skill indices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SkillSet(pub u64);

impl SkillSet {
    /// The empty set (no requirement / no qualification).
    pub const EMPTY: SkillSet = SkillSet(0);

    /// The set holding one skill index (< 64).
    pub fn single(skill: usize) -> SkillSet {
        SkillSet(1u64 << skill)
    }

    /// True when every skill of `required` is in `self`.
    #[inline]
    pub fn covers(self, required: SkillSet) -> bool {
        required.0 & !self.0 == 0
    }

    /// Adds a skill index (< 64).
    pub fn insert(&mut self, skill: usize) {
        self.0 |= 1u64 << skill;
    }

    /// True when the set contains the skill.
    pub fn contains(self, skill: usize) -> bool {
        skill < 64 && self.0 & (1u64 << skill) != 0
    }

    /// The skill indices in increasing order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..64).filter(move |i| self.0 & (1u64 << i) != 0)
    }
}

impl Serialize for SkillSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for SkillSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Vec::<u32>::deserialize(d)?;
        let mut set = SkillSet::EMPTY;
        for i in v {
            if i >= 64 {
                return Err(serde::de::Error::custom(format!(
                    "skill index {i} is out of range: at most 64 skills are supported"
                )));
            }
            set.insert(i as usize);
        }
        Ok(set)
    }
}

/// A closed interval `[start, end]` in minutes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeWindow {
    /// Earliest time.
    pub start: Time,
    /// Latest time.
    pub end: Time,
}

impl TimeWindow {
    /// The window `[start, end]`.
    pub fn new(start: Time, end: Time) -> TimeWindow {
        TimeWindow { start, end }
    }
}

/// Which moment of a visit (or break) its time windows constrain.
///
/// UHHC calls this `time_window_met`; in `End` mode the *end* of the service must be inside
/// the window while the window that applies is still chosen by the service start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowAnchor {
    /// The service start must lie in the window (Solomon, and the usual case).
    #[default]
    Start,
    /// The service end must lie in the window.
    End,
}

/// Whether lateness against a visit's time windows is forbidden or priced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowKind {
    /// Lateness is forbidden: the anchored moment lies inside the applicable window.
    #[default]
    Hard,
    /// Lateness is allowed and costs [`Weights::tardiness`] per minute (and feeds
    /// [`Weights::max_tardiness`]). Starting before the first window opens is still forbidden.
    Soft,
}

/// A visit that must happen at a given time, give or take a tolerance (e.g. insulin at
/// 08:00 ± 15 min). Hard: the start lies in `[time - tolerance, time + tolerance]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedTime {
    /// The agreed start time.
    pub time: Time,
    /// Allowed deviation either way, in minutes (≥ 0).
    #[serde(default)]
    pub tolerance: Time,
}

/// A location: a row of the matrices, with an id and optional planar/geographic coordinates
/// (informational; the matrices are authoritative, but a solver may use coordinates for
/// neighbourhoods).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Caller's id (a citizen's address id, a depot name, a UHHC patient or terminal id).
    pub id: String,
    /// `[x, y]` or `[longitude, latitude]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coord: Option<[f64; 2]>,
}

/// A citizen (UHHC: patient), for continuity of care.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citizen {
    /// Caller's id.
    pub id: String,
    /// Staff the citizen has seen in the recent window. Each *distinct* staff member outside
    /// this set who visits the citizen in the plan costs [`Weights::continuity`] once (per
    /// citizen and staff member, not per visit).
    #[serde(default)]
    pub recent_staff: Vec<StaffIdx>,
}

/// A team (self-managing home-care team). Visits served by staff of another team cost
/// [`Weights::team_boundary`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Caller's id.
    pub id: String,
}

/// A visit (job): a service at a location, done by one or two staff members.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// Caller's id, unique among visits.
    pub id: String,
    /// Where the visit takes place.
    pub location: LocIdx,
    /// Required service time in minutes. A plan may record a longer service
    /// (`end - start ≥ duration`), never a shorter one.
    pub duration: Time,
    /// Allowed windows, sorted by start. Empty means "any time within the shift". The
    /// applicable window for a start time `t` is the last one whose start ≤ `t`; starting
    /// before the first window is never allowed (waiting is).
    #[serde(default)]
    pub time_windows: Vec<TimeWindow>,
    /// Hard or soft (priced) lateness.
    #[serde(default)]
    pub window_kind: WindowKind,
    /// Fixed-time visit with tolerance (hard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_time: Option<FixedTime>,
    /// Skills every performing staff member must have.
    #[serde(default)]
    pub required_skills: SkillSet,
    /// 1, or 2 for a two-person visit: two different staff members, both qualified, start
    /// at the same time (and both spend `duration`). Equivalent to two visits tied by a
    /// [`Link`] with gap `[0, 0]` and `distinct_staff`.
    #[serde(default = "one")]
    pub staff_count: u8,
    /// Load taken from the staff member's/vehicle's capacity.
    #[serde(default)]
    pub demand: i64,
    /// Cost of leaving the visit unassigned (multiplied by [`Weights::unassigned`]). The
    /// caller maps priorities to penalties.
    #[serde(default)]
    pub unassigned_penalty: f64,
    /// An optional visit may be left out silently; leaving out a non-optional one is still
    /// possible (it is then reported as "required but unassigned").
    #[serde(default)]
    pub optional: bool,
    /// The citizen the visit is for (continuity of care).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizen: Option<CitizenIdx>,
    /// The team responsible for the visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamIdx>,
    /// Preferred staff: when non-empty, every performing staff member outside this list costs
    /// [`Weights::preferred`] (per visit and staff member).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preferred_staff: Vec<StaffIdx>,
    /// Refused (incompatible) staff: never allowed (hard).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused_staff: Vec<StaffIdx>,
    /// Staff the visit is pinned to (already started, or fixed by the planner): the visit
    /// must be assigned and every listed staff member must perform it. At most `staff_count`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned_staff: Vec<StaffIdx>,
    /// Pinned start time (already started or fixed by the planner): hard, exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_start: Option<Time>,
}

fn one() -> u8 {
    1
}

impl Visit {
    /// A visit with the given id, location and duration, and every other field at its
    /// default (one staff member, no windows, no skill, hard windows, penalty 0).
    pub fn new(id: impl Into<String>, location: LocIdx, duration: Time) -> Visit {
        Visit {
            id: id.into(),
            location,
            duration,
            time_windows: Vec::new(),
            window_kind: WindowKind::Hard,
            fixed_time: None,
            required_skills: SkillSet::EMPTY,
            staff_count: 1,
            demand: 0,
            unassigned_penalty: 0.0,
            optional: false,
            citizen: None,
            team: None,
            preferred_staff: Vec::new(),
            refused_staff: Vec::new(),
            pinned_staff: Vec::new(),
            pinned_start: None,
        }
    }

    /// The window that applies to a service starting at `start`: the last one whose start
    /// is ≤ `start`. `None` if there are no windows or `start` is before the first one.
    pub fn applicable_window(&self, start: Time) -> Option<TimeWindow> {
        self.time_windows
            .iter()
            .take_while(|w| w.start <= start)
            .last()
            .copied()
    }
}

/// A break rule for one staff member (UHHC: lunch break).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakRule {
    /// The break's anchored moment (start, or end under [`WindowAnchor::End`], the problem's
    /// anchor) must be ≤ `window.end`; its start must be ≥ `window.start`.
    pub window: TimeWindow,
    /// Minimum length in minutes.
    pub duration: Time,
    /// The rule applies only when the shift is longer than this many minutes (0: always).
    #[serde(default)]
    pub min_shift_length: Time,
    /// Mandatory: a plan without the break is infeasible. Otherwise a missing break costs
    /// [`Weights::missed_break`]. A break that is taken must always comply with the rule.
    #[serde(default = "yes")]
    pub mandatory: bool,
}

fn yes() -> bool {
    true
}

/// A staff member (home care) or a vehicle (VRPTW).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    /// Caller's id, unique among staff.
    pub id: String,
    /// Shift: departure from `start_location` ≥ `shift.start`; returning after `shift.end`
    /// is overtime.
    pub shift: TimeWindow,
    /// Hard limit on overtime in minutes; `None` = unlimited (priced only), `Some(0)` = the
    /// shift end is hard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_overtime: Option<Time>,
    /// Where the day starts.
    pub start_location: LocIdx,
    /// Where the day ends.
    pub end_location: LocIdx,
    /// Qualifications.
    #[serde(default)]
    pub skills: SkillSet,
    /// Team membership.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamIdx>,
    /// Load capacity; `None` = unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
    /// Break rule, if the staff member takes a break.
    #[serde(default, rename = "break", skip_serializing_if = "Option::is_none")]
    pub break_rule: Option<BreakRule>,
    /// Cost incurred when the staff member/vehicle does at least one visit (fleet size).
    #[serde(default)]
    pub fixed_cost: f64,
}

impl Staff {
    /// A staff member with the given id and shift, starting and ending at `home`, with no
    /// skills, team, capacity, break or fixed cost, and unlimited (priced) overtime.
    pub fn new(id: impl Into<String>, shift: TimeWindow, home: LocIdx) -> Staff {
        Staff {
            id: id.into(),
            shift,
            max_overtime: None,
            start_location: home,
            end_location: home,
            skills: SkillSet::EMPTY,
            team: None,
            capacity: None,
            break_rule: None,
            fixed_cost: 0.0,
        }
    }

    /// The latest allowed return time (`shift.end + max_overtime`, or +∞).
    pub fn latest_return(&self) -> Time {
        match self.max_overtime {
            Some(o) => self.shift.end + o,
            None => f64::INFINITY,
        }
    }

    /// True when the break rule applies to this shift (a rule exists and the shift is longer
    /// than its threshold).
    pub fn needs_break(&self) -> bool {
        self.break_rule
            .is_some_and(|b| self.shift.end - self.shift.start > b.min_shift_length)
    }
}

/// The start-time gap of a [`Link`]: `start(second) − start(first) ∈ [min, max]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// Minimum gap in minutes (may be negative).
    pub min: Time,
    /// Maximum gap; `None` = unbounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Time>,
}

/// A relation between two visits: synchronisation (gap `[0, 0]`), precedence with a
/// minimum/maximum gap (medicine 4 h apart: `min = 240`), all-or-nothing service.
///
/// Timing and distinctness only bind when both visits are assigned.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The first visit.
    pub first: VisitIdx,
    /// The second visit.
    pub second: VisitIdx,
    /// Start-time gap, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<Gap>,
    /// The two visits must be done by different staff members.
    #[serde(default)]
    pub distinct_staff: bool,
    /// Either both visits are assigned or neither (UHHC: a patient's services are delivered
    /// completely or not at all).
    #[serde(default)]
    pub all_or_none: bool,
}

/// Objective weights. Every term is defined in [`crate::plan::CostTerms`]; the total is
/// `Σ weight × raw term`. Defaults suit home care in minutes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Per minute of travel time.
    pub travel_time: f64,
    /// Per unit of distance (distance matrix).
    pub distance: f64,
    /// Multiplier on the sum of unassigned visits' penalties.
    pub unassigned: f64,
    /// Per distinct (citizen, staff member) pair where the staff member is not in the
    /// citizen's recent set.
    pub continuity: f64,
    /// Per (visit, staff member) where the visit has preferred staff and this is not one.
    pub preferred: f64,
    /// Per (visit, staff member) where both have a team and the teams differ.
    pub team_boundary: f64,
    /// Per minute of overtime (return after shift end).
    pub overtime: f64,
    /// Per minute of total lateness of soft-window visits.
    pub tardiness: f64,
    /// Per minute of the largest single lateness.
    pub max_tardiness: f64,
    /// Per minute of total waiting.
    pub waiting: f64,
    /// Per minute of the largest single wait.
    pub max_waiting: f64,
    /// Per minute of total idle time (see `CostTerms::idle`).
    pub idle: f64,
    /// Per minute of the largest idle time of one staff member.
    pub max_idle: f64,
    /// Per missed non-mandatory break.
    pub missed_break: f64,
    /// Per minute of workload imbalance (see `CostTerms::workload_imbalance`).
    pub workload_balance: f64,
    /// Per minute of working time (service + travel).
    pub working_time: f64,
    /// Multiplier on the fixed cost of used staff/vehicles.
    pub fixed_cost: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            travel_time: 1.0,
            distance: 0.0,
            unassigned: 1.0,
            continuity: 30.0,
            preferred: 15.0,
            team_boundary: 20.0,
            overtime: 2.0,
            tardiness: 1.0,
            max_tardiness: 0.0,
            waiting: 0.0,
            max_waiting: 0.0,
            idle: 0.0,
            max_idle: 0.0,
            missed_break: 60.0,
            workload_balance: 0.0,
            working_time: 0.0,
            fixed_cost: 1.0,
        }
    }
}

/// The objective: weights plus the few rules that change how terms are counted.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// The weights.
    pub weights: Weights,
    /// Hierarchical VRPTW objective: first minimise the number of staff/vehicles used, then
    /// the weighted total (Solomon/SINTEF). Compare with `Cost::cmp_key`.
    pub minimise_vehicles_first: bool,
    /// Count the wait right after a break that is the first stop of a route as waiting.
    /// `true` by default; the UHHC reference does not count it (the break could simply have
    /// ended later), and the UHHC reader sets `false` so that its objective is reproduced.
    pub count_wait_after_leading_break: bool,
}

impl Default for Objective {
    fn default() -> Self {
        Objective {
            weights: Weights::default(),
            minimise_vehicles_first: false,
            count_wait_after_leading_break: true,
        }
    }
}

/// Everything a problem consists of, as plain data. Build a [`Problem`] from it with
/// [`Problem::new`]. `Default` gives an empty problem with default objective, handy with
/// struct-update syntax.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemData {
    /// Problem name (instance name).
    #[serde(default)]
    pub name: String,
    /// Locations, one per matrix row.
    pub locations: Vec<Location>,
    /// Travel time in minutes, `travel_time[from][to]`.
    pub travel_time: Matrix,
    /// Distance, when it differs from travel time (`None`: distance = travel time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<Matrix>,
    /// Skill names; [`SkillSet`] bits index this list (at most 64).
    #[serde(default)]
    pub skills: Vec<String>,
    /// Teams.
    #[serde(default)]
    pub teams: Vec<Team>,
    /// Citizens.
    #[serde(default)]
    pub citizens: Vec<Citizen>,
    /// Visits.
    pub visits: Vec<Visit>,
    /// Staff members / vehicles.
    pub staff: Vec<Staff>,
    /// Relations between visits.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Which moment time windows and break windows constrain.
    #[serde(default)]
    pub window_anchor: WindowAnchor,
    /// The objective.
    #[serde(default)]
    pub objective: Objective,
}

/// Stable codes of [`ProblemError`]s. The string form (`as_str`) never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemErrorCode {
    /// A matrix does not match the number of locations.
    MatrixSize,
    /// A matrix value is negative, NaN or infinite.
    MatrixValue,
    /// An index points outside its list.
    IndexOutOfRange,
    /// Two entities share an id.
    DuplicateId,
    /// A number is negative, NaN or infinite where that makes no sense.
    InvalidNumber,
    /// A window's start is after its end, or windows are not sorted by start.
    InvalidWindow,
    /// `staff_count` is not 1 or 2, or more pinned staff than `staff_count`.
    InvalidStaffCount,
    /// More than 64 skills.
    TooManySkills,
    /// A link ties a visit to itself, or its gap has min > max.
    InvalidLink,
    /// More than 2^32 − 1 entities of one kind.
    TooLarge,
    /// A visit is pinned to a staff member who may not do it (lacks a skill, or is refused).
    InvalidPin,
}

impl ProblemErrorCode {
    /// The stable string code, e.g. `"E_INDEX"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemErrorCode::MatrixSize => "E_MATRIX_SIZE",
            ProblemErrorCode::MatrixValue => "E_MATRIX_VALUE",
            ProblemErrorCode::IndexOutOfRange => "E_INDEX",
            ProblemErrorCode::DuplicateId => "E_DUPLICATE_ID",
            ProblemErrorCode::InvalidNumber => "E_NUMBER",
            ProblemErrorCode::InvalidWindow => "E_WINDOW",
            ProblemErrorCode::InvalidStaffCount => "E_STAFF_COUNT",
            ProblemErrorCode::TooManySkills => "E_TOO_MANY_SKILLS",
            ProblemErrorCode::InvalidLink => "E_LINK",
            ProblemErrorCode::TooLarge => "E_TOO_LARGE",
            ProblemErrorCode::InvalidPin => "E_PIN",
        }
    }
}

/// One problem in a [`ProblemData`]: a stable code, the field (a path such as
/// `visits[3].time_windows[1]`) and what is wrong.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{field}: {message} [{}]", code.as_str())]
pub struct ProblemError {
    /// Stable code.
    pub code: ProblemErrorCode,
    /// Path of the offending field.
    pub field: String,
    /// What is wrong and what to do.
    pub message: String,
}

/// A validated, immutable problem. Read it through [`Problem::data`] or the accessors.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    data: ProblemData,
    links_of: Vec<Vec<usize>>,
}

impl Problem {
    /// Validates `data` and builds the problem, or returns every error found.
    pub fn new(data: ProblemData) -> Result<Problem, Vec<ProblemError>> {
        let errors = check(&data);
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut links_of = vec![Vec::new(); data.visits.len()];
        for (i, l) in data.links.iter().enumerate() {
            links_of[l.first.get()].push(i);
            links_of[l.second.get()].push(i);
        }
        Ok(Problem { data, links_of })
    }

    /// The underlying data.
    pub fn data(&self) -> &ProblemData {
        &self.data
    }

    /// Consumes the problem, returning its data (to change it and build a new problem).
    pub fn into_data(self) -> ProblemData {
        self.data
    }

    /// Problem name.
    pub fn name(&self) -> &str {
        &self.data.name
    }

    /// All visits.
    pub fn visits(&self) -> &[Visit] {
        &self.data.visits
    }

    /// One visit.
    pub fn visit(&self, v: VisitIdx) -> &Visit {
        &self.data.visits[v.get()]
    }

    /// All staff.
    pub fn staff(&self) -> &[Staff] {
        &self.data.staff
    }

    /// One staff member.
    pub fn staff_member(&self, s: StaffIdx) -> &Staff {
        &self.data.staff[s.get()]
    }

    /// All links.
    pub fn links(&self) -> &[Link] {
        &self.data.links
    }

    /// Indices into [`Problem::links`] of the links a visit takes part in.
    pub fn links_of(&self, v: VisitIdx) -> &[usize] {
        &self.links_of[v.get()]
    }

    /// Locations.
    pub fn locations(&self) -> &[Location] {
        &self.data.locations
    }

    /// Citizens.
    pub fn citizens(&self) -> &[Citizen] {
        &self.data.citizens
    }

    /// Teams.
    pub fn teams(&self) -> &[Team] {
        &self.data.teams
    }

    /// Skill names.
    pub fn skills(&self) -> &[String] {
        &self.data.skills
    }

    /// The objective.
    pub fn objective(&self) -> &Objective {
        &self.data.objective
    }

    /// Which moment windows constrain.
    pub fn window_anchor(&self) -> WindowAnchor {
        self.data.window_anchor
    }

    /// Travel-time matrix.
    pub fn travel_matrix(&self) -> &Matrix {
        &self.data.travel_time
    }

    /// Distance matrix (the travel-time matrix when no separate one is given).
    pub fn distance_matrix(&self) -> &Matrix {
        self.data
            .distance
            .as_ref()
            .unwrap_or(&self.data.travel_time)
    }

    /// Travel time from `a` to `b`.
    #[inline]
    pub fn travel(&self, a: LocIdx, b: LocIdx) -> Time {
        self.data.travel_time.get(a, b)
    }

    /// Distance from `a` to `b`.
    #[inline]
    pub fn distance(&self, a: LocIdx, b: LocIdx) -> f64 {
        self.distance_matrix().get(a, b)
    }

    /// Index of the visit with this id.
    pub fn visit_by_id(&self, id: &str) -> Option<VisitIdx> {
        self.data
            .visits
            .iter()
            .position(|v| v.id == id)
            .map(VisitIdx::from)
    }

    /// Index of the staff member with this id.
    pub fn staff_by_id(&self, id: &str) -> Option<StaffIdx> {
        self.data
            .staff
            .iter()
            .position(|s| s.id == id)
            .map(StaffIdx::from)
    }
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(s)
    }
}

/// Collects errors with their field paths.
struct Checker {
    errors: Vec<ProblemError>,
}

impl Checker {
    fn err(
        &mut self,
        code: ProblemErrorCode,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.errors.push(ProblemError {
            code,
            field: field.into(),
            message: message.into(),
        });
    }

    fn number(&mut self, field: impl Fn() -> String, value: f64, allow_negative: bool) {
        if !value.is_finite() || (!allow_negative && value < 0.0) {
            self.err(
                ProblemErrorCode::InvalidNumber,
                field(),
                format!(
                    "{value} is not allowed here: give a finite{} number",
                    if allow_negative { "" } else { ", non-negative" }
                ),
            );
        }
    }

    fn index(&mut self, field: impl Fn() -> String, idx: usize, len: usize, what: &str) {
        if idx >= len {
            self.err(
                ProblemErrorCode::IndexOutOfRange,
                field(),
                format!("{what} index {idx} is out of range: there are {len} {what}s"),
            );
        }
    }

    fn window(&mut self, field: impl Fn() -> String, w: &TimeWindow) {
        self.number(|| format!("{}.start", field()), w.start, true);
        self.number(|| format!("{}.end", field()), w.end, true);
        if w.start > w.end {
            self.err(
                ProblemErrorCode::InvalidWindow,
                field(),
                format!("window start {} is after its end {}", w.start, w.end),
            );
        }
    }

    fn skills(&mut self, field: impl Fn() -> String, s: SkillSet, n: usize) {
        if let Some(bad) = s.iter().find(|&i| i >= n) {
            self.err(
                ProblemErrorCode::IndexOutOfRange,
                field(),
                format!("skill index {bad} is out of range: there are {n} skills"),
            );
        }
    }
}

/// A mandatory break that cannot lie inside its shift makes every plan infeasible: say so
/// up front rather than return a plan that silently lacks it.
fn check_break_fits(
    c: &mut Checker,
    field: String,
    s: &Staff,
    b: &BreakRule,
    anchor: WindowAnchor,
) {
    let (earliest_start, latest_start) = match anchor {
        WindowAnchor::Start => (b.window.start, b.window.end),
        WindowAnchor::End => (b.window.start - b.duration, b.window.end - b.duration),
    };
    let earliest_start = earliest_start.max(s.shift.start);
    let latest_start = latest_start.min(s.latest_return() - b.duration);
    if earliest_start > latest_start {
        c.err(
            ProblemErrorCode::InvalidWindow,
            field,
            format!(
                "the mandatory {} min break cannot lie inside the shift {}–{} (latest return {}) \
                 with its window {}–{}: move the window into the shift or make the break optional",
                b.duration,
                s.shift.start,
                s.shift.end,
                s.latest_return(),
                b.window.start,
                b.window.end
            ),
        );
    }
}

fn check_matrix(c: &mut Checker, name: &str, m: &Matrix, n: usize) {
    if m.len() != n {
        c.err(
            ProblemErrorCode::MatrixSize,
            name,
            format!("the matrix is {0}×{0} but there are {n} locations: give one row and column per location", m.len()),
        );
    }
    if let Some(pos) = m.as_slice().iter().position(|x| !x.is_finite() || *x < 0.0) {
        let (i, j) = (pos / m.len().max(1), pos % m.len().max(1));
        c.err(
            ProblemErrorCode::MatrixValue,
            format!("{name}[{i}][{j}]"),
            format!(
                "{} is not a valid travel value: give a finite, non-negative number",
                m.as_slice()[pos]
            ),
        );
    }
}

fn check_unique<'a>(c: &mut Checker, list: &str, ids: impl Iterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            c.err(
                ProblemErrorCode::DuplicateId,
                format!("{list}[{i}].id"),
                format!("id {id:?} is used twice in {list}: ids must be unique"),
            );
        }
    }
}

fn check(d: &ProblemData) -> Vec<ProblemError> {
    let mut c = Checker { errors: Vec::new() };
    let n_loc = d.locations.len();
    let n_staff = d.staff.len();
    let n_visits = d.visits.len();
    for (name, len) in [
        ("locations", n_loc),
        ("visits", n_visits),
        ("staff", n_staff),
        ("citizens", d.citizens.len()),
        ("teams", d.teams.len()),
    ] {
        if len > u32::MAX as usize {
            c.err(
                ProblemErrorCode::TooLarge,
                name,
                "more than 4294967295 entries",
            );
        }
    }
    check_matrix(&mut c, "travel_time", &d.travel_time, n_loc);
    if let Some(m) = &d.distance {
        check_matrix(&mut c, "distance", m, n_loc);
    }
    if d.skills.len() > 64 {
        c.err(
            ProblemErrorCode::TooManySkills,
            "skills",
            format!("{} skills given: at most 64 are supported", d.skills.len()),
        );
    }
    let n_skills = d.skills.len();
    check_unique(&mut c, "visits", d.visits.iter().map(|v| v.id.as_str()));
    check_unique(&mut c, "staff", d.staff.iter().map(|s| s.id.as_str()));
    check_unique(&mut c, "citizens", d.citizens.iter().map(|s| s.id.as_str()));
    check_unique(&mut c, "teams", d.teams.iter().map(|s| s.id.as_str()));

    for (ci, cz) in d.citizens.iter().enumerate() {
        for (k, s) in cz.recent_staff.iter().enumerate() {
            c.index(
                || format!("citizens[{ci}].recent_staff[{k}]"),
                s.get(),
                n_staff,
                "staff",
            );
        }
    }

    for (i, v) in d.visits.iter().enumerate() {
        let f = |s: &str| format!("visits[{i}].{s}");
        c.index(|| f("location"), v.location.get(), n_loc, "location");
        c.number(|| f("duration"), v.duration, false);
        c.number(|| f("unassigned_penalty"), v.unassigned_penalty, false);
        if v.demand < 0 {
            c.err(
                ProblemErrorCode::InvalidNumber,
                f("demand"),
                "demand must be ≥ 0",
            );
        }
        for (k, w) in v.time_windows.iter().enumerate() {
            c.window(|| f(&format!("time_windows[{k}]")), w);
            if k > 0 && v.time_windows[k - 1].start > w.start {
                c.err(
                    ProblemErrorCode::InvalidWindow,
                    f(&format!("time_windows[{k}]")),
                    "time windows must be sorted by start",
                );
            }
        }
        if let Some(ft) = v.fixed_time {
            c.number(|| f("fixed_time.time"), ft.time, true);
            c.number(|| f("fixed_time.tolerance"), ft.tolerance, false);
        }
        if let Some(ps) = v.pinned_start {
            c.number(|| f("pinned_start"), ps, true);
        }
        c.skills(|| f("required_skills"), v.required_skills, n_skills);
        if !(1..=2).contains(&v.staff_count) {
            c.err(
                ProblemErrorCode::InvalidStaffCount,
                f("staff_count"),
                format!(
                    "staff_count is {}: a visit needs 1 or 2 staff members",
                    v.staff_count
                ),
            );
        }
        if v.pinned_staff.len() > v.staff_count as usize {
            c.err(
                ProblemErrorCode::InvalidStaffCount,
                f("pinned_staff"),
                format!(
                    "{} staff pinned but the visit needs {}",
                    v.pinned_staff.len(),
                    v.staff_count
                ),
            );
        }
        if v.pinned_staff.len() == 2 && v.pinned_staff[0] == v.pinned_staff[1] {
            c.err(
                ProblemErrorCode::InvalidStaffCount,
                f("pinned_staff"),
                "a two-person visit needs two different staff members",
            );
        }
        if let Some(ci) = v.citizen {
            c.index(|| f("citizen"), ci.get(), d.citizens.len(), "citizen");
        }
        if let Some(t) = v.team {
            c.index(|| f("team"), t.get(), d.teams.len(), "team");
        }
        for (name, list) in [
            ("preferred_staff", &v.preferred_staff),
            ("refused_staff", &v.refused_staff),
            ("pinned_staff", &v.pinned_staff),
        ] {
            for (k, s) in list.iter().enumerate() {
                c.index(|| f(&format!("{name}[{k}]")), s.get(), n_staff, "staff");
            }
        }
    }

    for (i, v) in d.visits.iter().enumerate() {
        for (k, p) in v.pinned_staff.iter().enumerate() {
            let Some(s) = d.staff.get(p.get()) else {
                continue;
            };
            if !s.skills.covers(v.required_skills) || v.refused_staff.contains(p) {
                c.err(
                    ProblemErrorCode::InvalidPin,
                    format!("visits[{i}].pinned_staff[{k}]"),
                    format!(
                        "the visit is pinned to {:?}, who lacks a required skill or is refused: no plan could keep the pin",
                        s.id
                    ),
                );
            }
        }
    }

    for (i, s) in d.staff.iter().enumerate() {
        let f = |x: &str| format!("staff[{i}].{x}");
        c.window(|| f("shift"), &s.shift);
        if let Some(o) = s.max_overtime {
            c.number(|| f("max_overtime"), o, false);
        }
        c.index(
            || f("start_location"),
            s.start_location.get(),
            n_loc,
            "location",
        );
        c.index(
            || f("end_location"),
            s.end_location.get(),
            n_loc,
            "location",
        );
        c.skills(|| f("skills"), s.skills, n_skills);
        if let Some(t) = s.team {
            c.index(|| f("team"), t.get(), d.teams.len(), "team");
        }
        if s.capacity.is_some_and(|cap| cap < 0) {
            c.err(
                ProblemErrorCode::InvalidNumber,
                f("capacity"),
                "capacity must be ≥ 0",
            );
        }
        c.number(|| f("fixed_cost"), s.fixed_cost, false);
        if let Some(b) = &s.break_rule {
            c.window(|| f("break.window"), &b.window);
            c.number(|| f("break.duration"), b.duration, false);
            c.number(|| f("break.min_shift_length"), b.min_shift_length, false);
            if b.mandatory && s.needs_break() {
                check_break_fits(&mut c, f("break"), s, b, d.window_anchor);
            }
        }
    }

    for (i, l) in d.links.iter().enumerate() {
        let f = |x: &str| format!("links[{i}].{x}");
        c.index(|| f("first"), l.first.get(), n_visits, "visit");
        c.index(|| f("second"), l.second.get(), n_visits, "visit");
        if l.first == l.second {
            c.err(
                ProblemErrorCode::InvalidLink,
                f("second"),
                "a link must tie two different visits",
            );
        }
        if let Some(g) = l.gap {
            c.number(|| f("gap.min"), g.min, true);
            if let Some(max) = g.max {
                c.number(|| f("gap.max"), max, true);
                if g.min > max {
                    c.err(
                        ProblemErrorCode::InvalidLink,
                        f("gap"),
                        format!("gap min {} is greater than max {max}", g.min),
                    );
                }
            }
        }
    }

    let w = &d.objective.weights;
    for (name, value) in [
        ("travel_time", w.travel_time),
        ("distance", w.distance),
        ("unassigned", w.unassigned),
        ("continuity", w.continuity),
        ("preferred", w.preferred),
        ("team_boundary", w.team_boundary),
        ("overtime", w.overtime),
        ("tardiness", w.tardiness),
        ("max_tardiness", w.max_tardiness),
        ("waiting", w.waiting),
        ("max_waiting", w.max_waiting),
        ("idle", w.idle),
        ("max_idle", w.max_idle),
        ("missed_break", w.missed_break),
        ("workload_balance", w.workload_balance),
        ("working_time", w.working_time),
        ("fixed_cost", w.fixed_cost),
    ] {
        c.number(|| format!("objective.weights.{name}"), value, false);
    }
    c.errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_data_with_struct_update_builds() {
        let p = Problem::new(ProblemData {
            locations: vec![Location {
                id: "home".into(),
                coord: None,
            }],
            travel_time: Matrix::from_rows(&[vec![0.0]]).expect("1×1"),
            staff: vec![Staff::new("s", TimeWindow::new(0.0, 60.0), LocIdx(0))],
            ..ProblemData::default()
        })
        .expect("valid");
        assert_eq!(p.staff()[0].latest_return(), f64::INFINITY);
        assert!(p.visits().is_empty());
    }

    fn tiny() -> ProblemData {
        ProblemData {
            name: "tiny".into(),
            locations: vec![
                Location {
                    id: "depot".into(),
                    coord: None,
                },
                Location {
                    id: "a".into(),
                    coord: None,
                },
            ],
            travel_time: Matrix::from_rows(&[vec![0.0, 5.0], vec![6.0, 0.0]]).expect("square"),
            distance: None,
            skills: vec!["nurse".into()],
            teams: vec![],
            citizens: vec![],
            visits: vec![Visit::new("v0", LocIdx(1), 10.0)],
            staff: vec![Staff {
                id: "s0".into(),
                shift: TimeWindow::new(0.0, 480.0),
                max_overtime: Some(0.0),
                start_location: LocIdx(0),
                end_location: LocIdx(0),
                skills: SkillSet::single(0),
                team: None,
                capacity: None,
                break_rule: None,
                fixed_cost: 0.0,
            }],
            links: vec![],
            window_anchor: WindowAnchor::Start,
            objective: Objective::default(),
        }
    }

    #[test]
    fn valid_problem_builds_and_reads_back() {
        let p = Problem::new(tiny()).expect("valid");
        assert_eq!(p.travel(LocIdx(1), LocIdx(0)), 6.0);
        assert_eq!(p.distance(LocIdx(0), LocIdx(1)), 5.0);
        assert_eq!(p.visit_by_id("v0"), Some(VisitIdx(0)));
    }

    #[test]
    fn every_error_is_listed_with_its_field() {
        let mut d = tiny();
        d.visits[0].location = LocIdx(7);
        d.visits[0].staff_count = 3;
        d.visits[0].time_windows = vec![TimeWindow::new(50.0, 10.0)];
        d.staff[0].start_location = LocIdx(9);
        d.links.push(Link {
            first: VisitIdx(0),
            second: VisitIdx(0),
            gap: None,
            distinct_staff: false,
            all_or_none: false,
        });
        let errors = Problem::new(d).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"visits[0].location"), "{fields:?}");
        assert!(fields.contains(&"visits[0].staff_count"), "{fields:?}");
        assert!(fields.contains(&"visits[0].time_windows[0]"), "{fields:?}");
        assert!(fields.contains(&"staff[0].start_location"), "{fields:?}");
        assert!(fields.contains(&"links[0].second"), "{fields:?}");
        assert!(errors[0].to_string().contains("E_INDEX"));
    }

    #[test]
    fn pin_to_unqualified_staff_is_rejected() {
        let mut d = tiny();
        d.visits[0].required_skills = SkillSet::single(0);
        d.staff[0].skills = SkillSet::EMPTY;
        d.visits[0].pinned_staff = vec![StaffIdx(0)];
        let errors = Problem::new(d).expect_err("invalid pin");
        assert_eq!(errors[0].code, ProblemErrorCode::InvalidPin);
        assert_eq!(errors[0].field, "visits[0].pinned_staff[0]");
    }

    #[test]
    fn mandatory_break_that_cannot_lie_in_the_shift_is_rejected() {
        let mut d = tiny();
        let rule = BreakRule {
            window: TimeWindow::new(470.0, 520.0),
            duration: 30.0,
            min_shift_length: 240.0,
            mandatory: true,
        };
        d.staff[0].break_rule = Some(rule);
        let errors = Problem::new(d.clone()).expect_err("break after the shift");
        assert_eq!(errors[0].code, ProblemErrorCode::InvalidWindow);
        assert_eq!(errors[0].field, "staff[0].break");
        assert!(errors[0].message.contains("make the break optional"));

        // Overtime room makes it possible; so does an optional break or an earlier window.
        d.staff[0].max_overtime = Some(20.0);
        assert!(Problem::new(d.clone()).is_ok());
        d.staff[0].max_overtime = Some(0.0);
        d.staff[0].break_rule = Some(BreakRule {
            mandatory: false,
            ..rule
        });
        assert!(Problem::new(d.clone()).is_ok());
        d.staff[0].break_rule = Some(BreakRule {
            window: TimeWindow::new(200.0, 260.0),
            ..rule
        });
        assert!(Problem::new(d).is_ok());
    }

    #[test]
    fn applicable_window_is_last_opened() {
        let mut v = Visit::new("v", LocIdx(0), 1.0);
        v.time_windows = vec![TimeWindow::new(30.0, 270.0), TimeWindow::new(330.0, 570.0)];
        assert_eq!(v.applicable_window(10.0), None);
        assert_eq!(
            v.applicable_window(300.0),
            Some(TimeWindow::new(30.0, 270.0))
        );
        assert_eq!(
            v.applicable_window(330.0),
            Some(TimeWindow::new(330.0, 570.0))
        );
    }
}

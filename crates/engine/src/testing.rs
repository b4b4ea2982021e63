//! Random small home-care problems for property tests (feature `testing`).
//!
//! Enable it from a test crate with the `testing` feature (the engine's own integration
//! tests get it through a dev-dependency on itself), then:
//!
//! ```ignore
//! use nabo_engine::testing::{problems, GenConfig};
//! use proptest::prelude::*;
//! proptest! {
//!     #[test]
//!     fn every_plan_is_valid(problem in problems(GenConfig::default())) {
//!         let plan = /* solve */;
//!         prop_assert!(nabo_engine::validate(&problem, &plan).is_feasible());
//!     }
//! }
//! ```
//!
//! What a generated problem holds (each feature can be switched off in [`GenConfig`]): one
//! depot and 1–`max_visits` visits at citizens' homes on a 60 × 60 km grid with integer
//! travel minutes (slightly asymmetric); ordered qualification levels (helper < assistant <
//! nurse, each level holding the lower ones) plus a separate therapist skill; one or two
//! time windows, some soft; fixed-time visits with tolerance; two-person visits; optional
//! visits; preferred and refused staff; continuity history; two teams; demands and
//! capacities; shifts with or without overtime allowance; lunch breaks (some mandatory);
//! precedence (min gap, sometimes a max gap) and synchronised links between visits of one
//! citizen; visits pinned to a staff member; windows anchored at the start or the end.
//!
//! Every generated problem has at least one feasible plan: each staff member with a pinned
//! visit drives to it at shift start, does it, takes any mandatory break there when the
//! break window opens and drives home; everyone else takes any mandatory break at the start
//! location; every other visit is unassigned. (Break windows lie inside shifts, start = end
//! location, pinned visits have no window, skill, refusal or link, and at most one pin per
//! staff member; `tests/generator.rs` checks this plan on every generated problem.) Generation is a pure function of (config, sizes, seed), so a
//! failing case shrinks on the number of visits and staff and reproduces exactly.

use crate::problem::{
    BreakRule, Citizen, CitizenIdx, FixedTime, Gap, Link, LocIdx, Location, Matrix, Objective,
    Problem, ProblemData, SkillSet, Staff, StaffIdx, Team, TeamIdx, TimeWindow, Visit, VisitIdx,
    WindowAnchor, WindowKind,
};
use proptest::prelude::*;

/// Which features the generator uses, and how large problems get.
#[derive(Clone, Copy, Debug)]
pub struct GenConfig {
    /// Upper bound on the number of visits (≥ 1).
    pub max_visits: usize,
    /// Upper bound on the number of staff members (≥ 1).
    pub max_staff: usize,
    /// Two-person visits.
    pub two_person: bool,
    /// Lunch breaks.
    pub breaks: bool,
    /// Precedence and synchronisation links.
    pub links: bool,
    /// Soft (priced) time windows.
    pub soft_windows: bool,
    /// Fixed-time visits.
    pub fixed_times: bool,
    /// Demands and capacities.
    pub capacity: bool,
    /// Qualification levels and a therapist skill (otherwise nobody needs a skill).
    pub skills: bool,
    /// Preferred/refused staff, continuity history and teams.
    pub preferences: bool,
    /// Visits pinned to a staff member (at most one per staff member, always keepable).
    pub pins: bool,
    /// Let about half of the problems anchor windows at the service end (UHHC
    /// `at_service_end`) instead of the start.
    pub end_anchor: bool,
    /// Let about a third of the problems give staff a fixed cost of working at all, which
    /// makes the solver try to empty whole routes (its fleet minimisation).
    pub fixed_costs: bool,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            max_visits: 14,
            max_staff: 4,
            two_person: true,
            breaks: true,
            links: true,
            soft_windows: true,
            fixed_times: true,
            capacity: true,
            skills: true,
            preferences: true,
            pins: true,
            end_anchor: true,
            fixed_costs: true,
        }
    }
}

impl GenConfig {
    /// Plain VRPTW: hard windows and capacity only.
    pub fn vrptw() -> GenConfig {
        GenConfig {
            two_person: false,
            breaks: false,
            links: false,
            soft_windows: false,
            fixed_times: false,
            skills: false,
            preferences: false,
            pins: false,
            end_anchor: false,
            fixed_costs: false,
            ..GenConfig::default()
        }
    }
}

/// A strategy producing random valid problems under `config`.
pub fn problems(config: GenConfig) -> impl Strategy<Value = Problem> {
    (
        1..=config.max_visits.max(1),
        1..=config.max_staff.max(1),
        any::<u64>(),
    )
        .prop_map(move |(visits, staff, seed)| generate(&config, visits, staff, seed))
}

/// SplitMix64: tiny, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    /// True with probability `p` (percent).
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const HELPER: usize = 0;
const ASSISTANT: usize = 1;
const NURSE: usize = 2;
const THERAPIST: usize = 3;

fn level_skills(level: usize) -> SkillSet {
    let mut s = SkillSet::EMPTY;
    for l in 0..=level.min(NURSE) {
        s.insert(l);
    }
    s
}

/// Builds one problem; a pure function of its arguments.
pub fn generate(config: &GenConfig, n_visits: usize, n_staff: usize, seed: u64) -> Problem {
    let mut rng = Rng(seed);
    let n_citizens = n_visits.div_ceil(2).max(1);
    // Location 0 is the depot; location 1 + c is citizen c's home.
    let coords: Vec<[f64; 2]> = (0..=n_citizens)
        .map(|_| [rng.range(0, 60) as f64, rng.range(0, 60) as f64])
        .collect();
    let n_loc = coords.len();
    let mut travel = Vec::with_capacity(n_loc * n_loc);
    for (i, a) in coords.iter().enumerate() {
        for (j, b) in coords.iter().enumerate() {
            let d = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2))
                .sqrt()
                .round();
            // A little asymmetry (one-way streets), never on the diagonal.
            let extra = if i != j && rng.chance(20) { 1.0 } else { 0.0 };
            travel.push(d + extra);
        }
    }
    let travel =
        Matrix::from_row_major(n_loc, travel).unwrap_or_else(|| Matrix::euclidean(&coords));

    let teams = if config.preferences { 2 } else { 0 };
    let fixed_costs = config.fixed_costs && rng.chance(33);
    let staff: Vec<Staff> = (0..n_staff)
        .map(|i| {
            let start = [360.0, 420.0, 480.0][rng.range(0, 2) as usize];
            let length = [300.0, 420.0, 480.0][rng.range(0, 2) as usize];
            let mut skills = if config.skills {
                level_skills(rng.range(0, 2) as usize)
            } else {
                SkillSet::EMPTY
            };
            if config.skills && rng.chance(15) {
                skills.insert(THERAPIST);
            }
            let break_rule = (config.breaks && rng.chance(60)).then(|| BreakRule {
                // Inside every shift: shifts start by 480 and last ≥ 300 minutes.
                window: TimeWindow::new(start + 150.0, start + 270.0),
                duration: 30.0,
                min_shift_length: 360.0,
                mandatory: rng.chance(50),
            });
            Staff {
                id: format!("s{i}"),
                shift: TimeWindow::new(start, start + length),
                max_overtime: if rng.chance(50) {
                    Some(rng.range(0, 60) as f64)
                } else {
                    None
                },
                start_location: LocIdx(0),
                end_location: LocIdx(0),
                skills,
                team: (teams > 0).then(|| TeamIdx(rng.range(0, 1) as u32)),
                capacity: config.capacity.then(|| rng.range(5, 15) as i64),
                break_rule,
                fixed_cost: if fixed_costs {
                    rng.range(10, 100) as f64
                } else {
                    0.0
                },
            }
        })
        .collect();

    let citizens: Vec<Citizen> = (0..n_citizens)
        .map(|c| Citizen {
            id: format!("c{c}"),
            recent_staff: if config.preferences {
                (0..n_staff)
                    .filter(|_| rng.chance(30))
                    .map(StaffIdx::from)
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect();

    let mut visits: Vec<Visit> = Vec::with_capacity(n_visits);
    let mut pinned_staff = vec![false; n_staff];
    for k in 0..n_visits {
        let c = k % n_citizens;
        let mut v = Visit::new(
            format!("v{k}"),
            LocIdx::from(1 + c),
            (rng.range(1, 12) * 5) as f64,
        );
        let open = (rng.range(72, 170) * 5) as f64; // 06:00 .. 14:10
        let len = (rng.range(6, 48) * 5) as f64;
        v.time_windows = vec![TimeWindow::new(open, open + len)];
        if rng.chance(20) {
            let open2 = open + len + (rng.range(6, 36) * 5) as f64;
            v.time_windows.push(TimeWindow::new(open2, open2 + len));
        }
        if config.soft_windows && rng.chance(30) {
            v.window_kind = WindowKind::Soft;
        }
        if config.fixed_times && rng.chance(10) {
            v.fixed_time = Some(FixedTime {
                time: open + (rng.range(0, len as u64 / 5) * 5) as f64,
                tolerance: 15.0,
            });
        }
        if config.skills {
            v.required_skills = match rng.range(0, 9) {
                0..=3 => SkillSet::EMPTY,
                4..=5 => SkillSet::single(HELPER),
                6 => SkillSet::single(ASSISTANT),
                7..=8 => SkillSet::single(NURSE),
                _ => SkillSet::single(THERAPIST),
            };
        }
        if config.two_person && rng.chance(15) {
            v.staff_count = 2;
        }
        if config.capacity {
            v.demand = rng.range(0, 3) as i64;
        }
        v.unassigned_penalty = (rng.range(1, 10) * 100) as f64;
        v.optional = rng.chance(20);
        v.citizen = Some(CitizenIdx::from(c));
        if config.preferences {
            v.team = Some(TeamIdx(rng.range(0, 1) as u32));
            if n_staff > 1 && rng.chance(20) {
                v.preferred_staff = vec![StaffIdx::from(rng.range(0, n_staff as u64 - 1) as usize)];
            }
            if n_staff > 1 && rng.chance(10) {
                v.refused_staff = vec![StaffIdx::from(rng.range(0, n_staff as u64 - 1) as usize)];
            }
        }
        if config.pins && rng.chance(8) {
            // Keepable by construction: no window, skill, refusal or link; the staff member
            // drives there at shift start (≤ 86 min), works ≤ 60 min, takes any break there
            // when its window opens (150 min into the shift) and is home within 270 min.
            if let Some(s) = (0..n_staff).find(|s| !pinned_staff[*s]) {
                pinned_staff[s] = true;
                v.pinned_staff = vec![StaffIdx::from(s)];
                v.time_windows.clear();
                v.fixed_time = None;
                v.required_skills = SkillSet::EMPTY;
                v.refused_staff.clear();
                v.staff_count = 1;
                v.optional = false;
            }
        }
        visits.push(v);
    }

    let mut links = Vec::new();
    if config.links {
        // Visits k and k + n_citizens belong to the same citizen.
        for first in 0..n_visits {
            let second = first + n_citizens;
            if second >= n_visits
                || !visits[first].pinned_staff.is_empty()
                || !visits[second].pinned_staff.is_empty()
                || !rng.chance(40)
            {
                continue;
            }
            let link = if rng.chance(60) {
                // Precedence, e.g. medicine some hours apart.
                Link {
                    first: VisitIdx::from(first),
                    second: VisitIdx::from(second),
                    gap: Some(Gap {
                        min: (rng.range(6, 36) * 5) as f64,
                        max: rng.chance(50).then(|| (rng.range(40, 80) * 5) as f64),
                    }),
                    distinct_staff: false,
                    all_or_none: rng.chance(50),
                }
            } else {
                // Two staff members at once, possibly with different skills.
                Link {
                    first: VisitIdx::from(first),
                    second: VisitIdx::from(second),
                    gap: Some(Gap {
                        min: 0.0,
                        max: Some(0.0),
                    }),
                    distinct_staff: true,
                    all_or_none: true,
                }
            };
            links.push(link);
        }
    }

    let data = ProblemData {
        name: format!("gen-{n_visits}x{n_staff}-{seed:016x}"),
        locations: coords
            .iter()
            .enumerate()
            .map(|(i, c)| Location {
                id: if i == 0 {
                    "depot".into()
                } else {
                    format!("home{}", i - 1)
                },
                coord: Some(*c),
            })
            .collect(),
        travel_time: travel,
        distance: None,
        skills: ["helper", "assistant", "nurse", "therapist"]
            .map(String::from)
            .to_vec(),
        teams: (0..teams)
            .map(|t| Team {
                id: format!("T{t}"),
            })
            .collect(),
        citizens,
        visits,
        staff,
        links,
        window_anchor: if config.end_anchor && rng.chance(50) {
            WindowAnchor::End
        } else {
            WindowAnchor::Start
        },
        objective: Objective::default(),
    };
    match Problem::new(data) {
        Ok(p) => p,
        // The generator only builds valid data; a failure here is a bug in this module.
        Err(errors) => panic!("testing::generate built an invalid problem: {errors:?}"),
    }
}

//! The search's own flat, index-based copy of a problem.
//!
//! Everything the inner loops touch is a dense `Vec` indexed by task, vehicle or location,
//! so that one insertion check costs a handful of loads. It is built once per solve and
//! never changed during the search.

use smallvec::SmallVec;

/// A time window `[open, close]` on the service start.
pub(crate) type Window = (f64, f64);

/// How two tasks are tied together in time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum LinkKind {
    /// Both start at the same time, on different vehicles (a two-person visit).
    Sync,
    /// `start(b) - start(a)` must lie in `[min, max]`.
    Gap { min: f64, max: f64 },
    /// Only: done by different vehicles.
    Distinct,
    /// No timing: only "both or neither" (handled by grouping).
    Together,
}

impl LinkKind {
    /// The earliest starts of `a` and `b` this link allows given their current starts
    /// `sa` and `sb`; `None` for links without timing.
    pub(crate) fn earliest_starts(self, sa: f64, sb: f64) -> Option<(f64, f64)> {
        match self {
            LinkKind::Sync => Some((sb, sa)),
            LinkKind::Gap { min, max } => Some((sb - max, sa + min)),
            LinkKind::Distinct | LinkKind::Together => None,
        }
    }

    /// The latest starts of `a` and `b` this link allows given the latest starts `la` and
    /// `lb` their routes allow; `None` for links without timing.
    pub(crate) fn latest_starts(self, la: f64, lb: f64) -> Option<(f64, f64)> {
        match self {
            LinkKind::Sync => Some((lb, la)),
            LinkKind::Gap { min, max } => Some((lb - min, la + max)),
            LinkKind::Distinct | LinkKind::Together => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Link {
    pub a: u32,
    pub b: u32,
    pub kind: LinkKind,
}

/// Laid out by hand, one cache line per group: what every schedule pass reads (windows,
/// service, location, the break flag) fills the first line, what pricing a stop reads the
/// second, and the rest the third and fourth. Left to the compiler, a stop's schedule
/// touched three lines of a task.
#[derive(Clone, Debug)]
#[repr(C, align(64))]
pub(crate) struct Task {
    /// Sorted, disjoint windows on the service start. Kept in the task (nearly every task
    /// has one or two): every schedule pass reads them, and a separate allocation was a
    /// cache miss per stop.
    pub windows: SmallVec<[Window; 2]>,
    pub service: f64,
    /// Location index into the matrices; `None` for a break (it is taken wherever the
    /// vehicle is, so travel into it is zero and travel out of it starts from the previous
    /// location).
    pub loc: Option<u32>,
    /// A break belongs to exactly one vehicle and never leaves it.
    pub is_break: bool,
    /// Must be served (lexicographic first level: non-optional visits, mandatory breaks).
    pub must: bool,
    /// The first (or only) task of its visit: the left-out count counts visits, as the
    /// validator does, so a two-person visit left out counts once, not once per half.
    pub first_of_visit: bool,
    /// Links this task takes part in (indices into `Inst::links`).
    pub links: Vec<u32>,
    /// Extra cost when done by a given vehicle (preferences, refusals, team boundary),
    /// empty when zero for every vehicle.
    pub vehicle_cost: Vec<f64>,
    /// Cost of doing the task at all (working-time weight × duration).
    pub service_cost: f64,
    pub demand: f64,
    /// Allowed vehicles (bitset over vehicle indices).
    pub allowed: Vec<u64>,
    /// Soft windows: `windows` holds only the feasibility bound (no start before the first
    /// opening) and `soft_windows` the windows whose lateness is priced.
    pub soft_windows: Vec<Window>,
    /// Cost of leaving the task unassigned.
    pub unassigned_cost: f64,
    /// Continuity group (the citizen) of this task, if continuity is priced.
    pub citizen: Option<u32>,
    /// The team that owns the visit, if any.
    pub team: Option<u32>,
    /// Pinned to this vehicle (already started or fixed by the planner).
    pub pinned: Option<u32>,
}

#[derive(Clone, Debug)]
pub(crate) struct Vehicle {
    pub start_loc: u32,
    pub end_loc: u32,
    /// Earliest departure.
    pub shift_start: f64,
    /// Latest return (hard).
    pub shift_end: f64,
    /// Return after this costs `overtime_cost` per time unit (soft end), up to `shift_end`.
    pub regular_end: f64,
    pub capacity: f64,
    /// Cost of using the vehicle at all (hierarchical vehicle minimisation uses a large one).
    pub fixed_cost: f64,
    /// Staff member behind the vehicle, for continuity.
    pub staff: u32,
    pub break_task: Option<u32>,
    /// The staff member's team, if any.
    pub team: Option<u32>,
}

#[derive(Clone, Debug)]
pub(crate) struct Inst {
    pub n_loc: usize,
    /// Travel time and cost of every leg, row-major `n_loc * n_loc` (from, to).
    pub legs: Vec<Leg>,
    pub tasks: Vec<Task>,
    pub vehicles: Vec<Vehicle>,
    pub links: Vec<Link>,
    /// Cost per extra time unit after `regular_end`.
    pub overtime_cost: f64,
    /// Weights of the schedule-dependent terms (see `Weights`).
    pub w_tardiness: f64,
    pub w_max_tardiness: f64,
    pub w_waiting: f64,
    pub w_max_waiting: f64,
    pub w_idle: f64,
    pub w_max_idle: f64,
    pub w_balance: f64,
    /// Route costs depend on the schedule (soft windows, waiting, overtime, ...): insertion
    /// deltas come from an exact simulation of the route instead of the O(1) arc delta.
    pub exact: bool,
    /// All vehicles are interchangeable (benchmarks): only one empty one need be tried.
    pub uniform_fleet: bool,
    /// Waiting right after a break that opens a route is not counted (UHHC).
    pub count_wait_after_leading_break: bool,
    /// Some task has a load (the VRPTW benchmarks): otherwise every load is 0 and a
    /// refresh need not sum them.
    pub has_demand: bool,
    /// Cost per distinct staff member a citizen sees who is not in `known`.
    pub continuity_cost: f64,
    /// For each citizen, staff ids already known (sorted).
    pub known: Vec<Vec<u32>>,
    /// For each task, the other tasks sorted by increasing travel (nearest first).
    pub neighbours: Vec<Vec<u32>>,
}

/// The set bits of a word, lowest first.
struct Bits(u64);

impl Iterator for Bits {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let b = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(b)
    }
}

/// One leg's travel time and its cost (already weighted), side by side: whoever reads one
/// reads the other, so both come in one cache line.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Leg {
    pub time: f64,
    pub cost: f64,
}

// The layout above, checked (on 64-bit targets, where it was measured): the second
// group starts on the second line, and the task takes four.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::offset_of!(Task, links) == 64);
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Task>() == 256);

impl Inst {
    #[inline]
    pub(crate) fn t(&self, from: u32, to: u32) -> f64 {
        self.leg(from, to).time
    }

    #[inline]
    pub(crate) fn c(&self, from: u32, to: u32) -> f64 {
        self.leg(from, to).cost
    }

    #[inline]
    pub(crate) fn leg(&self, from: u32, to: u32) -> Leg {
        self.legs[from as usize * self.n_loc + to as usize]
    }

    /// The vehicles that may do `task`, ascending. Route `i` is vehicle `i`'s, so the
    /// insertion scan visits only these routes: fewer than half of a demo day's.
    #[inline]
    pub(crate) fn allowed_vehicles(&self, task: u32) -> impl Iterator<Item = usize> + '_ {
        self.tasks[task as usize]
            .allowed
            .iter()
            .enumerate()
            .flat_map(|(w, &word)| Bits(word).map(move |b| w * 64 + b))
    }

    /// Weights of the "largest value" terms, in the order of `solution::max_value`'s
    /// index: tardiness, waiting, idle time.
    pub(crate) fn max_weights(&self) -> [f64; 3] {
        [self.w_max_tardiness, self.w_max_waiting, self.w_max_idle]
    }

    #[inline]
    pub(crate) fn allowed(&self, task: u32, vehicle: usize) -> bool {
        let a = &self.tasks[task as usize].allowed;
        a[vehicle / 64] >> (vehicle % 64) & 1 == 1
    }

    #[inline]
    pub(crate) fn vehicle_cost(&self, task: u32, vehicle: usize) -> f64 {
        let vc = &self.tasks[task as usize].vehicle_cost;
        if vc.is_empty() {
            0.0
        } else {
            vc[vehicle]
        }
    }

    #[inline]
    pub(crate) fn is_must(&self, task: u32) -> bool {
        self.tasks[task as usize].must
    }

    /// What leaving this task out adds to the count of required visits left out.
    #[inline]
    pub(crate) fn must_count(&self, task: u32) -> usize {
        let t = &self.tasks[task as usize];
        usize::from(t.must && t.first_of_visit)
    }

    /// Fills `neighbours` from the travel matrix (symmetrised), breaks excluded.
    pub(crate) fn build_neighbours(&mut self) {
        let n = self.tasks.len();
        let mut nb = Vec::with_capacity(n);
        for i in 0..n {
            let Some(li) = self.tasks[i].loc else {
                nb.push(Vec::new());
                continue;
            };
            let mut v: Vec<(f64, u32)> = (0..n)
                .filter(|&j| j != i)
                .filter_map(|j| {
                    self.tasks[j]
                        .loc
                        .map(|lj| (self.t(li, lj) + self.t(lj, li), j as u32))
                })
                .collect();
            // Ties go by index, so the order is total and an unstable sort gives the same.
            v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            nb.push(v.into_iter().map(|x| x.1).collect());
        }
        self.neighbours = nb;
    }
}

/// Earliest start at or after `t` inside one of `windows`, if any.
#[inline]
pub(crate) fn earliest_in(windows: &[Window], t: f64) -> Option<f64> {
    for &(o, c) in windows {
        if t <= c {
            return Some(if t < o { o } else { t });
        }
    }
    None
}

/// Latest start at or before `t` inside one of `windows`, if any.
#[inline]
pub(crate) fn latest_in(windows: &[Window], t: f64) -> Option<f64> {
    for &(o, c) in windows.iter().rev() {
        if t >= o {
            return Some(if t > c { c } else { t });
        }
    }
    None
}

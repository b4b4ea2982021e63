//! The mutable search state: routes with cached forward (earliest start) and backward
//! (latest start) schedules, so that inserting a task between two neighbours is checked
//! in O(1) — the classic Savelsbergh/Kindervater forward-slack test, kept exact for
//! several windows per task (see `insert_check`).

use super::eval::{eval_seq, RouteEval};
use super::inst::{earliest_in, latest_in, Inst, Link, LinkKind};

pub(crate) const NONE: u32 = u32::MAX;
/// Safety margin of the O(1) latest-start test: the backward pass sums in a different order
/// from the forward pass, so a move that is feasible by less than this is left alone rather
/// than risk a 1e-13 violation. The exact forward pass decides what is kept.
pub(crate) const EPS: f64 = 1e-7;

#[derive(Debug, Default)]
pub(crate) struct Route {
    pub veh: usize,
    pub nodes: Vec<u32>,
    /// Effective location per position `0..=n+1` (0 = start depot, n+1 = end depot).
    pub loc: Vec<u32>,
    /// Earliest service start per position (position 0: departure, n+1: arrival).
    pub start: Vec<f64>,
    /// Latest service start per position keeping the rest of the route feasible.
    pub latest: Vec<f64>,
    /// Per gap `p` (between positions `p` and `p + 1`, `p` in `0..=n`): what the
    /// insertion scan reads of it, side by side (see [`Gap`]).
    pub gaps: Vec<Gap>,
    /// Load picked up up to and including each position.
    pub cum_load: Vec<f64>,
    /// Per position `0..=n`: the cost of the stop there (its arc in, its staff and service
    /// costs; 0 at the depot). A refresh from a stop sums them up to it in the order a
    /// full one does, and one that finds the stops past it unchanged sums theirs.
    pub stop_cost: Vec<f64>,
    pub load: f64,
    /// Arc cost + fixed cost (if used) + task-vehicle costs + overtime.
    pub cost: f64,
    pub feasible: bool,
    /// The route holds a break: its neighbours' effective locations shift when tasks move
    /// around it, so checks next to it fall back to a forward simulation.
    pub has_break: bool,
    pub has_link: bool,
    pub has_visit: bool,
    /// Exact evaluation (schedule-dependent terms), kept in exact mode.
    pub eval: RouteEval,
    /// Scratch for the exact evaluation (reused allocations).
    pub sched_loc: Vec<u32>,
    pub sched_start: Vec<f64>,
    /// Changes with every change of the route (see [`new_stamp`]): two routes with the
    /// same stamp are the same, so a plan copies only the routes that differ.
    pub stamp: u64,
}

impl Route {
    /// Sizes the caches for `stops` stops: per position (the depots and each stop) and
    /// per gap between them.
    fn size_caches(&mut self, stops: usize) {
        let (positions, gaps) = (stops + 2, stops + 1);
        self.loc.resize(positions, 0);
        self.start.resize(positions, 0.0);
        self.latest.resize(positions, 0.0);
        self.cum_load.resize(positions, 0.0);
        self.gaps.resize(gaps, Gap::default());
        self.stop_cost.resize(gaps, 0.0);
    }

    /// Whether the caches are sized for `stops` stops, as a refresh of that many leaves
    /// them (a route whose stops changed since fails this and is refreshed in full).
    fn caches_fit(&self, stops: usize) -> bool {
        let (positions, gaps) = (stops + 2, stops + 1);
        self.loc.len() == positions
            && self.start.len() == positions
            && self.latest.len() == positions
            && self.cum_load.len() == positions
            && self.gaps.len() == gaps
            && self.stop_cost.len() == gaps
    }
}

/// What the insertion scan needs of one gap of a route, in one place: the scan reads
/// both for every gap it passes, and two vectors were two cache misses per route.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Gap {
    /// When the stop before the gap is done at the earliest (departure from the depot
    /// for the first gap).
    pub done: f64,
    /// The latest start of the visit after the gap (a break moves with the visit before
    /// it, so past a break, of the visit after that; the shift end after the last). A
    /// task that cannot be done by then, or that lasts longer than the time from `done`
    /// to then, cannot fit the gap whatever the travel: nearly every gap of a full day
    /// fails this way, and the scan skips them without the full check. Neither this nor
    /// `done` ever falls along a route, so the gaps a time window allows are one run.
    pub next_latest: f64,
}

/// A stamp no route or citizen of any plan has had (unique across threads: plans move
/// between them). A step changes a few routes of the day, and copying whole plans (the
/// current one to the candidate, the accepted candidate back) cost a twelfth of a
/// 352-citizen day's search.
fn new_stamp() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Clone for Route {
    fn clone(&self) -> Self {
        let mut r = Route::default();
        r.clone_from(self);
        r
    }
    fn clone_from(&mut self, o: &Self) {
        self.veh = o.veh;
        self.nodes.clone_from(&o.nodes);
        self.loc.clone_from(&o.loc);
        self.start.clone_from(&o.start);
        self.latest.clone_from(&o.latest);
        self.gaps.clone_from(&o.gaps);
        self.cum_load.clone_from(&o.cum_load);
        self.stop_cost.clone_from(&o.stop_cost);
        self.load = o.load;
        self.cost = o.cost;
        self.feasible = o.feasible;
        self.has_break = o.has_break;
        self.has_link = o.has_link;
        self.has_visit = o.has_visit;
        self.eval = o.eval;
        self.stamp = o.stamp;
    }
}

/// What insertions and link propagation changed, newest last, so that a failed attempt
/// (one candidate position, or a two-person visit whose second half finds no place) is
/// taken back exactly by [`Solution::rollback`] instead of re-settling every link.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    entries: Vec<Entry>,
    /// Route copies no longer needed, kept with their buffers: saving a route then copies
    /// into one instead of allocating (allocation was a tenth of a demo day's search).
    /// Boxed as in `Entry`: a copy moves between the two without moving the route.
    #[allow(clippy::vec_box)]
    spare: Vec<Box<Route>>,
}

#[derive(Debug)]
enum Entry {
    /// A route as it was before the first change since the enclosing mark.
    Route(usize, Box<Route>),
    /// A task's (lb, ub) before a change.
    Bounds(u32, f64, f64),
    /// A task was inserted.
    Inserted(u32),
}

impl Journal {
    pub(crate) fn clear(&mut self) {
        for e in self.entries.drain(..) {
            if let Entry::Route(_, r) = e {
                self.spare.push(r);
            }
        }
    }
    /// A point to roll back to.
    pub(crate) fn mark(&self) -> usize {
        self.entries.len()
    }
    fn save_route(&mut self, mark: usize, ri: usize, r: &Route) {
        let saved = self.entries[mark..]
            .iter()
            .any(|e| matches!(e, Entry::Route(i, _) if *i == ri));
        if !saved {
            let copy = match self.spare.pop() {
                Some(mut spare) => {
                    (*spare).clone_from(r);
                    spare
                }
                None => Box::new(r.clone()),
            };
            self.entries.push(Entry::Route(ri, copy));
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Solution {
    pub routes: Vec<Route>,
    pub route_of: Vec<u32>,
    /// Lower/upper bounds on start times imposed by linked tasks (sync, gaps).
    pub lb: Vec<f64>,
    pub ub: Vec<f64>,
    /// The tasks that take part in a link: no other task's bounds ever leave ±∞.
    pub bounded: Vec<u32>,
    /// Per citizen: (staff, number of the citizen's tasks that staff member does).
    pub seen: Vec<Vec<(u32, u32)>>,
    /// Per citizen, renewed with every change of `seen` (as [`Route::stamp`]).
    pub seen_stamp: Vec<u64>,
    pub continuity: f64,
    pub unassigned: Vec<u32>,
    pub unassigned_cost: f64,
    /// Required visits left out (a two-person visit counts once).
    pub n_must_unassigned: usize,
    pub global_cost: f64,
    /// The search's smoothed stand-in for the max terms: Σ_k w_k (Σ_r v_rk^P)^(1/P).
    pub smooth_cost: f64,
    /// A settle of the links failed: starts and bounds are half-way, and a route that is
    /// refreshed later may look feasible while a link between two routes is broken. Such
    /// a plan is never accepted ([`Solution::all_feasible`]); only a full settle that
    /// succeeds clears it.
    pub links_broken: bool,
}

/// Exponent of the p-norm standing in for the max terms during search. The norm of n
/// equal values is n^(1/P) times their max, so a small P prices lowering every route's
/// value by one minute at that many times the max's one minute: on UHHC's i-175 (63 staff
/// members, largest idle time weighted 89 against travel 2) P = 4 priced idle 2.8 times
/// over, and the search bought idle time down with travel (30 s: travel 10,746 against
/// the published SA plan's 7,210; objective +6.4 % to SA). P = 32 prices it 1.14 times.
pub(crate) const P: i32 = 32;

/// The p-norm of one max term over the routes as they stand, kept so that one route's
/// value can be replaced in O(1): the terms are scaled by the largest value (no overflow
/// at P = 32), and the sum without the route that holds it is kept apart, since taking
/// the dominant term back out of the total would cancel every digit of the rest.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MaxNorm {
    top: f64,
    top_route: usize,
    /// Σ_r (v_r / top)^P over all routes, and over all but `top_route`.
    all: f64,
    rest: f64,
}

impl MaxNorm {
    pub(crate) fn over(routes: &[Route], k: usize) -> Self {
        let (mut top, mut top_route) = (0.0, usize::MAX);
        for (ri, r) in routes.iter().enumerate() {
            let v = max_value(&r.eval, k);
            if v > top {
                (top, top_route) = (v, ri);
            }
        }
        let mut n = MaxNorm {
            top,
            top_route,
            all: 0.0,
            rest: 0.0,
        };
        if top > 0.0 {
            for (ri, r) in routes.iter().enumerate() {
                if ri != top_route {
                    n.rest += n.scaled(max_value(&r.eval, k));
                }
            }
            n.all = n.rest + 1.0;
        }
        n
    }

    fn scaled(&self, v: f64) -> f64 {
        (v.max(0.0) / self.top).powi(P)
    }

    /// The norm as it stands.
    pub(crate) fn norm(&self) -> f64 {
        self.top * self.all.powf(1.0 / f64::from(P))
    }

    /// The norm with route `ri`'s value `old` replaced by `new`.
    pub(crate) fn with(&self, ri: usize, old: f64, new: f64) -> f64 {
        let new = new.max(0.0);
        if self.top <= 0.0 {
            return new;
        }
        let others = if ri == self.top_route {
            self.rest
        } else {
            (self.all - self.scaled(old)).max(0.0)
        };
        // Rescale to the larger of the old top and the new value.
        let s = self.top.max(new);
        let sum = others * (self.top / s).powi(P) + (new / s).powi(P);
        s * sum.powf(1.0 / f64::from(P))
    }
}

/// The start bounds of every task, borrowed apart from the routes (see
/// [`Solution::bounds`]): what a route's refresh reads besides the route.
#[derive(Clone, Copy)]
pub(crate) struct StartBounds<'a> {
    lb: &'a [f64],
    ub: &'a [f64],
}

impl StartBounds<'_> {
    /// Recomputes a route's schedule and cost from its node list (O(n)).
    fn refresh_route(&self, inst: &Inst, r: &mut Route) {
        r.feasible = true;
        r.has_break = false;
        r.has_link = false;
        r.has_visit = false;
        let n = r.nodes.len();
        r.size_caches(n);
        self.refresh_from(inst, r, 0, n, false);
    }

    /// Recomputes route `r` after `r.nodes.insert(p, t)` when its caches are those of the
    /// route before (refreshed with the bounds as they are, and feasible). The stops before
    /// `t` keep their earliest starts, and the stops past it keep their latest starts
    /// (past the breaks right after it too: a break is taken where `t` now is), so the
    /// forward pass starts at `t` and the backward pass stops at it; each stops sooner
    /// where a stop keeps its time (see [`StartBounds::refresh_from`]). The same values as
    /// [`StartBounds::refresh_route`], to the bit.
    pub(crate) fn refresh_after_insert(&self, inst: &Inst, r: &mut Route, p: usize) {
        let n = r.nodes.len();
        if p == 0 || !r.feasible || !r.caches_fit(n - 1) {
            return self.refresh_route(inst, r);
        }
        // Every cache past the new stop (position p + 1) moves up one place, so that the
        // passes find each stop's old values where its new ones go. Gap p keeps when the
        // stop before it is done; the gap after the new stop keeps the old gap's next
        // latest start.
        r.loc.insert(p + 1, 0);
        r.start.insert(p + 1, 0.0);
        r.latest.insert(p + 1, 0.0);
        r.stop_cost.insert(p + 1, 0.0);
        r.cum_load.insert(p + 1, 0.0);
        let next_latest = r.gaps[p].next_latest;
        r.gaps.insert(
            p + 1,
            Gap {
                done: 0.0,
                next_latest,
            },
        );
        let mut back_from = p + 1;
        while back_from < n && inst.tasks[r.nodes[back_from] as usize].loc.is_none() {
            back_from += 1;
        }
        self.refresh_from(inst, r, p, back_from, true);
    }

    /// The forward pass from node `p` on (the caches up to position `p` are kept) and the
    /// backward pass from position `back_from` down (the latest starts past it are kept),
    /// in place (the caller sized the caches); `r`'s flags hold what the kept part
    /// contributes.
    ///
    /// After an `insertion` at node `p` (every cache past it moved up one place), the
    /// forward pass stops at the first stop past the new one that keeps its start and
    /// location, and the backward pass at the first stop before it that keeps its latest
    /// start and its gap's: each value depends only on its neighbour's and the stop's
    /// own, so everything further on is as it was. Most insertions into a day with
    /// waiting change two or three stops; the passes went on to the route's ends.
    fn refresh_from(
        &self,
        inst: &Inst,
        r: &mut Route,
        p: usize,
        back_from: usize,
        insertion: bool,
    ) {
        r.stamp = new_stamp();
        let v = &inst.vehicles[r.veh];
        let n = r.nodes.len();
        // Summed in the order a full pass sums them: the same total, to the bit.
        let mut cost = r.stop_cost[1..=p].iter().fold(0.0, |c, &x| c + x);
        let (mut load, mut svc_prev);
        if p == 0 {
            r.loc[0] = v.start_loc;
            r.start[0] = v.shift_start;
            r.gaps[0].done = v.shift_start;
            r.stop_cost[0] = 0.0;
            r.cum_load[0] = 0.0;
            (load, svc_prev) = (0.0, 0.0);
        } else {
            load = r.cum_load[p];
            svc_prev = inst.tasks[r.nodes[p - 1] as usize].service;
        }
        let mut feasible = r.feasible;
        // The first position past which the forward caches are kept, if any.
        let mut kept_from = None;
        for i in p..n {
            let t = r.nodes[i];
            let task = &inst.tasks[t as usize];
            let prev = r.loc[i];
            let l = task.loc.unwrap_or(prev);
            r.has_break |= task.is_break;
            r.has_link |= !task.links.is_empty();
            let leg = inst.leg(prev, l);
            let mut arr = r.start[i] + svc_prev + leg.time;
            if arr < self.lb[t as usize] {
                arr = self.lb[t as usize];
            }
            let s = match earliest_in(&task.windows, arr) {
                Some(s) => s,
                None => {
                    feasible = false;
                    arr
                }
            };
            if s > self.ub[t as usize] {
                feasible = false;
            }
            let kept =
                insertion && i > p && s.to_bits() == r.start[i + 1].to_bits() && l == r.loc[i + 1];
            r.loc[i + 1] = l;
            r.start[i + 1] = s;
            r.gaps[i + 1].done = s + task.service;
            let stop = leg.cost + inst.vehicle_cost(t, r.veh) + task.service_cost;
            r.stop_cost[i + 1] = stop;
            cost += stop;
            r.has_visit |= !task.is_break;
            load += task.demand;
            r.cum_load[i + 1] = load;
            svc_prev = task.service;
            if kept {
                kept_from = Some(i + 1);
                break;
            }
        }
        let end = match kept_from {
            Some(j) => {
                for k in j + 1..=n {
                    cost += r.stop_cost[k];
                    if inst.has_demand {
                        load += inst.tasks[r.nodes[k - 1] as usize].demand;
                        r.cum_load[k] = load;
                    }
                }
                r.start[n + 1]
            }
            None => {
                let end = r.start[n] + svc_prev + inst.t(r.loc[n], v.end_loc);
                r.loc[n + 1] = v.end_loc;
                r.start[n + 1] = end;
                end
            }
        };
        r.cum_load[n + 1] = load;
        if n > 0 {
            cost += inst.c(r.loc[n], v.end_loc);
            if r.has_visit {
                cost += v.fixed_cost;
            }
            if end > v.regular_end {
                cost += (end - v.regular_end) * inst.overtime_cost;
            }
        }
        if end > v.shift_end || load > v.capacity + 1e-9 {
            feasible = false;
        }
        // Backward pass.
        r.latest[n + 1] = v.shift_end;
        r.gaps[n].next_latest = v.shift_end;
        let mut kept_before = false;
        for i in (1..=back_from).rev() {
            let t = r.nodes[i - 1];
            let task = &inst.tasks[t as usize];
            let mut bound = r.latest[i + 1] - inst.t(r.loc[i], r.loc[i + 1]) - task.service;
            if bound > self.ub[t as usize] {
                bound = self.ub[t as usize];
            }
            let latest = latest_in(&task.windows, bound).unwrap_or(f64::NEG_INFINITY);
            let next_latest = if task.is_break {
                r.gaps[i].next_latest
            } else {
                latest
            };
            if insertion
                && i <= p
                && latest.to_bits() == r.latest[i].to_bits()
                && next_latest.to_bits() == r.gaps[i - 1].next_latest.to_bits()
            {
                kept_before = true;
                break;
            }
            r.latest[i] = latest;
            r.gaps[i - 1].next_latest = next_latest;
        }
        if !kept_before {
            r.latest[0] = r.latest[1.min(n + 1)]
                - if n == 0 {
                    inst.t(v.start_loc, v.end_loc)
                } else {
                    inst.t(r.loc[0], r.loc[1])
                };
        }
        r.load = load;
        r.cost = cost;
        if inst.exact {
            r.eval = eval_seq(
                inst,
                r.veh,
                &r.nodes,
                self.lb,
                self.ub,
                &mut r.sched_loc,
                &mut r.sched_start,
            );
            r.cost = r.eval.cost;
        }
        r.feasible = feasible;
    }
}

/// Value of max term `k` (0 tardiness, 1 waiting, 2 idle) on one route.
#[inline]
pub(crate) fn max_value(e: &RouteEval, k: usize) -> f64 {
    match k {
        0 => e.tard_max,
        1 => e.wait_max,
        _ => e.idle,
    }
}

impl Clone for Solution {
    fn clone(&self) -> Self {
        let mut s = Solution::default();
        s.clone_from(self);
        s
    }
    fn clone_from(&mut self, o: &Self) {
        self.routes.truncate(o.routes.len());
        for (a, b) in self.routes.iter_mut().zip(&o.routes) {
            if a.stamp != b.stamp {
                a.clone_from(b);
            } else {
                debug_assert!(
                    same_caches(a, b),
                    "two routes with one stamp differ: a change did not renew it"
                );
            }
        }
        for b in &o.routes[self.routes.len()..] {
            self.routes.push(b.clone());
        }
        self.route_of.clone_from(&o.route_of);
        // Two plans of one day differ only in the bounds of linked tasks: only those are
        // copied (copying both bounds whole was a twentieth of a 352-citizen day's search).
        if self.lb.len() == o.lb.len() && self.bounded == o.bounded {
            for &t in &o.bounded {
                self.lb[t as usize] = o.lb[t as usize];
                self.ub[t as usize] = o.ub[t as usize];
            }
            debug_assert!(
                same_bits(&self.lb, &o.lb) && same_bits(&self.ub, &o.ub),
                "an unlinked task's start bounds left ±∞"
            );
        } else {
            self.lb.clone_from(&o.lb);
            self.ub.clone_from(&o.ub);
            self.bounded.clone_from(&o.bounded);
        }
        if self.seen.len() != o.seen.len() {
            // A first copy (into an empty plan): nothing to compare yet.
            self.seen.clone_from(&o.seen);
            self.seen_stamp.clone_from(&o.seen_stamp);
        } else {
            for ((a, sa), (b, sb)) in self
                .seen
                .iter_mut()
                .zip(self.seen_stamp.iter_mut())
                .zip(o.seen.iter().zip(&o.seen_stamp))
            {
                if sa != sb {
                    a.clone_from(b);
                    *sa = *sb;
                } else {
                    debug_assert!(a == b, "two citizens' staff with one stamp differ");
                }
            }
        }
        self.continuity = o.continuity;
        self.unassigned.clone_from(&o.unassigned);
        self.unassigned_cost = o.unassigned_cost;
        self.n_must_unassigned = o.n_must_unassigned;
        self.global_cost = o.global_cost;
        self.smooth_cost = o.smooth_cost;
        self.links_broken = o.links_broken;
    }
}

/// Result of a successful insertion test.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ins {
    pub route: usize,
    pub pos: usize,
    pub delta: f64,
}

impl Solution {
    pub(crate) fn empty(inst: &Inst) -> Self {
        let n = inst.tasks.len();
        let mut s = Solution {
            routes: Vec::with_capacity(inst.vehicles.len()),
            route_of: vec![NONE; n],
            lb: vec![f64::NEG_INFINITY; n],
            ub: vec![f64::INFINITY; n],
            bounded: (0..n as u32)
                .filter(|&t| !inst.tasks[t as usize].links.is_empty())
                .collect(),
            seen: vec![Vec::new(); inst.known.len()],
            seen_stamp: vec![0; inst.known.len()],
            continuity: 0.0,
            unassigned: (0..n as u32).collect(),
            unassigned_cost: 0.0,
            n_must_unassigned: 0,
            global_cost: 0.0,
            smooth_cost: 0.0,
            links_broken: false,
        };
        for v in 0..inst.vehicles.len() {
            let mut r = Route {
                veh: v,
                ..Default::default()
            };
            s.refresh_route(inst, &mut r);
            s.routes.push(r);
        }
        s.recount_unassigned(inst);
        s.update_global(inst);
        s
    }

    pub(crate) fn cost(&self) -> f64 {
        self.routes.iter().map(|r| r.cost).sum::<f64>()
            + self.continuity
            + self.unassigned_cost
            + self.global_cost
    }

    /// The objective the annealing follows: the exact one with each "largest value" term
    /// replaced by a p-norm over routes. A max is flat when several routes tie (e.g. idle
    /// staff), which leaves the search blind; the p-norm keeps a slope toward every route.
    pub(crate) fn search_cost(&self) -> f64 {
        self.cost() - self.global_cost + self.smooth_cost
    }

    /// The non-separable terms: largest tardiness/wait/idle, workload balance.
    pub(crate) fn update_global(&mut self, inst: &Inst) {
        if !inst.exact {
            return;
        }
        // Per max term with a weight: its largest value (the objective) and its norm (the
        // search's stand-in), from one pass.
        let mut smooth = 0.0;
        let mut largest = [0.0; 3];
        for (k, w) in inst.max_weights().into_iter().enumerate() {
            if w > 0.0 {
                let n = MaxNorm::over(&self.routes, k);
                smooth += w * n.norm();
                largest[k] = w * n.top;
            }
        }
        let largest_sum: f64 = largest.iter().sum();
        let mut g = largest_sum;
        if inst.w_balance > 0.0 && !self.routes.is_empty() {
            let mean =
                self.routes.iter().map(|r| r.eval.workload).sum::<f64>() / self.routes.len() as f64;
            g += inst.w_balance
                * self
                    .routes
                    .iter()
                    .map(|r| (r.eval.workload - mean).abs().ceil())
                    .sum::<f64>();
        }
        self.global_cost = g;
        // Balance is not a max: it enters both objectives as is.
        self.smooth_cost = smooth + g - largest_sum;
    }

    pub(crate) fn n_used(&self) -> usize {
        self.routes.iter().filter(|r| r.has_visit).count()
    }

    pub(crate) fn recount_unassigned(&mut self, inst: &Inst) {
        self.unassigned
            .retain(|&t| self.route_of[t as usize] == NONE);
        self.unassigned.sort_unstable();
        self.unassigned.dedup();
        self.unassigned_cost = self
            .unassigned
            .iter()
            .map(|&t| inst.tasks[t as usize].unassigned_cost)
            .sum();
        self.n_must_unassigned = self.unassigned.iter().map(|&t| inst.must_count(t)).sum();
        self.update_global(inst);
    }

    /// The start bounds, apart from the routes, so that a route is refreshed in place:
    /// taking it out of the plan and putting it back moved it twice (its struct, not its
    /// vectors), about half of the search's memory copying.
    pub(crate) fn bounds(&self) -> StartBounds<'_> {
        StartBounds {
            lb: &self.lb,
            ub: &self.ub,
        }
    }

    /// Recomputes a route's schedule and cost from its node list (O(n)).
    pub(crate) fn refresh_route(&self, inst: &Inst, r: &mut Route) {
        self.bounds().refresh_route(inst, r);
    }

    /// The earliest start of `t` at or after `arr` that its windows and link bounds allow.
    #[inline]
    fn earliest_start(&self, inst: &Inst, t: u32, arr: f64) -> Option<f64> {
        let ti = t as usize;
        let s = earliest_in(&inst.tasks[ti].windows, arr.max(self.lb[ti]))?;
        (s <= self.ub[ti]).then_some(s)
    }

    /// Exact forward simulation of `route` with `task` inserted before position `pos`
    /// (1-based node position, `pos = n+1` appends): whether the route stays feasible.
    /// O(n); debug builds check the O(1) check next to a break against it.
    pub(crate) fn simulate_insert(&self, inst: &Inst, r: &Route, pos: usize, task: u32) -> bool {
        let v = &inst.vehicles[r.veh];
        let n = r.nodes.len();
        let mut loc = v.start_loc;
        let mut time = v.shift_start;
        let mut svc = 0.0;
        let mut k = 0;
        let total = n + 1;
        while k < total {
            let t = if k + 1 == pos {
                task
            } else if k + 1 < pos {
                r.nodes[k]
            } else {
                r.nodes[k - 1]
            };
            k += 1;
            let tk = &inst.tasks[t as usize];
            let l = tk.loc.unwrap_or(loc);
            match self.earliest_start(inst, t, time + svc + inst.t(loc, l)) {
                Some(s) => time = s,
                None => return false,
            }
            svc = tk.service;
            loc = l;
        }
        time + svc + inst.t(loc, v.end_loc) <= v.shift_end
    }

    /// Exact feasibility of vehicle `veh` doing `seq` (windows, link bounds, shift end,
    /// capacity). O(n).
    pub(crate) fn feasible_seq(&self, inst: &Inst, veh: usize, seq: &[u32]) -> bool {
        let v = &inst.vehicles[veh];
        let mut loc = v.start_loc;
        let mut time = v.shift_start;
        let mut svc = 0.0;
        let mut load = 0.0;
        for &t in seq {
            let tk = &inst.tasks[t as usize];
            let l = tk.loc.unwrap_or(loc);
            match self.earliest_start(inst, t, time + svc + inst.t(loc, l)) {
                Some(s) => time = s,
                None => return false,
            }
            svc = tk.service;
            loc = l;
            load += tk.demand;
        }
        load <= v.capacity + 1e-9 && time + svc + inst.t(loc, v.end_loc) <= v.shift_end
    }

    /// Checks inserting `t` between positions `p` and `p+1` of route `ri` (p in 0..=n) and
    /// returns the cost delta, or `None` if infeasible.
    #[inline]
    pub(crate) fn insert_check(&self, inst: &Inst, ri: usize, p: usize, t: u32) -> Option<f64> {
        let r = &self.routes[ri];
        let task = &inst.tasks[t as usize];
        let lp = r.loc[p];
        let lu = task.loc.unwrap_or(lp);
        // The route's flag first: most routes hold no break, and the task is a cache miss.
        let next_is_break =
            r.has_break && p < r.nodes.len() && inst.tasks[r.nodes[p] as usize].is_break;
        let ln = if next_is_break { lu } else { r.loc[p + 1] };
        let leg_in = inst.leg(lp, lu);
        let s = self.earliest_start(inst, t, r.gaps[p].done + leg_in.time)?;
        if next_is_break {
            // The break is taken where `t` is done, right after it: check the break's
            // start, then the stop after it against its latest start (O(1), as below).
            let b = r.nodes[p];
            let sb = self.earliest_start(inst, b, s + task.service)?;
            let a3 = sb + inst.tasks[b as usize].service + inst.t(lu, r.loc[p + 2]);
            // No margin here: this decides exactly as the simulation it replaced did (the
            // same plans, byte for byte).
            if a3 > r.latest[p + 2] {
                debug_assert!(
                    a3 > r.latest[p + 2] + EPS || !self.simulate_insert(inst, r, p + 1, t),
                    "the check next to a break refused a feasible insertion"
                );
                return None;
            }
            debug_assert!(
                self.simulate_insert(inst, r, p + 1, t),
                "the check next to a break accepted an infeasible insertion"
            );
        }
        let leg_out = inst.leg(lu, ln);
        if !next_is_break && s + task.service + leg_out.time > r.latest[p + 1] - EPS {
            return None;
        }
        let mut delta = leg_in.cost + leg_out.cost - inst.c(lp, ln)
            + inst.vehicle_cost(t, r.veh)
            + task.service_cost;
        if next_is_break {
            // The break now sits after `t`, so the leg out of it starts at `t`'s location.
            let after = r.loc[p + 2];
            delta += inst.c(lu, after) - inst.c(lp, after);
        }
        if !task.is_break && !r.has_visit {
            delta += inst.vehicles[r.veh].fixed_cost;
        }
        if inst.continuity_cost > 0.0 {
            if let Some(c) = task.citizen {
                delta += self.continuity_delta_add(inst, c, inst.vehicles[r.veh].staff);
            }
        }
        Some(delta)
    }

    /// The starts `t` may take between positions `p` and `p+1` of route `ri` without
    /// moving the stops after it out of their latest starts: from the earliest, as
    /// [`Solution::insert_check`] finds it, to the latest. `None` if it does not fit. Next
    /// to a break only the earliest start is offered (the break moves with `t`).
    pub(crate) fn start_span(
        &self,
        inst: &Inst,
        ri: usize,
        p: usize,
        t: u32,
    ) -> Option<(f64, f64)> {
        let r = &self.routes[ri];
        let task = &inst.tasks[t as usize];
        let lp = r.loc[p];
        let lu = task.loc.unwrap_or(lp);
        let s = self.earliest_start(inst, t, r.gaps[p].done + inst.t(lp, lu))?;
        let next_is_break =
            r.has_break && p < r.nodes.len() && inst.tasks[r.nodes[p] as usize].is_break;
        if next_is_break {
            return Some((s, s));
        }
        let bound =
            (r.latest[p + 1] - inst.t(lu, r.loc[p + 1]) - task.service).min(self.ub[t as usize]);
        let latest = latest_in(&task.windows, bound)?;
        (latest >= s).then_some((s, latest))
    }

    #[inline]
    pub(crate) fn continuity_delta_add(&self, inst: &Inst, citizen: u32, staff: u32) -> f64 {
        let seen = &self.seen[citizen as usize];
        if seen.iter().any(|&(s, k)| s == staff && k > 0) {
            return 0.0;
        }
        if inst.known[citizen as usize].binary_search(&staff).is_ok() {
            return 0.0;
        }
        inst.continuity_cost
    }

    fn seen_add(&mut self, inst: &Inst, t: u32, staff: u32, add: bool) {
        let Some(c) = inst.tasks[t as usize].citizen else {
            return;
        };
        let known = inst.known[c as usize].binary_search(&staff).is_ok();
        self.seen_stamp[c as usize] = new_stamp();
        let seen = &mut self.seen[c as usize];
        let idx = seen.iter().position(|&(s, _)| s == staff);
        if add {
            match idx {
                Some(i) => {
                    if seen[i].1 == 0 && !known {
                        self.continuity += inst.continuity_cost;
                    }
                    seen[i].1 += 1;
                }
                None => {
                    seen.push((staff, 1));
                    if !known {
                        self.continuity += inst.continuity_cost;
                    }
                }
            }
        } else if let Some(i) = idx {
            seen[i].1 -= 1;
            if seen[i].1 == 0 {
                seen.swap_remove(i);
                if !known {
                    self.continuity -= inst.continuity_cost;
                }
            }
        }
    }

    /// Recounts every citizen's staff and the continuity cost from the routes (after
    /// routes were put together from several plans).
    pub(crate) fn rebuild_seen(&mut self, inst: &Inst) {
        if inst.continuity_cost <= 0.0 {
            return;
        }
        for (seen, stamp) in self.seen.iter_mut().zip(self.seen_stamp.iter_mut()) {
            seen.clear();
            *stamp = new_stamp();
        }
        self.continuity = 0.0;
        for ri in 0..self.routes.len() {
            let staff = inst.vehicles[self.routes[ri].veh].staff;
            for k in 0..self.routes[ri].nodes.len() {
                let t = self.routes[ri].nodes[k];
                self.seen_add(inst, t, staff, true);
            }
        }
    }

    /// Inserts `t` after position `p` of route `ri` and refreshes the route.
    pub(crate) fn insert(&mut self, inst: &Inst, ri: usize, p: usize, t: u32) {
        let Solution { routes, lb, ub, .. } = self;
        let r = &mut routes[ri];
        r.nodes.insert(p, t);
        StartBounds { lb, ub }.refresh_after_insert(inst, r, p);
        // Checked on every insertion of the unit tests' searches (a full refresh per
        // insertion would slow every debug build's search several times over).
        #[cfg(test)]
        self.assert_as_full_refresh(inst, &self.routes[ri], "an insertion");
        let staff = inst.vehicles[self.routes[ri].veh].staff;
        self.route_of[t as usize] = ri as u32;
        if inst.continuity_cost > 0.0 {
            self.seen_add(inst, t, staff, true);
        }
        if let Some(i) = self.unassigned.iter().position(|&u| u == t) {
            self.unassigned.swap_remove(i);
            let c = inst.tasks[t as usize].unassigned_cost;
            self.unassigned_cost -= c;
            self.n_must_unassigned -= inst.must_count(t);
        }
    }

    /// Removes the given tasks (all from route `ri`) without refreshing the route.
    pub(crate) fn remove_from_route(&mut self, inst: &Inst, ri: usize, tasks: &[u32]) {
        let staff = inst.vehicles[self.routes[ri].veh].staff;
        self.routes[ri].nodes.retain(|x| !tasks.contains(x));
        self.routes[ri].stamp = new_stamp();
        for &t in tasks {
            self.route_of[t as usize] = NONE;
            if inst.continuity_cost > 0.0 {
                self.seen_add(inst, t, staff, false);
            }
            self.unassigned.push(t);
            let c = inst.tasks[t as usize].unassigned_cost;
            self.unassigned_cost += c;
            self.n_must_unassigned += inst.must_count(t);
        }
    }

    pub(crate) fn refresh(&mut self, inst: &Inst, ri: usize) {
        let Solution { routes, lb, ub, .. } = self;
        StartBounds { lb, ub }.refresh_route(inst, &mut routes[ri]);
    }

    /// Refreshes route `ri` after only the start bounds of its tasks changed, its caches
    /// being those of the bounds before: lower bounds raised at node `k` or past it move
    /// the earliest starts from there on (the stops before keep theirs), and upper bounds
    /// changed at position `back_from` or before it move the latest starts up to there
    /// (the backward pass; 0: no upper bound changed; latest starts never depend on lower
    /// bounds). The same caches as a full refresh, to the bit, for about half its work or
    /// less; most settles of a link raise one bound.
    fn refresh_bounds(&mut self, inst: &Inst, ri: usize, k: usize, back_from: usize) {
        let Solution { routes, lb, ub, .. } = self;
        let bounds = StartBounds { lb, ub };
        let r = &mut routes[ri];
        let n = r.nodes.len();
        if k == 0 || !r.feasible || !r.caches_fit(n) {
            bounds.refresh_route(inst, r);
        } else {
            bounds.refresh_from(inst, r, k.min(n), back_from.min(n), false);
        }
        #[cfg(test)]
        self.assert_as_full_refresh(inst, &self.routes[ri], "a bound changed");
    }

    /// Unit-test builds: a partial refresh must leave the caches a full one would, to the
    /// bit (checked on every one the tests' searches make).
    #[cfg(test)]
    fn assert_as_full_refresh(&self, inst: &Inst, r: &Route, after: &str) {
        let mut full = r.clone();
        self.refresh_route(inst, &mut full);
        assert!(
            same_caches(r, &full),
            "the refresh after {after} differs from a full one"
        );
    }

    /// Planned task `t`'s route and its slot in the route's caches (`start`, `latest`:
    /// slot 0 is the departure, so node `k` is slot `k + 1`).
    fn slot_of(&self, t: u32) -> (&Route, usize) {
        let r = &self.routes[self.route_of[t as usize] as usize];
        let k = r.nodes.iter().position(|&x| x == t);
        // `route_of` and the node lists change together; a task missing from the route
        // it names would read the route's first stop instead.
        debug_assert!(k.is_some(), "task {t} is not on the route `route_of` names");
        (r, k.unwrap_or(0) + 1)
    }

    /// Index of planned task `t` in its route's node list, and its start.
    fn node_and_start(&self, t: u32) -> (usize, f64) {
        let (r, p) = self.slot_of(t);
        (p - 1, r.start[p])
    }

    pub(crate) fn all_feasible(&self) -> bool {
        !self.links_broken && self.routes.iter().all(|r| r.feasible)
    }

    /// Brings the start-time bounds of linked tasks to their least fixed point (earliest
    /// schedule meeting every sync/gap constraint) and derives upper bounds for the O(1)
    /// checks. Returns false when the links cannot all be met.
    pub(crate) fn settle_links(&mut self, inst: &Inst) -> bool {
        if inst.links.is_empty() {
            return true;
        }
        for l in &inst.links {
            for t in [l.a, l.b] {
                self.lb[t as usize] = f64::NEG_INFINITY;
                self.ub[t as usize] = f64::INFINITY;
            }
        }
        let linked: Vec<usize> = (0..self.routes.len())
            .filter(|&i| self.routes[i].has_link)
            .collect();
        let links: Vec<u32> = (0..inst.links.len() as u32).collect();
        let ok = self.settle_within(inst, &linked, &links, &linked);
        self.links_broken = !ok;
        ok
    }

    /// Refreshes the routes `from` that the tasks `removed` left (not refreshed since) and
    /// does what [`Solution::settle_links`] does, but only over the routes that links join
    /// to those, directly or in turn. No link reaches the other routes, so their starts and
    /// bounds stand; a ruin touches a few routes, and settling every linked route after
    /// each one was a fifth of a demo day's search. Each route is refreshed once.
    pub(crate) fn resettle_links(&mut self, inst: &Inst, from: &[usize], removed: &[u32]) -> bool {
        if inst.links.is_empty() {
            for &ri in from {
                self.refresh(inst, ri);
            }
            return true;
        }
        let mut in_set = vec![false; self.routes.len()];
        let mut set: Vec<usize> = Vec::new();
        let mut add = |ri: u32, set: &mut Vec<usize>| {
            if ri != NONE && !in_set[ri as usize] {
                in_set[ri as usize] = true;
                set.push(ri as usize);
            }
        };
        for &ri in from {
            add(ri as u32, &mut set);
        }
        // A removed task's partner that stays (pinned) may now start earlier.
        for &t in removed {
            self.lb[t as usize] = f64::NEG_INFINITY;
            self.ub[t as usize] = f64::INFINITY;
            for &li in &inst.tasks[t as usize].links {
                let l = &inst.links[li as usize];
                add(self.route_of[l.a as usize], &mut set);
                add(self.route_of[l.b as usize], &mut set);
            }
        }
        let mut links: Vec<u32> = Vec::new();
        let mut k = 0;
        while k < set.len() {
            let ri = set[k];
            k += 1;
            for &x in &self.routes[ri].nodes {
                for &li in &inst.tasks[x as usize].links {
                    links.push(li);
                    let l = &inst.links[li as usize];
                    add(self.route_of[l.a as usize], &mut set);
                    add(self.route_of[l.b as usize], &mut set);
                }
            }
        }
        links.sort_unstable();
        links.dedup();
        for &li in &links {
            let l = &inst.links[li as usize];
            for t in [l.a, l.b] {
                self.lb[t as usize] = f64::NEG_INFINITY;
                self.ub[t as usize] = f64::INFINITY;
            }
        }
        // Routes reached through a link hold a linked task; a route in `from` may still
        // say it does after losing its last one (flags are set by a refresh), and is then
        // refreshed by the settle like the others.
        let (mut linked, plain): (Vec<usize>, Vec<usize>) =
            set.into_iter().partition(|&ri| self.routes[ri].has_link);
        for ri in plain {
            self.refresh(inst, ri);
        }
        linked.sort_unstable();
        let ok = self.settle_within(inst, &linked, &links, from);
        // Only these routes were settled: a break elsewhere stays.
        self.links_broken |= !ok;
        ok
    }

    /// The fixed point of [`Solution::settle_links`] over the routes `linked` (every route
    /// holding a task of `links`) and the links `links`, whose tasks' bounds are reset.
    /// The routes `stale` changed their stops; the others' caches are those of the bounds
    /// before the reset.
    fn settle_within(
        &mut self,
        inst: &Inst,
        linked: &[usize],
        links: &[u32],
        stale: &[usize],
    ) -> bool {
        // On a route that kept its stops only the reset bounds changed: its earliest
        // starts from its first linked task on, its latest starts up to its last. Not on a
        // plan whose links broke before: its caches may be half-way.
        let mut span = vec![(usize::MAX, 0); self.routes.len()];
        if !self.links_broken {
            for &li in links {
                let l = &inst.links[li as usize];
                for t in [l.a, l.b] {
                    let ri = self.route_of[t as usize];
                    if ri != NONE {
                        let (_, p) = self.slot_of(t);
                        let (first, last) = &mut span[ri as usize];
                        *first = (*first).min(p - 1);
                        *last = (*last).max(p);
                    }
                }
            }
        }
        for &ri in linked {
            match span[ri] {
                (k, last) if k != usize::MAX && !stale.contains(&ri) => {
                    self.refresh_bounds(inst, ri, k, last)
                }
                _ => self.refresh(inst, ri),
            }
        }
        let max_iter = 4 * inst.links.len() + 8;
        let mut settled = false;
        // Per route, the first node whose lower bound rose in this round (`usize::MAX`:
        // none); only the forward pass from there changes.
        let mut changed = vec![usize::MAX; self.routes.len()];
        for _ in 0..max_iter {
            changed.fill(usize::MAX);
            let mut any = false;
            for &li in links {
                let l = &inst.links[li as usize];
                let (ra, rb) = (self.route_of[l.a as usize], self.route_of[l.b as usize]);
                if ra == NONE || rb == NONE {
                    continue;
                }
                let (ka, sa) = self.node_and_start(l.a);
                let (kb, sb) = self.node_and_start(l.b);
                let Some((need_a, need_b)) = l.kind.earliest_starts(sa, sb) else {
                    continue;
                };
                for (t, r, k, s, need) in [(l.a, ra, ka, sa, need_a), (l.b, rb, kb, sb, need_b)] {
                    if s < need {
                        self.lb[t as usize] = need;
                        let c = &mut changed[r as usize];
                        *c = (*c).min(k);
                        any = true;
                    }
                }
            }
            if !any {
                settled = true;
                break;
            }
            for (ri, &k) in changed.iter().enumerate() {
                if k != usize::MAX {
                    self.refresh_bounds(inst, ri, k, 0);
                    if !self.routes[ri].feasible {
                        return false;
                    }
                }
            }
        }
        if !settled {
            return false;
        }
        // Snap synchronised starts exactly: the fixed point can leave them 1e-9 apart.
        changed.fill(usize::MAX);
        for &li in links {
            let l = &inst.links[li as usize];
            let (ra, rb) = (self.route_of[l.a as usize], self.route_of[l.b as usize]);
            if l.kind == LinkKind::Sync && ra != NONE && rb != NONE {
                let (ka, sa) = self.node_and_start(l.a);
                let (kb, sb) = self.node_and_start(l.b);
                let m = sa.max(sb);
                self.lb[l.a as usize] = m;
                self.lb[l.b as usize] = m;
                for (r, k, s) in [(ra, ka, sa), (rb, kb, sb)] {
                    if s < m {
                        let c = &mut changed[r as usize];
                        *c = (*c).min(k);
                    }
                }
            }
        }
        // Upper bounds for the O(1) checks: a linked task may start as late as its partner
        // could follow (the partner's own latest start). The commit re-settles exactly.
        let mut ubs = Vec::new();
        for &li in links {
            self.partner_bounds(&inst.links[li as usize], &mut ubs);
        }
        // Per route, the last position whose upper bound fell (0: none).
        let mut fell = vec![0; self.routes.len()];
        for (t, u) in ubs {
            let cur = self.ub[t as usize];
            let new = cur.min(u.max(self.start_of(t)));
            if new < cur {
                let ri = self.route_of[t as usize] as usize;
                fell[ri] = fell[ri].max(self.slot_of(t).1);
            }
            self.ub[t as usize] = new;
        }
        // Upper bounds only move the backward pass; a snapped start the forward one.
        for &ri in linked {
            let k = changed[ri].min(self.routes[ri].nodes.len());
            self.refresh_bounds(inst, ri, k, fell[ri]);
            if !self.routes[ri].feasible {
                return false;
            }
        }
        // Verify (exactly) after the snap.
        links.iter().all(|&li| {
            let l = &inst.links[li as usize];
            self.link_holds(l.a, l.b, l.kind)
        })
    }

    /// Restores links after task `t` was inserted into route `from` of a plan whose links
    /// were settled: pushes the start of every linked task that must now start later
    /// (and, in turn, its partners) and tightens the partners' upper bounds. Inserting
    /// mostly delays starts, so from a settled plan this reaches the least fixed point of
    /// [`Solution::settle_links`] while refreshing only the routes the delay reaches,
    /// instead of every route with a link. Not always: a break is taken where the visit
    /// before it was, so a visit put before a break can bring the visits after it forward,
    /// and starts pushed before stay a little later than they need be (every link still
    /// holds). Returns false when the links cannot be met;
    /// every change is in `journal` after `mark` (the caller's, taken before the
    /// insertion), for [`Solution::rollback`].
    pub(crate) fn propagate_links(
        &mut self,
        inst: &Inst,
        from: usize,
        journal: &mut Journal,
        mark: usize,
    ) -> bool {
        if inst.links.is_empty() {
            return true;
        }
        let limit = 4 * inst.links.len() + 8;
        let mut steps = 0;
        let mut touched = vec![from];
        let mut work = vec![from];
        while let Some(ri) = work.pop() {
            let mut k = 0;
            while k < self.routes[ri].nodes.len() {
                let x = self.routes[ri].nodes[k];
                k += 1;
                for &li in &inst.tasks[x as usize].links {
                    let l = &inst.links[li as usize];
                    let (ra, rb) = (self.route_of[l.a as usize], self.route_of[l.b as usize]);
                    if ra == NONE || rb == NONE {
                        continue;
                    }
                    let (ka, sa) = self.node_and_start(l.a);
                    let (kb, sb) = self.node_and_start(l.b);
                    let Some((need_a, need_b)) = l.kind.earliest_starts(sa, sb) else {
                        continue;
                    };
                    // Refreshes keep the node order: the indices hold through the loop.
                    for (t, r, k, s, need) in [(l.a, ra, ka, sa, need_a), (l.b, rb, kb, sb, need_b)]
                    {
                        if s >= need {
                            continue;
                        }
                        steps += 1;
                        if steps > limit {
                            return false;
                        }
                        let r = r as usize;
                        journal.entries.push(Entry::Bounds(
                            t,
                            self.lb[t as usize],
                            self.ub[t as usize],
                        ));
                        journal.save_route(mark, r, &self.routes[r]);
                        self.lb[t as usize] = need;
                        self.refresh_bounds(inst, r, k, 0);
                        if !self.routes[r].feasible {
                            return false;
                        }
                        if !touched.contains(&r) {
                            touched.push(r);
                        }
                        if !work.contains(&r) {
                            work.push(r);
                        }
                    }
                }
            }
        }
        // Upper bounds of the links the delay reached, as in `settle_links`; they only
        // tighten while tasks are inserted.
        let mut tighten: Vec<(u32, f64)> = Vec::new();
        for &ri in &touched {
            for &x in &self.routes[ri].nodes {
                for &li in &inst.tasks[x as usize].links {
                    self.partner_bounds(&inst.links[li as usize], &mut tighten);
                }
            }
        }
        // Per route whose upper bounds fell, the last position where one did.
        let mut stale: Vec<(usize, usize)> = Vec::new();
        for (t, u) in tighten {
            let new = self.ub[t as usize].min(u.max(self.start_of(t)));
            if new < self.ub[t as usize] {
                journal
                    .entries
                    .push(Entry::Bounds(t, self.lb[t as usize], self.ub[t as usize]));
                self.ub[t as usize] = new;
                let r = self.route_of[t as usize] as usize;
                let p = self.slot_of(t).1;
                match stale.iter_mut().find(|(x, _)| *x == r) {
                    Some((_, last)) => *last = (*last).max(p),
                    None => stale.push((r, p)),
                }
            }
        }
        for (r, last) in stale {
            journal.save_route(mark, r, &self.routes[r]);
            let n = self.routes[r].nodes.len();
            self.refresh_bounds(inst, r, n, last);
            if !self.routes[r].feasible {
                return false;
            }
            if !touched.contains(&r) {
                touched.push(r);
            }
        }
        // Verify exactly, as `settle_links` does after its snap.
        touched.iter().all(|&ri| {
            self.routes[ri].nodes.iter().all(|&x| {
                inst.tasks[x as usize].links.iter().all(|&li| {
                    let l = &inst.links[li as usize];
                    self.link_holds(l.a, l.b, l.kind)
                })
            })
        })
    }

    /// Inserts `t` after position `p` of route `ri`, noting in `journal` how to take it
    /// back.
    pub(crate) fn insert_journaled(
        &mut self,
        inst: &Inst,
        ri: usize,
        p: usize,
        t: u32,
        journal: &mut Journal,
        mark: usize,
    ) {
        journal.save_route(mark, ri, &self.routes[ri]);
        journal.entries.push(Entry::Inserted(t));
        self.insert(inst, ri, p, t);
    }

    /// Inserts `t` after position `p` of route `ri` and propagates its links
    /// ([`Solution::propagate_links`]); false when they cannot be met. Either way the
    /// journal can take it all back to its mark from before the call.
    pub(crate) fn insert_linked(
        &mut self,
        inst: &Inst,
        ri: usize,
        p: usize,
        t: u32,
        journal: &mut Journal,
    ) -> bool {
        let mark = journal.mark();
        self.insert_journaled(inst, ri, p, t, journal, mark);
        self.propagate_links(inst, ri, journal, mark)
    }

    /// Undoes everything `journal` holds after `mark`: insertions, propagated starts,
    /// bounds. The plan is then exactly as it was when the mark was taken.
    pub(crate) fn rollback(&mut self, inst: &Inst, journal: &mut Journal, mark: usize) {
        while journal.entries.len() > mark {
            match journal.entries.pop() {
                Some(Entry::Inserted(t)) => {
                    // Bookkeeping only (route lists, continuity, left-out tasks); the
                    // route itself comes back from its saved copy.
                    let ri = self.route_of[t as usize] as usize;
                    self.remove_from_route(inst, ri, &[t]);
                }
                Some(Entry::Route(ri, mut r)) => {
                    // The saved copy goes back in; the discarded route's buffers are kept.
                    std::mem::swap(&mut self.routes[ri], &mut *r);
                    journal.spare.push(r);
                }
                Some(Entry::Bounds(t, lb, ub)) => {
                    self.lb[t as usize] = lb;
                    self.ub[t as usize] = ub;
                }
                None => break,
            }
        }
    }

    /// The latest starts link `l` allows its two tasks given each other's latest start:
    /// a linked task may start only as late as its partner could follow.
    fn partner_bounds(&self, l: &Link, out: &mut Vec<(u32, f64)>) {
        if self.route_of[l.a as usize] == NONE || self.route_of[l.b as usize] == NONE {
            return;
        }
        let (la, lb) = (self.latest_of(l.a), self.latest_of(l.b));
        if let Some((ua, ub)) = l.kind.latest_starts(la, lb) {
            out.extend([(l.a, ua), (l.b, ub)]);
        }
    }

    /// The starts the links between unplaced task `t` and its planned partner allow `t`:
    /// the partner cannot start before its current start and not after its latest.
    pub(crate) fn partner_window(&self, inst: &Inst, t: u32, partner: u32) -> (f64, f64) {
        let (r, p) = self.slot_of(partner);
        let (sp, lp) = (r.start[p], r.latest[p]);
        let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
        for &li in &inst.tasks[t as usize].links {
            let l = &inst.links[li as usize];
            if l.a != partner && l.b != partner {
                continue;
            }
            // Each side's bound depends on the other side only, the partner here.
            let (Some(early), Some(late)) =
                (l.kind.earliest_starts(sp, sp), l.kind.latest_starts(lp, lp))
            else {
                continue;
            };
            let (from, to) = if l.a == t {
                (early.0, late.0)
            } else {
                (early.1, late.1)
            };
            lo = lo.max(from);
            hi = hi.min(to);
        }
        (lo, hi)
    }

    pub(crate) fn link_holds(&self, a: u32, b: u32, kind: LinkKind) -> bool {
        let (ra, rb) = (self.route_of[a as usize], self.route_of[b as usize]);
        if ra == NONE || rb == NONE {
            return true;
        }
        let (sa, sb) = (self.start_of(a), self.start_of(b));
        match kind {
            LinkKind::Sync => sa == sb && ra != rb,
            LinkKind::Gap { min, max } => sb - sa >= min && sb - sa <= max,
            LinkKind::Distinct => ra != rb,
            LinkKind::Together => true,
        }
    }

    /// Every link between two planned tasks holds, at the starts the routes have.
    pub(crate) fn links_hold(&self, inst: &Inst) -> bool {
        inst.links.iter().all(|l| self.link_holds(l.a, l.b, l.kind))
    }

    pub(crate) fn latest_of(&self, t: u32) -> f64 {
        let (r, p) = self.slot_of(t);
        r.latest[p]
    }

    pub(crate) fn start_of(&self, t: u32) -> f64 {
        let (r, p) = self.slot_of(t);
        r.start[p]
    }
}

/// Whether two slices hold the same values, to the bit.
fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Whether two refreshes of a route agree on every cache, to the bit.
pub(crate) fn same_caches(a: &Route, b: &Route) -> bool {
    let gap = |g: &Gap| [g.done.to_bits(), g.next_latest.to_bits()];
    a.nodes == b.nodes
        && a.loc == b.loc
        && same_bits(&a.start, &b.start)
        && same_bits(&a.latest, &b.latest)
        && a.gaps.iter().map(gap).eq(b.gaps.iter().map(gap))
        && same_bits(&a.cum_load, &b.cum_load)
        && same_bits(&a.stop_cost, &b.stop_cost)
        && a.load.to_bits() == b.load.to_bits()
        && a.cost.to_bits() == b.cost.to_bits()
        && a.feasible == b.feasible
        && a.has_break == b.has_break
        && a.has_link == b.has_link
        && a.has_visit == b.has_visit
}

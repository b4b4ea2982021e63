//! The optimiser: a [`Problem`] and [`SolveOptions`] in, a [`Plan`] out.
//!
//! # How it searches
//!
//! The problem is first converted into a private, index-based search state (`inst`,
//! `solution`): routes that cache, per position, the earliest feasible service start
//! (forward pass) and the latest start that keeps the rest of the route feasible (backward
//! pass). Inserting a visit between two neighbours is then checked in O(1) — exactly, also
//! with several time windows per visit (the earliest-window rule is monotone, see
//! `solution::insert_check`). Routes also keep, per gap, when the stop before is done and
//! the next visit's latest start, so the scan skips the gaps a visit cannot fit (most of a
//! full day's) without that check. Two-person visits become two tasks tied by a
//! synchronisation link; links (sync, min/max gaps) are kept exact across routes: after a
//! ruin the links are settled afresh on the routes the ruin reaches through them
//! (`Solution::resettle_links`, the least fixed point of the starts), and after an
//! insertion only the delay is propagated from the changed route
//! (`Solution::propagate_links`), with a journal that takes a failed attempt back exactly
//! (`Solution::rollback`). A settle can fail after a ruin (for one, a break is taken
//! where the visit before it was, so taking a visit out can delay others): the plan is
//! then marked (`Solution::links_broken`) and never accepted, and the plan writer leaves
//! out any visit whose link does not hold rather than write it. Two linked tasks are
//! placed as a pair: the cheapest few positions of the first, each with the best position
//! of the second among the starts the first allows it (a two-person visit where the
//! schedule is not priced: the cheapest few places of each half, matched where their
//! possible starts meet, `Search::insert_sync_pair`); after a ruin they are placed
//! before the other tasks, as they need room on two routes at once
//! (`Params::linked_first`), and a pair that found no place is not tried again in the
//! same recreate. Vehicles whose shift cannot reach a task at all are dropped from its
//! candidates.
//!
//! Construction is greedy cheapest insertion, hardest visits first. Improvement is SISR
//! ruin-and-recreate (Christiaens & Vanden Berghe 2020: adjacent string removal, greedy
//! insertion with blinks, simulated annealing), with SISR's absence-counter fleet
//! minimisation when every visit must be served and, for the hierarchical objective, a
//! route-elimination phase. (A recreate by regret, each time the task whose cheapest
//! place beats its next-cheapest route by most, is kept as an option, off: better per
//! iteration on Solomon, slower per second; see `Params::regret_recreate`.) Plans rank
//! by required visits left out first, then cost (`Report::cmp_rank`). A visit nobody
//! could do even on an empty day (no one qualified, no shift reaching a window) is not
//! counted as required during the search. Where
//! leaving a required visit out costs tens to hundreds of arcs (Nabo's home-care days),
//! the search anneals the whole objective, left-out prices included, from the start;
//! where it is cheaper (UHHC's price of about one arc) it first walks on absences, and
//! only when the count of left-out visits stops falling for 15 % of the budget is the day
//! taken as overbooked: that count becomes the floor and the cost is annealed among plans
//! that leave no more out (see `Params::priced_band`); where it is dearer (VRPTW's 10^6,
//! a customer must be served) the walk on absences goes on to the end, as in SISR. Once
//! the search anneals with visits left out, only a sample of them is retried per
//! iteration (retrying every one of them costs more than the ruin), and half the ruins
//! start at a left-out visit and take out what is near it in space and in time. Where
//! continuity is priced, 30 % of the ruins take out whole citizens (all their visits, the
//! nearest few citizens), since the set of staff a citizen sees only changes when all of
//! that citizen's visits move together, and the other ruins take strings of at most two
//! visits (SISR: ten) from more routes, freeing a little time in many staff members' days
//! at once (`Params::citizen_max_string`); while no required visit is left out, 20 % of
//! the ruins consolidate a citizen's staff instead: the visits done by the staff member
//! the citizen sees least leave, and the one it sees most of those allowed to do them
//! (skill, shift) gives up the visits nearest in time to them, the citizen's visits
//! placed first (`Params::citizen_consolidate`, `Search::ruin_consolidate`); a ruin
//! there takes about six visits (SISR: ten, `Params::citizen_avg_removed`) and two
//! left-out visits are retried per iteration
//! (`Params::citizen_settled_retries`); a visit's insertion there scans the routes
//! near it (those of its own team's staff doing its nearest planned visits, and of the
//! staff its citizen knows) and the rest only when those have no room
//! (`Params::granular_neighbours`, `Params::own_team_near`), and the
//! annealing starts hotter, above a new face's price (`Params::citizen_t0_rel`). When the
//! objective depends on the schedule (soft windows, waiting, overtime, idle time,
//! balance), insertions are priced by an exact O(n) re-evaluation of the route instead of
//! the O(1) arc delta.
//!
//! Every route and every citizen's set of staff carries a stamp renewed on each change,
//! so copying a plan (the current one to the candidate, an accepted candidate back)
//! copies only the routes and citizens that differ.
//!
//! # Determinism
//!
//! One thread with a given seed makes the same decisions in the same order. With only a
//! time limit, the annealing temperature and phase switches follow the elapsed time, so two
//! runs may differ. Set [`SolveOptions::max_iterations`]: every decision then follows the
//! iteration count and the result is identical for a given seed and thread count (as long
//! as the time limit is not hit first). With `threads > 1`, each thread runs its own
//! search with its own seed, and the threads cooperate: 25 times over the budget they meet,
//! the best plan of all is taken (ties: lowest thread), and every thread whose own best is
//! worse goes on from it (`exchange`). Where staff belong to teams, in two stretches of
//! three between meetings the threads split the day instead: each changes only its region
//! (the staff of whole teams' shifts, a team's day or evening staff, closed over
//! two-person visits and other links, balanced by visits: the heaviest group first into
//! the lighter region, equal weights in random order), and at the next meeting the
//! regions' best plans are put together (`split`). The meetings fall at fractions of the budget, so with
//! an iteration limit they fall at the same iteration in every thread, the split is drawn
//! from the seed, and the run is still deterministic for a given seed and thread count.

mod convert;
mod eval;
mod exchange;
mod inst;
mod ls;
mod rng;
mod search;
mod solution;
mod split;

use crate::plan::Plan;
use crate::problem::Problem;
use search::{better, Budget, Params, Search};
use std::time::{Duration, Instant};

/// Options of one solve.
#[derive(Clone, Debug)]
pub struct SolveOptions {
    /// Wall-clock limit.
    pub time_limit: Duration,
    /// Seed of the random choices.
    pub seed: u64,
    /// Searches run in parallel, sharing their best plan 25 times over the budget; the
    /// best plan wins.
    pub threads: usize,
    /// Iteration limit per thread; makes the run deterministic (see the module docs).
    pub max_iterations: Option<u64>,
    /// Use only the first `n` staff members/vehicles (benchmarks: fleet = best known).
    pub fleet_limit: Option<usize>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: Duration::from_secs(10),
            seed: 1,
            threads: 1,
            max_iterations: None,
            fleet_limit: None,
        }
    }
}

/// A progress report: sent when a search finds a new best plan.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Time since the solve started.
    pub elapsed: Duration,
    /// Objective of the best plan so far (weighted total, as the validator computes it).
    pub best_objective: f64,
    /// Staff/vehicles used by it.
    pub vehicles_used: usize,
    /// Required visits (or mandatory breaks) it leaves out.
    pub unassigned_required: usize,
    /// Iterations done by the reporting thread.
    pub iterations: u64,
}

/// Figures about a finished solve.
#[derive(Clone, Copy, Debug, Default)]
pub struct SolveStats {
    /// Ruin-and-recreate iterations, summed over threads.
    pub iterations: u64,
    /// Insertion positions evaluated (the "moves"), summed over threads.
    pub moves_evaluated: u64,
    /// Wall time of the whole solve.
    pub elapsed: Duration,
    /// Time to build the first solution (thread 0).
    pub construction: Duration,
}

/// Solves the problem. See [`solve_with_stats`].
pub fn solve(
    problem: &Problem,
    options: &SolveOptions,
    progress: &mut dyn FnMut(Progress),
) -> Plan {
    solve_with_stats(problem, options, progress).0
}

/// How often cooperating threads meet to share their best plan, over the budget. On the
/// 352-citizen demo day (two threads, 40,000 iterations each, four seeds) 25 meetings gave
/// a mean objective of 82,314, 10 gave 82,593, 100 gave 82,468, and no meeting (the best
/// of two independent searches) 83,486; one thread with 80,000 iterations 81,329.
const MEETINGS: u32 = 25;

struct ThreadResult {
    sol: solution::Solution,
    iterations: u64,
    moves: u64,
    construction: Duration,
}

/// Leaves the meetings however the thread ends, so no other thread waits for it.
struct LeaveOnDrop<'a>(Option<&'a exchange::Exchange<'a>>);

impl Drop for LeaveOnDrop<'_> {
    fn drop(&mut self) {
        if let Some(ex) = self.0 {
            ex.leave();
        }
    }
}

fn run_thread(
    conv: &convert::Converted,
    options: &SolveOptions,
    k: usize,
    start: Instant,
    exchange: Option<&exchange::Exchange<'_>>,
    report: &mut dyn FnMut(&solution::Solution, u64),
) -> ThreadResult {
    let _leave = LeaveOnDrop(exchange);
    let seed = options
        .seed
        .wrapping_add((k as u64).wrapping_mul(0x9E37_79B9));
    let mut search = Search::new(&conv.inst, Params::default(), seed);
    let c0 = Instant::now();
    let init = search.construct();
    let construction = c0.elapsed();
    let budget = Budget {
        start,
        time_limit: options.time_limit.as_secs_f64(),
        max_iterations: options.max_iterations,
    };
    let sol = search.run(init, &budget, exchange.map(|ex| (ex, k)), report);
    ThreadResult {
        sol,
        iterations: search.iterations,
        moves: search.insert_evals,
        construction,
    }
}

/// Which new best plans a search reports: at most one every 100 ms, but always one that
/// leaves fewer required visits out than the last reported (when everyone is first served
/// is a figure of its own; a report held back there could come seconds later, or never).
struct Throttle {
    last: Option<Instant>,
    left_out: usize,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle {
            last: None,
            left_out: usize::MAX,
        }
    }
}

impl Throttle {
    fn due(&mut self, left_out: usize) -> bool {
        self.due_at(left_out, Instant::now())
    }

    fn due_at(&mut self, left_out: usize, now: Instant) -> bool {
        let due = left_out < self.left_out
            || self
                .last
                .is_none_or(|t| now.duration_since(t) >= Duration::from_millis(100));
        if due {
            self.last = Some(now);
            self.left_out = left_out;
        }
        due
    }
}

/// Solves the problem and returns the plan with search figures. Progress is reported from
/// the calling thread.
pub fn solve_with_stats(
    problem: &Problem,
    options: &SolveOptions,
    progress: &mut dyn FnMut(Progress),
) -> (Plan, SolveStats) {
    let start = Instant::now();
    let conv = convert::to_inst(problem, options.fleet_limit);
    let threads = options.threads.max(1);
    let penalty = conv.vehicle_penalty;
    let make = |s: &solution::Solution, iter: u64| Progress {
        elapsed: start.elapsed(),
        best_objective: s.cost() - penalty * s.n_used() as f64,
        vehicles_used: s.n_used(),
        unassigned_required: s.n_must_unassigned,
        iterations: iter,
    };
    let results: Vec<ThreadResult> = if threads == 1 {
        let mut throttle = Throttle::default();
        let mut report = |s: &solution::Solution, iter: u64| {
            if throttle.due(s.n_must_unassigned) {
                progress(make(s, iter));
            }
        };
        vec![run_thread(&conv, options, 0, start, None, &mut report)]
    } else {
        // The day splits between the searches along team and shift lines where there are
        // teams (days without, the benchmarks' vehicles, are not split).
        let teams = conv.inst.vehicles.iter().any(|v| v.team.is_some());
        let exchange =
            exchange::Exchange::new(threads, MEETINGS, teams.then_some(&conv.inst), options.seed);
        let (tx, rx) = std::sync::mpsc::channel::<Progress>();
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|k| {
                    let tx = tx.clone();
                    let conv = &conv;
                    let exchange = &exchange;
                    scope.spawn(move || {
                        let mut throttle = Throttle::default();
                        let mut report = |s: &solution::Solution, iter: u64| {
                            if throttle.due(s.n_must_unassigned) {
                                let _ = tx.send(make(s, iter));
                            }
                        };
                        run_thread(conv, options, k, start, Some(exchange), &mut report)
                    })
                })
                .collect();
            drop(tx);
            let mut best: Option<Progress> = None;
            for p in rx {
                let improves = best.is_none_or(|b| {
                    (
                        p.unassigned_required,
                        p.vehicles_used as f64 * penalty + p.best_objective,
                    ) < (
                        b.unassigned_required,
                        b.vehicles_used as f64 * penalty + b.best_objective,
                    )
                });
                if improves {
                    best = Some(p);
                    progress(p);
                }
            }
            let mut results: Vec<ThreadResult> =
                handles.into_iter().filter_map(|h| h.join().ok()).collect();
            // In the last stretch each search changed only its region: put them together.
            let plans: Vec<&solution::Solution> = results.iter().map(|r| &r.sol).collect();
            if let Some(s) = exchange.finish(&plans) {
                if let Some(r) = results.first_mut() {
                    r.sol = s;
                }
            }
            results
        })
    };
    let mut stats = SolveStats::default();
    let mut best_idx = 0;
    for (k, r) in results.iter().enumerate() {
        stats.iterations += r.iterations;
        stats.moves_evaluated += r.moves;
        if k == 0 {
            stats.construction = r.construction;
        }
        if better(&r.sol, &results[best_idx].sol) {
            best_idx = k;
        }
    }
    let plan = match results.get(best_idx) {
        Some(r) => {
            progress(make(&r.sol, r.iterations));
            conv.to_plan(problem, &r.sol)
        }
        None => Plan::default(),
    };
    stats.elapsed = start.elapsed();
    (plan, stats)
}

#[cfg(test)]
mod tests;

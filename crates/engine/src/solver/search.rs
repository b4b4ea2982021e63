//! Ruin-and-recreate search (SISR, Christiaens & Vanden Berghe 2020): adjacent string
//! removal, greedy insertion with blinks, simulated-annealing acceptance, and the SISR fleet
//! minimisation (absence counters) for lexicographic "serve everyone first" goals.

use super::eval::{eval_seq, Scratch};
use super::exchange::Exchange;
use super::inst::{Inst, LinkKind};
use super::ls::Ls;
use super::rng::Rng;
use super::solution::{max_value, Ins, Journal, MaxNorm, Solution, EPS, NONE};
use super::split::Region;
use std::time::Instant;

#[derive(Clone, Debug)]
pub(crate) struct Params {
    /// Average number of removed tasks per ruin.
    pub avg_removed: f64,
    /// Average number of removed tasks per ruin where continuity is priced (string and
    /// citizen ruins alike). Smaller ruins cost less and are accepted more often on a
    /// packed home-care day. Measured against SISR's 10, one thread, time-limited, the two
    /// arms side by side: the 352-citizen demo day at 10 s, seeds 1–18, 78,217 → 77,254
    /// (4: 78,080, 5: 77,344, 8: 77,850, 15: 78,731 on seeds 1–6 or 1–12); 1,400 citizens
    /// at 20 s, seeds 1–3, 310,098 → 308,268; 100 citizens at 5 s, seeds 1–6, 25,621 →
    /// 25,704 (within the seed spread).
    pub citizen_avg_removed: f64,
    /// Maximum string length.
    pub max_string: f64,
    /// Maximum string length where continuity is priced: a ruin then takes one or two
    /// visits from each of more routes, which frees a little time in many staff members'
    /// days at once (what a two-person visit or a citizen's usual staff needs) instead of
    /// a block of one member's day. Measured at fixed iteration counts, seeds 1–8, against
    /// SISR's 10: the 352-citizen demo day (40,000 iterations) 83,289 → 80,937 and 2.75 →
    /// 1.9 visits left out (3: 81,394; 1: 80,782); seeds 1–4: 1,400 citizens (8,000
    /// iterations) 358,137 → 351,116 and 9.5 → 5.25 left out, 100 citizens (100,000
    /// iterations) 25,998 → 25,970.
    pub citizen_max_string: f64,
    pub split_rate: f64,
    pub blink: f64,
    /// Start and final SA temperatures, relative to the mean arc cost of the first solution.
    pub t0_rel: f64,
    pub tf_rel: f64,
    /// Start temperature where continuity is priced. A new face there costs tens of arcs
    /// (120 against a mean arc of 4.7 on the 352-citizen demo day), so SISR's start of 5
    /// arcs froze the set of staff each citizen sees from the first iteration; 20 arcs is
    /// about 90 there. Measured against 5: the 352-citizen day at 100,000 iterations, one
    /// thread, seeds 1–14: 78,451 (1.21 left out) → 77,697 (0.79); at 10 s on both cores,
    /// seeds 1–6: 77,943 → 77,123 (30: 78,424 at 100,000 iterations; 40: 77,019 at 10 s,
    /// 78,033 at 100,000 iterations); 1,400 citizens at 8,000 iterations, seeds 1–3,
    /// 351,235 → 350,056; 100 citizens at 100,000 iterations, seeds 1–4, 25,467 → 25,204.
    /// Since the consolidation ruin, 35 arcs (about 165 there): the 352-citizen day at
    /// 250,000 iterations (about 10 s), one thread, seeds 1–24, 75,322 → 75,002 (without
    /// visits left out 74,948 → 74,752; 10: 75,570, 50: 75,103, 70: 75,122 on seeds 1–12);
    /// at 10 s on both cores, seeds 1–6, 75,331 → 74,932; 1,400 citizens at 20 s, seeds
    /// 5–12, 302,154 → 301,926; 100 citizens at 5 s, seeds 1–12, 25,544 → 25,423.
    /// Since the searches split the day (two threads now make about 600,000 iterations
    /// each in 10 s on this machine kind), 25 arcs: the 352-citizen day, two threads at
    /// 600,000 iterations each (deterministic, the two arms side by side), seeds 1–36,
    /// 73,720 → 73,643 (lower in each block of 12 seeds: −44, −93, −96); 1,400 citizens
    /// at 20 s on both cores, seeds 1–3, 296,043 → 295,226; 100 citizens at 5 s, seeds
    /// 1–6, 25,038 → 24,866 (50 on the 352-citizen day, seeds 1–12: 73,610 → 73,712).
    /// Time-limited at 10 s the 352-citizen day cannot tell 25 from 35 (seeds 29–44,
    /// alternating: 73,933 → 73,754; a run varies by about 200 from seed to seed).
    pub citizen_t0_rel: f64,
    /// Share of the budget spent removing whole routes when vehicles carry a fixed cost.
    pub fleet_share: f64,
    /// Insert the currently unassigned tasks before the ruined ones.
    pub absent_first: bool,
    /// Use ejection moves while required tasks are left out.
    pub eject: bool,
    /// Price of a left-out required task during annealing, relative to the mean arc cost
    /// (0: never accept such plans).
    pub must_penalty: f64,
    /// SISR's "fewer absent OR smaller absence sum" acceptance while tasks are left out.
    pub sisr_or: bool,
    /// Seed half the string ruins at a left-out task (taking what is near it in space and
    /// time) also while walking on absences above the priced band (VRPTW's must-serve
    /// customers), once the walk has not lowered the left-out count for `walk_stall` of
    /// the budget; before, only once settled. Solomon R104 and R112 at the best-known
    /// fleet, 250,000 iterations, seeds 61–100: runs that end with a customer left out 27
    /// → 13 of 80 (seeded from the start of the walk: 16 of 80, and 65 → 40 of 200 over
    /// seeds 1–100). All 56, seeds 1–3: 2 → 1 of 168 runs left a customer out, mean gap
    /// over the seeds 0.58 % → 0.62 % (0.60 % seeded from the start), within the seeds'
    /// spread: once everyone is served it does nothing, and the rest is the random
    /// stream. Seeded from the start, RC102 (served at 0.1 s) got stuck 7.6 % above the
    /// best known in one seed.
    pub left_out_seeds_in_walk: bool,
    /// Share of the budget the walk on absences goes without fewer tasks left out before
    /// its ruins may start at a left-out task (`left_out_seeds_in_walk`; 0.02: 13 of 80
    /// too, mean gap 0.68 %).
    pub walk_stall: f64,
    /// Start the annealing schedule when everyone is first served.
    pub restart_schedule: bool,
    /// Share of iterations followed by the local search (where it applies).
    pub ls_rate: f64,
    /// Share of the budget without fewer required tasks left out after which the search
    /// stops walking on absences (SISR) and anneals instead (how: `priced_band`); only
    /// below the priced band.
    pub settle_after: f64,
    /// The band of a required task's left-out price, relative to the mean arc cost, in
    /// which the search anneals the whole objective from the start instead of walking on
    /// absences and then holding the left-out count as a floor. Measured per class: Nabo's
    /// home-care days price a visit at about 280 arcs and reach fewer left out sooner this
    /// way (10 s on the 352-citizen day: +15.8 % -> +10.4 % to the 5-minute plan); UHHC
    /// prices one at about an arc and did better with the walk (mean gap to SA at 60 s
    /// -4.0 % against -2.9 %); above the band (VRPTW's 10^6: "never") the walk on
    /// absences goes on for the whole budget and no floor is set.
    pub priced_band: (f64, f64),
    /// Left-out tasks retried per iteration once settled.
    pub settled_retries: usize,
    /// The same where continuity is priced. A retry there is dear (a left-out two-person
    /// visit is placed as a pair, tens of scans) and mostly fails in a packed morning, and
    /// the ruins seeded at a left-out visit make the room. Measured against 8, one thread,
    /// 10 s, the two arms side by side, on the 352-citizen demo day: seeds 1–30, 77,533 →
    /// 76,545 and 0.9 → 0.53 visits left out (1: 76,834, 4: 76,989 on seeds 1–18).
    pub citizen_settled_retries: usize,
    /// Left-out tasks retried per iteration before that (SISR retries all).
    pub max_retries: usize,
    /// Share of ruins that take out whole citizens (all their visits) instead of strings,
    /// where continuity is priced.
    pub citizen_ruin: f64,
    /// Where continuity is priced, a visit's insertion first scans only the routes that
    /// hold one of its this-many nearest planned visits or a staff member its citizen
    /// knows (a granular neighbourhood), and the other routes only when those have no room;
    /// linked visits (two-person halves, gaps) scan every route (near routes only: the
    /// 352-citizen day at 40,000 iterations, seeds 1–6, 82,334 against 80,891). Against
    /// scanning every route, at equal iterations: 352 citizens (40,000, seeds 1–6)
    /// 80,891 → 80,840 with 13 % fewer instructions; 1,400 citizens (8,000, seeds 1–3)
    /// 352,330 → 348,867, visits left out 5.67 → 3.33, 8 % fewer instructions.
    pub granular_neighbours: usize,
    /// The near routes of a visit (see `granular_neighbours`) are those of its own team's
    /// staff (and of staff its citizen knows); another team's routes are scanned only when
    /// those have no room. Help across the boundary costs little per visit (30 against a
    /// new face's 120 on the demo day), so the annealing kept such visits for long once
    /// they were offered first. Measured on the 352-citizen demo day, 10 s, one thread, the
    /// two arms side by side, seeds 13–36: 76,150 → 75,481 (visits by another team's staff
    /// 42.6 → 15.3, new faces 574.3 → 576.3); with the routes of the citizen's other
    /// visits near as well, whatever their team: 76,644 → 76,378 (44.1 → 33.3). Both
    /// cores, seeds 1–6: 75,488 → 75,289 (without visits left out 75,155 → 74,623).
    /// 1,400 citizens at 20 s, seeds 5–12: 304,394 → 304,592 (faces 2,323 → 2,349,
    /// boundary visits 168 → 89); 100 citizens at 5 s, seeds 1–8: 25,520 → 25,588 (no
    /// boundary visits in either; without visits left out 21,520 → 21,463).
    pub own_team_near: bool,
    /// Share of ruins, where continuity is priced and no required visit is left out, that
    /// consolidate a citizen's staff (`Search::ruin_consolidate`): the visits of the staff
    /// member it sees least leave, and the one it sees most makes room for them. Citizen
    /// ruins re-place a citizen's visits one by one, so the first visit picks a staff
    /// member for the rest, who then often has no room left; a day packed like the
    /// demo's keeps such extra faces. Measured with 2 visits of room per moving visit,
    /// one thread, the two arms side by side: the 352-citizen demo day at 10 s, seeds
    /// 13–60, 75,021 → 74,836 (new faces 575.3 → 574.3; 35 %: 74,950 → 74,891; without
    /// the rule "none left out", seeds 13–36, fewer faces, 572.8, but more visits left
    /// out, 0.21 → 0.54); 1,400 citizens at 20 s, seeds 5–12, 302,116 → 300,902 (faces
    /// 2,330 → 2,319); 100 citizens at 5 s, seeds 1–12, 25,337 → 25,405 (faces 162.9 →
    /// 163.4, within a seed's spread there).
    pub citizen_consolidate: f64,
    /// Visits the most-seen staff member gives up per visit moving to them (the nearest in
    /// time to it).
    pub consolidate_room: usize,
    /// Linked tasks (the halves of a two-person visit, visits a gap apart) are placed
    /// before the other tasks of a ruin, in the order drawn for them (and before a
    /// consolidation ruin's citizen visits): they need room on two routes at one time,
    /// which the others' insertions had mostly taken. On the 352-citizen demo day a
    /// two-person visit taken out by a ruin found its place again in 76 % of the tries
    /// before, 95 % after; a try costs about a third of an iteration (up to eleven
    /// scans), and a failed one makes the candidate lose. One thread, 10 s, seeds 1–24:
    /// 74,615 → 74,177 (with the rule that a pair is tried once per recreate, see
    /// `recreate`), and no run left a visit out (5 of 24 before); two threads, 1,400
    /// and 100 citizens about the same; UHHC better in 7 of 12 runs, worse in 1
    /// (BENCHMARKS.md).
    pub linked_first: bool,
    /// A recreate stops at the first required task that finds no place where the
    /// acceptance would reject the candidate for it anyway
    /// (`Search::rejects_any_left_out`), so placing the rest is wasted. The same rule,
    /// fewer insertions: at the best-known fleet of Solomon's R1 more than half the
    /// candidates leave a customer out, and a 10 s run makes about 9 % more iterations
    /// (3 seeds × 12 instances, mean gap 0.64 % → 0.69 %, within a seed's spread); the
    /// 352-citizen day about 2.6 % (BENCHMARKS.md).
    pub recreate_fail_fast: bool,
    /// Where neither continuity nor the schedule is priced (the VRPTW benchmarks), a
    /// recreate places the tasks by regret instead of one after the other in the drawn
    /// order: each time the task whose cheapest place beats its cheapest on another
    /// route by most goes first, so a customer with one good place left gets it before
    /// another takes it (a task's cheapest place per route is kept, and only the changed
    /// route's updated, see `Search::regret_update`). Off: per iteration it is the better
    /// recreate, but it halves the iterations in a time limit. Solomon R107 and R109–R112
    /// at a million iterations, seeds 1–4: mean gap 1.27 % → 0.76 %; all of R1 at 10 s,
    /// seeds 1–5, 0.64 % → 0.52 %; but all 56 at 10 s, seed 1, 0.37 % → 0.71 % (R2
    /// 0.74 % → 1.80 %, and seeds 2–3 0.63 % → 1.31 %), and the 352-citizen demo day
    /// (continuity priced), two threads at 10 s, seeds 1–12, 73,862 → 74,535
    /// (BENCHMARKS.md, "Regret insertion").
    pub regret_recreate: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            avg_removed: 10.0,
            citizen_avg_removed: 6.0,
            max_string: 10.0,
            citizen_max_string: 2.0,
            split_rate: 0.5,
            blink: 0.01,
            t0_rel: 5.0,
            citizen_t0_rel: 25.0,
            tf_rel: 0.05,
            fleet_share: 0.4,
            absent_first: true,
            eject: false,
            sisr_or: true,
            left_out_seeds_in_walk: true,
            walk_stall: 0.05,
            restart_schedule: false,
            ls_rate: 0.1,
            must_penalty: 0.0,
            settle_after: 0.15,
            priced_band: (10.0, 1000.0),
            settled_retries: 8,
            citizen_settled_retries: 2,
            max_retries: 16,
            citizen_ruin: 0.3,
            granular_neighbours: 30,
            own_team_near: true,
            citizen_consolidate: 0.2,
            consolidate_room: 2,
            linked_first: true,
            recreate_fail_fast: true,
            regret_recreate: false,
        }
    }
}

/// When to stop. The time limit only decides *when* to stop; with `max_iterations` set,
/// every decision (temperature, phase switch) follows the iteration count, so a seed gives
/// the same result on any machine as long as the time limit is not reached first.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Budget {
    pub start: Instant,
    pub time_limit: f64,
    pub max_iterations: Option<u64>,
}

impl Budget {
    fn fraction(&self, iter: u64) -> f64 {
        match self.max_iterations {
            Some(m) => iter as f64 / m.max(1) as f64,
            None => self.start.elapsed().as_secs_f64() / self.time_limit.max(1e-9),
        }
    }
    fn done(&self, iter: u64) -> bool {
        if let Some(m) = self.max_iterations {
            if iter >= m {
                return true;
            }
        }
        // Checking the clock every iteration costs ~25 ns; cheap next to one iteration.
        self.start.elapsed().as_secs_f64() >= self.time_limit
    }
}

pub(crate) struct Search<'a> {
    pub inst: &'a Inst,
    pub params: Params,
    pub rng: Rng,
    /// Per task: static keys for the recreate orderings.
    depot_dist: Vec<f64>,
    tw_close: Vec<f64>,
    tw_width: Vec<f64>,
    /// Tasks linked to each task (sync or gap), transitively closed.
    pub group: Vec<Vec<u32>>,
    /// Per citizen, its tasks (empty when continuity is not priced).
    citizen_tasks: Vec<Vec<u32>>,
    /// SISR absence counters.
    absence: Vec<u64>,
    /// Annealing the objective while required tasks are left out, no longer walking on
    /// absences (see `Params::settle_after`, `Params::priced_band`).
    settled: bool,
    /// Ruins may start at a left-out task while walking on absences: the walk goes on to
    /// the end (a left-out task is priced above the band) and has stalled (see
    /// `Params::left_out_seeds_in_walk`). Updated each iteration.
    walk_seeds_left_out: bool,
    pub iterations: u64,
    pub insert_evals: u64,
    /// Vehicles may be opened in recreate.
    allow_open: bool,
    scratch: Scratch,
    journal: Journal,
    /// Placing the members of a linked group: every insertion goes in the journal.
    grouping: bool,
    /// This recreate places the unlinked tasks by regret (see `Params::regret_recreate`).
    regret: bool,
    /// Scratch of the regret recreate: per pending task, its routes' cheapest places.
    regret_cache: Pending,
    regret_stamps: Vec<u64>,
    /// Nearest visits whose routes an insertion scans first (0: every route); see
    /// `Params::granular_neighbours`.
    granular: usize,
    /// Per citizen, the routes of the staff it already knows (continuity priced only).
    known_routes: Vec<Vec<u32>>,
    /// Routes marked as near the task being inserted: `route_mark[r] == mark`.
    mark: u32,
    route_mark: Vec<u32>,
    ls: Option<Ls>,
    /// The max terms' norms for the insertion under way (exact objectives only), set by
    /// `best_insertion` for `exact_delta`.
    max_norms: [MaxNorm; 3],
    /// While cooperating searches split the day, the routes and tasks this one may change
    /// (see `split`); `None`: the whole day.
    pub region: Option<Region>,
}

/// The cheapest few insertion positions of a scan, in the order a stable sort by delta
/// would give them (ties: scan order). Keeping only `cap` of them avoids collecting and
/// sorting every feasible position of every route for each inserted task.
pub(crate) struct Cheapest {
    cap: usize,
    /// Only positions strictly cheaper than this are kept (a visit not worth placing).
    below: f64,
    /// Positions on this route are not kept (the other half of a two-person visit).
    skip_route: Option<usize>,
    items: Vec<Ins>,
}

impl Cheapest {
    fn new(cap: usize) -> Self {
        Cheapest {
            cap,
            below: f64::INFINITY,
            skip_route: None,
            items: Vec::with_capacity(cap + 1),
        }
    }

    fn offer(&mut self, ins: Ins) {
        if ins.delta >= self.below || self.skip_route == Some(ins.route) {
            return;
        }
        let at = self
            .items
            .partition_point(|x| x.delta.total_cmp(&ins.delta).is_le());
        if at < self.cap {
            self.items.insert(at, ins);
            self.items.truncate(self.cap);
        }
    }
}

/// Which routes an insertion scan looks at (see `Params::granular_neighbours`).
#[derive(Clone, Copy, PartialEq)]
enum Scan {
    All,
    /// Routes marked near the task, and empty ones.
    Near,
    /// The rest.
    Far,
}

/// A task waiting in a regret recreate: its routes' cheapest places and the two cheapest
/// of them.
#[derive(Default)]
struct PendingTask {
    task: u32,
    /// The routes weighed for it, and its cheapest place on each.
    routes: Vec<u32>,
    bests: Vec<Option<Ins>>,
    top: (Option<Ins>, Option<Ins>),
}

/// The tasks a regret recreate has still to place, in order, with the allocations of
/// those placed kept for the next recreate.
#[derive(Default)]
struct Pending {
    live: Vec<PendingTask>,
    spare: Vec<PendingTask>,
}

impl Pending {
    fn pop_spare(&mut self) -> PendingTask {
        self.spare.pop().unwrap_or_default()
    }
    fn retire(&mut self, i: usize) {
        let p = self.live.remove(i);
        self.spare.push(p);
    }
    fn retire_all(&mut self) {
        self.spare.append(&mut self.live);
    }
}

/// The cheapest and second cheapest place over a task's routes.
fn top_two(bests: &[Option<Ins>]) -> (Option<Ins>, Option<Ins>) {
    let (mut b1, mut b2): (Option<Ins>, Option<Ins>) = (None, None);
    for &b in bests.iter().flatten() {
        if b1.is_none_or(|x| b.delta < x.delta) {
            b2 = b1;
            b1 = Some(b);
        } else if b2.is_none_or(|x| b.delta < x.delta) {
            b2 = Some(b);
        }
    }
    (b1, b2)
}

/// Both the visit and the staff member belong to teams, and not the same one.
fn other_team(visit: Option<u32>, staff: Option<u32>) -> bool {
    matches!((visit, staff), (Some(a), Some(b)) if a != b)
}

/// Lexicographic comparison: fewer must-serve tasks left out first, then cost.
pub(crate) fn better(a: &Solution, b: &Solution) -> bool {
    a.n_must_unassigned < b.n_must_unassigned
        || (a.n_must_unassigned == b.n_must_unassigned && a.cost() < b.cost() - 1e-9)
}

impl<'a> Search<'a> {
    pub(crate) fn new(inst: &'a Inst, params: Params, seed: u64) -> Self {
        let n = inst.tasks.len();
        let depot = inst.vehicles.first().map_or(0, |v| v.start_loc);
        let depot_dist = inst
            .tasks
            .iter()
            .map(|t| t.loc.map_or(0.0, |l| inst.t(depot, l)))
            .collect();
        let tw_close = inst
            .tasks
            .iter()
            .map(|t| t.windows.last().map_or(f64::INFINITY, |w| w.1))
            .collect();
        let tw_width = inst
            .tasks
            .iter()
            .map(|t| t.windows.iter().map(|w| w.1 - w.0).sum())
            .collect();
        let mut group = vec![Vec::new(); n];
        // Transitive closure by repeated union; link counts are small.
        let mut comp: Vec<usize> = (0..n).collect();
        fn find(c: &mut [usize], x: usize) -> usize {
            let mut r = x;
            while c[r] != r {
                r = c[r];
            }
            let mut y = x;
            while c[y] != r {
                let nx = c[y];
                c[y] = r;
                y = nx;
            }
            r
        }
        for l in &inst.links {
            let (a, b) = (find(&mut comp, l.a as usize), find(&mut comp, l.b as usize));
            if a != b {
                comp[a] = b;
            }
        }
        let linked: Vec<usize> = inst
            .links
            .iter()
            .flat_map(|l| [l.a as usize, l.b as usize])
            .collect();
        for &t in &linked {
            let r = find(&mut comp, t);
            for &u in &linked {
                if u != t && find(&mut comp, u) == r && !group[t].contains(&(u as u32)) {
                    group[t].push(u as u32);
                }
            }
        }
        let mut citizen_tasks: Vec<Vec<u32>> = Vec::new();
        if inst.continuity_cost > 0.0 {
            for (t, task) in inst.tasks.iter().enumerate() {
                if let Some(c) = task.citizen {
                    let c = c as usize;
                    if citizen_tasks.len() <= c {
                        citizen_tasks.resize(c + 1, Vec::new());
                    }
                    citizen_tasks[c].push(t as u32);
                }
            }
        }
        let known_routes = if citizen_tasks.is_empty() {
            Vec::new()
        } else {
            inst.known
                .iter()
                .map(|known| {
                    (0..inst.vehicles.len() as u32)
                        .filter(|&v| {
                            known
                                .binary_search(&inst.vehicles[v as usize].staff)
                                .is_ok()
                        })
                        .collect()
                })
                .collect()
        };
        let granular = if citizen_tasks.is_empty() {
            0
        } else {
            params.granular_neighbours
        };
        Search {
            known_routes,
            inst,
            params,
            rng: Rng::new(seed),
            citizen_tasks,
            depot_dist,
            tw_close,
            tw_width,
            group,
            absence: vec![0; n],
            settled: false,
            walk_seeds_left_out: false,
            iterations: 0,
            insert_evals: 0,
            allow_open: true,
            scratch: Scratch::default(),
            journal: Journal::default(),
            grouping: false,
            regret: false,
            regret_cache: Pending::default(),
            regret_stamps: Vec::new(),
            granular,
            mark: 0,
            route_mark: vec![0; inst.vehicles.len()],
            max_norms: [MaxNorm::default(); 3],
            ls: (inst.uniform_fleet && !inst.exact && inst.links.is_empty()).then(|| Ls::new(n)),
            region: None,
        }
    }

    /// The route is this search's to change (see `region`).
    #[inline]
    fn route_open(&self, ri: usize) -> bool {
        self.region.as_ref().is_none_or(|r| r.routes[ri])
    }

    /// The task is this search's to place or take out (see `region`).
    #[inline]
    fn task_open(&self, t: u32) -> bool {
        self.region.as_ref().is_none_or(|r| r.tasks[t as usize])
    }

    /// Greedy insertion of every task, hardest first (latest window close ascending, ties by
    /// distance from the depot descending). O(n · positions) checks of O(1) each.
    pub(crate) fn construct(&mut self) -> Solution {
        let sol = self.construct_inner();
        debug_assert!(sol.links_hold(self.inst), "construction breaks a link");
        sol
    }

    fn construct_inner(&mut self) -> Solution {
        let inst = self.inst;
        let mut sol = Solution::empty(inst);
        let mut order: Vec<u32> = (0..inst.tasks.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            let pa = inst.tasks[a].pinned.is_some();
            let pb = inst.tasks[b].pinned.is_some();
            pb.cmp(&pa)
                .then(self.tw_width[a].total_cmp(&self.tw_width[b]))
                .then(self.depot_dist[b].total_cmp(&self.depot_dist[a]))
        });
        let blink = self.params.blink;
        self.params.blink = 0.0;
        // Construction starts from empty routes: near routes are the wrong question there.
        let granular = std::mem::take(&mut self.granular);
        self.recreate(&mut sol, &order, false);
        self.granular = granular;
        self.params.blink = blink;
        sol.recount_unassigned(inst);
        sol
    }

    /// A visit that may be left out is placed only where that costs less than its left-out
    /// price; a required one wherever it fits.
    fn worth_below(&self, t: u32) -> f64 {
        let task = &self.inst.tasks[t as usize];
        if task.must {
            f64::INFINITY
        } else {
            task.unassigned_cost
        }
    }

    /// The cheapest feasible position of `t` (and the cheapest few into `cands`): on the
    /// routes near it first, on the others too when those have no room (for a visit that
    /// may be left out: no room below its left-out price).
    pub(crate) fn best_insertion(
        &mut self,
        sol: &Solution,
        t: u32,
        mut cands: Option<&mut Cheapest>,
    ) -> Option<Ins> {
        if self.inst.exact {
            // The routes do not change while one task's positions are scanned: one pass
            // over them prices the max terms of every position.
            for (k, w) in self.inst.max_weights().into_iter().enumerate() {
                if w > 0.0 {
                    self.max_norms[k] = MaxNorm::over(&sol.routes, k);
                }
            }
        }
        // Linked visits (two-person halves, visits a gap apart) need a time on another
        // route as well, which the near routes rarely offer: they scan every route.
        if self.granular > 0 && self.group[t as usize].is_empty() {
            self.mark_near(sol, t);
            let near = self.scan_insertions(sol, t, cands.as_deref_mut(), Scan::Near);
            // A near position not worth taking is no reason to stop looking.
            if near.is_some_and(|b| b.delta < self.worth_below(t)) {
                return near;
            }
            // The rest: routes neither near nor empty (the empty ones were scanned above).
            let far = self.scan_insertions(sol, t, cands, Scan::Far);
            return match (near, far) {
                (Some(n), Some(f)) if f.delta < n.delta => Some(f),
                (Some(n), _) => Some(n),
                (None, f) => f,
            };
        }
        self.scan_insertions(sol, t, cands, Scan::All)
    }

    /// Marks the routes near `t` (see `Params::granular_neighbours`): those of its nearest
    /// planned visits (its own team's) and of the staff its citizen knows.
    fn mark_near(&mut self, sol: &Solution, t: u32) {
        self.mark = self.mark.wrapping_add(1);
        if self.mark == 0 {
            self.route_mark.iter_mut().for_each(|m| *m = 0);
            self.mark = 1;
        }
        // Neighbours taken out by the same ruin have no route: count planned ones.
        let mut found = 0;
        let team = self.inst.tasks[t as usize]
            .team
            .filter(|_| self.params.own_team_near);
        for &u in &self.inst.neighbours[t as usize] {
            let ru = sol.route_of[u as usize];
            // Route i is vehicle i's: the route itself need not be read.
            if ru != NONE && !other_team(team, self.inst.vehicles[ru as usize].team) {
                self.route_mark[ru as usize] = self.mark;
                found += 1;
                if found == self.granular {
                    break;
                }
            }
        }
        // A known face costs nothing however far it drives: its routes are near too.
        if let Some(c) = self.inst.tasks[t as usize].citizen {
            for &ri in &self.known_routes[c as usize] {
                self.route_mark[ri as usize] = self.mark;
            }
        }
    }

    /// Every feasible position of `t` on the routes `scan` selects.
    fn scan_insertions(
        &mut self,
        sol: &Solution,
        t: u32,
        cands: Option<&mut Cheapest>,
        scan: Scan,
    ) -> Option<Ins> {
        let mut best: Option<Ins> = None;
        let mut all = cands;
        let mut seen_empty_class = false;
        let span = self.span_of(sol, t);
        for ri in self.inst.allowed_vehicles(t) {
            if self.scans_route(sol, t, ri, scan, &mut seen_empty_class) {
                self.scan_route(sol, t, ri, span, all.as_deref_mut(), &mut best);
            }
        }
        best
    }

    /// Whether the scan `scan` of `t`'s places looks at route `ri`: an open route of the
    /// scan's kind (near or not), and of identical empty vehicles only the first
    /// (`seen_empty_class`).
    fn scans_route(
        &self,
        sol: &Solution,
        t: u32,
        ri: usize,
        scan: Scan,
        seen_empty_class: &mut bool,
    ) -> bool {
        let inst = self.inst;
        let r = &sol.routes[ri];
        debug_assert_eq!(r.veh, ri, "route i is vehicle i's");
        let near = !r.has_visit || self.route_mark[ri] == self.mark;
        if !self.route_open(ri) || (scan == Scan::Near && !near) || (scan == Scan::Far && near) {
            return false;
        }
        if !r.has_visit && !inst.tasks[t as usize].is_break {
            if !self.allow_open {
                return false;
            }
            // Identical empty vehicles (benchmarks): trying one is enough.
            if inst.uniform_fleet {
                if *seen_empty_class {
                    return false;
                }
                *seen_empty_class = true;
            }
        }
        true
    }

    /// The feasible positions of `t` on route `ri` (the gaps its time allows), offered to
    /// `all` and kept in `best` when cheaper. `span`: when the task's last window closes,
    /// and when it can be done at the earliest.
    fn scan_route(
        &mut self,
        sol: &Solution,
        t: u32,
        ri: usize,
        span: (f64, f64),
        mut all: Option<&mut Cheapest>,
        best: &mut Option<Ins>,
    ) {
        let inst = self.inst;
        let task = &inst.tasks[t as usize];
        let r = &sol.routes[ri];
        let blink = self.params.blink;
        let (closes, done_by) = span;
        if inst.has_demand && r.load + task.demand > inst.vehicles[r.veh].capacity + 1e-9 {
            return;
        }
        // The gaps the task's time allows, one run: from the first where the next
        // visit's latest start leaves time to do it, to the last where the stop before
        // is done before its last window closes. (A linear walk: routes are short, and
        // it measured cheaper than two binary searches.)
        let first = r
            .gaps
            .iter()
            .take_while(|g| g.next_latest + EPS < done_by)
            .count();
        for (p, g) in r.gaps.iter().enumerate().skip(first) {
            if g.done > closes {
                break;
            }
            // Ruled out before the blink: drawing for a gap that fails anyway changes
            // nothing but the random stream. It still counts as a move evaluated.
            if g.next_latest - g.done + EPS < task.service {
                self.insert_evals += 1;
                continue;
            }
            if blink > 0.0 && self.rng.f64() < blink {
                continue;
            }
            self.insert_evals += 1;
            if let Some(mut d) = sol.insert_check(inst, ri, p, t) {
                if inst.exact {
                    d = self.exact_delta(sol, ri, p, t, d);
                }
                if let Some(c) = all.as_deref_mut() {
                    c.offer(Ins {
                        route: ri,
                        pos: p,
                        delta: d,
                    });
                }
                if best.is_none_or(|b| d < b.delta) {
                    *best = Some(Ins {
                        route: ri,
                        pos: p,
                        delta: d,
                    });
                }
            }
        }
    }

    /// Exact insertion delta for schedule-dependent objectives: re-evaluates the route.
    fn exact_delta(&mut self, sol: &Solution, ri: usize, p: usize, t: u32, fast: f64) -> f64 {
        let inst = self.inst;
        let r = &sol.routes[ri];
        let sc = &mut self.scratch;
        sc.seq.clear();
        sc.seq.extend_from_slice(&r.nodes[..p]);
        sc.seq.push(t);
        sc.seq.extend_from_slice(&r.nodes[p..]);
        let e = eval_seq(
            inst,
            r.veh,
            &sc.seq,
            &sol.lb,
            &sol.ub,
            &mut sc.loc,
            &mut sc.start,
        );
        // Max terms through their p-norm stand-in (see `Solution::search_cost`).
        let mut max_terms = 0.0;
        for (k, w) in inst.max_weights().into_iter().enumerate() {
            if w > 0.0 {
                let n = &self.max_norms[k];
                max_terms += w * (n.with(ri, max_value(&r.eval, k), max_value(&e, k)) - n.norm());
            }
        }
        // Continuity is priced outside the route evaluation; keep the fast part of it.
        let cont = match inst.tasks[t as usize].citizen {
            Some(c) if inst.continuity_cost > 0.0 => {
                sol.continuity_delta_add(inst, c, inst.vehicles[r.veh].staff)
            }
            _ => 0.0,
        };
        let _ = fast;
        e.cost - r.eval.cost + cont + max_terms
    }

    /// Inserts one task; for tasks that touch linked routes, tries the cheapest few positions
    /// until the links settle. Returns false when no position works.
    fn insert_one(&mut self, sol: &mut Solution, t: u32) -> bool {
        let inst = self.inst;
        let needs_settle = !inst.links.is_empty();
        let worth_below = self.worth_below(t);
        if !needs_settle {
            if let Some(b) = self.best_insertion(sol, t, None) {
                if b.delta < worth_below {
                    sol.insert(inst, b.route, b.pos, t);
                    return true;
                }
            }
            return false;
        }
        if !self.grouping {
            // Only a group's placement may be taken back as a whole; otherwise the
            // journal holds one attempt at a time.
            self.journal.clear();
        }
        let mut cands = Cheapest::new(8);
        cands.below = worth_below;
        self.best_insertion(sol, t, Some(&mut cands));
        let mut before: Vec<(u32, f64)> = Vec::new();
        cands
            .items
            .iter()
            .any(|&c| self.try_place(sol, t, c, &mut before))
    }

    /// Inserts `t` at `c`, settling the links it touches across routes; where they do not
    /// settle, the insertion is taken back and false returned. While a group is placed
    /// every insertion goes in the journal. `before`: scratch.
    fn try_place(
        &mut self,
        sol: &mut Solution,
        t: u32,
        c: Ins,
        before: &mut Vec<(u32, f64)>,
    ) -> bool {
        let inst = self.inst;
        let own_links = !inst.tasks[t as usize].links.is_empty();
        let touches_link = own_links || sol.routes[c.route].has_link;
        if !touches_link && !self.grouping {
            sol.insert(inst, c.route, c.pos, t);
            return true;
        }
        before.clear();
        if !own_links {
            let r = &sol.routes[c.route];
            for (k, &x) in r.nodes.iter().enumerate() {
                if !inst.tasks[x as usize].links.is_empty() {
                    before.push((x, r.start[k + 1]));
                }
            }
        }
        let mark = self.journal.mark();
        sol.insert_journaled(inst, c.route, c.pos, t, &mut self.journal, mark);
        if !touches_link {
            return true;
        }
        if !own_links {
            // Linked tasks that keep their start keep every link intact: no need to
            // propagate across routes.
            let r = &sol.routes[c.route];
            let unchanged = r.feasible
                && before.iter().all(|&(x, s)| {
                    r.nodes
                        .iter()
                        .position(|&y| y == x)
                        .is_some_and(|k| r.start[k + 1] == s)
                });
            if unchanged {
                return true;
            }
        }
        if sol.propagate_links(inst, c.route, &mut self.journal, mark) {
            return true;
        }
        sol.rollback(inst, &mut self.journal, mark);
        false
    }

    /// Places two linked tasks together (the halves of a two-person visit where the
    /// schedule is not priced: see `insert_sync_pair`): for each of the cheapest few
    /// positions of the first, the best position of the second that keeps the link, and
    /// the cheapest pair wins. Placing
    /// them one after the other instead fixes the first half where the second often
    /// cannot meet it, which in a morning rush leaves most two-person visits out.
    fn insert_pair(&mut self, sol: &mut Solution, a: u32, b: u32) -> bool {
        const FIRST: usize = 10;
        const SECOND: usize = 4;
        let inst = self.inst;
        let (ta, tb) = (&inst.tasks[a as usize], &inst.tasks[b as usize]);
        let must = ta.must || tb.must;
        let left_out = ta.unassigned_cost + tb.unassigned_cost;
        // Two-person halves (and distinct-staff pairs) need two routes; visits a gap
        // apart may share one.
        let (mut apart, mut sync) = (false, false);
        for &li in &ta.links {
            let l = &inst.links[li as usize];
            if l.a == b || l.b == b {
                apart |= matches!(l.kind, LinkKind::Sync | LinkKind::Distinct);
                sync |= l.kind == LinkKind::Sync;
            }
        }
        if sync && !inst.exact {
            return self.insert_sync_pair(sol, a, b, must, left_out);
        }
        let base = sol.cost();
        let mut firsts = Cheapest::new(FIRST);
        self.best_insertion(sol, a, Some(&mut firsts));
        let mut best: Option<(f64, Ins, Ins)> = None;
        let mut seconds = Cheapest::new(SECOND);
        for ca in firsts.items {
            let m0 = self.journal.mark();
            if sol.insert_linked(inst, ca.route, ca.pos, a, &mut self.journal) {
                seconds.items.clear();
                seconds.skip_route = if apart { Some(ca.route) } else { None };
                // The second half is looked for only where it can meet the first: its
                // cheapest places elsewhere would all fail to settle.
                let (lo, hi) = sol.partner_window(inst, b, a);
                let bi = b as usize;
                let (lb, ub) = (sol.lb[bi], sol.ub[bi]);
                if lo <= hi {
                    sol.lb[bi] = lb.max(lo);
                    sol.ub[bi] = ub.min(hi);
                    self.best_insertion(sol, b, Some(&mut seconds));
                    (sol.lb[bi], sol.ub[bi]) = (lb, ub);
                }
                for &cb in seconds.items.iter() {
                    let m1 = self.journal.mark();
                    let ok = sol.insert_linked(inst, cb.route, cb.pos, b, &mut self.journal);
                    let total = sol.cost() - base;
                    sol.rollback(inst, &mut self.journal, m1);
                    if ok {
                        if best.is_none_or(|(d, _, _)| total < d) {
                            best = Some((total, ca, cb));
                        }
                        break;
                    }
                }
            }
            sol.rollback(inst, &mut self.journal, m0);
        }
        self.place_pair(sol, (a, b), best, must, left_out)
    }

    /// Places the winning pair of a pair search (its added cost and the two places),
    /// unless there is none or leaving the visit out is cheaper (it may be left out).
    fn place_pair(
        &mut self,
        sol: &mut Solution,
        (a, b): (u32, u32),
        best: Option<(f64, Ins, Ins)>,
        must: bool,
        left_out: f64,
    ) -> bool {
        let Some((total, ia, ib)) = best else {
            return false;
        };
        if !must && total >= left_out {
            return false;
        }
        // Redo the winning pair from the same state: the same steps, the same result.
        sol.insert_linked(self.inst, ia.route, ia.pos, a, &mut self.journal)
            && sol.insert_linked(self.inst, ib.route, ib.pos, b, &mut self.journal)
    }

    /// Places the two halves of a two-person visit where the objective does not depend
    /// on the schedule: the cheapest few places of each, found by one scan each, are
    /// matched where their start spans meet on two routes, and the cheapest matches by
    /// summed deltas are tried for real (links propagated); the best of the first three
    /// that hold is kept. Two scans where `insert_pair`'s general way takes up to eleven
    /// (one per first-half place for the second half) and a trial insertion per
    /// first-half place: 12 % less time per iteration on the 352-citizen demo day, the
    /// same share of pairs placed again after a ruin (96 %). Where the schedule is priced
    /// (waiting, tardiness: UHHC), the two halves' deltas do not add up once their
    /// starts are tied, and matching by them lost 3–6 % on UHHC's i-175 (BENCHMARKS.md).
    fn insert_sync_pair(
        &mut self,
        sol: &mut Solution,
        a: u32,
        b: u32,
        must: bool,
        left_out: f64,
    ) -> bool {
        const KEEP: usize = 16;
        const TRIED: usize = 3;
        let inst = self.inst;
        let base = sol.cost();
        let mut for_a = Cheapest::new(KEEP);
        self.best_insertion(sol, a, Some(&mut for_a));
        if for_a.items.is_empty() {
            return false;
        }
        let mut for_b = Cheapest::new(KEEP);
        self.best_insertion(sol, b, Some(&mut for_b));
        let spans = |items: &[Ins], t: u32| -> Vec<(Ins, f64, f64)> {
            items
                .iter()
                .filter_map(|i| {
                    sol.start_span(inst, i.route, i.pos, t)
                        .map(|(s, l)| (*i, s, l))
                })
                .collect()
        };
        let (sa, sb) = (spans(&for_a.items, a), spans(&for_b.items, b));
        let mut matches: Vec<(f64, usize, usize)> = Vec::new();
        for (i, (ia, s1, l1)) in sa.iter().enumerate() {
            for (j, (ib, s2, l2)) in sb.iter().enumerate() {
                if ia.route != ib.route && s1.max(*s2) <= l1.min(*l2) + EPS {
                    matches.push((ia.delta + ib.delta, i, j));
                }
            }
        }
        matches.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut best: Option<(f64, Ins, Ins)> = None;
        let mut held = 0;
        for &(_, i, j) in &matches {
            let (ia, ib) = (sa[i].0, sb[j].0);
            let m0 = self.journal.mark();
            let ok = sol.insert_linked(inst, ia.route, ia.pos, a, &mut self.journal)
                && sol.insert_linked(inst, ib.route, ib.pos, b, &mut self.journal);
            let total = sol.cost() - base;
            sol.rollback(inst, &mut self.journal, m0);
            if ok {
                if best.is_none_or(|(d, _, _)| total < d) {
                    best = Some((total, ia, ib));
                }
                held += 1;
                if held == TRIED {
                    break;
                }
            }
        }
        self.place_pair(sol, (a, b), best, must, left_out)
    }

    /// Inserts the given tasks in order (groups of linked tasks together, all or none).
    /// Tasks that cannot be placed stay unassigned; with `fail_fast` (see
    /// `Params::recreate_fail_fast`) the first required one that finds no place ends the
    /// recreate, and the result is true.
    pub(crate) fn recreate(&mut self, sol: &mut Solution, tasks: &[u32], fail_fast: bool) -> bool {
        let inst = self.inst;
        // A group that found no place is not tried again for its other members: with the
        // plan almost as it was, the same scans mostly fail again.
        let mut failed: Vec<u32> = Vec::new();
        let mut stopped_early = false;
        let mut singles: Vec<u32> = Vec::new();
        let mut i = 0;
        while i < tasks.len() {
            let t = tasks[i];
            i += 1;
            if sol.route_of[t as usize] != NONE || failed.contains(&t) {
                continue;
            }
            if self.group[t as usize].is_empty() {
                if self.regret {
                    singles.push(t);
                    continue;
                }
                if !self.insert_one(sol, t) && fail_fast && inst.must_count(t) > 0 {
                    stopped_early = true;
                    break;
                }
                continue;
            }
            let members: Vec<u32> = std::iter::once(t)
                .chain(self.group[t as usize].iter().copied())
                .filter(|&u| sol.route_of[u as usize] == NONE)
                .collect();
            // All or none: a member that finds no place takes the others back out.
            self.journal.clear();
            self.grouping = true;
            let placed = if let [a, b] = members[..] {
                self.insert_pair(sol, a, b)
            } else {
                members.iter().all(|&u| self.insert_one(sol, u))
            };
            if !placed {
                sol.rollback(inst, &mut self.journal, 0);
                failed.extend_from_slice(&members);
            }
            self.grouping = false;
            self.journal.clear();
            if !placed && fail_fast && members.iter().any(|&u| inst.must_count(u) > 0) {
                stopped_early = true;
                break;
            }
        }
        if !stopped_early && !singles.is_empty() {
            stopped_early = self.recreate_regret(sol, &singles, fail_fast);
        }
        sol.recount_unassigned(inst);
        stopped_early
    }

    /// The routes whose places for `t` a regret recreate weighs: as `best_insertion`
    /// scans them (near routes, the rest only when those have no room), each with its
    /// cheapest place and the stamp it was scanned at.
    fn regret_routes(&mut self, sol: &Solution, t: u32, p: &mut PendingTask) {
        p.task = t;
        p.routes.clear();
        p.bests.clear();
        let inst = self.inst;
        let granular = self.granular > 0;
        if granular {
            self.mark_near(sol, t);
        }
        let span = self.span_of(sol, t);
        let worth = self.worth_below(t);
        let mut seen_empty_class = false;
        let passes: &[Scan] = if granular {
            &[Scan::Near, Scan::Far]
        } else {
            &[Scan::All]
        };
        for &pass in passes {
            if pass == Scan::Far && p.bests.iter().flatten().any(|b| b.delta < worth) {
                break;
            }
            for ri in inst.allowed_vehicles(t) {
                if !self.scans_route(sol, t, ri, pass, &mut seen_empty_class) {
                    continue;
                }
                let mut best = None;
                self.scan_route(sol, t, ri, span, None, &mut best);
                p.routes.push(ri as u32);
                p.bests.push(best);
            }
        }
    }

    /// Places the unlinked `tasks` by regret: each time the one whose cheapest place
    /// beats its cheapest on another route (or leaving it out) by most, at that place.
    /// After each placement a task's places are updated only on the routes it changed.
    /// True when it stopped at a required task that found no place (`fail_fast`).
    fn recreate_regret(&mut self, sol: &mut Solution, tasks: &[u32], fail_fast: bool) -> bool {
        let inst = self.inst;
        let mut pending = std::mem::take(&mut self.regret_cache);
        let mut stamps = std::mem::take(&mut self.regret_stamps);
        let mut changed: Vec<usize> = Vec::new();
        let mut before: Vec<(u32, f64)> = Vec::new();
        // The last placement, when it changed only its own route.
        let mut last: Option<Ins> = None;
        // The citizen and route of the last placement: its other visits now know that
        // staff member.
        let mut known: Option<(u32, usize)> = None;
        // The empty route the last placement opened, and the next empty one.
        let mut reopened: Option<(usize, usize)> = None;
        let stopped = 'placing: {
            for &t in tasks {
                let mut p = pending.pop_spare();
                self.regret_routes(sol, t, &mut p);
                p.top = top_two(&p.bests);
                let worth = self.worth_below(t);
                // A required task with no place now finds none later (insertions only
                // take room): stop before placing anything.
                if fail_fast && inst.must_count(t) > 0 && p.top.0.is_none_or(|b| b.delta >= worth) {
                    pending.live.push(p);
                    break 'placing true;
                }
                pending.live.push(p);
            }
            stamps.clear();
            stamps.extend(sol.routes.iter().map(|r| r.stamp));
            loop {
                // Update the places on the routes that changed with the last placement.
                for p in pending.live.iter_mut() {
                    let span = self.span_of(sol, p.task);
                    let mut dirty = false;
                    for &ri in &changed {
                        let Some(k) = p.routes.iter().position(|&x| x as usize == ri) else {
                            continue;
                        };
                        let updated = match last {
                            Some(ins) if ins.route == ri => {
                                self.regret_update(sol, p.task, p.bests[k], ins)
                            }
                            _ => None,
                        };
                        p.bests[k] = match updated {
                            Some(best) => best,
                            None => {
                                let mut best = None;
                                self.scan_route(sol, p.task, ri, span, None, &mut best);
                                best
                            }
                        };
                        dirty = true;
                    }
                    // The citizen's other visits now know this staff member: the route
                    // is near for them wherever it drives. And an empty vehicle stood
                    // for all identical empty ones: the next one stands for them now.
                    let more = [
                        known
                            .filter(|&(c, _)| inst.tasks[p.task as usize].citizen == Some(c))
                            .map(|(_, ri)| ri),
                        reopened
                            .filter(|&(opened, _)| p.routes.contains(&(opened as u32)))
                            .map(|(_, next)| next),
                    ];
                    for ri in more.into_iter().flatten() {
                        if !p.routes.contains(&(ri as u32))
                            && inst.allowed_vehicles(p.task).any(|v| v == ri)
                        {
                            let mut best = None;
                            self.scan_route(sol, p.task, ri, span, None, &mut best);
                            p.routes.push(ri as u32);
                            p.bests.push(best);
                            dirty = true;
                        }
                    }
                    if dirty {
                        p.top = top_two(&p.bests);
                    }
                }
                known = None;
                reopened = None;
                let mut pick: Option<(f64, usize, Ins)> = None;
                let mut i = 0;
                while i < pending.live.len() {
                    let p = &pending.live[i];
                    let worth = self.worth_below(p.task);
                    match p.top.0 {
                        Some(b) if b.delta < worth => {
                            let second = p.top.1.map_or(worth, |x| x.delta.min(worth));
                            let regret = second - b.delta;
                            if pick.is_none_or(|(r, _, _)| regret > r) {
                                pick = Some((regret, i, b));
                            }
                            i += 1;
                        }
                        _ => {
                            if fail_fast && inst.must_count(p.task) > 0 {
                                break 'placing true;
                            }
                            pending.retire(i);
                        }
                    }
                }
                let Some((_, i, ins)) = pick else {
                    break 'placing false;
                };
                let t = pending.live[i].task;
                let opening = !sol.routes[ins.route].has_visit;
                // One attempt at a time: the journal holds only this one.
                self.journal.clear();
                if self.try_place(sol, t, ins, &mut before) {
                    pending.retire(i);
                    known = inst.tasks[t as usize].citizen.map(|c| (c, ins.route));
                    if opening && inst.uniform_fleet {
                        reopened = (0..sol.routes.len())
                            .find(|&ri| !sol.routes[ri].has_visit && self.route_open(ri))
                            .map(|next| (ins.route, next));
                    }
                } else {
                    // The links did not settle there: that route is out for this task.
                    let p = &mut pending.live[i];
                    if let Some(k) = p.routes.iter().position(|&x| x as usize == ins.route) {
                        p.bests[k] = None;
                    }
                    p.top = top_two(&p.bests);
                }
                changed.clear();
                for (ri, r) in sol.routes.iter().enumerate() {
                    if stamps[ri] != r.stamp {
                        stamps[ri] = r.stamp;
                        changed.push(ri);
                    }
                }
                // (A placement taken back leaves every stamp as it was: nothing changed.)
                last = (changed == [ins.route]).then_some(ins);
                if pending.live.is_empty() {
                    break 'placing false;
                }
            }
        };
        pending.retire_all();
        self.regret_cache = pending;
        self.regret_stamps = stamps;
        stopped
    }

    /// The cheapest place of `u` on a route after a task was inserted there at `ins`, from
    /// its cheapest place before (`old`) in O(1): the places either side of the new stop
    /// are new, and every other place keeps its cost (the same arcs, the same staff
    /// member) and can only have lost room, so the old cheapest, where it still fits, is
    /// the cheapest of the rest. `None` where that does not hold (a break or a link on
    /// the route, the old place split by the new stop or no longer fitting): rescan.
    pub(crate) fn regret_update(
        &mut self,
        sol: &Solution,
        u: u32,
        old: Option<Ins>,
        ins: Ins,
    ) -> Option<Option<Ins>> {
        let inst = self.inst;
        let r = &sol.routes[ins.route];
        if r.has_break || r.has_link {
            return None;
        }
        let demand = inst.tasks[u as usize].demand;
        if inst.has_demand && r.load + demand > inst.vehicles[r.veh].capacity + 1e-9 {
            return Some(None);
        }
        let mut best: Option<Ins> = None;
        if let Some(o) = old {
            if o.pos == ins.pos {
                return None;
            }
            let q = if o.pos < ins.pos { o.pos } else { o.pos + 1 };
            self.insert_evals += 1;
            let d = sol.insert_check(inst, ins.route, q, u)?;
            best = Some(Ins {
                route: ins.route,
                pos: q,
                delta: d,
            });
        }
        // An old cheapest that stays would be rescanned to the same place only if no other
        // place was ever skipped by a blink: the update keeps it, as the rescan would
        // mostly have.
        for q in [ins.pos, ins.pos + 1] {
            self.insert_evals += 1;
            if let Some(d) = sol.insert_check(inst, ins.route, q, u) {
                if best.is_none_or(|b| d < b.delta) {
                    best = Some(Ins {
                        route: ins.route,
                        pos: q,
                        delta: d,
                    });
                }
            }
        }
        Some(best)
    }

    /// A recreate that places the unlinked tasks by regret (tests).
    #[cfg(test)]
    pub(crate) fn recreate_by_regret(&mut self, sol: &mut Solution, tasks: &[u32]) -> bool {
        self.regret = true;
        let stopped = self.recreate(sol, tasks, false);
        self.regret = false;
        stopped
    }

    /// The cheapest place of `t` on route `ri`, by a full scan of the route (tests).
    #[cfg(test)]
    pub(crate) fn cheapest_on_route(&mut self, sol: &Solution, t: u32, ri: usize) -> Option<Ins> {
        let span = self.span_of(sol, t);
        let mut best = None;
        self.scan_route(sol, t, ri, span, None, &mut best);
        best
    }

    /// When `t`'s last window closes, and when it can be done at the earliest (for
    /// `scan_route`).
    fn span_of(&self, sol: &Solution, t: u32) -> (f64, f64) {
        let task = &self.inst.tasks[t as usize];
        let closes = self.tw_close[t as usize].min(sol.ub[t as usize]);
        let opens = task.windows.first().map_or(f64::NEG_INFINITY, |w| w.0);
        (closes, opens.max(sol.lb[t as usize]) + task.service)
    }

    fn avg_removed(&self) -> f64 {
        if self.citizen_tasks.is_empty() {
            self.params.avg_removed
        } else {
            self.params.citizen_avg_removed
        }
    }

    fn removable(&self, t: u32) -> bool {
        self.inst.tasks[t as usize].pinned.is_none()
    }

    /// SISR adjacent string removal. Returns the removed tasks.
    pub(crate) fn ruin(&mut self, sol: &mut Solution) -> Vec<u32> {
        let inst = self.inst;
        let mut removed: Vec<u32> = Vec::new();
        let used: Vec<usize> = (0..sol.routes.len())
            .filter(|&i| sol.routes[i].has_visit && self.route_open(i))
            .collect();
        if used.is_empty() {
            return removed;
        }
        let avg_card = used
            .iter()
            .map(|&i| sol.routes[i].nodes.len())
            .sum::<usize>() as f64
            / used.len() as f64;
        let max_string = if self.citizen_tasks.is_empty() {
            self.params.max_string
        } else {
            self.params.citizen_max_string
        };
        let ls_max = max_string.min(avg_card);
        let ks_max = 4.0 * self.avg_removed() / (1.0 + ls_max) - 1.0;
        let ks = (self.rng.f64() * ks_max).floor() as usize + 1;
        // Seed: a random routed task; on an overbooked day, or when the walk on absences
        // stalls, half the time a required task that is left out, so the ruin makes room
        // where it is wanted.
        let left_out = if (self.settled || self.walk_seeds_left_out)
            && sol.n_must_unassigned > 0
            && self.rng.f64() < 0.5
        {
            let must: Vec<u32> = sol
                .unassigned
                .iter()
                .copied()
                .filter(|&t| {
                    inst.is_must(t) && inst.tasks[t as usize].loc.is_some() && self.task_open(t)
                })
                .collect();
            (!must.is_empty()).then(|| must[self.rng.below(must.len())])
        } else {
            None
        };
        let seed = match left_out {
            Some(t) => t,
            None => {
                let ri = used[self.rng.below(used.len())];
                let r = &sol.routes[ri];
                let mut seed = r.nodes[self.rng.below(r.nodes.len())];
                if inst.tasks[seed as usize].is_break {
                    seed = r
                        .nodes
                        .iter()
                        .copied()
                        .find(|&x| !inst.tasks[x as usize].is_break)
                        .unwrap_or(seed);
                }
                seed
            }
        };
        // Room for a left-out task is made by tasks near it in space *and* time: the
        // nearest visits are often the same citizen's at other hours.
        let (open, close) = match left_out {
            Some(t) => {
                let w = &inst.tasks[t as usize].windows;
                let open = w.first().map_or(f64::NEG_INFINITY, |w| w.0);
                (open - 60.0, self.tw_close[t as usize] + 60.0)
            }
            None => (f64::NEG_INFINITY, f64::INFINITY),
        };
        let mut ruined: Vec<usize> = Vec::new();
        let mut to_remove: Vec<(usize, Vec<u32>)> = Vec::new();
        let neighbours = &inst.neighbours[seed as usize];
        for &c in std::iter::once(&seed).chain(neighbours.iter()) {
            if ruined.len() >= ks {
                break;
            }
            if left_out.is_some() && sol.route_of[c as usize] != NONE {
                let s = sol.start_of(c);
                if s < open || s > close {
                    continue;
                }
            }
            let rc = sol.route_of[c as usize];
            if rc == NONE || ruined.contains(&(rc as usize)) || !self.route_open(rc as usize) {
                continue;
            }
            let rc = rc as usize;
            let route = &sol.routes[rc];
            let card = route.nodes.len();
            let lt_max = (card as f64).min(ls_max);
            let lt = ((self.rng.f64() * lt_max).floor() as usize + 1).min(card);
            let pos = route.nodes.iter().position(|&x| x == c).unwrap_or(0);
            let mut out = Vec::new();
            if lt == card || self.rng.f64() >= self.params.split_rate {
                // String of length lt containing c.
                let first = pos + 1 - self.rng.range(1, lt).min(pos + 1);
                let first = first.min(card - lt);
                out.extend_from_slice(&route.nodes[first..first + lt]);
            } else {
                // Split string: remove lt tasks out of a string of lt + m, keeping m in the
                // middle.
                let mut m = 1;
                while lt + m < card && self.rng.f64() > 0.5 {
                    m += 1;
                }
                let len = lt + m;
                let first = pos + 1 - self.rng.range(1, len).min(pos + 1);
                let first = first.min(card - len);
                let keep_at = self.rng.range(1, lt.max(1));
                for (k, &x) in route.nodes[first..first + len].iter().enumerate() {
                    if k < keep_at || k >= keep_at + m {
                        out.push(x);
                    }
                }
            }
            out.retain(|&x| self.removable(x));
            ruined.push(rc);
            to_remove.push((rc, out));
        }
        for (rc, out) in &to_remove {
            removed.extend_from_slice(out);
            sol.remove_from_route(inst, *rc, out);
        }
        self.remove_partners(sol, &mut removed, &mut ruined);
        sol.resettle_links(inst, &ruined, &removed);
        removed
    }

    /// Citizen removal: every visit of the citizen of a random planned task and of the
    /// citizens nearest to it, about `citizen_avg_removed` visits in all. Continuity
    /// counts the staff a citizen sees, so a better set of faces needs all of a citizen's
    /// visits re-placed together, which string removal almost never does.
    fn ruin_citizens(&mut self, sol: &mut Solution) -> Vec<u32> {
        let inst = self.inst;
        let planned: Vec<usize> = (0..sol.routes.len())
            .filter(|&i| sol.routes[i].has_visit && self.route_open(i))
            .collect();
        if planned.is_empty() {
            return Vec::new();
        }
        let r = &sol.routes[planned[self.rng.below(planned.len())]];
        let seed = r.nodes[self.rng.below(r.nodes.len())];
        let want = (self.rng.f64() * 2.0 * self.params.citizen_avg_removed).ceil() as usize;
        let mut removed: Vec<u32> = Vec::new();
        let mut citizens: Vec<u32> = Vec::new();
        let mut touched: Vec<usize> = Vec::new();
        for &c in std::iter::once(&seed).chain(inst.neighbours[seed as usize].iter()) {
            if removed.len() >= want {
                break;
            }
            let Some(citizen) = inst.tasks[c as usize].citizen else {
                continue;
            };
            if citizens.contains(&citizen) {
                continue;
            }
            citizens.push(citizen);
            for k in 0..self.citizen_tasks[citizen as usize].len() {
                let t = self.citizen_tasks[citizen as usize][k];
                let ri = sol.route_of[t as usize];
                if ri == NONE || !self.removable(t) || !self.route_open(ri as usize) {
                    continue;
                }
                sol.remove_from_route(inst, ri as usize, &[t]);
                removed.push(t);
                if !touched.contains(&(ri as usize)) {
                    touched.push(ri as usize);
                }
            }
        }
        self.remove_partners(sol, &mut removed, &mut touched);
        sol.resettle_links(inst, &touched, &removed);
        removed
    }

    /// Consolidation ruin: a citizen seen by two or more staff members loses the visits
    /// done by the one it sees least, and the staff member it sees most, of those allowed
    /// to do all of those visits, gives up the visits nearest in time to them, so those
    /// visits can move to a face the citizen knows. Returns the removed tasks, the
    /// citizen's first, or `None` when no citizen drawn sees two staff members of whom
    /// one may take over the other's visits. Choosing the receiving staff member among
    /// those allowed (before: the one seen most, allowed or not) measured, one thread,
    /// the two arms side by side: the 352-citizen demo day at 250,000 iterations, seeds
    /// 1–24, 75,002 → 74,762 (new faces 575.1 → 573.2; better on 16, equal on 4); 1,400
    /// citizens at 25,000 iterations, seeds 1–3, 323,640 → 322,236 (faces 2,468 →
    /// 2,457); 100 citizens at 100,000 iterations, seeds 1–6, the same plans (visits are
    /// left out there all along, and the ruin waits for none to be).
    pub(crate) fn ruin_consolidate(&mut self, sol: &mut Solution) -> Option<Vec<u32>> {
        let inst = self.inst;
        let n_citizens = self.citizen_tasks.len();
        let mut citizen = None;
        for _ in 0..8 {
            let c = self.rng.below(n_citizens);
            if sol.seen[c].len() >= 2 {
                citizen = Some(c);
                break;
            }
        }
        let c = citizen?;
        // The staff member the citizen sees least leaves; of those who may do all of its
        // visits to the citizen (qualification, shift), the one it sees most makes room
        // (ties drawn at random). A day staff member without the skill of the morning's
        // medicine round, say, would never take that visit over; the one with it takes
        // the other day visits instead.
        let route_of_staff = |staff: u32| {
            (0..sol.routes.len()).find(|&ri| inst.vehicles[sol.routes[ri].veh].staff == staff)
        };
        let seen: Vec<(u32, u32, usize)> = sol.seen[c]
            .iter()
            .filter_map(|&(staff, n)| Some((staff, n, route_of_staff(staff)?)))
            .collect();
        // Per staff member seen, the citizen's visits on their route that may move, with
        // their starts.
        let visits_by: Vec<Vec<(u32, f64)>> = seen
            .iter()
            .map(|&(_, _, ri)| {
                let r = &sol.routes[ri];
                r.nodes
                    .iter()
                    .enumerate()
                    .filter(|&(_, &t)| {
                        inst.tasks[t as usize].citizen == Some(c as u32) && self.removable(t)
                    })
                    .map(|(k, &t)| (t, r.start[k + 1]))
                    .collect()
            })
            .collect();
        let takes_over = |minor: usize, major: usize| {
            let veh = sol.routes[seen[major].2].veh;
            visits_by[minor].iter().all(|&(t, _)| inst.allowed(t, veh))
        };
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for m in 0..seen.len() {
            for j in 0..seen.len() {
                if m != j && takes_over(m, j) {
                    pairs.push((m, j));
                }
            }
        }
        let least = pairs.iter().map(|&(m, _)| seen[m].1).min()?;
        pairs.retain(|&(m, _)| seen[m].1 == least);
        let most = pairs.iter().map(|&(_, j)| seen[j].1).max()?;
        pairs.retain(|&(_, j)| seen[j].1 == most);
        let (m, j) = pairs[self.rng.below(pairs.len())];
        let (rm, rj) = (seen[m].2, seen[j].2);
        if !self.route_open(rm) || !self.route_open(rj) {
            return None;
        }
        let (moving, starts): (Vec<u32>, Vec<f64>) = visits_by[m].iter().copied().unzip();
        if moving.is_empty() {
            return None;
        }
        // The major staff member's visits nearest in time to each moving visit.
        let per_visit = self.params.consolidate_room;
        let mut making_room: Vec<u32> = Vec::new();
        for &s in &starts {
            let r = &sol.routes[rj];
            let mut near: Vec<(f64, u32)> = r
                .nodes
                .iter()
                .enumerate()
                .filter(|&(_, &x)| {
                    let task = &inst.tasks[x as usize];
                    !task.is_break && task.citizen != Some(c as u32) && self.removable(x)
                })
                .map(|(k, &x)| ((r.start[k + 1] - s).abs(), x))
                .collect();
            near.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for &(_, x) in near.iter().take(per_visit) {
                if !making_room.contains(&x) {
                    making_room.push(x);
                }
            }
        }
        sol.remove_from_route(inst, rm, &moving);
        sol.remove_from_route(inst, rj, &making_room);
        let mut removed = moving;
        self.rng.shuffle(&mut making_room);
        removed.extend_from_slice(&making_room);
        let mut touched = vec![rm, rj];
        self.remove_partners(sol, &mut removed, &mut touched);
        sol.resettle_links(inst, &touched, &removed);
        Some(removed)
    }

    /// Linked tasks leave together: a two-person visit is never half planned. The routes
    /// they leave are added to `touched`, for [`Solution::resettle_links`] to refresh.
    fn remove_partners(
        &mut self,
        sol: &mut Solution,
        removed: &mut Vec<u32>,
        touched: &mut Vec<usize>,
    ) {
        if self.inst.links.is_empty() {
            return;
        }
        let mut k = 0;
        while k < removed.len() {
            let t = removed[k];
            k += 1;
            for i in 0..self.group[t as usize].len() {
                let u = self.group[t as usize][i];
                let ru = sol.route_of[u as usize];
                debug_assert!(
                    ru == NONE || self.route_open(ru as usize),
                    "a link crosses the search's region"
                );
                if ru != NONE && self.removable(u) {
                    sol.remove_from_route(self.inst, ru as usize, &[u]);
                    removed.push(u);
                    if !touched.contains(&(ru as usize)) {
                        touched.push(ru as usize);
                    }
                }
            }
        }
    }

    fn sort_removed(&mut self, v: &mut [u32]) {
        self.rng.shuffle(v);
        let w = self.rng.below(13);
        match w {
            0..=3 => {}
            4..=7 => v.sort_by(|&a, &b| {
                self.inst.tasks[b as usize]
                    .demand
                    .total_cmp(&self.inst.tasks[a as usize].demand)
            }),
            8..=9 => v.sort_by(|&a, &b| {
                self.depot_dist[b as usize].total_cmp(&self.depot_dist[a as usize])
            }),
            10 => v.sort_by(|&a, &b| {
                self.depot_dist[a as usize].total_cmp(&self.depot_dist[b as usize])
            }),
            11 => {
                v.sort_by(|&a, &b| self.tw_close[a as usize].total_cmp(&self.tw_close[b as usize]))
            }
            _ => {
                v.sort_by(|&a, &b| self.tw_width[a as usize].total_cmp(&self.tw_width[b as usize]))
            }
        }
    }

    /// Nagata–Bräysy style ejection: place the unassigned must-serve task `v` by taking out
    /// one task of a route (the one least often left out so far, then the cheapest). The
    /// ejected task becomes unassigned. Returns false when no such swap exists.
    fn eject_insert(&mut self, sol: &mut Solution, v: u32) -> bool {
        let inst = self.inst;
        if !self.group[v as usize].is_empty() || !inst.links.is_empty() {
            return false;
        }
        // Plain insertion first.
        if let Some(b) = self.best_insertion(sol, v, None) {
            sol.insert(inst, b.route, b.pos, v);
            return true;
        }
        let mut best: Option<(u64, f64, usize, usize, u32)> = None;
        let mut seq: Vec<u32> = Vec::new();
        let task = &inst.tasks[v as usize];
        for ri in 0..sol.routes.len() {
            let r = &sol.routes[ri];
            if !r.has_visit || !inst.allowed(v, r.veh) {
                continue;
            }
            let n = r.nodes.len();
            for j in 0..n {
                let w = r.nodes[j];
                if !self.removable(w) || inst.tasks[w as usize].is_break {
                    continue;
                }
                let key = self.absence[w as usize];
                if best.as_ref().is_some_and(|b| key > b.0) {
                    continue;
                }
                if r.load - inst.tasks[w as usize].demand + task.demand
                    > inst.vehicles[r.veh].capacity + 1e-9
                {
                    continue;
                }
                for p in 0..n {
                    // v at index p of the route without w.
                    seq.clear();
                    for (idx, &x) in r.nodes.iter().enumerate() {
                        if idx == j {
                            continue;
                        }
                        if seq.len() == p {
                            seq.push(v);
                        }
                        seq.push(x);
                    }
                    if seq.len() < n {
                        seq.push(v);
                    }
                    if !sol.feasible_seq(inst, r.veh, &seq) {
                        continue;
                    }
                    let cost = self.rng.f64();
                    if best.as_ref().is_none_or(|b| (key, cost) < (b.0, b.1)) {
                        best = Some((key, cost, ri, p, w));
                    }
                }
            }
        }
        let Some((_, _, ri, _, w)) = best else {
            return false;
        };
        sol.remove_from_route(inst, ri, &[w]);
        sol.refresh(inst, ri);
        match self.best_insertion(sol, v, None) {
            Some(b) => sol.insert(inst, b.route, b.pos, v),
            None => {
                // Only float rounding can get here (the position was checked): undo.
                let pos = sol.routes[ri].nodes.len();
                sol.insert(inst, ri, pos, w);
                sol.recount_unassigned(inst);
                return false;
            }
        }
        sol.recount_unassigned(inst);
        true
    }

    /// Cost with each left-out required task priced at `price` instead of its (huge)
    /// unassigned cost.
    fn penalised_cost(&self, sol: &Solution, price: f64) -> f64 {
        let mut c = sol.search_cost();
        for &t in &sol.unassigned {
            if self.inst.is_must(t) {
                c += price - self.inst.tasks[t as usize].unassigned_cost;
            }
        }
        c
    }

    fn sum_absence(&self, sol: &Solution) -> u64 {
        sol.unassigned
            .iter()
            .filter(|&&t| self.inst.is_must(t))
            .map(|&t| self.absence[t as usize])
            .sum()
    }

    /// How much worse a candidate may be and still be accepted: simulated annealing's
    /// −T·ln(u), the temperature falling geometrically from `t0` to `tf` over the budget.
    fn anneal_slack(&mut self, t0: f64, tf: f64, sa_frac: f64) -> f64 {
        let temp = t0 * (tf / t0).powf(sa_frac.min(1.0));
        let u = self.rng.f64().max(1e-300);
        -temp * u.ln()
    }

    /// Whether the acceptance in `run` rejects every candidate that leaves a required task
    /// out, whatever else it does: the current plan leaves none out, and left-out tasks
    /// are not priced for the annealing.
    fn rejects_any_left_out(&self, cur: &Solution) -> bool {
        cur.n_must_unassigned == 0 && self.params.must_penalty <= 0.0
    }

    /// One ruin-and-recreate step on `cand` (a copy of the current solution). True when
    /// the recreate stopped early at a required task left out (the candidate must then be
    /// rejected).
    fn step(&mut self, cand: &mut Solution) -> bool {
        // A consolidation ruin's order is kept: the citizen's visits first, so they take
        // the room made for them.
        let continuity = !self.citizen_tasks.is_empty();
        // `cand` is still a copy of the current plan here.
        let fail_fast = self.params.recreate_fail_fast && self.rejects_any_left_out(cand);
        let mut ordered = false;
        let mut removed = if continuity
            && self.params.citizen_consolidate > 0.0
            && cand.n_must_unassigned == 0
            && self.rng.f64() < self.params.citizen_consolidate
        {
            match self.ruin_consolidate(cand) {
                Some(v) => {
                    ordered = true;
                    v
                }
                None => self.ruin_citizens(cand),
            }
        } else if continuity && self.rng.f64() < self.params.citizen_ruin {
            self.ruin_citizens(cand)
        } else {
            self.ruin(cand)
        };
        if cand.links_broken {
            // The links could not be settled after the ruin: the candidate is rejected,
            // and placing the tasks on half-settled starts would be wasted work.
            return false;
        }
        let mut extra: Vec<u32> = cand
            .unassigned
            .iter()
            .copied()
            .filter(|&t| !removed.contains(&t) && self.task_open(t))
            .collect();
        let retries = if self.settled && !self.citizen_tasks.is_empty() {
            self.params.citizen_settled_retries
        } else if self.settled {
            self.params.settled_retries
        } else {
            self.params.max_retries
        };
        if extra.len() > retries {
            // On an overbooked day most left-out tasks stay out; retrying every one of
            // them each iteration would cost more than the ruin itself. Retry a sample.
            for k in 0..retries {
                let j = k + self.rng.below(extra.len() - k);
                extra.swap(k, j);
            }
            extra.truncate(retries);
        }
        let absent_first = !extra.is_empty() && self.params.absent_first;
        if !ordered {
            self.sort_removed(&mut removed);
        }
        if self.params.linked_first && !self.inst.links.is_empty() {
            // Stable: the drawn order holds within each part.
            let group = &self.group;
            removed.sort_by_key(|&t| group[t as usize].is_empty());
        }
        if absent_first {
            // The customers nobody could place are the hard ones: give them first pick.
            self.sort_removed(&mut extra);
            extra.append(&mut removed);
            removed = extra;
        } else {
            removed.append(&mut extra);
        }
        self.regret =
            self.params.regret_recreate && !self.inst.exact && self.citizen_tasks.is_empty();
        let stopped_early = self.recreate(cand, &removed, fail_fast);
        self.regret = false;
        if let Some(ls) = self.ls.as_mut() {
            if cand.n_must_unassigned == 0 && self.rng.f64() < self.params.ls_rate {
                ls.run(self.inst, cand, &mut self.rng);
            }
        }
        stopped_early
    }

    /// Entries the undo journal holds (tests: it must not grow with the run).
    #[cfg(test)]
    pub(crate) fn journal_len(&self) -> usize {
        self.journal.mark()
    }

    /// Runs the search from `init` until the budget is spent. `on_best` is called with each
    /// new best solution.
    pub(crate) fn run(
        &mut self,
        init: Solution,
        budget: &Budget,
        exchange: Option<(&Exchange<'_>, usize)>,
        on_best: &mut dyn FnMut(&Solution, u64),
    ) -> Solution {
        let inst = self.inst;
        let mut next_meeting = 1;
        let mut cur = init;
        let mut best = cur.clone();
        let mut cand = cur.clone();
        on_best(&best, 0);
        let arc_scale = {
            let used: usize = cur.routes.iter().map(|r| r.nodes.len() + 1).sum();
            let c: f64 = cur
                .routes
                .iter()
                .filter(|r| !r.nodes.is_empty())
                .map(|r| r.cost - inst.vehicles[r.veh].fixed_cost)
                .sum();
            if used > 0 && c > 0.0 {
                c / used as f64
            } else {
                1.0
            }
        };
        let t0_rel = if self.citizen_tasks.is_empty() {
            self.params.t0_rel
        } else {
            self.params.citizen_t0_rel
        };
        let t0 = t0_rel * arc_scale;
        let tf = self.params.tf_rel * arc_scale;
        let minimise_fleet = inst.vehicles.iter().any(|v| v.fixed_cost > 0.0);
        let fleet_share = if minimise_fleet {
            self.params.fleet_share
        } else {
            0.0
        };
        let mut in_fleet = minimise_fleet && fleet_share > 0.0;
        let mut anneal_from: Option<f64> = None;
        let must_price = self.params.must_penalty * arc_scale;
        // On a home-care day SISR's walk on absences (made for "serve everyone" goals) did
        // not lower the best left-out count once in its first 9 s of 60; annealing the
        // objective, left-out prices included, did (see `Params::priced_band`).
        let max_must_price = inst
            .tasks
            .iter()
            .filter(|t| t.must)
            .map(|t| t.unassigned_cost)
            .fold(0.0, f64::max);
        let (low, high) = self.params.priced_band;
        let anneal_objective =
            max_must_price > low * arc_scale && max_must_price <= high * arc_scale;
        // Above the band a left-out task is as good as forbidden (VRPTW's 10^6): the walk on
        // absences goes on to the end, as in SISR; a floor would stop it for good (R112 at
        // the best-known fleet, 10 s: one customer left out with a floor, none without).
        let settle_after = if anneal_objective {
            0.0
        } else if max_must_price > high * arc_scale {
            f64::INFINITY
        } else {
            self.params.settle_after
        };
        // When the count of left-out required tasks has not fallen for a long stretch, the
        // day is overbooked: the search stops walking on absences and anneals (see
        // `Params::priced_band`).
        let mut must_improved_at = 0.0;
        self.settled = false;
        let walk_to_the_end = settle_after.is_infinite() && self.params.left_out_seeds_in_walk;
        let mut iter: u64 = 0;
        loop {
            if budget.done(iter) {
                break;
            }
            let frac = budget.fraction(iter);
            if let Some((ex, k)) = exchange {
                while next_meeting < ex.meetings
                    && frac >= f64::from(next_meeting) / f64::from(ex.meetings)
                {
                    next_meeting += 1;
                    let met = ex.meet(k, &best);
                    if let Some(s) = met.plan {
                        if s.n_must_unassigned < best.n_must_unassigned {
                            must_improved_at = frac;
                        }
                        best = s;
                        cur.clone_from(&best);
                    }
                    self.region = met.region;
                }
            }
            // The annealing schedule starts when every required task is first served (and
            // the fleet phase is over), so a long route-minimisation phase does not leave
            // it only the cold end.
            if anneal_from.is_none() && !in_fleet && best.n_must_unassigned == 0 {
                anneal_from = Some(frac);
            }
            let sa_frac = match anneal_from {
                Some(f0) if self.params.restart_schedule && f0 < 1.0 => {
                    ((frac - f0) / (1.0 - f0)).clamp(0.0, 1.0)
                }
                _ => frac,
            };
            iter += 1;
            self.walk_seeds_left_out =
                walk_to_the_end && frac - must_improved_at >= self.params.walk_stall;
            if !self.settled
                && !in_fleet
                && best.n_must_unassigned > 0
                && frac - must_improved_at >= settle_after
            {
                self.settled = true;
                cur.clone_from(&best);
            }
            if in_fleet && frac >= fleet_share {
                // Fleet phase over: go on from the best complete solution.
                in_fleet = false;
                self.allow_open = true;
                if better(&best, &cur) {
                    cur.clone_from(&best);
                }
            }
            // The routes that may go, listed only once everyone is served (most iterations
            // of the phase walk on left-out tasks); while the day is split, only this
            // search's region's.
            let removable_routes: Vec<usize> =
                if in_fleet && cur.n_must_unassigned == 0 && cur.n_used() > 1 {
                    (0..cur.routes.len())
                        .filter(|&i| cur.routes[i].has_visit && self.route_open(i))
                        .collect()
                } else {
                    Vec::new()
                };
            if !removable_routes.is_empty() {
                if !cur.all_feasible() {
                    in_fleet = false;
                    continue;
                }
                // Everyone is served: take out the smallest route and try to place its
                // tasks elsewhere (its vehicle stays closed while the phase lasts).
                let ri = removable_routes
                    .iter()
                    .copied()
                    .min_by_key(|&i| (cur.routes[i].nodes.len(), self.rng.below(1 << 20)))
                    .unwrap_or(0);
                let mut nodes: Vec<u32> = cur.routes[ri]
                    .nodes
                    .iter()
                    .copied()
                    .filter(|&t| self.removable(t))
                    .collect();
                cand.clone_from(&cur);
                cand.remove_from_route(inst, ri, &nodes);
                // A two-person visit is never half planned: its partner leaves too.
                let mut touched = vec![ri];
                self.remove_partners(&mut cand, &mut nodes, &mut touched);
                // Taking visits out can still break a link (for one, a break moves with
                // the visit before it); the route then stays, and the search goes on.
                if cand.resettle_links(inst, &touched, &nodes) {
                    cand.recount_unassigned(inst);
                    std::mem::swap(&mut cur, &mut cand);
                    self.absence.iter_mut().for_each(|a| *a = 0);
                    self.allow_open = false;
                }
            }
            cand.clone_from(&cur);
            if cur.n_must_unassigned > 0
                && self.params.eject
                && self.region.is_none()
                && self.rng.f64() < 0.5
            {
                // Route minimisation move: place one left-out task by ejecting another.
                let must: Vec<u32> = cur
                    .unassigned
                    .iter()
                    .copied()
                    .filter(|&t| inst.is_must(t))
                    .collect();
                let v = must[self.rng.below(must.len())];
                self.absence[v as usize] += 1;
                let blink = self.params.blink;
                self.params.blink = 0.0;
                let ok = self.eject_insert(&mut cand, v);
                self.params.blink = blink;
                if ok && cand.all_feasible() && cand.n_must_unassigned <= cur.n_must_unassigned {
                    std::mem::swap(&mut cur, &mut cand);
                    if better(&cur, &best) {
                        if cur.n_must_unassigned < best.n_must_unassigned {
                            must_improved_at = frac;
                        }
                        best.clone_from(&cur);
                        on_best(&best, iter);
                    }
                }
                continue;
            }
            let stopped_early = self.step(&mut cand);
            let penalised =
                !in_fleet && best.n_must_unassigned == 0 && self.params.must_penalty > 0.0;
            let accept = if !cand.all_feasible() {
                false
            } else if penalised {
                // Once everyone has been served, the annealing may pass through plans that
                // leave a few required tasks out, at a price: a tight fleet otherwise
                // rejects most ruins. The best plan stays lexicographic.
                let slack = self.anneal_slack(t0, tf, sa_frac);
                self.penalised_cost(&cand, must_price)
                    < self.penalised_cost(&cur, must_price) + slack
            } else if self.settled && cur.n_must_unassigned > 0 {
                // Outside the priced band the count is a floor and the cost is annealed
                // among plans that leave no more out; inside it, left-out prices are part
                // of the annealed cost, so a visit may be traded for room that places two.
                if !anneal_objective && cand.n_must_unassigned != cur.n_must_unassigned {
                    cand.n_must_unassigned < cur.n_must_unassigned
                } else {
                    cand.search_cost() < cur.search_cost() + self.anneal_slack(t0, tf, sa_frac)
                }
            } else if cur.n_must_unassigned > 0 && self.params.sisr_or {
                // SISR fleet minimisation: fewer left out, or left-out tasks that have
                // been left out less often (this may leave more out for a while).
                cand.n_must_unassigned < cur.n_must_unassigned
                    || self.sum_absence(&cand) < self.sum_absence(&cur)
            } else if cand.n_must_unassigned != cur.n_must_unassigned {
                cand.n_must_unassigned < cur.n_must_unassigned
            } else if cur.n_must_unassigned > 0 {
                self.sum_absence(&cand) < self.sum_absence(&cur)
            } else {
                cand.search_cost() < cur.search_cost() + self.anneal_slack(t0, tf, sa_frac)
            };
            if accept {
                debug_assert!(cand.links_hold(inst), "accepted a plan that breaks a link");
                debug_assert!(
                    !stopped_early,
                    "accepted a plan whose recreate stopped at a required task left out"
                );
                std::mem::swap(&mut cur, &mut cand);
                if better(&cur, &best) {
                    if cur.n_must_unassigned < best.n_must_unassigned {
                        must_improved_at = frac;
                    }
                    best.clone_from(&cur);
                    on_best(&best, iter);
                }
            }
            if cur.n_must_unassigned > 0 {
                for &t in &cur.unassigned {
                    self.absence[t as usize] += 1;
                }
            }
        }
        self.iterations = iter;
        if let Some(ls) = self.ls.as_mut() {
            self.insert_evals += ls.evals;
            ls.evals = 0;
        }
        best
    }
}

//! Cooperating searches that split the day between them: each one changes only its own
//! region (a set of staff members' routes and the visits on them or owned by them), so the
//! best plans of all searches can be put together into one plan that holds every search's
//! gains.
//!
//! Two searches that each work on the whole day and share only the better of their plans
//! throw away the other's work at every meeting: on the 352-citizen demo day two threads
//! for 10 s came out worse than one thread for 20 s (BENCHMARKS.md). Every term of the
//! objective but the links counts per route (travel, and the new faces a citizen sees are
//! the sum over staff members of the citizens each one visits), so any split of the
//! routes gives regions whose gains add up. Teams plan their own citizens and a shift's
//! staff share its visits, so the day splits along team and shift lines, into the parts
//! that exchange fewest visits; a region is closed over the links (a two-person visit
//! done by two teams' staff puts both in one region), so settling a link never moves a
//! visit outside the region that changed it.

use super::inst::Inst;
use super::rng::Rng;
use super::solution::{Solution, NONE};

/// What one search may change while the day is split: routes and tasks.
#[derive(Clone, Debug)]
pub(crate) struct Region {
    pub routes: Vec<bool>,
    pub tasks: Vec<bool>,
}

/// Splits the plan into `parts` regions along team and shift lines, closed over the links
/// between planned tasks, balanced by the number of tasks (equal weights in random order).
/// `None` when the day does not split that far (fewer independent groups of staff than
/// parts).
pub(crate) fn split(
    inst: &Inst,
    sol: &Solution,
    parts: usize,
    rng: &mut Rng,
) -> Option<Vec<Region>> {
    if parts < 2 {
        return None;
    }
    // Units: a team's staff of one shift start (its day, evening or night staff); staff
    // without a team by shift start alone. A day of a few teams, two of which a
    // two-person visit ties, split by whole teams mostly the same way every time; split by
    // team and shift the searches get many different cuts (ties drawn), and each staff
    // member's faces and travel still count in one region only. Measured on the
    // 352-citizen demo day, both cores, 10 s, seeds 1–28, against whole teams: 74,740 →
    // 74,495 (without left-out prices 74,383 → 74,137); 1,400 citizens at 20 s, seeds
    // 1–6, 297,601 → 297,475; 100 citizens at 5 s, seeds 1–6, 25,419 → 25,388.
    let key = |v: usize| {
        let veh = &inst.vehicles[v];
        (veh.team.unwrap_or(u32::MAX), veh.shift_start.to_bits())
    };
    let mut keys: Vec<(u32, u64)> = (0..inst.vehicles.len()).map(key).collect();
    keys.sort_unstable();
    keys.dedup();
    let unit_of_vehicle: Vec<usize> = (0..inst.vehicles.len())
        .map(|v| keys.binary_search(&key(v)).unwrap_or(0))
        .collect();
    let n_units = keys.len();
    let unit_of_route: Vec<usize> = sol.routes.iter().map(|r| unit_of_vehicle[r.veh]).collect();
    // A task that is left out belongs to the unit of the only staff member who may do it
    // (a break, a pinned visit), or else to that of the first of its team's staff allowed
    // to do it (of anyone allowed, if none of its team is).
    let mut only_vehicle: Vec<Option<u32>> = inst.tasks.iter().map(|t| t.pinned).collect();
    for (v, veh) in inst.vehicles.iter().enumerate() {
        if let Some(b) = veh.break_task {
            only_vehicle[b as usize] = Some(v as u32);
        }
    }
    let first_allowed = |t: usize| {
        let task = &inst.tasks[t];
        let allowed = |v: &usize| inst.allowed(t as u32, *v);
        (0..inst.vehicles.len())
            .filter(allowed)
            .find(|&v| inst.vehicles[v].team == task.team)
            .or_else(|| (0..inst.vehicles.len()).find(allowed))
            .unwrap_or(0)
    };
    let unit_of_task: Vec<usize> = (0..inst.tasks.len())
        .map(|t| match (sol.route_of[t], only_vehicle[t]) {
            (NONE, Some(v)) => unit_of_vehicle[v as usize],
            (NONE, None) => unit_of_vehicle[first_allowed(t)],
            (ri, _) => unit_of_route[ri as usize],
        })
        .collect();
    // Units tied by a link between planned tasks form one group.
    let mut parent: Vec<usize> = (0..n_units).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for l in &inst.links {
        let (a, b) = (
            root(&mut parent, unit_of_task[l.a as usize]),
            root(&mut parent, unit_of_task[l.b as usize]),
        );
        if a != b {
            parent[a] = b;
        }
    }
    let mut weight = vec![0usize; n_units];
    for &u in &unit_of_task {
        weight[root(&mut parent, u)] += 1;
    }
    let mut groups: Vec<usize> = (0..n_units)
        .filter(|&u| root(&mut parent, u) == u && weight[u] > 0)
        .collect();
    if groups.len() < parts {
        return None;
    }
    // Heaviest first into the lightest part, with ties between similar groups drawn: a
    // random order, then a stable sort by weight.
    rng.shuffle(&mut groups);
    groups.sort_by(|&a, &b| weight[b].cmp(&weight[a]));
    let mut load = vec![0usize; parts];
    let mut part_of_group = vec![0usize; n_units];
    for &g in &groups {
        let k = (0..parts).min_by_key(|&k| (load[k], k)).unwrap_or(0);
        part_of_group[g] = k;
        load[k] += weight[g];
    }
    let part_of_unit: Vec<usize> = (0..n_units)
        .map(|u| part_of_group[root(&mut parent, u)])
        .collect();
    Some(
        (0..parts)
            .map(|k| Region {
                routes: unit_of_route
                    .iter()
                    .map(|&u| part_of_unit[u] == k)
                    .collect(),
                tasks: unit_of_task.iter().map(|&u| part_of_unit[u] == k).collect(),
            })
            .collect(),
    )
}

/// The plan made of each region's routes and tasks from the plan of the search that owned
/// it. Every search changed only its own region, and no link crosses two, so the pieces
/// fit; what spans regions (a citizen's set of staff, the left-out list) is recounted.
pub(crate) fn merge(inst: &Inst, plans: &[&Solution], regions: &[Region]) -> Solution {
    let mut s = plans[0].clone();
    for (plan, region) in plans.iter().zip(regions).skip(1) {
        for (ri, _) in region.routes.iter().enumerate().filter(|e| *e.1) {
            s.routes[ri].clone_from(&plan.routes[ri]);
        }
        for (t, _) in region.tasks.iter().enumerate().filter(|e| *e.1) {
            s.route_of[t] = plan.route_of[t];
            s.lb[t] = plan.lb[t];
            s.ub[t] = plan.ub[t];
        }
    }
    s.links_broken = plans.iter().any(|p| p.links_broken);
    s.unassigned = (0..inst.tasks.len() as u32)
        .filter(|&t| s.route_of[t as usize] == NONE)
        .collect();
    s.rebuild_seen(inst);
    s.recount_unassigned(inst);
    s
}

//! Granular inter-route local search (relocate, swap, 2-opt*), each move checked and priced
//! in O(1) from the routes' cached earliest/latest starts and cumulative loads. Used for
//! interchangeable vehicles and schedule-free objectives (the VRPTW benchmarks), where the
//! arc delta is the whole cost delta.

use super::inst::{earliest_in, Inst};
use super::rng::Rng;
use super::solution::{Solution, NONE};

const EPS: f64 = 1e-7;
const IMPROVE: f64 = 1e-9;

enum Move {
    /// Move `u` to route `to`, between positions `after` and `after + 1`.
    Relocate {
        u: u32,
        to: usize,
        after: usize,
    },
    Swap {
        u: u32,
        v: u32,
    },
    /// Tails swap: route of `u` keeps up to `u`, continues with `v` and its successors.
    TwoOptStar {
        u: u32,
        v: u32,
    },
}

pub(crate) struct Ls {
    pos: Vec<u32>,
    order: Vec<u32>,
    pub evals: u64,
    pub neighbours: usize,
}

impl Ls {
    pub(crate) fn new(n: usize) -> Self {
        Ls {
            pos: vec![0; n],
            order: Vec::with_capacity(n),
            evals: 0,
            neighbours: 15,
        }
    }

    fn index_route(&mut self, sol: &Solution, ri: usize) {
        for (k, &t) in sol.routes[ri].nodes.iter().enumerate() {
            self.pos[t as usize] = (k + 1) as u32;
        }
    }

    /// Runs to a local optimum (bounded number of passes). Returns the number of moves made.
    pub(crate) fn run(&mut self, inst: &Inst, sol: &mut Solution, rng: &mut Rng) -> usize {
        for ri in 0..sol.routes.len() {
            self.index_route(sol, ri);
        }
        self.order.clear();
        self.order
            .extend((0..inst.tasks.len() as u32).filter(|&t| sol.route_of[t as usize] != NONE));
        rng.shuffle(&mut self.order);
        let mut moves = 0;
        for _pass in 0..8 {
            let mut improved = false;
            for k in 0..self.order.len() {
                let u = self.order[k];
                if sol.route_of[u as usize] == NONE {
                    continue;
                }
                if let Some(m) = self.best_move_for(inst, sol, u) {
                    self.apply(inst, sol, m);
                    improved = true;
                    moves += 1;
                }
            }
            if !improved {
                break;
            }
        }
        if moves > 0 {
            sol.recount_unassigned(inst);
        }
        moves
    }

    #[inline]
    fn svc(inst: &Inst, sol: &Solution, ri: usize, p: usize) -> f64 {
        if p == 0 || p > sol.routes[ri].nodes.len() {
            0.0
        } else {
            inst.tasks[sol.routes[ri].nodes[p - 1] as usize].service
        }
    }

    /// First improving move among u's granular neighbours.
    fn best_move_for(&mut self, inst: &Inst, sol: &Solution, u: u32) -> Option<Move> {
        let ra = sol.route_of[u as usize] as usize;
        let i = self.pos[u as usize] as usize;
        let a = &sol.routes[ra];
        let na = a.nodes.len();
        let tu = &inst.tasks[u as usize];
        let lu = tu.loc?;
        // Removal of u from A: gain and feasibility.
        let (pa, nxa) = (a.loc[i - 1], a.loc[i + 1]);
        let rem_ok = a.start[i - 1] + Self::svc(inst, sol, ra, i - 1) + inst.t(pa, nxa)
            <= a.latest[i + 1] - EPS;
        let rem_gain = inst.c(pa, lu) + inst.c(lu, nxa) - inst.c(pa, nxa)
            + if na == 1 {
                inst.vehicles[a.veh].fixed_cost
            } else {
                0.0
            };
        let neigh = &inst.neighbours[u as usize];
        for &v in neigh.iter().take(self.neighbours) {
            let rb = sol.route_of[v as usize];
            if rb == NONE || rb as usize == ra {
                continue;
            }
            let rb = rb as usize;
            let b = &sol.routes[rb];
            let j = self.pos[v as usize] as usize;
            let tv = &inst.tasks[v as usize];
            let Some(lv) = tv.loc else { continue };
            let cap_b = inst.vehicles[b.veh].capacity;
            let cap_a = inst.vehicles[a.veh].capacity;
            // Relocate u next to v (after v, then before v).
            if rem_ok && b.load + tu.demand <= cap_b + 1e-9 {
                for after in [j, j - 1] {
                    self.evals += 1;
                    if let Some(d) = sol.insert_check(inst, rb, after, u) {
                        if d - rem_gain < -IMPROVE {
                            return Some(Move::Relocate { u, to: rb, after });
                        }
                    }
                }
            }
            // Swap u and v.
            self.evals += 1;
            if a.load - tu.demand + tv.demand <= cap_a + 1e-9
                && b.load - tv.demand + tu.demand <= cap_b + 1e-9
            {
                let (pb, nxb) = (b.loc[j - 1], b.loc[j + 1]);
                let delta = inst.c(pa, lv) + inst.c(lv, nxa) - inst.c(pa, lu) - inst.c(lu, nxa)
                    + inst.c(pb, lu)
                    + inst.c(lu, nxb)
                    - inst.c(pb, lv)
                    - inst.c(lv, nxb);
                if delta < -IMPROVE
                    && Self::fits(inst, sol, rb, j, u, nxb)
                    && Self::fits(inst, sol, ra, i, v, nxa)
                {
                    return Some(Move::Swap { u, v });
                }
            }
            // 2-opt*: A = A[..=i] + B[j..], B = B[..j] + A[i+1..].
            self.evals += 1;
            {
                let pb = b.loc[j - 1];
                let nb = b.nodes.len();
                let load_a = a.cum_load[i] + (b.load - b.cum_load[j - 1]);
                let load_b = b.cum_load[j - 1] + (a.load - a.cum_load[i]);
                let b_empty = j == 1 && i == na;
                let delta = inst.c(lu, lv) + inst.c(pb, nxa)
                    - inst.c(lu, nxa)
                    - inst.c(pb, lv)
                    - if b_empty {
                        inst.vehicles[b.veh].fixed_cost
                    } else {
                        0.0
                    };
                let _ = nb;
                if delta < -IMPROVE
                    && load_a <= cap_a + 1e-9
                    && load_b <= cap_b + 1e-9
                    && a.start[i] + tu.service + inst.t(lu, lv) <= b.latest[j] - EPS
                    && b.start[j - 1] + Self::svc(inst, sol, rb, j - 1) + inst.t(pb, nxa)
                        <= a.latest[i + 1] - EPS
                {
                    return Some(Move::TwoOptStar { u, v });
                }
            }
        }
        None
    }

    /// Can task `x` take position `p` of route `ri` (replacing the node there), given the
    /// unchanged successor location `next`?
    #[inline]
    fn fits(inst: &Inst, sol: &Solution, ri: usize, p: usize, x: u32, next: u32) -> bool {
        let r = &sol.routes[ri];
        let tx = &inst.tasks[x as usize];
        let Some(lx) = tx.loc else { return false };
        let arr = r.start[p - 1] + Self::svc(inst, sol, ri, p - 1) + inst.t(r.loc[p - 1], lx);
        match earliest_in(&tx.windows, arr) {
            Some(s) => s + tx.service + inst.t(lx, next) <= r.latest[p + 1] - EPS,
            None => false,
        }
    }

    fn apply(&mut self, inst: &Inst, sol: &mut Solution, m: Move) {
        match m {
            Move::Relocate { u, to, after } => {
                let from = sol.route_of[u as usize] as usize;
                sol.routes[from].nodes.retain(|&x| x != u);
                sol.refresh(inst, from);
                sol.routes[to].nodes.insert(after, u);
                sol.route_of[u as usize] = to as u32;
                sol.refresh(inst, to);
                self.index_route(sol, from);
                self.index_route(sol, to);
            }
            Move::Swap { u, v } => {
                let (ra, rb) = (
                    sol.route_of[u as usize] as usize,
                    sol.route_of[v as usize] as usize,
                );
                let (i, j) = (self.pos[u as usize] as usize, self.pos[v as usize] as usize);
                sol.routes[ra].nodes[i - 1] = v;
                sol.routes[rb].nodes[j - 1] = u;
                sol.route_of[u as usize] = rb as u32;
                sol.route_of[v as usize] = ra as u32;
                sol.refresh(inst, ra);
                sol.refresh(inst, rb);
                self.index_route(sol, ra);
                self.index_route(sol, rb);
            }
            Move::TwoOptStar { u, v } => {
                let (ra, rb) = (
                    sol.route_of[u as usize] as usize,
                    sol.route_of[v as usize] as usize,
                );
                let (i, j) = (self.pos[u as usize] as usize, self.pos[v as usize] as usize);
                let tail_a: Vec<u32> = sol.routes[ra].nodes.split_off(i);
                let tail_b: Vec<u32> = sol.routes[rb].nodes.split_off(j - 1);
                for &t in &tail_b {
                    sol.route_of[t as usize] = ra as u32;
                }
                for &t in &tail_a {
                    sol.route_of[t as usize] = rb as u32;
                }
                sol.routes[ra].nodes.extend_from_slice(&tail_b);
                sol.routes[rb].nodes.extend_from_slice(&tail_a);
                sol.refresh(inst, ra);
                sol.refresh(inst, rb);
                self.index_route(sol, ra);
                self.index_route(sol, rb);
            }
        }
    }
}

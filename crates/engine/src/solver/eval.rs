//! Exact evaluation of one route: schedule (earliest starts, then later starts where that
//! removes waiting), and every route-level objective term. O(n); used to price routes and,
//! when the objective depends on the schedule, to price insertions.

use super::inst::{earliest_in, Inst};

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RouteEval {
    pub feasible: bool,
    /// Separable weighted cost of the route (everything but the max terms and balance).
    pub cost: f64,
    pub tard_max: f64,
    pub wait_max: f64,
    pub idle: f64,
    pub workload: f64,
}

/// Scratch buffers, reused between calls.
#[derive(Default, Debug)]
pub(crate) struct Scratch {
    pub loc: Vec<u32>,
    pub start: Vec<f64>,
    pub seq: Vec<u32>,
}

/// Evaluates vehicle `veh` doing `seq` in order. `lb`/`ub` are the link bounds per task.
/// Fills `sc.start` with the chosen service starts and `sc.loc` with effective locations.
pub(crate) fn eval_seq(
    inst: &Inst,
    veh: usize,
    seq: &[u32],
    lb: &[f64],
    ub: &[f64],
    sc_loc: &mut Vec<u32>,
    sc_start: &mut Vec<f64>,
) -> RouteEval {
    let v = &inst.vehicles[veh];
    let n = seq.len();
    sc_loc.clear();
    sc_start.clear();
    let mut out = RouteEval {
        feasible: true,
        ..Default::default()
    };
    if n == 0 {
        out.idle = (v.regular_end - v.shift_start).max(0.0);
        out.cost = inst.w_idle * out.idle;
        return out;
    }
    // Forward: earliest starts.
    let mut loc = v.start_loc;
    let mut time = v.shift_start;
    let mut svc = 0.0;
    let mut has_visit = false;
    for &t in seq {
        let task = &inst.tasks[t as usize];
        let l = task.loc.unwrap_or(loc);
        let mut arr = time + svc + inst.t(loc, l);
        if arr < lb[t as usize] {
            arr = lb[t as usize];
        }
        let s = match earliest_in(&task.windows, arr) {
            Some(s) if s <= ub[t as usize] => s,
            _ => {
                out.feasible = false;
                arr
            }
        };
        sc_loc.push(l);
        sc_start.push(s);
        time = s;
        svc = task.service;
        loc = l;
        has_visit |= !task.is_break;
    }
    // Backward: start later where that only removes waiting (never past the window in use,
    // never moving linked tasks, whose partners fix them).
    if inst.w_waiting > 0.0 || inst.w_max_waiting > 0.0 {
        for i in (0..n.saturating_sub(1)).rev() {
            let t = seq[i];
            let task = &inst.tasks[t as usize];
            if !task.links.is_empty() {
                continue;
            }
            let cap = sc_start[i + 1] - task.service - inst.t(sc_loc[i], sc_loc[i + 1]);
            let e = sc_start[i];
            if cap <= e {
                continue;
            }
            let mut close = f64::INFINITY;
            for &(o, c) in &task.windows {
                if e >= o && e <= c {
                    close = c;
                    break;
                }
            }
            for &(o, c) in &task.soft_windows {
                if e >= o && e <= c {
                    close = close.min(c);
                }
            }
            close = close.min(ub[t as usize]);
            // Moving i later must not change its break's location rule: breaks keep place.
            let ns = cap.min(close);
            if ns > e {
                sc_start[i] = ns;
            }
        }
    }
    // Terms.
    let first = seq[0];
    let first_loc = sc_loc[0];
    let departure = sc_start[0] - inst.t(v.start_loc, first_loc);
    let mut travel_cost = inst.c(v.start_loc, first_loc);
    let mut travel_time = inst.t(v.start_loc, first_loc);
    let mut wait_sum = 0.0;
    let mut wait_all = 0.0;
    let mut wait_max: f64 = 0.0;
    let mut tard_sum = 0.0;
    let mut tard_max: f64 = 0.0;
    let mut service = 0.0;
    let mut extra = 0.0;
    let mut leading_break = inst.tasks[first as usize].is_break;
    for i in 0..n {
        let t = seq[i];
        let task = &inst.tasks[t as usize];
        if i > 0 {
            let prev = &inst.tasks[seq[i - 1] as usize];
            let arr = sc_start[i - 1] + prev.service + inst.t(sc_loc[i - 1], sc_loc[i]);
            travel_cost += inst.c(sc_loc[i - 1], sc_loc[i]);
            travel_time += inst.t(sc_loc[i - 1], sc_loc[i]);
            let w = (sc_start[i] - arr).max(0.0);
            wait_all += w;
            if !(leading_break && i == 1 && !inst.count_wait_after_leading_break) {
                wait_sum += w;
                wait_max = wait_max.max(w);
            }
            if i == 1 {
                leading_break = false;
            }
        }
        if !task.soft_windows.is_empty() {
            let s = sc_start[i];
            let mut applicable = None;
            for &(o, c) in &task.soft_windows {
                if o <= s {
                    applicable = Some(c);
                }
            }
            if let Some(c) = applicable {
                let late = (s - c).max(0.0);
                tard_sum += late;
                tard_max = tard_max.max(late);
            }
        }
        if !task.is_break {
            service += task.service;
        }
        extra += inst.vehicle_cost(t, veh) + task.service_cost;
    }
    let last = n - 1;
    let ret =
        sc_start[last] + inst.tasks[seq[last] as usize].service + inst.t(sc_loc[last], v.end_loc);
    travel_cost += inst.c(sc_loc[last], v.end_loc);
    travel_time += inst.t(sc_loc[last], v.end_loc);
    if ret > v.shift_end {
        out.feasible = false;
    }
    let overtime = (ret - v.regular_end).max(0.0);
    let idle = (departure - v.shift_start).max(0.0)
        + wait_all
        + if ret <= v.regular_end {
            v.regular_end - ret
        } else {
            0.0
        };
    out.tard_max = tard_max;
    out.wait_max = wait_max;
    out.idle = idle;
    out.workload = service + travel_time;
    out.cost = travel_cost
        + extra
        + if has_visit { v.fixed_cost } else { 0.0 }
        + inst.overtime_cost * overtime
        + inst.w_tardiness * tard_sum
        + inst.w_waiting * wait_sum
        + inst.w_idle * idle;
    out
}

//! Cooperating searches: with several threads, each search stops at a few fixed points of
//! its budget and the best plan of all is taken; every search whose own best is worse goes
//! on from it. Two searches that share their best this way reach a given quality sooner
//! than two that only compare at the end (measured in BENCHMARKS.md, demo day). Where the
//! day splits along team and shift lines (`split`), in two stretches of three between
//! meetings the searches divide it between them instead: each starts from the best plan
//! and changes only its own region, and at the next meeting the regions' best plans are
//! put together into one (`split::merge`).
//!
//! The meeting points are fractions of the budget, so with an iteration limit every thread
//! meets at the same iteration count and the run stays deterministic; the winner of a
//! meeting is the better plan, ties to the lowest thread, and the split is drawn from a
//! generator of the exchange's own. A thread that runs out of time leaves the meetings,
//! and no thread ever waits for one that has left.

use super::inst::Inst;
use super::rng::Rng;
use super::search::better;
use super::solution::Solution;
use super::split::{self, Region};
use std::sync::{Condvar, Mutex, PoisonError};

pub(crate) struct Exchange<'i> {
    threads: usize,
    /// Meetings over the budget, evenly spaced.
    pub meetings: u32,
    /// Split the day between the searches (`None`: share the best plan only).
    split: Option<&'i Inst>,
    state: Mutex<State>,
    met: Condvar,
}

struct State {
    /// Meetings completed so far.
    round: u32,
    /// Threads that reached the open meeting.
    arrived: usize,
    /// Threads whose budget is spent.
    left: usize,
    /// Each thread's best plan brought to the open meeting.
    offers: Vec<Option<Solution>>,
    /// The best plan seen at any meeting (while the day is split, a thread's best is only
    /// the best of its own region's stretch).
    best: Option<Solution>,
    /// What the last completed meeting decided for every thread.
    outcome: Outcome,
    /// The regions of the searches until the next meeting, if the day is split.
    regions: Option<Vec<Region>>,
    rng: Rng,
}

#[derive(Default)]
enum Outcome {
    #[default]
    Nothing,
    /// Every thread whose best is worse goes on from this plan, which thread `.1` (if
    /// any) brought.
    Best(Solution, Option<usize>),
    /// The day is split afresh: every thread goes on from this plan, in its region.
    Split(Solution),
}

/// What a meeting gives one thread.
pub(crate) struct Met {
    /// The plan to go on from, when the thread must leave its own.
    pub plan: Option<Solution>,
    /// Its region until the next meeting (`None`: the whole day).
    pub region: Option<Region>,
}

impl<'i> Exchange<'i> {
    /// `split`: the instance, when the searches may divide the day between them.
    pub(crate) fn new(threads: usize, meetings: u32, split: Option<&'i Inst>, seed: u64) -> Self {
        Exchange {
            threads,
            meetings,
            split,
            state: Mutex::new(State {
                round: 0,
                arrived: 0,
                left: 0,
                offers: (0..threads).map(|_| None).collect(),
                best: None,
                outcome: Outcome::Nothing,
                regions: None,
                rng: Rng::new(seed ^ 0x5EED_5B17),
            }),
            met: Condvar::new(),
        }
    }

    /// Brings thread `k`'s best plan to the next meeting, waits for the others, and
    /// returns what the thread goes on from: the plan (it becomes both the annealing's
    /// current plan and the thread's best) and its region.
    pub(crate) fn meet(&self, k: usize, best: &Solution) -> Met {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let round = st.round;
        st.offers[k] = Some(best.clone());
        st.arrived += 1;
        if st.arrived + st.left >= self.threads {
            self.close(&mut st);
        }
        while st.round == round {
            st = self.met.wait(st).unwrap_or_else(PoisonError::into_inner);
        }
        let region = st.regions.as_ref().map(|r| r[k].clone());
        let plan = match &st.outcome {
            Outcome::Split(s) => Some(s.clone()),
            Outcome::Best(s, from) if *from != Some(k) && better(s, best) => Some(s.clone()),
            _ => None,
        };
        Met { plan, region }
    }

    /// A thread's budget is spent (or it failed): the others no longer wait for it.
    pub(crate) fn leave(&self) {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        st.left += 1;
        if st.arrived > 0 && st.arrived + st.left >= self.threads {
            self.close(&mut st);
        }
    }

    /// The best plan of the solve, from the threads' final best plans (in thread order):
    /// put together from the regions when the day was split in the last stretch, and
    /// against the best plan any meeting saw.
    pub(crate) fn finish(&self, plans: &[&Solution]) -> Option<Solution> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let regions = st.regions.take();
        let mut best = st.best.take();
        if let (Some(inst), Some(regions)) = (self.split, regions) {
            if plans.len() == regions.len() {
                keep_better(&mut best, split::merge(inst, plans, &regions));
            }
        }
        for p in plans {
            if best.as_ref().is_none_or(|b| better(p, b)) {
                best = Some((*p).clone());
            }
        }
        best
    }

    fn close(&self, st: &mut State) {
        let offers: Vec<(usize, Solution)> = st
            .offers
            .iter_mut()
            .enumerate()
            .filter_map(|(k, o)| o.take().map(|o| (k, o)))
            .collect();
        let all_here = offers.len() == self.threads;
        let regions = st.regions.take();
        // After a split stretch each thread changed only its region: put their best plans
        // together. (Going on from the threads' current plans put together instead lost on
        // the 352-citizen demo day, BENCHMARKS.md.)
        if let (Some(inst), Some(regions), true) = (self.split, &regions, all_here) {
            let bests: Vec<&Solution> = offers.iter().map(|o| &o.1).collect();
            keep_better(&mut st.best, split::merge(inst, &bests, regions));
        }
        let mut from = None;
        for (k, o) in &offers {
            if st.best.as_ref().is_none_or(|b| better(o, b)) {
                st.best = Some(o.clone());
                from = Some(*k);
            }
        }
        // Two stretches of three the day is split afresh, from the best plan, only while
        // every search is still running (one that has left would keep its region as it
        // is). The stretches on the whole day let a visit move between the parts a split
        // keeps apart: split at every meeting, the 352-citizen demo day lost. Against every
        // other stretch, with team and shift units, both cores: the 352-citizen day at
        // 10 s, seeds 1–28, 74,495 → 74,107 (visits left out in 5 runs → 1; without
        // left-out prices 74,137 → 74,036); 100 citizens at 5 s, seeds 1–6, 25,388 →
        // 25,294; 1,400 citizens at 20 s, seeds 1–6, 297,474 → 297,910 (within a seed's
        // spread there). With whole teams as units it lost (BENCHMARKS.md).
        st.regions = None;
        st.outcome = Outcome::Nothing;
        if let (Some(inst), Some(start), true, true) =
            (self.split, &st.best, all_here, !st.round.is_multiple_of(3))
        {
            let start = start.clone();
            st.regions = split::split(inst, &start, self.threads, &mut st.rng);
            if st.regions.is_some() {
                st.outcome = Outcome::Split(start);
            }
        }
        if st.regions.is_none() {
            if let Some(b) = &st.best {
                st.outcome = Outcome::Best(b.clone(), from);
            }
        }
        st.arrived = 0;
        st.round += 1;
        self.met.notify_all();
    }
}

/// Replaces `best` with `candidate` when that is better (or there is none).
fn keep_better(best: &mut Option<Solution>, candidate: Solution) {
    if best.as_ref().is_none_or(|b| better(&candidate, b)) {
        *best = Some(candidate);
    }
}

//! Cooperating searches: with several threads, each search stops at a few fixed points of
//! its budget, the best plan of all is taken, and every search whose own best is worse
//! goes on from it. Two searches that share their best this way reach a given quality
//! sooner than two that only compare at the end (measured in BENCHMARKS.md, demo day).
//!
//! The meeting points are fractions of the budget, so with an iteration limit every thread
//! meets at the same iteration count and the run stays deterministic; the winner of a
//! meeting is the better plan, ties to the lowest thread. A thread that runs out of time
//! leaves the meetings, and no thread ever waits for one that has left.

use super::search::better;
use super::solution::Solution;
use std::sync::{Condvar, Mutex, PoisonError};

pub(crate) struct Exchange {
    threads: usize,
    /// Meetings over the budget, evenly spaced.
    pub meetings: u32,
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
    /// The best plan brought to the open meeting, and its thread.
    offer: Option<(Solution, usize)>,
    /// What the last completed meeting decided.
    outcome: Option<(Solution, usize)>,
}

impl Exchange {
    pub(crate) fn new(threads: usize, meetings: u32) -> Self {
        Exchange {
            threads,
            meetings,
            state: Mutex::new(State {
                round: 0,
                arrived: 0,
                left: 0,
                offer: None,
                outcome: None,
            }),
            met: Condvar::new(),
        }
    }

    /// Brings thread `k`'s best plan to the next meeting, waits for the others, and
    /// returns the meeting's best plan when it is better than `best`.
    pub(crate) fn meet(&self, k: usize, best: &Solution) -> Option<Solution> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let round = st.round;
        let take = match &st.offer {
            None => true,
            Some((s, j)) => better(best, s) || (!better(s, best) && k < *j),
        };
        if take {
            st.offer = Some((best.clone(), k));
        }
        st.arrived += 1;
        if st.arrived + st.left >= self.threads {
            self.close(&mut st);
        }
        while st.round == round {
            st = self.met.wait(st).unwrap_or_else(PoisonError::into_inner);
        }
        match &st.outcome {
            Some((s, j)) if *j != k && better(s, best) => Some(s.clone()),
            _ => None,
        }
    }

    /// A thread's budget is spent (or it failed): the others no longer wait for it.
    pub(crate) fn leave(&self) {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        st.left += 1;
        if st.arrived > 0 && st.arrived + st.left >= self.threads {
            self.close(&mut st);
        }
    }

    fn close(&self, st: &mut State) {
        st.outcome = st.offer.take();
        st.arrived = 0;
        st.round += 1;
        self.met.notify_all();
    }
}

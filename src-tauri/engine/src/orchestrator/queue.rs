//! The waiting line for slots: high before normal before low, first come
//! first served within a level, and aging so a low project never starves.

use std::time::{Duration, Instant};

use super::types::{Priority, StartOptions};

/// Each this long in the queue counts as one priority level up.
pub const AGING_STEP: Duration = Duration::from_secs(120);

#[derive(Debug, Clone)]
pub struct Waiting {
    pub project_id: String,
    pub priority: Priority,
    pub options: StartOptions,
    pub since: Instant,
}

#[derive(Debug, Default)]
pub struct RunQueue {
    items: Vec<Waiting>,
}

impl RunQueue {
    /// Adds a project at the back of its level (no-op if it is queued).
    pub fn push(&mut self, project_id: &str, priority: Priority, options: StartOptions) {
        if !self.contains(project_id) {
            self.items.push(Waiting { project_id: project_id.to_string(), priority, options, since: Instant::now() });
        }
    }

    pub fn contains(&self, project_id: &str) -> bool {
        self.items.iter().any(|w| w.project_id == project_id)
    }

    pub fn remove(&mut self, project_id: &str) -> Option<Waiting> {
        let i = self.items.iter().position(|w| w.project_id == project_id)?;
        Some(self.items.remove(i))
    }

    /// The projects in the order they would be admitted now.
    pub fn ordered(&self, now: Instant) -> Vec<&Waiting> {
        let mut order: Vec<&Waiting> = self.items.iter().collect();
        order.sort_by(|a, b| {
            rank(a, now).total_cmp(&rank(b, now)).then(a.since.cmp(&b.since))
        });
        order
    }
}

/// Lower goes first: the level, minus one per [`AGING_STEP`] waited.
fn rank(w: &Waiting, now: Instant) -> f64 {
    let level = match w.priority {
        Priority::High => 0.0,
        Priority::Normal => 1.0,
        Priority::Low => 2.0,
    };
    let waited = now.saturating_duration_since(w.since).as_secs_f64() / AGING_STEP.as_secs_f64();
    level - waited.floor()
}

#[cfg(test)]
mod tests {
    use super::*;


    #[test]
    fn high_before_normal_before_low_and_fifo_within_a_level() {
        let mut q = RunQueue::default();
        q.push("low", Priority::Low, StartOptions::default());
        q.push("n1", Priority::Normal, StartOptions::default());
        q.push("high", Priority::High, StartOptions::default());
        q.push("n2", Priority::Normal, StartOptions::default());
        let order: Vec<&str> = q.ordered(Instant::now()).iter().map(|w| w.project_id.as_str()).collect();
        assert_eq!(order, ["high", "n1", "n2", "low"]);
    }

    #[test]
    fn a_low_project_that_waited_long_enough_goes_before_a_new_high_one() {
        let mut q = RunQueue::default();
        q.push("low", Priority::Low, StartOptions::default());
        q.push("high", Priority::High, StartOptions::default());
        let later = Instant::now() + AGING_STEP * 3;
        q.items[1].since = later;
        let order: Vec<&str> = q.ordered(later).iter().map(|w| w.project_id.as_str()).collect();
        assert_eq!(order, ["low", "high"]);
    }

    #[test]
    fn pushing_twice_keeps_one_entry() {
        let mut q = RunQueue::default();
        q.push("a", Priority::Normal, StartOptions::default());
        q.push("a", Priority::High, StartOptions::default());
        assert_eq!(q.ordered(Instant::now()).len(), 1);
        assert!(q.remove("a").is_some());
        assert!(q.ordered(Instant::now()).is_empty());
    }
}

//! What one verification attempt checks: the project's default checks, the
//! task's criteria, the allowlist the `cmd` criteria must pass, and the
//! limits every check runs under.

use super::allowlist::Allowlist;
use crate::runner::Limits;
use crate::tasklist::Criterion;

/// A project's own check (its build or test command). It comes from the
/// project's settings, written by a person, so the allowlist does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultCheck {
    /// Shown in the report: `build`, `test`.
    pub name: String,
    /// Run with `sh -c` in the container, in the worktree.
    pub run: String,
}

impl DefaultCheck {
    pub fn new(name: impl Into<String>, run: impl Into<String>) -> Self {
        Self { name: name.into(), run: run.into() }
    }
}

/// The inputs of [`verify`](super::verify).
#[derive(Debug, Clone)]
pub struct VerifyPlan {
    /// 1 for the first verification of a task, one more per error-solve.
    pub attempt: u32,
    /// Run first, in order, for every task.
    pub default_checks: Vec<DefaultCheck>,
    /// The task's criteria, checked in order after the default checks.
    pub criteria: Vec<Criterion>,
    pub allowlist: Allowlist,
    /// Each `cmd` and `http` check gets these limits on its own.
    pub limits: Limits,
}

impl VerifyPlan {
    pub fn new(attempt: u32, allowlist: Allowlist, limits: Limits) -> Self {
        Self { attempt, default_checks: Vec::new(), criteria: Vec::new(), allowlist, limits }
    }
}

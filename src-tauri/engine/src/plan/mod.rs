//! Decides what runs next from a parsed task list: order (sequential or by
//! dependencies), unit (leaf or group), stop points, and progress counts.
//!
//! The file's marks are one source of truth; the run engine's database is the
//! other (running, skipped, blocked), handed in as [`Overrides`].

mod next;
mod priority;
mod progress;
mod state;
mod stops;
mod types;

pub use next::next;
pub use priority::inject_priority;
pub use progress::{progress, Counts, PhaseProgress, Progress};
pub use stops::check_stops;
pub use types::{
    BlockedUnit, ChecklistItem, Next, NextState, Order, Overrides, PlanError, PlanOptions, StopPoint, StopReached, TaskRef,
    Unit, UnitKind, WorkUnit,
};

//! DevTeam's engine: everything the app knows how to do, with no Tauri and no
//! display, so the desktop shell and the CLI drive the very same code.

pub mod agents;
pub mod demo;
pub mod engine;
pub mod engine_run;
pub mod error;
pub mod events;
pub mod github;
pub mod health;
pub mod history;
pub mod inject;
mod lockfile;
pub mod logging;
pub mod metrics;
pub mod orchestrator;
pub mod paths;
pub mod plan;
pub mod project;
pub mod project_status;
pub mod redact;
pub mod repo;
pub mod run;
pub mod runner;
pub mod secrets;
pub mod store;
pub mod task_view;
pub mod tasklist;
pub mod verify;

pub use engine::{AppInfo, Engine};
pub use error::{EngineError, EngineResult, ErrorCode, FieldError};
pub use events::EngineEvent;
pub use paths::DataPaths;

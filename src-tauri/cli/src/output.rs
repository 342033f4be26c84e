//! How the CLI prints: plain text for people, JSON for scripts, engine errors
//! with their code and per-field messages.

use std::process::ExitCode;

use devteam_engine::{DataPaths, Engine, EngineError};
use serde::Serialize;

/// Exit code for input the user must fix (validation, not found).
pub const EXIT_USAGE: u8 = 2;

pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Prints an engine error the way a person (or, with `json`, a script) reads it.
pub fn report_error(err: &EngineError, json: bool) -> ExitCode {
    if json {
        let _ = print_json(&serde_json::json!({ "error": err }));
    } else {
        eprintln!("error [{}]: {}", serde_json::to_value(err.code).unwrap_or_default().as_str().unwrap_or("error"), err.message);
        for f in &err.fields {
            // A form field is a flag of `projects add`; a run setting is set as `run.KEY=VALUE`.
            let name = if f.field.contains('.') { f.field.clone() } else { format!("--{}", f.field.replace('_', "-")) };
            eprintln!("  {name}: {}", f.message);
        }
    }
    use devteam_engine::ErrorCode::*;
    match err.code {
        Validation | NotFound | Conflict => ExitCode::from(EXIT_USAGE),
        _ => ExitCode::FAILURE,
    }
}

/// Opens the engine on the app's data folder (`DEVTEAM_DATA_DIR` moves it),
/// for commands that only read, or that only leave a request the running
/// app acts on (`pause`, `stop`): they work beside a running app.
pub async fn open_engine() -> Result<Engine, EngineError> {
    Engine::open(DataPaths::from_env()).await
}

/// Opens the engine for a command that changes projects or runs tasks
/// (`run`, `demo`, `resume`, `review`, `take`, `serve`, `start`, `inject`,
/// `projects add|remove`): refused while the desktop app holds the data
/// folder, whose engine owns those writes; while it works, the app cannot
/// start on the folder.
pub async fn open_engine_for_write() -> Result<Engine, EngineError> {
    Engine::open_shared(DataPaths::from_env()).await
}


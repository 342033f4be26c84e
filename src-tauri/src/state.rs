//! What the shell holds: the engine, or the reason it could not start, so the
//! window can show that reason instead of the app crashing.

use devteam_engine::{DataPaths, Engine, EngineError};

pub struct AppState {
    engine: Result<Engine, EngineError>,
}

impl AppState {
    pub async fn open(paths: DataPaths) -> Self {
        let engine = Engine::open(paths).await;
        if let Err(e) = &engine {
            tracing::error!(code = ?e.code, "the engine did not start: {}", e.message);
        }
        Self { engine }
    }

    /// The engine, or the startup error every command then returns.
    pub fn get(&self) -> Result<&Engine, EngineError> {
        self.engine.as_ref().map_err(Clone::clone)
    }

    pub fn engine(&self) -> Option<&Engine> {
        self.engine.as_ref().ok()
    }
}

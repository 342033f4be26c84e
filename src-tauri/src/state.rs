//! What the shell holds: the engine and its orchestrator, or the reason they
//! could not start, so the window can show that reason instead of crashing.

use devteam_engine::orchestrator::{Orchestrator, OrchestratorOptions};
use devteam_engine::{DataPaths, Engine, EngineError};

pub struct AppState {
    engine: Result<Engine, EngineError>,
    orchestrator: Result<Orchestrator, EngineError>,
}

impl AppState {
    /// Opens the engine and starts the orchestrator, which puts back the
    /// runs the last session left (must run inside the async runtime).
    pub async fn open(paths: DataPaths) -> Self {
        let engine = Engine::open_exclusive(paths).await;
        if let Err(e) = &engine {
            tracing::error!(code = ?e.code, "the engine did not start: {}", e.message);
        }
        let orchestrator = match &engine {
            Ok(engine) => Orchestrator::start(engine.clone(), OrchestratorOptions::default()).await,
            Err(e) => Err(e.clone()),
        };
        Self { engine, orchestrator }
    }

    /// The engine, or the startup error every command then returns.
    pub fn get(&self) -> Result<&Engine, EngineError> {
        self.engine.as_ref().map_err(Clone::clone)
    }

    pub fn engine(&self) -> Option<&Engine> {
        self.engine.as_ref().ok()
    }

    pub fn orchestrator(&self) -> Result<&Orchestrator, EngineError> {
        self.orchestrator.as_ref().map_err(Clone::clone)
    }
}

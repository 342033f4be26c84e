//! How a person steers a running project: pause (at the next step boundary),
//! stop, or an emergency stop that kills the running command now. Requests
//! come from this process (the window) or from another one (the CLI) through
//! the `executions.control` column, polled while the run lasts.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::runner::CancelSignal;

/// What a person asked a running project to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ControlRequest {
    /// Finish the current step, then stop; `resume` goes on from there.
    Pause,
    /// Stop at the next step boundary; the project is stopped (startable).
    Stop,
    /// Kill the running command now; the state is kept and resumable, the
    /// interrupted attempt is not counted.
    Emergency,
}

impl ControlRequest {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlRequest::Pause => "pause",
            ControlRequest::Stop => "stop",
            ControlRequest::Emergency => "emergency",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pause, Self::Stop, Self::Emergency].into_iter().find(|r| r.as_str() == s)
    }
}

/// The requests made to one run; cheap to clone, shared by every part of it.
#[derive(Clone, Debug)]
pub struct RunControl {
    request: Arc<watch::Sender<Option<ControlRequest>>>,
    kill: Arc<watch::Sender<bool>>,
}

impl Default for RunControl {
    fn default() -> Self {
        Self { request: Arc::new(watch::channel(None).0), kill: Arc::new(watch::channel(false).0) }
    }
}

impl RunControl {
    /// Records `request`; a stronger request wins over a weaker one.
    pub fn request(&self, request: ControlRequest) {
        self.request.send_if_modified(|current| {
            if current.is_none_or(|c| request > c) {
                *current = Some(request);
                true
            } else {
                false
            }
        });
        if request == ControlRequest::Emergency {
            self.kill.send_replace(true);
        }
    }

    /// Shorthand for a stop request.
    pub fn request_stop(&self) {
        self.request(ControlRequest::Stop);
    }

    pub fn requested(&self) -> Option<ControlRequest> {
        *self.request.borrow()
    }

    pub fn stop_requested(&self) -> bool {
        self.requested().is_some()
    }

    /// Fires when an emergency stop is requested: running commands end.
    pub fn kill_signal(&self) -> CancelSignal {
        CancelSignal::new(self.kill.subscribe())
    }
}

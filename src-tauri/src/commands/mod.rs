//! Typed commands, one module per domain: each takes the app state, calls the
//! engine and returns its typed result.

pub mod desktop;
pub mod inject;
pub mod projects;
pub mod runs;
pub mod secrets;
pub mod settings;
pub mod system;

//! Agents: commands run in the project's container to do a task. Built in:
//! `script` (runs the task's fenced `sh` blocks) and command-template agents.

pub mod script_blocks;

pub use script_blocks::shell_blocks;

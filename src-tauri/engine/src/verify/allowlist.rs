//! The project's command allowlist: a `cmd` criterion comes from a task list
//! anyone may have written, so it runs only when every program it would start
//! is one the project allowed. A refusal needs a person, never a retry.

use super::shell_words::{command_words, Unreadable};

/// Program names a `cmd` criterion may start, matched exactly: `cargo`
/// allows `cargo` but not `/tmp/cargo` or `./cargo`; list a path to allow it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowlist {
    programs: Vec<String>,
}

/// Why a command may not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// It starts a program that is not on the list.
    #[error("the command `{program}` is not on the project's allowlist")]
    NotAllowed { program: String },
    /// It uses shell syntax the allowlist cannot see through.
    #[error("the command `{script}` uses {construct}, which DevTeam cannot check against the project's allowlist")]
    Unreadable { script: String, construct: String },
}

impl Refusal {
    /// The program to name in the report: the refused word, or the whole
    /// command when it could not be read.
    pub fn program(&self) -> &str {
        match self {
            Refusal::NotAllowed { program } => program,
            Refusal::Unreadable { script, .. } => script,
        }
    }
}

impl Allowlist {
    pub fn new(programs: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self { programs: programs.into_iter().map(Into::into).map(|p: String| p.trim().to_string()).collect() }
    }

    pub fn programs(&self) -> &[String] {
        &self.programs
    }

    pub fn allows(&self, program: &str) -> bool {
        self.programs.iter().any(|p| p == program)
    }

    /// `Ok` when every program `script` would start is on the list; the first
    /// program that is not, or the construct that could not be read, otherwise.
    pub fn check(&self, script: &str) -> Result<(), Refusal> {
        let programs = command_words(script).map_err(|Unreadable { construct }| Refusal::Unreadable {
            script: script.trim().to_string(),
            construct,
        })?;
        match programs.into_iter().find(|p| !self.allows(p)) {
            Some(program) => Err(Refusal::NotAllowed { program }),
            None => Ok(()),
        }
    }
}

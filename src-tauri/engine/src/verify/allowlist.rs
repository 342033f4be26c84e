//! The project's command allowlist: a `cmd` criterion comes from a task list
//! anyone may have written, so it runs only when every program it would start
//! is one the project allowed. A refusal needs a person, never a retry.

use super::shell_words::{commands, CommandLine, Unreadable};

/// Shells whose `-c SCRIPT` runs a script of its own: that script is
/// checked too, so an allowed `sh` does not let any command through.
const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ash", "ksh"];

/// How deep `sh -c "sh -c '…'"` is followed before giving up.
const MAX_NESTING: usize = 4;

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
        self.check_nested(script, 0)
    }

    fn check_nested(&self, script: &str, depth: usize) -> Result<(), Refusal> {
        let unreadable = |construct: String| Refusal::Unreadable { script: script.trim().to_string(), construct };
        if depth > MAX_NESTING {
            return Err(unreadable("shells nested too deep".into()));
        }
        let commands = commands(script).map_err(|Unreadable { construct }| unreadable(construct))?;
        for command in &commands {
            if !self.allows(&command.program) {
                return Err(Refusal::NotAllowed { program: command.program.clone() });
            }
            match inline_script(command) {
                Inline::None => {}
                Inline::Script(inner) => self.check_nested(&inner, depth + 1)?,
                Inline::Computed => return Err(unreadable(format!("a `{} -c` script computed when it runs", command.program))),
            }
        }
        Ok(())
    }
}

enum Inline {
    None,
    Script(String),
    Computed,
}

/// The script a shell is given with `-c` (also in a cluster: `-ec`).
fn inline_script(command: &CommandLine) -> Inline {
    if !SHELLS.contains(&command.program.as_str()) {
        return Inline::None;
    }
    let mut args = command.args.iter();
    while let Some(arg) = args.next() {
        let Some(arg) = arg else { continue };
        if arg == "--" || !arg.starts_with('-') {
            // Options end at the first operand (a script file, run as is).
            return Inline::None;
        }
        if arg.len() > 1 && !arg.starts_with("--") && arg[1..].contains('c') {
            return match args.next() {
                Some(Some(script)) => Inline::Script(script.clone()),
                Some(None) => Inline::Computed,
                None => Inline::None,
            };
        }
    }
    Inline::None
}

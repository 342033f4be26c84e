//! Fake `aider`, `claude` and `codex` CLIs for the test image, so the real
//! command templates run end to end in Docker with no API and no network.
//! They take the real CLIs' non-interactive flags (and refuse the ones that
//! would make the real CLI wait for a person), record how they were called,
//! and behave as a `fake:` line of their prompt says.
//!
//! Records go to `.fake-agent/` in the directory the CLI started in (the
//! worktree, `/work`), or to `$FAKE_AGENT_RECORD_DIR`; environment values are
//! recorded only as SHA-256 hashes, so a committed record leaks nothing.
//! [`read_fake_calls`] reads them back on the host. The scripts in
//! `agents/fakes/` document the layout in full.

use std::collections::BTreeMap;
use std::path::Path;

use crate::runner::ImageFile;

/// Where each fake CLI is installed in the test image (on its `PATH`).
pub const FAKE_BIN_DIR: &str = "/usr/local/bin";
/// The behaviour the fakes share, sourced by each of them.
pub const FAKE_LIB: &str = "/usr/local/lib/devteam-fake/agent.sh";
/// The record folder, relative to the directory the fake started in.
pub const RECORD_DIR: &str = ".fake-agent";
/// The file a successful fake appends one line to, relative to its directory:
/// `<cli> did task <id> on attempt <n> with model <model>`.
pub const OUTPUT_FILE: &str = "fake-agent-output.txt";

const AGENT_LIB: &str = include_str!("fakes/agent.sh");
const AIDER: &str = include_str!("fakes/aider.sh");
const CLAUDE: &str = include_str!("fakes/claude.sh");
const CODEX: &str = include_str!("fakes/codex.sh");

/// The fake CLIs as files for [`crate::runner::ImageRecipe::test_image`]:
/// `/usr/local/bin/{aider,claude,codex}` and their shared
/// `/usr/local/lib/devteam-fake/agent.sh` (busybox `sh` scripts).
pub fn fake_cli_files() -> Vec<ImageFile> {
    let file = |path: String, text: &str, mode: u32| ImageFile { path, contents: text.as_bytes().to_vec(), mode };
    vec![
        file(FAKE_LIB.trim_start_matches('/').into(), AGENT_LIB, 0o644),
        file(format!("{}/aider", FAKE_BIN_DIR.trim_start_matches('/')), AIDER, 0o755),
        file(format!("{}/claude", FAKE_BIN_DIR.trim_start_matches('/')), CLAUDE, 0o755),
        file(format!("{}/codex", FAKE_BIN_DIR.trim_start_matches('/')), CODEX, 0o755),
    ]
}

/// What a fake does, chosen by a line of its prompt (put [`Self::marker`]
/// on a line of its own in the task body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FakeBehaviour {
    /// Appends to [`OUTPUT_FILE`], applies `fake-write:` lines, exits 0
    /// (also what a prompt without a marker gets).
    Succeed,
    /// Exits 1 on attempts 1 and 2 and succeeds from attempt 3 on. The
    /// attempt is N+1 for the prompt's last `## Attempt N failed` heading,
    /// else one more than the fake's last call for the same task (the
    /// prompt's first line `# Task <id>: …`).
    FailTwice,
    /// Exits 1 every time.
    AlwaysFail,
    /// Prints one line, then sleeps silently until the inactivity limit
    /// stops it.
    Hang,
    /// Prints the named environment variable (default: the first set of
    /// `ANTHROPIC_API_KEY`, `OPENAI_API_KEY`, `OLLAMA_API_BASE`) alone on a
    /// line, inside a ~6 KB line, split across two writes 0.3 s apart with no
    /// newline between them, and on stderr; then succeeds. For redaction tests.
    LeakSecret(Option<String>),
}

impl FakeBehaviour {
    /// The prompt line that asks for this behaviour, e.g. `fake: fail-twice`.
    pub fn marker(&self) -> String {
        match self {
            FakeBehaviour::Succeed => "fake: succeed".into(),
            FakeBehaviour::FailTwice => "fake: fail-twice".into(),
            FakeBehaviour::AlwaysFail => "fake: always-fail".into(),
            FakeBehaviour::Hang => "fake: hang".into(),
            FakeBehaviour::LeakSecret(None) => "fake: leak-secret".into(),
            FakeBehaviour::LeakSecret(Some(name)) => format!("fake: leak-secret {name}"),
        }
    }
}

/// The prompt line asking a successful fake to write `text` (one line) to
/// `path`, relative to the worktree, e.g. to satisfy a `file` criterion.
pub fn write_marker(path: &str, text: &str) -> String {
    format!("fake-write: {path} {text}")
}

/// One recorded call of a fake CLI.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FakeCall {
    /// 1, 2, … in the order of the calls.
    pub number: u32,
    /// `aider`, `claude` or `codex`.
    pub cli: String,
    /// Its arguments (without the program).
    pub argv: Vec<String>,
    /// Every exported variable's name and the SHA-256 (hex) of its value.
    pub env: BTreeMap<String, String>,
    /// The prompt as the CLI got it, from its file or its argument.
    pub prompt: String,
    /// The model it was given (empty when none).
    pub model: String,
    /// The directory it worked in.
    pub cwd: String,
    /// The attempt it took this to be (0 when it stopped before reading the prompt).
    pub attempt: u32,
    /// The marker's behaviour word, e.g. `fail-twice`.
    pub behaviour: String,
    /// `succeeded`, `failed: …`, `usage: …` (refused its arguments) or `hanging`.
    pub result: String,
}

impl FakeCall {
    /// Whether the variable `name` was set to exactly `value`.
    pub fn env_is(&self, name: &str, value: &str) -> bool {
        use sha2::Digest;
        self.env.get(name).map(String::as_str) == Some(hex::encode(sha2::Sha256::digest(value.as_bytes())).as_str())
    }
}

/// Every call recorded in `record_dir` (e.g. `<worktree>/.fake-agent`), in order.
pub fn read_fake_calls(record_dir: &Path) -> Vec<FakeCall> {
    let read = |n: u32, name: &str| {
        std::fs::read_to_string(record_dir.join(format!("call-{n}")).join(name)).unwrap_or_default()
    };
    let last: u32 =
        std::fs::read_to_string(record_dir.join("calls")).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
    (1..=last)
        .map(|n| {
            let argv = read(n, "argv");
            FakeCall {
                number: n,
                cli: read(n, "agent").trim().into(),
                argv: argv.split_terminator('\0').map(String::from).collect(),
                env: read(n, "env")
                    .lines()
                    .filter_map(|l| l.split_once(' '))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                prompt: read(n, "prompt"),
                model: read(n, "model").trim().into(),
                cwd: read(n, "cwd").trim().into(),
                attempt: read(n, "attempt").trim().parse().unwrap_or(0),
                behaviour: read(n, "behaviour").trim().into(),
                result: read(n, "result").trim().into(),
            }
        })
        .collect()
}

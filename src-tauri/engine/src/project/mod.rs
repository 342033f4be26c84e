//! A customer project as the user registers it: the form, its checks, and the
//! stored record.

mod policy;
mod repo_url;
mod validate;

use serde::{Deserialize, Serialize};

pub use policy::{ProjectCheck, RunPolicy, DEFAULT_ALLOWLIST};
pub use repo_url::{parse_repo_url, RepoUrl};
pub use validate::validate_draft;

/// In which order the leaves of a task list run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ExecutionOrder {
    /// First not-done leaf in document order whose dependencies are done.
    #[default]
    Sequential,
    /// Any ready leaf; independent leaves may run side by side.
    Dependency,
}

/// What one unit of work is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TaskUnit {
    /// A task with no children.
    #[default]
    Leaf,
    /// A task whose children are all leaves, run as one with them as its checklist.
    Group,
}

/// Which project gets a free slot first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    High,
    #[default]
    Normal,
    Low,
}

macro_rules! text_enum {
    ($ty:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }
        }
        impl std::str::FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s { $($text => Ok(<$ty>::$variant),)+
                    other => Err(format!(
                        "`{other}` is not one of: {}",
                        [$($text),+].join(", ")
                    )) }
            }
        }
    };
}
text_enum!(ExecutionOrder { Sequential => "sequential", Dependency => "dependency" });
text_enum!(TaskUnit { Leaf => "leaf", Group => "group" });
text_enum!(Priority { High => "high", Normal => "normal", Low => "low" });

/// The agents DevTeam ships with (users may add their own later).
pub const BUILTIN_AGENTS: &[&str] = &["script", "aider", "claude-code", "codex", "ollama"];

pub const DEFAULT_BASE_BRANCH: &str = "main";
pub const DEFAULT_TASKLIST_PATH: &str = "ai_docs/tasks/tasks_list.md";
pub const DEFAULT_AGENT: &str = "claude-code";

/// What the user typed into the project form. Every field is kept as typed so
/// that a rejected form can be shown again with nothing lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ProjectDraft {
    pub customer: String,
    pub name: String,
    pub repo_url: String,
    pub base_branch: String,
    pub tasklist_path: String,
    pub order: ExecutionOrder,
    pub unit: TaskUnit,
    pub default_agent: String,
    pub priority: Priority,
    /// The container image: `runner` (DevTeam's Debian image with git,
    /// build tools, Python and Node), `minimal` (busybox), a local image
    /// tag, or `dockerfile:PATH` (a Dockerfile in the repository).
    #[serde(default = "default_image")]
    pub image: String,
    /// How its tasks run: limits, gates, checks, merge mode, routing.
    #[serde(default)]
    pub run: RunPolicy,
}

/// DevTeam's runner image, built on first use.
pub const RUNNER_IMAGE: &str = "runner";
/// The busybox image: a shell and little else, built in seconds.
pub const MINIMAL_IMAGE: &str = "minimal";

fn default_image() -> String {
    RUNNER_IMAGE.into()
}

impl Default for ProjectDraft {
    fn default() -> Self {
        Self {
            customer: String::new(),
            name: String::new(),
            repo_url: String::new(),
            base_branch: DEFAULT_BASE_BRANCH.into(),
            tasklist_path: DEFAULT_TASKLIST_PATH.into(),
            order: ExecutionOrder::default(),
            unit: TaskUnit::default(),
            default_agent: DEFAULT_AGENT.into(),
            priority: Priority::default(),
            image: default_image(),
            run: RunPolicy::default(),
        }
    }
}

/// A registered project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Project {
    /// Stable slug made from customer and name when the project was added.
    pub id: String,
    pub settings: ProjectDraft,
    /// ISO 8601, UTC.
    pub created_at: String,
    /// ISO 8601, UTC.
    pub updated_at: String,
}

/// A lowercase ASCII slug, `-` between words, at most `max` characters.
pub fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(max);
    out.trim_end_matches('-').to_string()
}

impl From<ExecutionOrder> for crate::plan::Order {
    fn from(o: ExecutionOrder) -> Self {
        match o {
            ExecutionOrder::Sequential => Self::Sequential,
            ExecutionOrder::Dependency => Self::Dependency,
        }
    }
}

impl From<TaskUnit> for crate::plan::Unit {
    fn from(u: TaskUnit) -> Self {
        match u {
            TaskUnit::Leaf => Self::Leaf,
            TaskUnit::Group => Self::Group,
        }
    }
}

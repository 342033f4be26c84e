// The project form's vocabulary: defaults, choices and labels, in one place
// so the form, the details pane and the tests agree.

import type { ExecutionOrder, MergeMode, Priority, ProjectDraft, RoutingRule, RunPolicy, TaskUnit } from "../bindings";

/** The agents DevTeam ships with; users add their own later. */
export const BUILTIN_AGENTS = ["script", "aider", "claude-code", "codex", "ollama"] as const;

export const AGENT_LABELS: Record<string, string> = {
  script: "Script (runs the task's sh blocks)",
  aider: "Aider",
  "claude-code": "Claude Code",
  codex: "Codex CLI",
  ollama: "Ollama (local model via Aider)",
};

export const ORDER_LABELS: Record<ExecutionOrder, string> = {
  sequential: "Sequential — document order",
  dependency: "Dependency — any ready task",
};

export const UNIT_LABELS: Record<TaskUnit, string> = {
  leaf: "Leaf — one task at a time",
  group: "Group — a parent with its children",
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  high: "High",
  normal: "Normal",
  low: "Low",
};

export const DEFAULT_TASKLIST_PATH = "ai_docs/tasks/tasks_list.md";

/** DevTeam's runner image, the engine's default. */
export const DEFAULT_IMAGE = "runner";

/** The images DevTeam knows by name; anything else is a local tag or `dockerfile:PATH`. */
export const IMAGE_LABELS: Record<string, string> = {
  runner: "runner — Debian with git, build tools, Python, Node (built on first use)",
  minimal: "minimal — busybox: a shell and little else",
};

export const MERGE_MODE_LABELS: Record<MergeMode, string> = {
  pr: "Pull request",
  direct: "Direct push to the base branch",
};

/** The programs a task's criteria may run when the project names none (the engine's list). */
export const DEFAULT_ALLOWLIST = ["sh", "test", "grep", "cat", "ls", "make", "cargo", "npm", "node", "python3", "pytest", "go"];

/** Words that make a task wait for a person's approval (the engine's list). */
export const DEFAULT_RISKY_KEYWORDS = ["migration", "secret", "credential", "delete", "drop", "production", "deploy"];

/** The engine's keyword rules, first match wins. */
export const DEFAULT_ROUTING_RULES: readonly RoutingRule[] = [
  { keyword: "refactor", agent: "claude-code" },
  { keyword: "multi-file", agent: "claude-code" },
  { keyword: "add test", agent: "aider" },
  { keyword: "one file", agent: "aider" },
  { keyword: "scaffold", agent: "ollama" },
  { keyword: "boilerplate", agent: "ollama" },
];

/** Who DevTeam's commits are by when the project names no one (the engine's default). */
export const DEFAULT_AUTHOR_NAME = "DevTeam";
export const DEFAULT_AUTHOR_EMAIL = "devteam@localhost";

/** How a new project's tasks run: the same values as the engine's `RunPolicy::default()`. */
export function defaultRunPolicy(): Required<RunPolicy> {
  return {
    max_attempts: 3,
    parallel_tasks: 1,
    memory_mb: 2048,
    cpus: 1,
    pids: 512,
    wall_clock_minutes: 30,
    inactivity_minutes: 5,
    merge_mode: "pr",
    pr_draft: false,
    pr_labels: [],
    allowlist: [...DEFAULT_ALLOWLIST],
    risky_keywords: [...DEFAULT_RISKY_KEYWORDS],
    checks: [],
    routing_rules: DEFAULT_ROUTING_RULES.map((r) => ({ ...r })),
    model: null,
    author_name: DEFAULT_AUTHOR_NAME,
    author_email: DEFAULT_AUTHOR_EMAIL,
    github_account: null,
  };
}

export function emptyDraft(): ProjectDraft {
  return {
    customer: "",
    name: "",
    repo_url: "",
    base_branch: "main",
    tasklist_path: DEFAULT_TASKLIST_PATH,
    order: "sequential",
    unit: "leaf",
    default_agent: "claude-code",
    priority: "normal",
    image: DEFAULT_IMAGE,
    run: defaultRunPolicy(),
  };
}

/** The form's basic fields, in the order shown; also the keys of `EngineError.fields`. */
export const DRAFT_FIELDS = [
  "customer",
  "name",
  "repo_url",
  "base_branch",
  "tasklist_path",
  "order",
  "unit",
  "default_agent",
  "priority",
] as const satisfies readonly (keyof ProjectDraft)[];

export type DraftField = (typeof DRAFT_FIELDS)[number];


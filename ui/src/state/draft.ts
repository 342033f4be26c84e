// The project form's vocabulary: defaults, choices and labels, in one place
// so the form, the details pane and the tests agree.

import type { ExecutionOrder, Priority, ProjectDraft, TaskUnit } from "../bindings";

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
  };
}

/** The form's fields, in the order shown; also the keys of `EngineError.fields`. */
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

export function isDraftField(name: string): name is DraftField {
  return (DRAFT_FIELDS as readonly string[]).includes(name);
}

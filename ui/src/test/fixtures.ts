// Fixture builders and constants shared by the tests, kept apart from the
// FakeApi class so each stays small (fakeApi.ts re-exports all of them).

import type {
  AppInfo,
  AppSettings,
  EngineError,
  ExecState,
  Execution,
  HealthReport,
  LogLine,
  Project,
  ProjectDraft,
  ProjectStatus,
  ProjectTask,
  RepoStatus,
  RunnerStatus,
  RunRecord,
  SecretInfo,
  StepSpan,
  TaskNode,
  TaskTree,
} from "../bindings";
import { emptyDraft } from "../state/draft";

export const INFO: AppInfo = {
  version: "0.1.0",
  data_dir: "/home/dev/.local/share/devteam",
  database: "/home/dev/.local/share/devteam/devteam.sqlite3",
  log_dir: "/home/dev/.local/share/devteam/logs",
};

export const HEALTHY: HealthReport = {
  checks: [
    { name: "Docker", status: "ok", summary: "Docker 20.10.24, API 1.41", fix: null },
    { name: "Keychain", status: "ok", summary: "Secret Service ready", fix: null },
    { name: "Git", status: "ok", summary: "git 2.39.5", fix: null },
    { name: "Disk", status: "ok", summary: "112 GB free", fix: null },
    { name: "Data folder", status: "ok", summary: "writable", fix: null },
  ],
};

export function makeProject(id: string, settings: Partial<ProjectDraft> = {}): Project {
  return {
    id,
    settings: { ...emptyDraft(), customer: "Acme", name: id, repo_url: `https://github.com/acme/${id}`, ...settings },
    created_at: "2025-01-15T10:30:00Z",
    updated_at: "2025-01-15T10:30:00Z",
  };
}

export function validationError(fields: { field: string; message: string }[]): EngineError {
  return { code: "validation", message: `${fields.length} fields need attention`, fields };
}

export function makeExecution(projectId: string, state: ExecState, fields: Partial<Execution> = {}): Execution {
  return {
    project_id: projectId,
    state,
    priority: "normal",
    task_id: null,
    task_title: null,
    step: null,
    attempt: 0,
    done: 0,
    total: 0,
    started_at: null,
    eta_seconds: null,
    reason: null,
    cpu_percent: null,
    memory_bytes: null,
    ...fields,
  };
}

/** A task of a tree: `id` like "2.4"; depth and parent follow from the dots. */
export function makeTask(id: string, title: string, fields: Partial<ProjectTask> = {}, node: Partial<TaskNode> = {}): ProjectTask {
  const parts = id.split(".");
  return {
    node: {
      id,
      title,
      status: "open",
      complete: false,
      mark: " ",
      optional: false,
      depth: parts.length - 1,
      line: 1,
      parent: parts.length > 1 ? parts.slice(0, -1).join(".") : null,
      leaf: true,
      deps: [],
      criteria: [],
      agent: null,
      risky: false,
      ...node,
    },
    state: "pending",
    attempts: 0,
    step: null,
    reason: null,
    branch: null,
    pr_url: null,
    agent_used: null,
    ...fields,
  };
}

/** The demo's task list as the engine's tree shows it (3 phases, 9 leaf tasks). */
export function demoTree(projectId: string): TaskTree {
  const phase = (id: string, title: string) => makeTask(id, title, {}, { leaf: false });
  return {
    project_id: projectId,
    path: "ai_docs/tasks/tasks_list.md",
    problems: [],
    tasks: [
      phase("1", "Project skeleton"),
      makeTask("1.1", "Describe the project in the README"),
      makeTask("1.2", "Ignore build output", {}, { deps: ["1.1"] }),
      phase("2", "Arithmetic"),
      makeTask("2.1", "Add the add function"),
      makeTask("2.2", "Add the multiply function", {}, { deps: ["2.1"] }),
      makeTask("2.3", "Write the unit tests", {}, { deps: ["2.2"] }),
      makeTask("2.4", "Add subtraction", {}, {
        deps: ["2.3"],
        criteria: [
          {
            line: 40,
            spec: { form: "check", key: "test.sub", kind: "test", check: { check: "cmd", run: "sh tests/test_sub.sh" }, extra: [] },
          },
        ],
      }),
      phase("3", "Command line"),
      makeTask("3.1", "Add the calc entry point"),
      makeTask("3.2", "Document usage", {}, { deps: ["3.1"] }),
      makeTask("3.3", "Start a changelog", {}, { deps: ["3.2"] }),
    ],
  };
}

export function makeLogLines(count: number, from = 1): LogLine[] {
  return Array.from({ length: count }, (_, i) => ({
    id: from + i,
    task_id: "1.1",
    step: "implement" as const,
    stream: "stdout",
    line: `stored line ${from + i}`,
    at: "2025-01-15T10:30:00Z",
  }));
}

/** A finished run (or, with `ended_at: null`, one still going). */
export function makeRun(projectId: string, id: number, fields: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    project_id: projectId,
    started_at: "2025-01-15T10:00:00.000Z",
    ended_at: "2025-01-15T10:10:00.000Z",
    state: "completed",
    reason: null,
    tasks_done: 1,
    ...fields,
  };
}

/** One step of one task in a run. */
export function makeSpan(taskId: string, step: StepSpan["step"], attempt: number, startedAt: string, endedAt: string | null, fields: Partial<StepSpan> = {}): StepSpan {
  return { task_id: taskId, step, attempt, started_at: startedAt, ended_at: endedAt, log: { first_id: null, lines: 0 }, ...fields };
}

/**
 * A project's repository and runner status as the engine reads it: by
 * default cloned, `main` at a tip, fetched a minute before `now`, Docker up,
 * the image built and no container running.
 */
export function makeStatus(
  projectId: string,
  repo: Partial<RepoStatus> = {},
  runner: Partial<RunnerStatus> = {},
  now = Date.now(),
): ProjectStatus {
  return {
    project_id: projectId,
    repo: {
      cloned: true,
      base_branch: "main",
      base_tip: "3fa2c1d0e9ab",
      last_fetch: new Date(now - 60_000).toISOString(),
      fetch_error: null,
      ...repo,
    },
    runner: { docker: true, image: "runner", image_built: true, containers_running: 0, ...runner },
  };
}

/** What the engine says of a project that never ran: no clone yet, the runner image built. */
export function notClonedStatus(project: Project): ProjectStatus {
  return makeStatus(project.id, { cloned: false, base_branch: project.settings.base_branch || "main", base_tip: null, last_fetch: null });
}

export const DEFAULT_SETTINGS: AppSettings = {
  close_to_tray: true,
  notify_per_task: false,
  start_minimized: false,
  autostart: false,
  selected_project_id: null,
};

export function engineError(message: string, code: EngineError["code"] = "validation"): EngineError {
  return { code, message, fields: [] };
}

/** What a secret's name says it is, as the engine reads it. */
export function secretInfo(name: string): SecretInfo {
  const parts = name.split(":");
  return parts[0] === "github" && parts.length === 3
    ? { name, kind: "github_token", host: parts[1] ?? null, account: parts[2] ?? null }
    : { name, kind: "api_key", host: null, account: null };
}

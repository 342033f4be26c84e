// The dashboard's state, as a pure function of what the engine said: the
// answers to our commands and the events it pushed. No I/O here, so every
// rule (ordering, selection, idempotent updates) is tested without a window.
//
// The same change often arrives twice — the command's answer and then the
// engine's event for it — so every update is an idempotent upsert or delete.
// Run state (executions, logs, charts' series, task trees) is kept per
// project; it is loaded once and then follows the pushed events only.

import type {
  AppInfo,
  EngineError,
  EngineEvent,
  Execution,
  HealthReport,
  Injection,
  LogLine,
  Project,
  ProjectStatus,
  ProjectTask,
  TaskTree,
} from "../bindings";
import { isActive } from "./labels";
import { appendLog, DEFAULT_LOG_CAP, emptyLog, logToArray, mergeHistory } from "./logBuffer";
import type { LogBuffer, NewLogEntry } from "./logBuffer";
import { appendCapped, PROGRESS_POINTS, RESOURCE_POINTS } from "./series";
import type { ProgressPoint, ResourcePoint } from "./series";

export type Startup =
  | { phase: "starting" }
  | { phase: "failed"; error: EngineError }
  | { phase: "ready"; info: AppInfo };

export interface AppState {
  startup: Startup;
  /** Sorted by customer, then project name; `null` until first listed. */
  projects: Project[] | null;
  projectsError: EngineError | null;
  /** `null` until the first health report arrives. */
  health: HealthReport | null;
  healthError: EngineError | null;
  selectedId: string | null;
  /** Started projects' executions by project id (idle projects have none). */
  executions: Record<string, Execution>;
  executionsLoaded: boolean;
  executionsError: EngineError | null;
  /** When each execution entered its current state (ms since the epoch, as seen here). */
  stateSince: Record<string, number>;
  /** The last lines of each project's output (history, then live lines). */
  logs: Record<string, LogBuffer>;
  /** Whether a project's stored log has been read into its buffer. */
  logHistory: Record<string, LoadState>;
  resources: Record<string, ResourcePoint[]>;
  progress: Record<string, ProgressPoint[]>;
  trees: Record<string, TreeState>;
  /** Projects running at once, once set from this window. */
  slots: number | null;
  /** A risky task waiting for a person's approval, per project. */
  approvals: Record<string, { task_id: string; reason: string }>;
  /** Injected tasks per project, newest last; read when a project is shown, then kept by events. */
  injections: Record<string, Injection[]>;
  /** Runs of each project that ended while this window listened (the history reads its list again on a change). */
  runsEnded: Record<string, number>;
  /** Each listed project's repository and runner status, as last read. */
  statuses: Record<string, StatusEntry>;
  /**
   * What verification said of each task while this window listened, per
   * project then task id: kept across runs (it is what the user watched).
   */
  verification: Record<string, Record<string, TaskVerification>>;
}

/** One criterion (or project check) as verified in an attempt. */
export interface CriterionResult {
  criterion: string;
  passed: boolean;
  evidence: string;
}

/** How one attempt at a task ended: verified, or why not. */
export interface AttemptOutcome {
  attempt: number;
  passed: boolean;
  failure: string | null;
}

/** A task's live verification: the latest attempt's criteria and the attempts' outcomes. */
export interface TaskVerification {
  /** The attempt `criteria` are of (0: none checked yet). */
  attempt: number;
  /** In the order they were checked; a criterion checked again replaces its result. */
  criteria: CriterionResult[];
  /** Finished attempts by number, oldest first, the last `ATTEMPTS_KEPT` only. */
  attempts: AttemptOutcome[];
}

/** Attempt outcomes kept per task. */
export const ATTEMPTS_KEPT = 10;

/** A project's repository and runner status: the last answer, and how the last read went. */
export interface StatusEntry {
  /** The last status read (kept while a new read is on its way, and after a failed one). */
  value: ProjectStatus | null;
  /** Why the last read failed; `null` once one works. */
  error: EngineError | null;
  /** A read is on its way. */
  reading: boolean;
  /** When the last answer arrived (ms since the epoch, as seen here). */
  at: number | null;
}

export type LoadState = { status: "loading" } | { status: "loaded" } | { status: "failed"; error: EngineError };

export type TreeState =
  | { status: "loading"; tree: TaskTree | null }
  | { status: "loaded"; tree: TaskTree }
  | { status: "failed"; error: EngineError; tree: TaskTree | null };

export type Action =
  | { type: "startup_succeeded"; info: AppInfo }
  | { type: "startup_failed"; error: EngineError }
  /** The user asked to start again after a failed start: everything is asked anew. */
  | { type: "startup_retried" }
  | { type: "projects_listed"; projects: Project[] }
  | { type: "projects_list_failed"; error: EngineError }
  | { type: "health_checked"; report: HealthReport }
  | { type: "health_check_failed"; error: EngineError }
  /** `at`: when the event arrived (ms since the epoch), for the charts and the elapsed time. */
  | { type: "engine_event"; event: EngineEvent; at?: number }
  /** Several events at once, in order (a burst of log lines is rendered once). */
  | { type: "engine_events"; events: EngineEvent[]; at?: number }
  | { type: "executions_listed"; executions: Execution[]; at?: number }
  | { type: "executions_list_failed"; error: EngineError }
  /** A run command's answer: the execution as the engine has it now. */
  | { type: "execution_received"; execution: Execution; at?: number }
  | { type: "tree_loading"; projectId: string }
  | { type: "tree_loaded"; tree: TaskTree }
  | { type: "tree_failed"; projectId: string; error: EngineError }
  | { type: "log_history_loading"; projectId: string }
  /** The project's stored lines from its start, oldest first. */
  /**
   * `replace`: no run is going on, so the store has every line and live
   * lines received so far are dropped for it (some may have been lost on
   * the way); else live lines not in the history are kept after it.
   */
  | { type: "log_history_loaded"; projectId: string; lines: LogLine[]; replace?: boolean }
  /**
   * After a run ends: the stored lines after the last stored line the buffer
   * has. They take the place of the live lines received up to `appended`
   * (the buffer's count when they were asked for); later live lines stay.
   */
  | { type: "log_tail_synced"; projectId: string; lines: LogLine[]; appended: number }
  | { type: "log_history_failed"; projectId: string; error: EngineError }
  | { type: "slots_set"; slots: number }
  /** The answer to add or update: the project as stored, which the user then sees selected. */
  | { type: "project_saved"; project: Project }
  | { type: "project_removed"; id: string }
  | { type: "project_selected"; id: string | null }
  | { type: "injections_listed"; projectId: string; injections: Injection[] }
  /** A command's answer (inject, approve, reject): the injection as stored now. */
  | { type: "injection_received"; injection: Injection }
  /** A project's status is being read (what is shown stays until the answer). */
  | { type: "status_reading"; projectId: string }
  | { type: "status_read"; status: ProjectStatus; at?: number }
  | { type: "status_read_failed"; projectId: string; error: EngineError; at?: number };

export const initialState: AppState = {
  startup: { phase: "starting" },
  projects: null,
  projectsError: null,
  health: null,
  healthError: null,
  selectedId: null,
  executions: {},
  executionsLoaded: false,
  executionsError: null,
  stateSince: {},
  logs: {},
  logHistory: {},
  resources: {},
  progress: {},
  trees: {},
  slots: null,
  approvals: {},
  injections: {},
  runsEnded: {},
  statuses: {},
  verification: {},
};

/** Lines kept per project; tests may lower it. */
export let logCap = DEFAULT_LOG_CAP;
export function setLogCap(cap: number) {
  logCap = cap;
}

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

export function compareProjects(a: Project, b: Project): number {
  return (
    collator.compare(a.settings.customer, b.settings.customer) ||
    collator.compare(a.settings.name, b.settings.name) ||
    a.id.localeCompare(b.id)
  );
}

function sorted(projects: Project[]): Project[] {
  return [...projects].sort(compareProjects);
}

function upsert(state: AppState, project: Project): Project[] {
  const others = (state.projects ?? []).filter((p) => p.id !== project.id);
  return sorted([...others, project]);
}

/** After `id` leaves the list, select its neighbour so the details pane stays useful. */
function selectionAfterRemoval(state: AppState, id: string, remaining: Project[]): string | null {
  if (state.selectedId !== id) return state.selectedId;
  const before = state.projects ?? [];
  const index = before.findIndex((p) => p.id === id);
  const next = remaining[Math.min(index, remaining.length - 1)];
  return next ? next.id : null;
}

function without<T>(record: Record<string, T>, id: string): Record<string, T> {
  if (!(id in record)) return record;
  const next = { ...record };
  delete next[id];
  return next;
}

function remove(state: AppState, id: string): AppState {
  if (!state.projects?.some((p) => p.id === id)) return state;
  const remaining = state.projects.filter((p) => p.id !== id);
  return {
    ...state,
    projects: remaining,
    selectedId: selectionAfterRemoval(state, id, remaining),
    executions: without(state.executions, id),
    stateSince: without(state.stateSince, id),
    logs: without(state.logs, id),
    logHistory: without(state.logHistory, id),
    resources: without(state.resources, id),
    progress: without(state.progress, id),
    trees: without(state.trees, id),
    approvals: without(state.approvals, id),
    injections: without(state.injections, id),
    runsEnded: without(state.runsEnded, id),
    statuses: without(state.statuses, id),
    verification: without(state.verification, id),
  };
}

/**
 * An execution as the engine now has it; the progress series grows when
 * done/total moved. `listed`: from the list read at start, where a halted
 * run's state began at a time this window did not see.
 */
function putExecution(state: AppState, execution: Execution, at: number, listed = false): AppState {
  const id = execution.project_id;
  const before = state.executions[id];
  const unknownSince = listed && !isActive(execution.state);
  const stateSince =
    before?.state === execution.state && state.stateSince[id] !== undefined
      ? state.stateSince
      : unknownSince
        ? without(state.stateSince, id)
        : { ...state.stateSince, [id]: at };
  const moved = !before || before.done !== execution.done || before.total !== execution.total;
  const progress =
    moved && execution.total > 0
      ? { ...state.progress, [id]: appendProgress(state.progress[id], { t: at, done: execution.done, total: execution.total }) }
      : state.progress;
  return { ...state, executions: { ...state.executions, [id]: execution }, stateSince, progress };
}

function appendProgress(series: ProgressPoint[] | undefined, point: ProgressPoint): ProgressPoint[] {
  const last = series?.[series.length - 1];
  if (last && last.done === point.done && last.total === point.total) return series ?? [];
  return appendCapped(series, point, PROGRESS_POINTS);
}

/** Changes one task of a loaded tree; the tree is left alone when it does not have the task. */
function patchTask(state: AppState, projectId: string, taskId: string, change: (task: ProjectTask) => ProjectTask): AppState {
  const entry = state.trees[projectId];
  const tree = entry?.tree;
  if (!entry || !tree) return state;
  const index = tree.tasks.findIndex((t) => t.node.id === taskId);
  const task = tree.tasks[index];
  if (!task) return state;
  const tasks = tree.tasks.slice();
  tasks[index] = change(task);
  return { ...state, trees: { ...state.trees, [projectId]: { ...entry, tree: { ...tree, tasks } } as TreeState } };
}

function storedEntry(l: LogLine): NewLogEntry {
  return { task_id: l.task_id, step: l.step, stream: l.stream, line: l.line, stored_id: l.id };
}

function appendLines(state: AppState, projectId: string, lines: NewLogEntry[]): AppState {
  const buffer = state.logs[projectId] ?? emptyLog(logCap);
  return { ...state, logs: { ...state.logs, [projectId]: appendLog(buffer, lines) } };
}

function applyEvent(state: AppState, event: EngineEvent, at: number): AppState {
  switch (event.type) {
    case "project_added":
    case "project_updated":
      // An event never steals the user's selection; it only fills an empty one.
      return {
        ...state,
        projects: upsert(state, event.project),
        selectedId: state.selectedId ?? event.project.id,
      };
    case "project_removed":
      return remove(state, event.project_id);
    case "health_changed":
      return { ...state, health: event.report, healthError: null };
    case "execution_changed":
      return putExecution(state, event.execution, at);
    case "approval_needed": {
      const asked = { ...state, approvals: { ...state.approvals, [event.project_id]: { task_id: event.task_id, reason: event.reason } } };
      return patchTask(asked, event.project_id, event.task_id, (task) => ({ ...task, state: "human_review", reason: event.reason }));
    }
    case "agent_chosen":
      return patchTask(state, event.project_id, event.task_id, (task) => ({ ...task, agent_used: event.agent }));
    case "retrying": {
      // The machinery's retries show in the log as DevTeam's own notes.
      const task_id = state.executions[event.project_id]?.task_id ?? "";
      const step = state.executions[event.project_id]?.step ?? "prep";
      const line = `retry ${event.retry} in ${event.wait_seconds}s (no attempt spent): ${event.reason}`;
      return appendLines(state, event.project_id, [{ task_id, step, stream: "devteam", line, stored_id: null }]);
    }
    case "image_progress": {
      // The image is made before the first task: its lines are DevTeam's notes.
      const task_id = state.executions[event.project_id]?.task_id ?? "";
      return appendLines(state, event.project_id, [{ task_id, step: "prep", stream: "devteam", line: `image: ${event.line}`, stored_id: null }]);
    }
    case "step_started": {
      const { step, attempt } = event;
      // Work goes on past the approval: the question is answered.
      const answered = step === "implement" ? { ...state, approvals: without(state.approvals, event.project_id) } : state;
      return patchTask(answered, event.project_id, event.task_id, (task) => ({
        ...task,
        state:
          step === "human_review" ? "human_review"
          : step === "done" ? "done"
          : attempt > 1 || step === "error_solve" ? "retrying"
          : "running",
        step,
        attempts: Math.max(task.attempts, attempt),
        reason: step === "human_review" ? task.reason : null,
      }));
    }
    case "task_done":
      return patchTask(state, event.project_id, event.task_id, (task) => ({
        ...task,
        state: "done",
        step: "done",
        attempts: event.attempts,
        branch: event.branch,
        pr_url: event.pr_url ?? task.pr_url,
        reason: null,
      }));
    case "blocked":
      return patchTask(state, event.project_id, event.task_id, (task) => ({
        ...task,
        state: "human_review",
        step: "human_review",
        reason: event.reason,
      }));
    case "log":
      return appendLines(state, event.project_id, [
        { task_id: event.task_id, step: event.step, stream: event.stream, line: event.line, stored_id: null },
      ]);
    case "progress": {
      const id = event.project_id;
      const point = { t: at, done: event.done, total: event.total };
      const progress = { ...state.progress, [id]: appendProgress(state.progress[id], point) };
      const current = state.executions[id];
      const executions = current ? { ...state.executions, [id]: { ...current, done: event.done, total: event.total } } : state.executions;
      return { ...state, progress, executions };
    }
    case "stats": {
      const id = event.project_id;
      const { cpu_percent, memory_bytes, memory_limit } = event.sample;
      const point: ResourcePoint = { t: at, cpu: cpu_percent, mem: memory_bytes, limit: memory_limit };
      return { ...state, resources: { ...state.resources, [id]: appendCapped(state.resources[id], point, RESOURCE_POINTS) } };
    }
    case "run_finished":
      // The execution_changed that follows carries the new badge; the tree
      // is read again by the hook (pull request links, final states). The
      // count tells the history to read its list again.
      return { ...state, runsEnded: { ...state.runsEnded, [event.project_id]: (state.runsEnded[event.project_id] ?? 0) + 1 } };
    case "injection_changed":
      // An injected task changes the list: the hook reads the tree again.
      return putInjection(state, event.injection);
    case "run_started":
      // Verification seen in earlier runs stays: it is what the user watched.
      return state;
    case "criterion_checked": {
      const { attempt, criterion, passed, evidence } = event;
      return patchVerification(state, event.project_id, event.task_id, (v) => {
        // A result of an older attempt arriving late changes nothing.
        if (attempt < v.attempt) return v;
        const result = { criterion, passed, evidence };
        if (attempt > v.attempt) return { ...v, attempt, criteria: [result] };
        const index = v.criteria.findIndex((c) => c.criterion === criterion);
        const criteria = index < 0 ? [...v.criteria, result] : v.criteria.map((c, i) => (i === index ? result : c));
        return { ...v, criteria };
      });
    }
    case "attempt_finished": {
      const outcome: AttemptOutcome = { attempt: event.attempt, passed: event.passed, failure: event.failure };
      return patchVerification(state, event.project_id, event.task_id, (v) => {
        const attempts = [...v.attempts.filter((a) => a.attempt !== outcome.attempt), outcome].sort((a, b) => a.attempt - b.attempt);
        return { ...v, attempts: attempts.slice(-ATTEMPTS_KEPT) };
      });
    }
  }
}

/** A burst of events: consecutive log lines of a project are appended at once. */
function applyEvents(state: AppState, events: EngineEvent[], at: number): AppState {
  let next = state;
  let pending: { projectId: string; lines: NewLogEntry[] } | null = null;
  const flush = () => {
    if (pending) next = appendLines(next, pending.projectId, pending.lines);
    pending = null;
  };
  for (const event of events) {
    if (event.type === "log") {
      if (pending && pending.projectId !== event.project_id) flush();
      pending ??= { projectId: event.project_id, lines: [] };
      pending.lines.push({ task_id: event.task_id, step: event.step, stream: event.stream, line: event.line, stored_id: null });
    } else {
      flush();
      next = applyEvent(next, event, at);
    }
  }
  flush();
  return next;
}

export function reducer(state: AppState, action: Action): AppState {
  switch (action.type) {
    case "startup_succeeded":
      return { ...state, startup: { phase: "ready", info: action.info } };
    case "startup_failed":
      return { ...state, startup: { phase: "failed", error: action.error } };
    case "startup_retried":
      return initialState;
    case "projects_listed": {
      const projects = sorted(action.projects);
      const keep = projects.some((p) => p.id === state.selectedId);
      return {
        ...state,
        projects,
        projectsError: null,
        selectedId: keep ? state.selectedId : (projects[0]?.id ?? null),
      };
    }
    case "projects_list_failed":
      return { ...state, projectsError: action.error };
    case "health_checked":
      return { ...state, health: action.report, healthError: null };
    case "health_check_failed":
      return { ...state, healthError: action.error };
    case "engine_event":
      return applyEvent(state, action.event, action.at ?? 0);
    case "engine_events":
      return applyEvents(state, action.events, action.at ?? 0);
    case "executions_listed": {
      let next: AppState = { ...state, executionsLoaded: true, executionsError: null };
      for (const execution of action.executions) next = putExecution(next, execution, action.at ?? 0, true);
      return next;
    }
    case "executions_list_failed":
      return { ...state, executionsError: action.error };
    case "execution_received":
      return putExecution(state, action.execution, action.at ?? 0);
    case "tree_loading": {
      const before = state.trees[action.projectId];
      return { ...state, trees: { ...state.trees, [action.projectId]: { status: "loading", tree: before?.tree ?? null } } };
    }
    case "tree_loaded":
      return { ...state, trees: { ...state.trees, [action.tree.project_id]: { status: "loaded", tree: action.tree } } };
    case "tree_failed": {
      const before = state.trees[action.projectId];
      return {
        ...state,
        trees: { ...state.trees, [action.projectId]: { status: "failed", error: action.error, tree: before?.tree ?? null } },
      };
    }
    case "log_history_loading":
      return { ...state, logHistory: { ...state.logHistory, [action.projectId]: { status: "loading" } } };
    case "log_history_loaded": {
      const live = action.replace ? emptyLog(logCap) : (state.logs[action.projectId] ?? emptyLog(logCap));
      return {
        ...state,
        logs: { ...state.logs, [action.projectId]: mergeHistory(action.lines.map(storedEntry), live) },
        logHistory: { ...state.logHistory, [action.projectId]: { status: "loaded" } },
      };
    }
    case "log_tail_synced": {
      const buffer = state.logs[action.projectId];
      if (!buffer) return state;
      const all = logToArray(buffer);
      const stored = all.filter((e) => e.stored_id !== null);
      const lastId = stored[stored.length - 1]?.stored_id ?? 0;
      const tail = action.lines.filter((l) => l.id > lastId).map(storedEntry);
      const later = all.filter((e) => e.stored_id === null && e.seq >= action.appended);
      const rebuilt = appendLog(appendLog(appendLog(emptyLog(buffer.cap), stored), tail), later);
      return { ...state, logs: { ...state.logs, [action.projectId]: rebuilt } };
    }
    case "log_history_failed":
      return { ...state, logHistory: { ...state.logHistory, [action.projectId]: { status: "failed", error: action.error } } };
    case "slots_set":
      return { ...state, slots: action.slots };
    case "project_saved":
      return { ...state, projects: upsert(state, action.project), selectedId: action.project.id };
    case "project_removed":
      return remove(state, action.id);
    case "project_selected":
      return { ...state, selectedId: action.id };
    case "injections_listed":
      return { ...state, injections: { ...state.injections, [action.projectId]: [...action.injections].sort((a, b) => a.id - b.id) } };
    case "injection_received":
      return putInjection(state, action.injection);
    case "status_reading":
      return patchStatus(state, action.projectId, (entry) => ({ ...entry, reading: true }));
    case "status_read":
      return patchStatus(state, action.status.project_id, () => ({
        value: action.status,
        error: null,
        reading: false,
        at: action.at ?? null,
      }));
    case "status_read_failed":
      return patchStatus(state, action.projectId, (entry) => ({ ...entry, error: action.error, reading: false, at: action.at ?? null }));
  }
}

const NO_STATUS: StatusEntry = { value: null, error: null, reading: false, at: null };

/** Changes a listed project's status entry; an answer about a project no longer listed is dropped. */
function patchStatus(state: AppState, projectId: string, change: (entry: StatusEntry) => StatusEntry): AppState {
  if (!state.projects?.some((p) => p.id === projectId)) return state;
  return { ...state, statuses: { ...state.statuses, [projectId]: change(state.statuses[projectId] ?? NO_STATUS) } };
}

const NO_VERIFICATION: TaskVerification = { attempt: 0, criteria: [], attempts: [] };

/** Changes one task's verification (an empty one when it has none yet). */
function patchVerification(
  state: AppState,
  projectId: string,
  taskId: string,
  change: (verification: TaskVerification) => TaskVerification,
): AppState {
  const project = state.verification[projectId] ?? {};
  const before = project[taskId] ?? NO_VERIFICATION;
  const after = change(before);
  if (after === before) return state;
  return { ...state, verification: { ...state.verification, [projectId]: { ...project, [taskId]: after } } };
}

/** Upserts one injection by id (the answer and the event for it both arrive). */
function putInjection(state: AppState, injection: Injection): AppState {
  const list = state.injections[injection.project_id] ?? [];
  const next = [...list.filter((i) => i.id !== injection.id), injection].sort((a, b) => a.id - b.id);
  return { ...state, injections: { ...state.injections, [injection.project_id]: next } };
}

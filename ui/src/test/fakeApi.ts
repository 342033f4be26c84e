// A fake engine for component tests: answers commands from memory, records
// the calls, and pushes events when a test says so, like the real one does.

import type { Api, Outcome } from "../api";
import type {
  AppInfo,
  AppSettings,
  EngineError,
  EngineEvent,
  ExecState,
  Execution,
  HealthReport,
  HostLoad,
  Injection,
  InjectionRequest,
  LoadedAppSettings,
  LogLine,
  Project,
  ProjectDraft,
  ProjectStatus,
  ProjectTask,
  RepoStatus,
  ReviewAction,
  RunnerStatus,
  RunRecord,
  RunTimeline,
  SavedSecret,
  SecretInfo,
  StepSpan,
  StartOptions,
  TaskNode,
  TaskRun,
  TaskTree,
  TokenInfo,
} from "../bindings";
import { emptyDraft } from "../state/draft";
import { TAKEN_BY } from "../state/labels";

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

const ok = <T,>(value: T): Outcome<T> => ({ ok: true, value });

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

export class FakeApi implements Api {
  projects: Project[];
  info: Outcome<AppInfo> = ok(INFO);
  healthReport: Outcome<HealthReport> = ok(HEALTHY);
  /** Answers to the next add/update calls, in order; when empty the draft is accepted. */
  saveAnswers: Outcome<Project>[] = [];
  calls: { method: string; args: unknown[] }[] = [];
  executionList: Execution[] = [];
  trees: Record<string, TaskTree> = {};
  /** Stored log lines per project, oldest first (ids increasing). */
  storedLogs: Record<string, LogLine[]> = {};
  /** Runs per project, newest first, as the engine lists them. */
  runs: Record<string, RunRecord[]> = {};
  /** Timelines by run id (run ids are unique across projects). */
  timelines: Record<number, RunTimeline> = {};
  /** Answers to the next runHistory calls, in order; when empty `runs` answers. */
  historyAnswers: Outcome<RunRecord[]>[] = [];
  /** Answers to the next runTimeline calls, in order; when empty `timelines` answers. */
  timelineAnswers: Outcome<RunTimeline>[] = [];
  /** Answers to the next logLines calls, in order; when empty `storedLogs` answers. */
  logAnswers: Outcome<LogLine[]>[] = [];
  host: HostLoad | null = { cpu_percent: 12, memory_available_bytes: 8e9, memory_total_bytes: 16e9, cores: 2 };
  /** Answers to the next run commands (start, pause, …), in order; when empty the engine agrees. */
  runAnswers: Outcome<Execution>[] = [];
  injections: Injection[] = [];
  /** Each project's status; a project not set here has never run (`notClonedStatus`). */
  statuses: Record<string, ProjectStatus> = {};
  /** Reading these projects' status fails with this error (until removed). */
  statusErrors: Record<string, EngineError> = {};
  /** Answers to the next projectStatus calls, in order; when empty `statusErrors` and `statuses` answer. */
  statusAnswers: Outcome<ProjectStatus>[] = [];
  /** While true, projectStatus answers wait for `releaseStatuses` (to deliver them late or out of order). */
  holdStatuses = false;
  private heldStatuses: { outcome: Outcome<ProjectStatus>; resolve: (outcome: Outcome<ProjectStatus>) => void }[] = [];
  /** Answers to the next injectTask calls, in order; when empty the request is stored. */
  injectAnswers: Outcome<Injection>[] = [];
  appSettings: LoadedAppSettings = { settings: { ...DEFAULT_SETTINGS }, error: null };
  /** Secret values by name: kept here only to check what was sent, never answered back. */
  secrets: Record<string, string> = {};
  tokenAnswer: Outcome<TokenInfo> = ok({
    login: "alice",
    host: "github.com",
    kind: "classic",
    scopes: ["repo", "workflow"],
    expires_at: "2026-12-31 00:00:00 UTC",
    warnings: [],
  });
  private listeners = new Set<(event: EngineEvent) => void>();
  private missedListeners = new Set<(count: number) => void>();
  private selectListeners = new Set<(projectId: string) => void>();

  constructor(projects: Project[] = []) {
    this.projects = projects;
  }

  private record(method: string, ...args: unknown[]) {
    this.calls.push({ method, args });
  }

  async appInfo() {
    this.record("appInfo");
    return this.info;
  }

  async health() {
    this.record("health");
    return this.healthReport;
  }

  async listProjects() {
    this.record("listProjects");
    return ok([...this.projects]);
  }

  async addProject(draft: ProjectDraft) {
    this.record("addProject", draft);
    return this.saveAnswers.shift() ?? ok(this.store(makeProject(`p-${this.projects.length + 1}`, draft)));
  }

  async updateProject(id: string, draft: ProjectDraft) {
    this.record("updateProject", id, draft);
    return this.saveAnswers.shift() ?? ok(this.store({ ...makeProject(id, draft), settings: draft }));
  }

  async removeProject(id: string) {
    this.record("removeProject", id);
    this.projects = this.projects.filter((p) => p.id !== id);
    return ok(null);
  }

  async executions() {
    this.record("executions");
    return ok([...this.executionList]);
  }

  private answer(projectId: string, state: ExecState): Outcome<Execution> {
    const next = this.runAnswers.shift();
    if (next) return next;
    const before = this.executionList.find((e) => e.project_id === projectId);
    const execution = { ...(before ?? makeExecution(projectId, state)), state };
    this.executionList = [...this.executionList.filter((e) => e.project_id !== projectId), execution];
    return ok(execution);
  }

  async startRun(projectId: string, options: StartOptions) {
    this.record("startRun", projectId, options);
    return this.answer(projectId, "queued");
  }

  async pauseRun(projectId: string) {
    this.record("pauseRun", projectId);
    return this.answer(projectId, "paused");
  }

  async resumeRun(projectId: string) {
    this.record("resumeRun", projectId);
    return this.answer(projectId, "queued");
  }

  async stopRun(projectId: string, emergency: boolean) {
    this.record("stopRun", projectId, emergency);
    return this.answer(projectId, "stopped");
  }

  async pauseAll() {
    this.record("pauseAll");
    return ok([] as Execution[]);
  }

  async resumeAll() {
    this.record("resumeAll");
    return ok([] as Execution[]);
  }

  async emergencyStopAll() {
    this.record("emergencyStopAll");
    return ok([] as Execution[]);
  }

  async reviewTask(projectId: string, action: ReviewAction) {
    this.record("reviewTask", projectId, action);
    return this.answer(projectId, action === "abort" ? "stopped" : "queued");
  }

  /** Like the engine: the task waits for the person in HUMAN_REVIEW; the execution keeps its task. */
  async takeTask(projectId: string, taskId: string): Promise<Outcome<Execution>> {
    this.record("takeTask", projectId, taskId);
    const next = this.runAnswers.shift();
    if (next) return next;
    const reason = `${TAKEN_BY} ui: the run waits until the task is marked done (or handed back with retry)`;
    const tree = this.trees[projectId];
    if (tree) {
      this.trees[projectId] = {
        ...tree,
        tasks: tree.tasks.map((t) => (t.node.id === taskId ? { ...t, state: "human_review", step: "human_review", reason } : t)),
      };
    }
    const before = this.executionList.find((e) => e.project_id === projectId);
    const execution = { ...(before ?? makeExecution(projectId, "blocked")), state: "blocked" as const, reason };
    this.executionList = [...this.executionList.filter((e) => e.project_id !== projectId), execution];
    return ok(execution);
  }

  async taskTree(projectId: string): Promise<Outcome<TaskTree>> {
    this.record("taskTree", projectId);
    const tree = this.trees[projectId];
    return tree
      ? ok(tree)
      : { ok: false, error: { code: "not_found", message: `the task list of ${projectId} cannot be read`, fields: [] } };
  }

  async taskRuns(projectId: string) {
    this.record("taskRuns", projectId);
    return ok([] as TaskRun[]);
  }

  async logLines(projectId: string, taskId: string | null, after: number, limit: number) {
    this.record("logLines", projectId, taskId, after, limit);
    const answer = this.logAnswers.shift();
    if (answer) return answer;
    const lines = (this.storedLogs[projectId] ?? []).filter((l) => l.id > after && (taskId === null || l.task_id === taskId));
    return ok(lines.slice(0, limit));
  }

  async runHistory(projectId: string) {
    this.record("runHistory", projectId);
    return this.historyAnswers.shift() ?? ok([...(this.runs[projectId] ?? [])]);
  }

  async runTimeline(projectId: string, runId: number): Promise<Outcome<RunTimeline>> {
    this.record("runTimeline", projectId, runId);
    const answer = this.timelineAnswers.shift();
    if (answer) return answer;
    const timeline = this.timelines[runId];
    if (timeline && timeline.run.project_id === projectId) return ok(timeline);
    const run = this.runs[projectId]?.find((r) => r.id === runId);
    return run ? ok({ run, spans: [], notes: [] }) : { ok: false, error: engineError(`run ${runId} of project \`${projectId}\``, "not_found") };
  }

  async projectStatus(projectId: string): Promise<Outcome<ProjectStatus>> {
    this.record("projectStatus", projectId);
    const error = this.statusErrors[projectId];
    const project = this.projects.find((p) => p.id === projectId);
    const outcome: Outcome<ProjectStatus> =
      this.statusAnswers.shift() ??
      (error ? { ok: false, error }
      : this.statuses[projectId] ? ok(this.statuses[projectId])
      : project ? ok(notClonedStatus(project))
      : { ok: false, error: engineError(`project \`${projectId}\``, "not_found") });
    if (!this.holdStatuses) return outcome;
    return new Promise((resolve) => this.heldStatuses.push({ outcome, resolve }));
  }

  /** Held projectStatus calls waiting for their answer. */
  get heldStatusCount() {
    return this.heldStatuses.length;
  }

  /** Answers the held projectStatus calls, in the order asked or newest first; later calls answer at once. */
  releaseStatuses(newestFirst = false) {
    this.holdStatuses = false;
    const held = this.heldStatuses.splice(0);
    for (const { outcome, resolve } of newestFirst ? held.reverse() : held) resolve(outcome);
  }

  async createDemo() {
    this.record("createDemo");
    const demo = makeProject("devteam-demo-calculator", { customer: "DevTeam Demo", name: "Calculator", default_agent: "script" });
    this.trees[demo.id] ??= demoTree(demo.id);
    this.store(demo);
    this.emit({ type: "project_added", project: demo });
    return ok(demo);
  }

  async hostLoad() {
    this.record("hostLoad");
    return ok(this.host);
  }

  async setSlots(slots: number): Promise<Outcome<number>> {
    this.record("setSlots", slots);
    if (slots < 1 || slots > 50) return { ok: false, error: { code: "validation", message: `slots must be between 1 and 50, not ${slots}`, fields: [] } };
    return ok(slots);
  }

  async openArtifacts(projectId: string, taskId: string) {
    this.record("openArtifacts", projectId, taskId);
    return ok(null);
  }

  async openUrl(url: string) {
    this.record("openUrl", url);
    return ok(null);
  }

  async injectTask(projectId: string, request: InjectionRequest) {
    this.record("injectTask", projectId, request);
    const answer = this.injectAnswers.shift();
    if (answer) return answer;
    const injection: Injection = {
      id: this.injections.length + 1,
      project_id: projectId,
      at: request.at,
      title: request.title,
      body: request.body ?? "",
      status: request.at.kind === "priority" ? "approved" : "pending",
      task_id: request.at.kind === "priority" ? "1.0" : null,
      anchor: null,
      requested_by: "ui",
      decided_by: null,
      created_at: "2025-01-15T10:30:00Z",
      decided_at: null,
    };
    this.injections = [...this.injections, injection];
    return ok(injection);
  }

  async decideInjection(projectId: string, id: number, approve: boolean): Promise<Outcome<Injection>> {
    this.record("decideInjection", projectId, id, approve);
    const before = this.injections.find((i) => i.id === id && i.project_id === projectId);
    if (!before) return { ok: false, error: engineError(`no injection ${id}`, "not_found") };
    const after: Injection = { ...before, status: approve ? "approved" : "rejected", decided_by: "ui", task_id: approve ? "9.9" : null };
    this.injections = this.injections.map((i) => (i.id === id ? after : i));
    return ok(after);
  }

  async listInjections(projectId: string) {
    this.record("listInjections", projectId);
    return ok(this.injections.filter((i) => i.project_id === projectId));
  }

  async getAppSettings() {
    this.record("getAppSettings");
    return ok(this.appSettings);
  }

  async setAppSettings(settings: AppSettings) {
    this.record("setAppSettings", settings);
    this.appSettings = { settings, error: null };
    return ok(settings);
  }

  async listSecrets() {
    this.record("listSecrets");
    return ok(Object.keys(this.secrets).sort().map(secretInfo));
  }

  /**
   * Like the engine: a GitHub token is checked first, `tokenAnswer` standing
   * for GitHub. A `credential_rejected` answer refuses it (nothing stored);
   * any other error is GitHub out of reach: stored, `not_checked` saying why.
   */
  async setSecret(name: string, value: string, apiBase: string | null): Promise<Outcome<SavedSecret>> {
    this.record("setSecret", name, value, apiBase);
    if (!/^(github:[^:]+:[^:]+|[A-Z][A-Z0-9_]*)$/.test(name)) return { ok: false, error: engineError(`"${name}" is not a secret name`) };
    const secret = secretInfo(name);
    if (secret.kind !== "github_token") {
      this.secrets[name] = value;
      return ok({ secret, token: null, not_checked: null });
    }
    const answer = this.tokenAnswer;
    if (!answer.ok && answer.error.code === "credential_rejected") {
      return { ok: false, error: { ...answer.error, message: `${answer.error.message}: nothing was stored` } };
    }
    this.secrets[name] = value;
    return ok(answer.ok ? { secret, token: answer.value, not_checked: null } : { secret, token: null, not_checked: answer.error.message });
  }

  async removeSecret(name: string): Promise<Outcome<null>> {
    this.record("removeSecret", name);
    if (!(name in this.secrets)) return { ok: false, error: engineError(`no secret ${name}`, "not_found") };
    delete this.secrets[name];
    return ok(null);
  }

  async checkGithubToken(name: string, apiBase: string | null) {
    this.record("checkGithubToken", name, apiBase);
    return this.tokenAnswer;
  }

  onSelectProject(listener: (projectId: string) => void) {
    this.selectListeners.add(listener);
    return () => {
      this.selectListeners.delete(listener);
    };
  }

  /** A notification about this project was clicked. */
  emitSelect(projectId: string) {
    for (const listener of this.selectListeners) listener(projectId);
  }

  onEngineEvent(listener: (event: EngineEvent) => void, onMissed?: (count: number) => void) {
    this.listeners.add(listener);
    if (onMissed) this.missedListeners.add(onMissed);
    return () => {
      this.listeners.delete(listener);
      if (onMissed) this.missedListeners.delete(onMissed);
    };
  }

  /** The shell lost `count` events on the way to the window. */
  emitMissed(count: number) {
    for (const listener of this.missedListeners) listener(count);
  }

  /** Pushes an event to every listener, as the engine's event stream would. */
  emit(event: EngineEvent) {
    for (const listener of this.listeners) listener(event);
  }

  get listenerCount() {
    return this.listeners.size;
  }

  private store(project: Project): Project {
    this.projects = [...this.projects.filter((p) => p.id !== project.id), project];
    return project;
  }
}

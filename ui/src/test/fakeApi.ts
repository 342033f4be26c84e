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
  ReviewAction,
  RunRecord,
  RunTimeline,
  SavedSecret,
  StartOptions,
  TaskRun,
  TaskTree,
  TokenInfo,
} from "../bindings";
import { TAKEN_BY } from "../state/labels";
import {
  DEFAULT_SETTINGS,
  demoTree,
  engineError,
  HEALTHY,
  INFO,
  makeExecution,
  makeProject,
  notClonedStatus,
  secretInfo,
} from "./fixtures";

export * from "./fixtures";

const ok = <T,>(value: T): Outcome<T> => ({ ok: true, value });

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

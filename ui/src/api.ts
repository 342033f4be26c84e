// The one door to the engine. Only this module imports the generated
// bindings' `commands` and `events`; everything else talks to the `Api`
// interface, so tests hand the components a fake engine instead of Tauri.
//
// Commands come back from the bindings as `{status, data | error}`; here they
// become an `Outcome` whose error is always an `EngineError`, even when the
// call failed before reaching the engine (no Tauri, a broken IPC), so the UI
// has one kind of failure to show.

import { commands, events } from "./bindings";
import type {
  AppInfo,
  AppSettings,
  EngineError,
  EngineEvent,
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
  SecretInfo,
  StartOptions,
  TaskRun,
  TaskTree,
  TokenInfo,
} from "./bindings";

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: EngineError };

/** Stops a subscription; safe to call more than once. */
export type Unsubscribe = () => void;

export interface Api {
  appInfo(): Promise<Outcome<AppInfo>>;
  health(): Promise<Outcome<HealthReport>>;
  listProjects(): Promise<Outcome<Project[]>>;
  addProject(draft: ProjectDraft): Promise<Outcome<Project>>;
  updateProject(id: string, draft: ProjectDraft): Promise<Outcome<Project>>;
  removeProject(id: string): Promise<Outcome<null>>;
  /** Every started project's execution, once at start; events keep it current. */
  executions(): Promise<Outcome<Execution[]>>;
  startRun(projectId: string, options: StartOptions): Promise<Outcome<Execution>>;
  pauseRun(projectId: string): Promise<Outcome<Execution>>;
  resumeRun(projectId: string): Promise<Outcome<Execution>>;
  stopRun(projectId: string, emergency: boolean): Promise<Outcome<Execution>>;
  pauseAll(): Promise<Outcome<Execution[]>>;
  resumeAll(): Promise<Outcome<Execution[]>>;
  emergencyStopAll(): Promise<Outcome<Execution[]>>;
  reviewTask(projectId: string, action: ReviewAction): Promise<Outcome<Execution>>;
  /**
   * A person takes a task over (it waits for them in HUMAN_REVIEW until they
   * mark it done or hand it back); refused while the project runs.
   */
  takeTask(projectId: string, taskId: string): Promise<Outcome<Execution>>;
  taskTree(projectId: string): Promise<Outcome<TaskTree>>;
  taskRuns(projectId: string): Promise<Outcome<TaskRun[]>>;
  /** Stored log lines after the line `after` (0: from the start), at most `limit`. */
  logLines(projectId: string, taskId: string | null, after: number, limit: number): Promise<Outcome<LogLine[]>>;
  /** The project's runs, newest first (one still going has no `ended_at`). */
  runHistory(projectId: string): Promise<Outcome<RunRecord[]>>;
  /** One run's steps per task, with the notes and people's decisions that belong to it. */
  runTimeline(projectId: string, runId: number): Promise<Outcome<RunTimeline>>;
  /**
   * The project's repository (clone, base tip, last fetch) and runner (Docker,
   * image, containers), read from disk and Docker only: cheap, but one call per project.
   */
  projectStatus(projectId: string): Promise<Outcome<ProjectStatus>>;
  createDemo(): Promise<Outcome<Project>>;
  hostLoad(): Promise<Outcome<HostLoad | null>>;
  setSlots(slots: number): Promise<Outcome<number>>;
  openArtifacts(projectId: string, taskId: string): Promise<Outcome<null>>;
  openUrl(url: string): Promise<Outcome<null>>;
  injectTask(projectId: string, request: InjectionRequest): Promise<Outcome<Injection>>;
  decideInjection(projectId: string, id: number, approve: boolean): Promise<Outcome<Injection>>;
  listInjections(projectId: string): Promise<Outcome<Injection[]>>;
  /** Never fails in the engine (defaults and the reason when the file is unreadable). */
  getAppSettings(): Promise<Outcome<LoadedAppSettings>>;
  setAppSettings(settings: AppSettings): Promise<Outcome<AppSettings>>;
  /** Names only: values never come back from the engine. */
  listSecrets(): Promise<Outcome<SecretInfo[]>>;
  /**
   * Stores a secret. A GitHub token is checked with GitHub first (at
   * `apiBase`, else its host's API): one GitHub refuses comes back as a
   * `credential_rejected` error and is not stored; one that could not be
   * checked is stored, `not_checked` saying why.
   */
  setSecret(name: string, value: string, apiBase: string | null): Promise<Outcome<SavedSecret>>;
  removeSecret(name: string): Promise<Outcome<null>>;
  checkGithubToken(name: string, apiBase: string | null): Promise<Outcome<TokenInfo>>;
  /** The shell asks to show a project (a notification was clicked). */
  onSelectProject(listener: (projectId: string) => void): Unsubscribe;
  /**
   * Every engine event, pushed as it happens (never polled), in order.
   * `onMissed` hears of events lost on the way (a window that fell behind
   * a flood), after the events that came: the state is then read again.
   */
  onEngineEvent(listener: (event: EngineEvent) => void, onMissed?: (count: number) => void): Unsubscribe;
}

/** What a generated command resolves to (tauri-specta's `Result` shape). */
type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: unknown };

export function isEngineError(value: unknown): value is EngineError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && typeof v.message === "string" && Array.isArray(v.fields);
}

/** Any failure that is not already an `EngineError` (a string from Tauri, a thrown Error). */
export function toEngineError(reason: unknown): EngineError {
  if (isEngineError(reason)) return reason;
  const detail =
    reason instanceof Error ? reason.message : typeof reason === "string" ? reason : JSON.stringify(reason);
  return {
    code: "internal",
    message: `Cannot reach the DevTeam engine: ${detail}`,
    fields: [],
  };
}

/** Runs one generated command and turns whatever happens into an `Outcome`. */
export async function unwrap<T>(call: () => Promise<CommandResult<T>>): Promise<Outcome<T>> {
  try {
    const result = await call();
    return result.status === "ok"
      ? { ok: true, value: result.data }
      : { ok: false, error: toEngineError(result.error) };
  } catch (reason) {
    return { ok: false, error: toEngineError(reason) };
  }
}

/** The real engine, through Tauri. */
export const tauriApi: Api = {
  appInfo: () => unwrap(() => commands.appInfo()),
  health: () => unwrap(() => commands.health()),
  listProjects: () => unwrap(() => commands.listProjects()),
  addProject: (draft) => unwrap(() => commands.addProject(draft)),
  updateProject: (id, draft) => unwrap(() => commands.updateProject(id, draft)),
  removeProject: (id) => unwrap(() => commands.removeProject(id)),
  executions: () => unwrap(() => commands.executions()),
  startRun: (projectId, options) => unwrap(() => commands.startRun(projectId, options)),
  pauseRun: (projectId) => unwrap(() => commands.pauseRun(projectId)),
  resumeRun: (projectId) => unwrap(() => commands.resumeRun(projectId)),
  stopRun: (projectId, emergency) => unwrap(() => commands.stopRun(projectId, emergency)),
  pauseAll: () => unwrap(() => commands.pauseAll()),
  resumeAll: () => unwrap(() => commands.resumeAll()),
  emergencyStopAll: () => unwrap(() => commands.emergencyStopAll()),
  reviewTask: (projectId, action) => unwrap(() => commands.reviewTask(projectId, action)),
  takeTask: (projectId, taskId) => unwrap(() => commands.takeTask(projectId, taskId)),
  taskTree: (projectId) => unwrap(() => commands.taskTree(projectId)),
  taskRuns: (projectId) => unwrap(() => commands.taskRuns(projectId)),
  logLines: (projectId, taskId, after, limit) => unwrap(() => commands.logLines(projectId, taskId, after, limit)),
  runHistory: (projectId) => unwrap(() => commands.runHistory(projectId)),
  runTimeline: (projectId, runId) => unwrap(() => commands.runTimeline(projectId, runId)),
  projectStatus: (projectId) => unwrap(() => commands.projectStatus(projectId)),
  createDemo: () => unwrap(() => commands.createDemo()),
  hostLoad: () => unwrap(() => commands.hostLoad()),
  setSlots: (slots) => unwrap(() => commands.setSlots(slots)),
  openArtifacts: (projectId, taskId) => unwrap(() => commands.openArtifacts(projectId, taskId)),
  openUrl: (url) => unwrap(() => commands.openUrl(url)),
  injectTask: (projectId, request) => unwrap(() => commands.injectTask(projectId, request)),
  decideInjection: (projectId, id, approve) => unwrap(() => commands.decideInjection(projectId, id, approve)),
  listInjections: (projectId) => unwrap(() => commands.listInjections(projectId)),
  getAppSettings: () => unwrap(async () => ({ status: "ok" as const, data: await commands.getAppSettings() })),
  setAppSettings: (settings) => unwrap(() => commands.setAppSettings(settings)),
  listSecrets: () => unwrap(() => commands.listSecrets()),
  setSecret: (name, value, apiBase) => unwrap(() => commands.setSecret(name, value, apiBase)),
  removeSecret: (name) => unwrap(() => commands.removeSecret(name)),
  checkGithubToken: (name, apiBase) => unwrap(() => commands.checkGithubToken(name, apiBase)),
  onSelectProject(listener) {
    let stopped = false;
    let stop: (() => void) | undefined;
    events.selectProject
      .listen((event) => {
        if (!stopped) listener(event.payload.project_id);
      })
      .then((unlisten) => {
        if (stopped) unlisten();
        else stop = unlisten;
      })
      .catch((reason: unknown) => {
        console.warn("DevTeam: cannot listen to select-project", reason);
      });
    return () => {
      stopped = true;
      stop?.();
      stop = undefined;
    };
  },
  onEngineEvent(listener, onMissed) {
    let stopped = false;
    let stop: (() => void) | undefined;
    events.engineUpdate
      .listen(({ payload }) => {
        // The shell sends a burst as one message; each event is heard in order.
        for (const event of payload.events) {
          if (stopped) return;
          listener(event);
        }
        if (payload.missed > 0 && !stopped) onMissed?.(payload.missed);
      })
      .then((unlisten) => {
        if (stopped) unlisten();
        else stop = unlisten;
      })
      .catch((reason: unknown) => {
        console.warn("DevTeam: cannot listen to engine events", reason);
      });
    return () => {
      stopped = true;
      stop?.();
      stop = undefined;
    };
  },
};

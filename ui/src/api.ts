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
  EngineError,
  EngineEvent,
  Execution,
  HealthReport,
  HostLoad,
  LogLine,
  Project,
  ProjectDraft,
  ReviewAction,
  StartOptions,
  TaskRun,
  TaskTree,
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
  taskTree(projectId: string): Promise<Outcome<TaskTree>>;
  taskRuns(projectId: string): Promise<Outcome<TaskRun[]>>;
  /** Stored log lines after the line `after` (0: from the start), at most `limit`. */
  logLines(projectId: string, taskId: string | null, after: number, limit: number): Promise<Outcome<LogLine[]>>;
  createDemo(): Promise<Outcome<Project>>;
  hostLoad(): Promise<Outcome<HostLoad | null>>;
  setSlots(slots: number): Promise<Outcome<number>>;
  openArtifacts(projectId: string, taskId: string): Promise<Outcome<null>>;
  openUrl(url: string): Promise<Outcome<null>>;
  /** Every engine event, pushed as it happens (never polled). */
  onEngineEvent(listener: (event: EngineEvent) => void): Unsubscribe;
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
  taskTree: (projectId) => unwrap(() => commands.taskTree(projectId)),
  taskRuns: (projectId) => unwrap(() => commands.taskRuns(projectId)),
  logLines: (projectId, taskId, after, limit) => unwrap(() => commands.logLines(projectId, taskId, after, limit)),
  createDemo: () => unwrap(() => commands.createDemo()),
  hostLoad: () => unwrap(() => commands.hostLoad()),
  setSlots: (slots) => unwrap(() => commands.setSlots(slots)),
  openArtifacts: (projectId, taskId) => unwrap(() => commands.openArtifacts(projectId, taskId)),
  openUrl: (url) => unwrap(() => commands.openUrl(url)),
  onEngineEvent(listener) {
    let stopped = false;
    let stop: (() => void) | undefined;
    events.engineUpdate
      .listen((event) => {
        if (!stopped) listener(event.payload);
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

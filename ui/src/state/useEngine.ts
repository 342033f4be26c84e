// Connects the reducer to the engine: listens to the event stream first, then
// asks for the app info, the projects, the health report and the executions —
// once. From then on only pushed events change run state; nothing is polled.
// (Each project's repository and runner status is read at start, again when
// an event makes it stale, and every 10 s while it runs: statusReads.ts.)
// Events that arrive before the lists are held and replayed after them, so a
// change made while a list was on its way is not lost under it.
//
// Log lines can come by the thousand a second: they are gathered for a few
// milliseconds and applied as one update, so the window renders once per
// burst. Any other event first flushes the lines before it, keeping order.

import { useCallback, useEffect, useReducer, useRef, useState } from "react";

import type { Api, Outcome } from "../api";
import type {
  AppSettings,
  EngineError,
  EngineEvent,
  ExecState,
  Execution,
  Injection,
  InjectionRequest,
  LogLine,
  Project,
  ProjectDraft,
  ReviewAction,
  StartOptions,
} from "../bindings";
import { isActive } from "./labels";
import { lastStoredId } from "./logBuffer";
import { initialState, logCap, reducer } from "./reducer";
import type { AppState } from "./reducer";
import { staleProject, StatusReader } from "./statusReads";
import { traceEvent } from "./trace";

/** How long log lines are gathered before they are rendered. */
export const LOG_FLUSH_MS = 64;
/** Notices of lost events this close together make one read of the state. */
const RESYNC_GATHER_MS = 250;
/** A tail sync's answer renders before the next one reads the buffer. */
const TAIL_SYNC_SETTLE_MS = 50;
/** Stored log lines asked for per call when a project's history is read. */
export const LOG_PAGE = 5000;
/** How long the selection must hold before it is saved as the one to show next time. */
export const SELECTION_SAVE_MS = 800;

export interface Notice {
  id: number;
  message: string;
  tone: "error" | "info";
}

export interface Engine {
  state: AppState;
  checkingHealth: boolean;
  notice: Notice | null;
  dismissNotice: () => void;
  retryStartup: () => void;
  recheckHealth: () => void;
  select: (id: string) => void;
  saveProject: (id: string | null, draft: ProjectDraft) => Promise<Outcome<Project>>;
  projectSaved: (project: Project) => void;
  removeProject: (project: Project) => Promise<Outcome<null>>;
  startRun: (projectId: string, options: StartOptions) => Promise<boolean>;
  pauseRun: (projectId: string) => Promise<boolean>;
  resumeRun: (projectId: string) => Promise<boolean>;
  stopRun: (projectId: string, emergency: boolean) => Promise<boolean>;
  reviewTask: (projectId: string, action: ReviewAction) => Promise<boolean>;
  /** A person takes a task over; the refusal comes back for the task's details to show. */
  takeTask: (projectId: string, taskId: string) => Promise<Outcome<Execution>>;
  pauseAll: () => Promise<boolean>;
  resumeAll: () => Promise<boolean>;
  emergencyStopAll: () => Promise<boolean>;
  setSlots: (slots: number) => Promise<boolean>;
  createDemo: () => Promise<Project | null>;
  openUrl: (url: string) => Promise<boolean>;
  openArtifacts: (projectId: string, taskId: string) => Promise<boolean>;
  reloadTree: (projectId: string) => void;
  injectTask: (projectId: string, request: InjectionRequest) => Promise<Outcome<Injection>>;
  decideInjection: (projectId: string, id: number, approve: boolean) => Promise<boolean>;
  /** Saves a change to the app settings (the rest as last loaded or saved). */
  saveAppSettings: (change: Partial<AppSettings>) => Promise<Outcome<AppSettings>>;
  /** Reads a project's repository and runner status again at once (a person asked). */
  refreshStatus: (projectId: string) => void;
}

const TREE_EVENTS = new Set<EngineEvent["type"]>(["task_done", "run_finished", "blocked", "approval_needed", "injection_changed"]);

export function useEngine(api: Api): Engine {
  const [state, dispatch] = useReducer(reducer, initialState);
  const [attempt, setAttempt] = useState(0);
  const [checkingHealth, setCheckingHealth] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [ready, setReady] = useState(false);
  const selectedRef = useRef<string | null>(null);
  selectedRef.current = state.selectedId;
  const treesRef = useRef(state.trees);
  treesRef.current = state.trees;
  const stateRef = useRef(state);
  stateRef.current = state;
  const treeTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const treeRequest = useRef<Record<string, number>>({});
  /** The app settings as last loaded or saved; null until read at start. */
  const settingsRef = useRef<AppSettings | null>(null);
  /** Reads the projects' repository and runner status (one per start of the dashboard). */
  const statusReader = useRef<StatusReader | null>(null);

  const reloadTree = useCallback(
    (projectId: string) => {
      const ticket = (treeRequest.current[projectId] ?? 0) + 1;
      treeRequest.current[projectId] = ticket;
      dispatch({ type: "tree_loading", projectId });
      void api.taskTree(projectId).then((tree) => {
        // Only the newest answer counts: an older one may predate a task's end.
        if (treeRequest.current[projectId] !== ticket) return;
        dispatch(tree.ok ? { type: "tree_loaded", tree: tree.value } : { type: "tree_failed", projectId, error: tree.error });
      });
    },
    [api],
  );

  useEffect(() => {
    let cancelled = false;
    let listed = false;
    let healthFromEvent = false;
    const held: EngineEvent[] = [];
    const lines: EngineEvent[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    const reader = new StatusReader(api, dispatch);
    statusReader.current = reader;
    reader.setRunning(runningIds(stateRef.current));
    /** Each project's execution state as the events told it, to see a run start or end. */
    const execStates = new Map<string, ExecState>();

    const flushLines = () => {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      if (cancelled || lines.length === 0) return;
      dispatch({ type: "engine_events", events: lines.splice(0), at: Date.now() });
    };

    // One tail sync per project at a time: each starts from the buffer as the
    // one before left it (two at once would splice on a stale picture and
    // could drop lines). Each runs after the render of the lines just flushed.
    const tailSyncs = new Map<string, { running: boolean; again: boolean }>();
    const syncLogTail = (id: string) => {
      const entry = tailSyncs.get(id) ?? { running: false, again: false };
      tailSyncs.set(id, entry);
      if (entry.running) {
        entry.again = true;
        return;
      }
      entry.running = true;
      const go = () =>
        setTimeout(async () => {
          if (cancelled) return;
          const { logs, logHistory } = stateRef.current;
          const buffer = logs[id];
          if (buffer && logHistory[id]?.status === "loaded") await syncTail(api, id, lastStoredId(buffer), buffer.appended, dispatch);
          setTimeout(() => {
            if (entry.again) {
              entry.again = false;
              go();
            } else {
              entry.running = false;
            }
          }, TAIL_SYNC_SETTLE_MS);
        });
      go();
    };

    // Events were lost on the way (the window fell behind a flood): what they
    // said is read again from the engine, once per burst of such notices.
    let resyncTimer: ReturnType<typeof setTimeout> | null = null;
    const resync = () => {
      flushLines();
      if (resyncTimer) return;
      resyncTimer = setTimeout(() => {
        resyncTimer = null;
        if (cancelled) return;
        void api.executions().then((executions) => {
          if (!cancelled && executions.ok) dispatch({ type: "executions_listed", executions: executions.value, at: Date.now() });
        });
        if (selectedRef.current) reloadTree(selectedRef.current);
        // A lost event may have been a fetch or a run's end.
        for (const project of stateRef.current.projects ?? []) reader.stale(project.id);
        for (const id of Object.keys(stateRef.current.logs)) syncLogTail(id);
      }, RESYNC_GATHER_MS);
    };

    const stop = api.onEngineEvent((event) => {
      if (cancelled) return;
      traceEvent(event);
      if (event.type === "health_changed") healthFromEvent = true;
      let stateBefore: ExecState | undefined;
      if (event.type === "execution_changed") {
        stateBefore = execStates.get(event.execution.project_id);
        execStates.set(event.execution.project_id, event.execution.state);
      }
      // Only project and run events depend on the lists; a health report applies at once.
      if (!listed && event.type !== "health_changed") {
        held.push(event);
        return;
      }
      if (event.type === "log") {
        lines.push(event);
        flushTimer ??= setTimeout(flushLines, LOG_FLUSH_MS);
        return;
      }
      if (lines.length > 0) {
        lines.push(event);
        flushLines();
      } else {
        dispatch({ type: "engine_event", event, at: Date.now() });
      }
      // A tree that could not be read before the first run (no clone yet) is read again once a task starts.
      const retryTree =
        event.type === "step_started" && event.step === "select" && treesRef.current[event.project_id]?.status === "failed";
      const projectId =
        "project_id" in event ? event.project_id : event.type === "injection_changed" ? event.injection.project_id : null;
      if (event.type === "run_finished") {
        // Live lines can be lost on the way when the window falls behind; once
        // a run ends the store has them all: the log is made exact from it.
        // (After the render of the lines just flushed, so they count as received.)
        syncLogTail(event.project_id);
      }
      if (event.type === "project_removed") reader.forget(event.project_id);
      // A fetch, a run that started or ended, a changed project: one read of its status per burst.
      const stale = staleProject(event, stateBefore);
      if (stale !== null) reader.stale(stale);
      if ((TREE_EVENTS.has(event.type) || retryTree) && projectId !== null && projectId === selectedRef.current) {
        // Pull request links and final states come with the stored tree; one read per burst.
        const id = projectId;
        if (treeTimer.current) clearTimeout(treeTimer.current);
        treeTimer.current = setTimeout(() => reloadTree(id), 250);
      }
    }, () => {
      if (!cancelled && listed) resync();
    });

    async function start() {
      const info = await api.appInfo();
      if (cancelled) return;
      if (!info.ok) {
        dispatch({ type: "startup_failed", error: info.error });
        return;
      }
      dispatch({ type: "startup_succeeded", info: info.value });

      setCheckingHealth(true);
      void api.health().then((health) => {
        if (cancelled) return;
        setCheckingHealth(false);
        // A report pushed meanwhile is at least as new as this answer.
        if (healthFromEvent && health.ok) return;
        dispatch(health.ok ? { type: "health_checked", report: health.value } : { type: "health_check_failed", error: health.error });
      });

      const [projects, executions] = await Promise.all([api.listProjects(), api.executions()]);
      if (cancelled) return;
      dispatch(projects.ok ? { type: "projects_listed", projects: projects.value } : { type: "projects_list_failed", error: projects.error });
      dispatch(
        executions.ok
          ? { type: "executions_listed", executions: executions.value, at: Date.now() }
          : { type: "executions_list_failed", error: executions.error },
      );
      if (executions.ok) {
        for (const e of executions.value) if (!execStates.has(e.project_id)) execStates.set(e.project_id, e.state);
      }
      // Every listed project's status, once; then only what makes one stale reads it again.
      if (projects.ok) for (const project of projects.value) reader.readNow(project.id);
      const loaded = await api.getAppSettings();
      if (cancelled) return;
      if (loaded.ok) {
        settingsRef.current = loaded.value.settings;
        const last = loaded.value.settings.selected_project_id;
        if (last && projects.ok && projects.value.some((p) => p.id === last)) dispatch({ type: "project_selected", id: last });
      }
      listed = true;
      if (held.length > 0) dispatch({ type: "engine_events", events: held.splice(0), at: Date.now() });
      setReady(true);
    }

    // A notification was clicked: show its project.
    const stopSelect = api.onSelectProject((projectId) => {
      if (cancelled) return;
      if (stateRef.current.projects?.some((p) => p.id === projectId)) dispatch({ type: "project_selected", id: projectId });
    });

    void start();
    return () => {
      cancelled = true;
      if (flushTimer) clearTimeout(flushTimer);
      if (resyncTimer) clearTimeout(resyncTimer);
      if (treeTimer.current) clearTimeout(treeTimer.current);
      reader.stop();
      if (statusReader.current === reader) statusReader.current = null;
      stop();
      stopSelect();
    };
  }, [api, attempt, reloadTree]);

  // A running project's status is read again now and then ("fetched N min ago", its containers).
  const runningKey = runningIds(state).join("\n");
  useEffect(() => {
    statusReader.current?.setRunning(runningKey ? runningKey.split("\n") : []);
  }, [runningKey]);

  const selectedId = state.selectedId;
  // The selection is remembered for the next start, once it has held a moment.
  useEffect(() => {
    if (!ready || !selectedId) return;
    const saved = settingsRef.current;
    if (!saved || saved.selected_project_id === selectedId) return;
    const timer = setTimeout(() => {
      const current = settingsRef.current;
      if (!current) return;
      const next = { ...current, selected_project_id: selectedId };
      settingsRef.current = next;
      void api.setAppSettings(next).then((outcome) => {
        if (outcome.ok) settingsRef.current = outcome.value;
      });
    }, SELECTION_SAVE_MS);
    return () => clearTimeout(timer);
  }, [api, ready, selectedId]);

  // The selected project's injections, read once; events keep them current.
  const injections = state.injections;
  useEffect(() => {
    if (!ready || !selectedId || injections[selectedId]) return;
    const id = selectedId;
    void api.listInjections(id).then((outcome) => {
      if (outcome.ok) dispatch({ type: "injections_listed", projectId: id, injections: outcome.value });
    });
  }, [api, ready, selectedId, injections]);

  // The selected project's tree and stored log, read once each.
  const trees = state.trees;
  const logHistory = state.logHistory;
  useEffect(() => {
    if (!ready || !selectedId) return;
    if (!trees[selectedId]) reloadTree(selectedId);
    if (!logHistory[selectedId]) {
      // With no run going on, the store has every line: it replaces what came live.
      const replace = !isActive(stateRef.current.executions[selectedId]?.state);
      void loadHistory(api, selectedId, dispatch, replace);
    }
  }, [api, ready, selectedId, trees, logHistory, reloadTree]);

  const noticeId = useRef(0);
  const fail = useCallback((what: string, error: EngineError) => {
    noticeId.current += 1;
    setNotice({ id: noticeId.current, message: `${what}: ${error.message}`, tone: "error" });
  }, []);
  const dismissNotice = useCallback(() => setNotice(null), []);

  const retryStartup = useCallback(() => {
    setReady(false);
    dispatch({ type: "startup_retried" });
    setAttempt((n) => n + 1);
  }, []);

  const recheckHealth = useCallback(() => {
    setCheckingHealth(true);
    void api.health().then((health) => {
      setCheckingHealth(false);
      dispatch(health.ok ? { type: "health_checked", report: health.value } : { type: "health_check_failed", error: health.error });
    });
  }, [api]);

  const select = useCallback((id: string) => dispatch({ type: "project_selected", id }), []);

  const saveProject = useCallback(
    (id: string | null, draft: ProjectDraft) => (id === null ? api.addProject(draft) : api.updateProject(id, draft)),
    [api],
  );

  const projectSaved = useCallback((project: Project) => {
    dispatch({ type: "project_saved", project });
    // Its event reads it too, in the same burst.
    statusReader.current?.stale(project.id);
  }, []);

  const removeProject = useCallback(
    async (project: Project) => {
      const outcome = await api.removeProject(project.id);
      if (outcome.ok) {
        dispatch({ type: "project_removed", id: project.id });
        statusReader.current?.forget(project.id);
      }
      return outcome;
    },
    [api],
  );

  /** Runs a command that answers with one execution; shows its error when refused. */
  const runOne = useCallback(
    async (what: string, call: () => Promise<Outcome<Execution>>) => {
      const outcome = await call();
      if (outcome.ok) dispatch({ type: "execution_received", execution: outcome.value, at: Date.now() });
      else fail(what, outcome.error);
      return outcome.ok;
    },
    [fail],
  );

  const runMany = useCallback(
    async (what: string, call: () => Promise<Outcome<Execution[]>>) => {
      const outcome = await call();
      if (outcome.ok) {
        for (const execution of outcome.value) dispatch({ type: "execution_received", execution, at: Date.now() });
      } else fail(what, outcome.error);
      return outcome.ok;
    },
    [fail],
  );

  const startRun = useCallback(
    (projectId: string, options: StartOptions) => runOne("Cannot start the run", () => api.startRun(projectId, options)),
    [api, runOne],
  );
  const pauseRun = useCallback((projectId: string) => runOne("Cannot pause", () => api.pauseRun(projectId)), [api, runOne]);
  const resumeRun = useCallback((projectId: string) => runOne("Cannot resume", () => api.resumeRun(projectId)), [api, runOne]);
  const stopRun = useCallback(
    (projectId: string, emergency: boolean) =>
      runOne(emergency ? "Cannot stop at once" : "Cannot stop", () => api.stopRun(projectId, emergency)),
    [api, runOne],
  );
  const reviewTask = useCallback(
    (projectId: string, action: ReviewAction) => runOne("The decision was not taken", () => api.reviewTask(projectId, action)),
    [api, runOne],
  );
  const takeTask = useCallback(
    async (projectId: string, taskId: string) => {
      const outcome = await api.takeTask(projectId, taskId);
      if (outcome.ok) {
        dispatch({ type: "execution_received", execution: outcome.value, at: Date.now() });
        // The task now waits for the person: its state comes with the stored tree.
        reloadTree(projectId);
      }
      return outcome;
    },
    [api, reloadTree],
  );
  const pauseAll = useCallback(() => runMany("Cannot pause all", () => api.pauseAll()), [api, runMany]);
  const resumeAll = useCallback(() => runMany("Cannot resume all", () => api.resumeAll()), [api, runMany]);
  const emergencyStopAll = useCallback(() => runMany("Emergency stop failed", () => api.emergencyStopAll()), [api, runMany]);

  const setSlots = useCallback(
    async (slots: number) => {
      const outcome = await api.setSlots(slots);
      if (outcome.ok) dispatch({ type: "slots_set", slots: outcome.value });
      else fail("Slots unchanged", outcome.error);
      return outcome.ok;
    },
    [api, fail],
  );

  const createDemo = useCallback(async () => {
    const outcome = await api.createDemo();
    if (!outcome.ok) {
      fail("The demo project could not be created", outcome.error);
      return null;
    }
    dispatch({ type: "project_saved", project: outcome.value });
    statusReader.current?.stale(outcome.value.id);
    return outcome.value;
  }, [api, fail]);

  const openUrl = useCallback(
    async (url: string) => {
      const outcome = await api.openUrl(url);
      if (!outcome.ok) fail("Cannot open the link", outcome.error);
      return outcome.ok;
    },
    [api, fail],
  );

  const openArtifacts = useCallback(
    async (projectId: string, taskId: string) => {
      const outcome = await api.openArtifacts(projectId, taskId);
      if (!outcome.ok) fail("Cannot open the artifacts", outcome.error);
      return outcome.ok;
    },
    [api, fail],
  );

  const injectTask = useCallback(
    async (projectId: string, request: InjectionRequest) => {
      const outcome = await api.injectTask(projectId, request);
      if (outcome.ok) dispatch({ type: "injection_received", injection: outcome.value });
      return outcome;
    },
    [api],
  );

  const decideInjection = useCallback(
    async (projectId: string, id: number, approve: boolean) => {
      const outcome = await api.decideInjection(projectId, id, approve);
      if (outcome.ok) dispatch({ type: "injection_received", injection: outcome.value });
      else fail(approve ? "The injection was not approved" : "The injection was not rejected", outcome.error);
      return outcome.ok;
    },
    [api, fail],
  );

  const saveAppSettings = useCallback(
    async (change: Partial<AppSettings>) => {
      const base: AppSettings = settingsRef.current ?? {
        close_to_tray: false,
        notify_per_task: false,
        start_minimized: false,
        autostart: false,
        selected_project_id: null,
      };
      const outcome = await api.setAppSettings({ ...base, selected_project_id: stateRef.current.selectedId, ...change });
      if (outcome.ok) settingsRef.current = outcome.value;
      return outcome;
    },
    [api],
  );

  const refreshStatus = useCallback((projectId: string) => statusReader.current?.readNow(projectId), []);

  return {
    state,
    checkingHealth,
    notice,
    dismissNotice,
    retryStartup,
    recheckHealth,
    select,
    saveProject,
    projectSaved,
    removeProject,
    startRun,
    pauseRun,
    resumeRun,
    stopRun,
    reviewTask,
    takeTask,
    pauseAll,
    resumeAll,
    emergencyStopAll,
    setSlots,
    createDemo,
    openUrl,
    openArtifacts,
    reloadTree,
    injectTask,
    decideInjection,
    saveAppSettings,
    refreshStatus,
  };
}

/** The projects whose run holds a slot or waits for one, sorted. */
function runningIds(state: AppState): string[] {
  return Object.values(state.executions)
    .filter((e) => isActive(e.state))
    .map((e) => e.project_id)
    .sort();
}

/** Reads stored log lines after `after`, page by page, keeping the newest `logCap`; null when a page fails. */
async function readLog(api: Api, projectId: string, after: number): Promise<Outcome<LogLine[]>> {
  let lines: LogLine[] = [];
  let from = after;
  for (;;) {
    const page = await api.logLines(projectId, null, from, LOG_PAGE);
    if (!page.ok) return page;
    lines = lines.concat(page.value);
    if (lines.length > logCap) lines = lines.slice(lines.length - logCap);
    const last = page.value[page.value.length - 1];
    if (page.value.length < LOG_PAGE || !last) return { ok: true, value: lines };
    from = last.id;
  }
}

type Dispatch = (action: Parameters<typeof reducer>[1]) => void;

/** Reads a project's stored log from its start into its buffer. */
async function loadHistory(api: Api, projectId: string, dispatch: Dispatch, replace: boolean) {
  dispatch({ type: "log_history_loading", projectId });
  const lines = await readLog(api, projectId, 0);
  dispatch(
    lines.ok
      ? { type: "log_history_loaded", projectId, lines: lines.value, replace }
      : { type: "log_history_failed", projectId, error: lines.error },
  );
}

/** After a run: the stored lines after the buffer's last stored one take the place of the live ones. */
async function syncTail(api: Api, projectId: string, after: number, appended: number, dispatch: Dispatch) {
  const lines = await readLog(api, projectId, after);
  if (lines.ok) dispatch({ type: "log_tail_synced", projectId, lines: lines.value, appended });
}

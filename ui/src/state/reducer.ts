// The dashboard's state, as a pure function of what the engine said: the
// answers to our commands and the events it pushed. No I/O here, so every
// rule (ordering, selection, idempotent updates) is tested without a window.
//
// The same change often arrives twice — the command's answer and then the
// engine's event for it — so every update is an idempotent upsert or delete.

import type { AppInfo, EngineError, EngineEvent, HealthReport, Project } from "../bindings";

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
}

export type Action =
  | { type: "startup_succeeded"; info: AppInfo }
  | { type: "startup_failed"; error: EngineError }
  /** The user asked to start again after a failed start: everything is asked anew. */
  | { type: "startup_retried" }
  | { type: "projects_listed"; projects: Project[] }
  | { type: "projects_list_failed"; error: EngineError }
  | { type: "health_checked"; report: HealthReport }
  | { type: "health_check_failed"; error: EngineError }
  | { type: "engine_event"; event: EngineEvent }
  /** The answer to add or update: the project as stored, which the user then sees selected. */
  | { type: "project_saved"; project: Project }
  | { type: "project_removed"; id: string }
  | { type: "project_selected"; id: string | null };

export const initialState: AppState = {
  startup: { phase: "starting" },
  projects: null,
  projectsError: null,
  health: null,
  healthError: null,
  selectedId: null,
};

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

function remove(state: AppState, id: string): AppState {
  if (!state.projects?.some((p) => p.id === id)) return state;
  const remaining = state.projects.filter((p) => p.id !== id);
  return { ...state, projects: remaining, selectedId: selectionAfterRemoval(state, id, remaining) };
}

function applyEvent(state: AppState, event: EngineEvent): AppState {
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
    case "step_started":
    case "log":
    case "task_done":
    case "blocked":
    case "progress":
    case "stats":
    case "execution_changed":
    case "run_finished":
      // Run progress: the executions grid is not built yet, so the shell
      // keeps no state for it (the CLI shows runs today).
      return state;
  }
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
      return applyEvent(state, action.event);
    case "project_saved":
      return { ...state, projects: upsert(state, action.project), selectedId: action.project.id };
    case "project_removed":
      return remove(state, action.id);
    case "project_selected":
      return { ...state, selectedId: action.id };
  }
}

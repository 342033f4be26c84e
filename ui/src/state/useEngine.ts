// Connects the reducer to the engine: listens to the event stream first, then
// asks for the app info, the projects and the health report. Project events
// that arrive before the project list are held and replayed after it, so a
// change made while the list was on its way is not lost under it.

import { useCallback, useEffect, useReducer, useState } from "react";

import type { Api, Outcome } from "../api";
import type { EngineEvent, Project, ProjectDraft } from "../bindings";
import { initialState, reducer } from "./reducer";
import type { AppState } from "./reducer";

export interface Engine {
  state: AppState;
  checkingHealth: boolean;
  retryStartup: () => void;
  recheckHealth: () => void;
  select: (id: string) => void;
  saveProject: (id: string | null, draft: ProjectDraft) => Promise<Outcome<Project>>;
  projectSaved: (project: Project) => void;
  removeProject: (project: Project) => Promise<Outcome<null>>;
}

export function useEngine(api: Api): Engine {
  const [state, dispatch] = useReducer(reducer, initialState);
  const [attempt, setAttempt] = useState(0);
  const [checkingHealth, setCheckingHealth] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let listed = false;
    let healthFromEvent = false;
    const held: EngineEvent[] = [];

    const stop = api.onEngineEvent((event) => {
      if (cancelled) return;
      if (event.type === "health_changed") healthFromEvent = true;
      // Only project events depend on the list; a health report applies at once.
      if (listed || event.type === "health_changed") dispatch({ type: "engine_event", event });
      else held.push(event);
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

      const projects = await api.listProjects();
      if (cancelled) return;
      dispatch(projects.ok ? { type: "projects_listed", projects: projects.value } : { type: "projects_list_failed", error: projects.error });
      listed = true;
      for (const event of held.splice(0)) dispatch({ type: "engine_event", event });
    }

    void start();
    return () => {
      cancelled = true;
      stop();
    };
  }, [api, attempt]);

  const retryStartup = useCallback(() => {
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

  const projectSaved = useCallback((project: Project) => dispatch({ type: "project_saved", project }), []);

  const removeProject = useCallback(
    async (project: Project) => {
      const outcome = await api.removeProject(project.id);
      if (outcome.ok) dispatch({ type: "project_removed", id: project.id });
      return outcome;
    },
    [api],
  );

  return { state, checkingHealth, retryStartup, recheckHealth, select, saveProject, projectSaved, removeProject };
}

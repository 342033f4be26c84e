// When engine events reach the window, kept for the end-to-end test's
// latency figures (event received → badge in the DOM). A small ring of
// timestamps on `window.__devteamTrace`; log lines are not traced.

import type { EngineEvent } from "../bindings";

export interface TraceEntry {
  type: EngineEvent["type"];
  project_id: string | null;
  /** The step of a step_started event, the state of an execution_changed one. */
  detail: string | null;
  /** Wall clock in ms with sub-ms precision (timeOrigin + performance.now()). */
  t: number;
}

const KEEP = 500;

declare global {
  interface Window {
    __devteamTrace?: TraceEntry[];
    /** Set once the dashboard has been painted with its project list. */
    __devteamPainted?: { at: number; sinceStart: number; projects: number };
  }
}

export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function traceEvent(event: EngineEvent) {
  if (event.type === "log" || typeof window === "undefined") return;
  const trace = (window.__devteamTrace ??= []);
  trace.push({
    type: event.type,
    project_id: "project_id" in event ? event.project_id : event.type === "execution_changed" ? event.execution.project_id : null,
    detail: event.type === "step_started" ? event.step : event.type === "execution_changed" ? event.execution.state : null,
    t: nowMs(),
  });
  if (trace.length > KEEP) trace.splice(0, trace.length - KEEP);
}

// A run's timeline as the History tab draws it: one lane per task with its
// steps placed on a shared time axis, people's decisions as marks, and the
// axis's ticks. Pure, so the placing is tested without a window.

import type { AuditRecord, RunRecord, RunTimeline, Step, StepSpan } from "../bindings";
import { STEPS } from "./labels";

/** The engine's own audit actor; any other actor is a person. */
export const ENGINE_ACTOR = "devteam";

/** Milliseconds since the epoch of an ISO 8601 time, or null when it does not parse. */
export function timeOf(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

export interface PlacedSpan {
  span: StepSpan;
  /** Unique within the run (a step may be entered twice with the same attempt). */
  key: string;
  /** `timeline-span-<task>-<step>-<attempt>`, with `-2`, `-3` for repeats. */
  testId: string;
  start: number;
  /** The end as drawn: now for a step still going. */
  end: number;
  running: boolean;
}

export interface Lane {
  /** Empty for notes that belong to no task of the run. */
  taskId: string;
  title: string | null;
  spans: PlacedSpan[];
  /** People's decisions about this task. */
  decisions: AuditRecord[];
  /** The agent DevTeam chose for the task, when it said so. */
  agent: string | null;
  /** The highest attempt seen in this run. */
  attempts: number;
}

export interface TimelineModel {
  run: RunRecord;
  start: number;
  end: number;
  lanes: Lane[];
  /** People's decisions and DevTeam's notes other than the agent choice, oldest first. */
  notes: AuditRecord[];
  /** The steps that occur, in the order the engine goes through them (for the legend). */
  steps: Step[];
}

export function spanKey(span: StepSpan): string {
  return `${span.task_id}|${span.step}|${span.attempt}|${span.started_at}`;
}

/**
 * Lanes in the order tasks first appear. A step still going ends now; a
 * run whose end is not recorded ends at its last step or now when it runs.
 */
export function buildTimeline(timeline: RunTimeline, titleOf: (taskId: string) => string | null, now: number, running: boolean): TimelineModel {
  const { run, spans, notes } = timeline;
  const runStart = timeOf(run.started_at) ?? now;
  const runEnd = timeOf(run.ended_at);
  const lanes: Lane[] = [];
  const byTask = new Map<string, Lane>();
  const lane = (taskId: string) => {
    let found = byTask.get(taskId);
    if (!found) {
      found = { taskId, title: taskId ? titleOf(taskId) : null, spans: [], decisions: [], agent: null, attempts: 0 };
      byTask.set(taskId, found);
      lanes.push(found);
    }
    return found;
  };

  const seen = new Map<string, number>();
  let start = runStart;
  let end = runEnd ?? (running ? now : runStart);
  const ordered = [...spans].sort((a, b) => (timeOf(a.started_at) ?? 0) - (timeOf(b.started_at) ?? 0));
  for (const span of ordered) {
    const s = timeOf(span.started_at) ?? runStart;
    const going = span.ended_at === null;
    const e = Math.max(s, timeOf(span.ended_at) ?? (going && running ? now : (runEnd ?? s)));
    const base = `timeline-span-${span.task_id}-${span.step}-${span.attempt}`;
    const repeat = (seen.get(base) ?? 0) + 1;
    seen.set(base, repeat);
    const l = lane(span.task_id);
    l.spans.push({ span, key: spanKey(span), testId: repeat === 1 ? base : `${base}-${repeat}`, start: s, end: e, running: going && running });
    l.attempts = Math.max(l.attempts, span.attempt);
    start = Math.min(start, s);
    end = Math.max(end, e);
  }

  const kept: AuditRecord[] = [];
  for (const note of notes) {
    if (note.actor === ENGINE_ACTOR && note.action === "route") {
      // "claude-code: keyword refactor" — the lane says which agent took the task.
      const l = byTask.get(note.task_id);
      if (l) l.agent = note.detail.split(":")[0]?.trim() || null;
      continue;
    }
    kept.push(note);
    if (note.actor !== ENGINE_ACTOR) lane(byTask.has(note.task_id) ? note.task_id : "").decisions.push(note);
    const at = timeOf(note.at);
    // Decisions before the run (they led to it) are drawn at its start; later ones stretch the axis.
    if (at !== null && at > end) end = at;
  }

  // Notes that belong to no task of the run come last.
  const general = byTask.get("");
  const laneList = general ? [...lanes.filter((l) => l !== general), general] : lanes;
  const present = new Set(spans.map((s) => s.step));
  if (end <= start) end = start + 1000;
  return { run, start, end, lanes: laneList, notes: kept, steps: STEPS.filter((s) => present.has(s)) };
}

/** Where a time falls on the axis, in percent (clamped to the axis). */
export function percentAt(model: Pick<TimelineModel, "start" | "end">, t: number): number {
  const p = ((t - model.start) / (model.end - model.start)) * 100;
  return Math.min(100, Math.max(0, p));
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const TICK_STEPS = [
  ...[1, 2, 5, 10, 15, 30].map((n) => n * SECOND),
  ...[1, 2, 5, 10, 15, 30].map((n) => n * MINUTE),
  ...[1, 2, 3, 6, 12, 24].map((n) => n * HOUR),
];

/** Offsets from the axis's start for about `target` ticks at round intervals. */
export function axisTicks(duration: number, target = 5): number[] {
  const step = TICK_STEPS.find((s) => duration / s <= target) ?? Math.ceil(duration / target / HOUR) * HOUR;
  const ticks: number[] = [];
  for (let t = 0; t <= duration + 1; t += step) ticks.push(t);
  return ticks;
}

/** An offset from the run's start, short: `0`, `45s`, `5m`, `5m 30s`, `1h 20m`. */
export function formatOffset(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s === 0) return "0";
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m ${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
}

/** A clock time with seconds, in the user's locale. */
export function formatClock(t: number): string {
  return new Date(t).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

// The History tab: the selected project's runs, newest first, and the chosen
// run as a timeline — one lane per task, its steps as bars on a shared time
// axis (coloured like the step's state), attempts numbered, people's
// decisions marked with who and when. A bar opens that step's stored log
// lines below, with the task's artifacts a click away.
//
// Read from the engine when the tab opens; the list is read again when a
// run of the project ends (or a new one starts), and a run still going is
// read again as its task moves on. Nothing here is polled.

import { useEffect, useMemo, useRef, useState } from "react";
import type { CSSProperties, KeyboardEvent, ReactNode } from "react";

import type { Api } from "../api";
import type { EngineError, ExecState, Execution, LogLine, ProjectTask, RunRecord, RunTimeline } from "../bindings";
import { formatCount, formatDuration, formatTimestamp } from "../state/format";
import { describeNote, EXEC_LABELS, isActive, STEP_LABELS, STEP_TONES } from "../state/labels";
import { axisTicks, buildTimeline, ENGINE_ACTOR, formatClock, formatOffset, percentAt, timeOf } from "../state/timeline";
import type { Lane, PlacedSpan, TimelineModel } from "../state/timeline";
import { ExecBadge } from "./ExecBadge";
import { useNow } from "./ExecutionsGrid";
import { FolderIcon, MissingIcon, PlayIcon, RefreshIcon, WarningIcon } from "./icons";
import "./LogView.css";
import "./RunHistory.css";

/** At most this many lines of one step are read and shown. */
export const STEP_LOG_LIMIT = 2000;

const ZOOMS = [1, 2, 4, 8, 16] as const;

interface RunHistoryProps {
  api: Api;
  projectId: string;
  /** The project's task tree, for the tasks' titles (null until read). */
  tasks: ProjectTask[] | null;
  /** The project's execution now, to tell a run going on from one whose end was never recorded. */
  execution: Execution | undefined;
  /** Changes each time a run of the project ends: the list is read again. */
  runsEnded: number;
  onOpenArtifacts: (taskId: string) => void;
}

type Loaded<T> = { status: "loading"; value: T | null } | { status: "loaded"; value: T } | { status: "failed"; value: T | null; error: EngineError };

/** Whether a run with no recorded end is going on now: the newest run of a project that is running. */
function isRunning(run: RunRecord, newest: RunRecord | undefined, execution: Execution | undefined): boolean {
  return run.ended_at === null && run.id === newest?.id && isActive(execution?.state);
}

export function RunHistory({ api, projectId, tasks, execution, runsEnded, onOpenArtifacts }: RunHistoryProps) {
  const [runs, setRuns] = useState<Loaded<RunRecord[]>>({ status: "loading", value: null });
  const [listTry, setListTry] = useState(0);
  /** The run the user picked; null follows the newest. */
  const [chosenRun, setChosenRun] = useState<number | null>(null);
  const [timeline, setTimeline] = useState<Loaded<RunTimeline>>({ status: "loading", value: null });
  const [timelineTry, setTimelineTry] = useState(0);
  const [chosenSpan, setChosenSpan] = useState<string | null>(null);
  const runList = useRef<HTMLUListElement>(null);

  // A new run shows up when it starts (the execution's start changes) and when it ends.
  const runStart = execution?.started_at ?? null;
  useEffect(() => {
    let stale = false;
    setRuns((r) => ({ status: "loading", value: r.value }));
    void api.runHistory(projectId).then((outcome) => {
      if (stale) return;
      setRuns((r) =>
        outcome.ok
          ? { status: "loaded", value: [...outcome.value].sort((a, b) => b.id - a.id) }
          : { status: "failed", value: r.value, error: outcome.error },
      );
    });
    return () => {
      stale = true;
    };
  }, [api, projectId, runsEnded, runStart, listTry]);

  const list = runs.value ?? [];
  const newest = list[0];
  const selected = list.find((r) => r.id === chosenRun) ?? newest;
  const selectedId = selected?.id ?? null;
  const running = selected ? isRunning(selected, newest, execution) : false;
  // While the run goes on, its timeline is read again as the task or step moves.
  const liveKey = running && execution ? `${execution.state}|${execution.task_id}|${execution.step}|${execution.attempt}` : "";
  const selectedEnd = selected?.ended_at ?? null;

  useEffect(() => {
    if (selectedId === null) return;
    let stale = false;
    setTimeline((t) => ({ status: "loading", value: t.value?.run.id === selectedId ? t.value : null }));
    void api.runTimeline(projectId, selectedId).then((outcome) => {
      if (stale) return;
      setTimeline((t) => (outcome.ok ? { status: "loaded", value: outcome.value } : { status: "failed", value: t.value, error: outcome.error }));
    });
    return () => {
      stale = true;
    };
  }, [api, projectId, selectedId, selectedEnd, liveKey, timelineTry]);

  // Durations of a run going on tick, in the list and on its timeline.
  const now = useNow(newest ? isRunning(newest, newest, execution) : false);
  const shown = timeline.value?.run.id === selectedId ? timeline.value : null;
  const titles = useMemo(() => new Map((tasks ?? []).map((t) => [t.node.id, t.node.title])), [tasks]);
  const model = useMemo(
    () => (shown ? buildTimeline(shown, (id) => titles.get(id) ?? null, now, running) : null),
    [shown, titles, now, running],
  );
  const span = model?.lanes.flatMap((l) => l.spans).find((s) => s.key === chosenSpan) ?? null;

  function chooseRun(id: number) {
    if (id === selectedId) return;
    setChosenRun(id);
    setChosenSpan(null);
  }

  /** Up/Down/Home/End move through the runs, choosing as they go (like the task tree). */
  function onRunsKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key) || list.length === 0) return;
    event.preventDefault();
    const current = list.findIndex((r) => r.id === selectedId);
    const last = list.length - 1;
    const next =
      event.key === "Home" ? 0 : event.key === "End" ? last : event.key === "ArrowDown" ? Math.min(current + 1, last) : Math.max(current - 1, 0);
    const run = list[next];
    if (!run) return;
    chooseRun(run.id);
    runList.current?.querySelector<HTMLElement>(`[data-run-id="${run.id}"]`)?.focus();
  }

  if (runs.status === "failed" && runs.value === null) {
    return (
      <div className="history" data-testid="history">
        <Failure what="The run history cannot be read" error={runs.error} onRetry={() => setListTry((n) => n + 1)} testId="history-error" />
      </div>
    );
  }
  if (runs.value === null) {
    return (
      <div className="history" data-testid="history">
        <p className="pane__notice" role="status">
          Reading the run history…
        </p>
      </div>
    );
  }
  if (list.length === 0) {
    return (
      <div className="history" data-testid="history">
        <div className="history__empty" data-testid="history-empty">
          <p className="history__empty-title">No runs yet</p>
          <p className="history__empty-hint">
            Start the project with the controls above. Every run is kept here: each task&apos;s steps on a time line, their logs, and the
            decisions people made.
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="history" data-testid="history">
      {runs.status === "failed" && (
        <Failure what="The run history cannot be read again" error={runs.error} onRetry={() => setListTry((n) => n + 1)} testId="history-error" />
      )}
      <section className="history__runs" aria-labelledby="history-runs-title">
        <h3 id="history-runs-title" className="history__heading">
          Runs <span className="history__count">{formatCount(list.length)}</span>
        </h3>
        <ul ref={runList} className="history__list" aria-label="Runs, newest first" onKeyDown={onRunsKeyDown} data-testid="history-runs">
          {list.map((run) => (
            <li key={run.id}>
              <RunRow
                run={run}
                selected={run.id === selectedId}
                running={isRunning(run, newest, execution)}
                liveState={execution?.state}
                now={now}
                onChoose={() => chooseRun(run.id)}
              />
            </li>
          ))}
        </ul>
      </section>

      {selected && (
        <section className="history__run" aria-labelledby="history-run-title" data-testid="history-timeline">
          <h3 id="history-run-title" className="history__heading">
            Run #{selected.id} <span className="history__run-when">{formatTimestamp(selected.started_at)}</span>
          </h3>
          {timeline.status === "failed" && (
            <Failure what={`Run #${selected.id} cannot be read`} error={timeline.error} onRetry={() => setTimelineTry((n) => n + 1)} testId="timeline-error" />
          )}
          {!model && timeline.status === "loading" && (
            <p className="pane__notice" role="status">
              Reading the run…
            </p>
          )}
          {model && (
            <Timeline
              model={model}
              selectedKey={span?.key ?? null}
              onSelect={(key) => setChosenSpan((k) => (k === key ? null : key))}
            />
          )}
          {model && span && (
            <StepLog
              api={api}
              projectId={projectId}
              placed={span}
              title={titles.get(span.span.task_id) ?? null}
              onOpenArtifacts={onOpenArtifacts}
              onClose={() => setChosenSpan(null)}
            />
          )}
          {model && model.notes.length > 0 && <Notes model={model} titles={titles} />}
        </section>
      )}
    </div>
  );
}

function Failure({ what, error, onRetry, testId }: { what: string; error: EngineError; onRetry: () => void; testId: string }) {
  return (
    <div className="pane__notice pane__notice--error history__failure" role="alert" data-testid={testId}>
      <MissingIcon size={13} />
      <span>
        {what}: {error.message}
      </span>
      <button type="button" className="btn btn--small" onClick={onRetry}>
        <RefreshIcon size={12} />
        Try again
      </button>
    </div>
  );
}

const EXEC_STATES = new Set<string>(Object.keys(EXEC_LABELS));

/** How a run ended, as the badges elsewhere show it; a run going on shows the state it is in. */
export function RunStateBadge({ run, running, liveState }: { run: RunRecord; running: boolean; liveState: ExecState | undefined }) {
  if (running) {
    return liveState && isActive(liveState) ? (
      <ExecBadge state={liveState} compact testId={`history-state-${run.id}`} />
    ) : (
      <OtherBadge id={run.id} tone="running" label="RUNNING" hint="The run is going on" icon={<PlayIcon size={11} className="exec-badge__icon" />} />
    );
  }
  if (run.state && EXEC_STATES.has(run.state)) {
    return <ExecBadge state={run.state as ExecState} compact testId={`history-state-${run.id}`} reason={run.reason} />;
  }
  if (run.ended_at === null) {
    return (
      <OtherBadge
        id={run.id}
        tone="interrupted"
        label="NO END"
        hint="No end was recorded: the app was probably closed while the run went on"
        icon={<WarningIcon size={11} className="exec-badge__icon" />}
      />
    );
  }
  if (run.state === "interrupted") {
    return (
      <OtherBadge
        id={run.id}
        tone="interrupted"
        label="INTERRUPTED"
        hint="The app was closed or killed while the run went on"
        icon={<WarningIcon size={11} className="exec-badge__icon" />}
      />
    );
  }
  return <OtherBadge id={run.id} tone="other" label={(run.state ?? "ended").toUpperCase()} hint={run.reason ?? "The run ended"} icon={null} />;
}

function OtherBadge({ id, tone, label, hint, icon }: { id: number; tone: string; label: string; hint: string; icon: ReactNode }) {
  return (
    <span className={`exec-badge exec-badge--compact exec-badge--${tone}`} data-testid={`history-state-${id}`} data-state={tone} title={`${label}: ${hint}`}>
      {icon}
      <span className="exec-badge__label">{label}</span>
    </span>
  );
}

interface RunRowProps {
  run: RunRecord;
  selected: boolean;
  running: boolean;
  liveState: ExecState | undefined;
  now: number;
  onChoose: () => void;
}

function RunRow({ run, selected, running, liveState, now, onChoose }: RunRowProps) {
  const start = timeOf(run.started_at);
  const end = timeOf(run.ended_at) ?? (running ? now : null);
  const duration = start !== null && end !== null ? formatDuration((end - start) / 1000) : "—";
  const done = run.tasks_done === null ? null : `${run.tasks_done} ${run.tasks_done === 1 ? "task" : "tasks"} done`;
  return (
    <button
      type="button"
      className={`history-run${running ? " history-run--running" : ""}`}
      aria-current={selected ? "true" : undefined}
      tabIndex={selected ? 0 : -1}
      data-run-id={run.id}
      data-testid={`history-run-${run.id}`}
      onClick={onChoose}
      title={run.reason ?? undefined}
    >
      <span className="history-run__line">
        <RunStateBadge run={run} running={running} liveState={liveState} />
        <span className="history-run__when">{formatTimestamp(run.started_at)}</span>
        <span className="history-run__duration" title={running ? "Running for" : "Duration"}>
          {running ? `running ${duration}` : duration}
        </span>
      </span>
      <span className="history-run__line history-run__meta">
        <span className="history-run__id">#{run.id}</span>
        {done && <span>{done}</span>}
        {run.reason && <span className="history-run__reason">{run.reason}</span>}
      </span>
    </button>
  );
}

interface TimelineProps {
  model: TimelineModel;
  selectedKey: string | null;
  onSelect: (key: string) => void;
}

function stepTone(step: PlacedSpan["span"]["step"]) {
  return { "--tone": `var(${STEP_TONES[step]})` } as CSSProperties;
}

/** A bar's words: what, which attempt, when, how long, how many lines. */
function describeSpan(placed: PlacedSpan, title: string | null): string {
  const { span } = placed;
  const attempt = span.attempt > 0 ? `, attempt ${span.attempt}` : "";
  const length = placed.running ? `running for ${formatDuration((placed.end - placed.start) / 1000)}` : formatDuration((placed.end - placed.start) / 1000);
  const lines = span.log.lines === 1 ? "1 line" : `${formatCount(span.log.lines)} lines`;
  return `Task ${span.task_id}${title ? ` ${title}` : ""}: ${STEP_LABELS[span.step]}${attempt}, from ${formatClock(placed.start)}, ${length}, ${lines}`;
}

/**
 * The lanes on one axis. One Tab stop: arrows move between bars (Left/Right
 * in a lane, Up/Down to the nearest bar of the lane above or below, Home and
 * End), Enter or Space opens a bar's log.
 */
function Timeline({ model, selectedKey, onSelect }: TimelineProps) {
  const [zoom, setZoom] = useState<number>(1);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const canvas = useRef<HTMLDivElement>(null);
  const duration = model.end - model.start;
  const ticks = axisTicks(duration, 4 * zoom);
  const all = model.lanes.flatMap((l) => l.spans);
  const tabKey = [focusKey, selectedKey].find((k) => k !== null && all.some((s) => s.key === k)) ?? all[0]?.key ?? null;
  const zoomAt = ZOOMS.indexOf(zoom as (typeof ZOOMS)[number]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (!["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].includes(event.key)) return;
    const target = event.target as HTMLElement;
    const laneIndex = Number(target.dataset.lane);
    const key = target.dataset.key;
    if (Number.isNaN(laneIndex) || !key) return;
    event.preventDefault();
    const spans = model.lanes.filter((l) => l.spans.length > 0).map((l) => l.spans);
    const here = spans.findIndex((s) => s.some((p) => p.key === key));
    const lane = spans[here] ?? [];
    const at = lane.findIndex((p) => p.key === key);
    const current = lane[at];
    let next: PlacedSpan | undefined;
    if (event.key === "ArrowLeft") next = lane[Math.max(at - 1, 0)];
    else if (event.key === "ArrowRight") next = lane[Math.min(at + 1, lane.length - 1)];
    else if (event.key === "Home") next = lane[0];
    else if (event.key === "End") next = lane[lane.length - 1];
    else {
      const other = spans[here + (event.key === "ArrowDown" ? 1 : -1)];
      if (other && current) {
        next = other.reduce((best, p) => (Math.abs(p.start - current.start) < Math.abs(best.start - current.start) ? p : best));
      }
    }
    if (!next) return;
    setFocusKey(next.key);
    const wanted = next.key;
    Array.from(canvas.current?.querySelectorAll<HTMLElement>("[data-key]") ?? [])
      .find((el) => el.dataset.key === wanted)
      ?.focus();
  }

  return (
    <div className="timeline">
      <div className="timeline__bar-top">
        <ul className="timeline__legend" aria-label="Steps">
          {model.steps.map((step) => (
            <li key={step} className="timeline__legend-item" style={stepTone(step)}>
              <span className="timeline__swatch" aria-hidden="true" />
              {STEP_LABELS[step]}
            </li>
          ))}
          {model.lanes.some((l) => l.decisions.length > 0) && (
            <li className="timeline__legend-item">
              <span className="timeline__swatch timeline__swatch--decision" aria-hidden="true" />
              Decision
            </li>
          )}
        </ul>
        <div className="timeline__zoom" role="group" aria-label="Zoom">
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={() => setZoom(ZOOMS[Math.max(zoomAt - 1, 0)] ?? 1)}
            disabled={zoomAt <= 0}
            aria-label="Zoom out"
            data-testid="timeline-zoom-out"
          >
            −
          </button>
          <span className="timeline__zoom-level" aria-live="polite">
            {zoom}×
          </span>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={() => setZoom(ZOOMS[Math.min(zoomAt + 1, ZOOMS.length - 1)] ?? zoom)}
            disabled={zoomAt >= ZOOMS.length - 1}
            aria-label="Zoom in"
            data-testid="timeline-zoom-in"
          >
            +
          </button>
        </div>
      </div>
      {all.length === 0 && <p className="timeline__none">No step was recorded in this run (it ended before a task started).</p>}
      <div className="timeline__scroll">
        <div ref={canvas} className="timeline__canvas" style={{ width: `${zoom * 100}%` }} onKeyDown={onKeyDown} data-testid="timeline">
          <div className="timeline__axis" aria-hidden="true">
            {ticks.map((t) => (
              <span key={t} className="timeline__tick" style={{ left: `${percentAt(model, model.start + t)}%` }}>
                <span className="timeline__tick-label">{t === 0 ? formatClock(model.start) : `+${formatOffset(t)}`}</span>
              </span>
            ))}
          </div>
          {model.lanes.map((lane, i) => (
            <LaneRow key={lane.taskId || "-"} lane={lane} index={i} model={model} selectedKey={selectedKey} tabKey={tabKey} onSelect={onSelect} onFocusKey={setFocusKey} />
          ))}
        </div>
      </div>
    </div>
  );
}

interface LaneRowProps {
  lane: Lane;
  index: number;
  model: TimelineModel;
  selectedKey: string | null;
  tabKey: string | null;
  onSelect: (key: string) => void;
  onFocusKey: (key: string) => void;
}

function LaneRow({ lane, index, model, selectedKey, tabKey, onSelect, onFocusKey }: LaneRowProps) {
  const name = lane.taskId ? `Task ${lane.taskId}${lane.title ? ` ${lane.title}` : ""}` : "Not about a task of this run";
  return (
    <div className="timeline__lane" role="group" aria-label={name} data-testid={`timeline-lane-${lane.taskId || "project"}`}>
      <div className="timeline__lane-label">
        {lane.taskId ? (
          <>
            <span className="timeline__task-id">{lane.taskId}</span>
            <span className="timeline__task-title">{lane.title ?? "(not in the task list now)"}</span>
          </>
        ) : (
          <span className="timeline__task-title">Project</span>
        )}
        <span className="timeline__lane-meta">
          {lane.attempts > 0 && `${lane.attempts} ${lane.attempts === 1 ? "attempt" : "attempts"}`}
          {lane.agent && `${lane.attempts > 0 ? " · " : ""}${lane.agent}`}
        </span>
      </div>
      <div className="timeline__track">
        {lane.spans.map((placed) => {
          const left = percentAt(model, placed.start);
          const width = percentAt(model, placed.end) - left;
          const moment = placed.span.step === "done" || placed.span.step === "human_review";
          const selected = placed.key === selectedKey;
          return (
            <button
              key={placed.key}
              type="button"
              className={`timeline__span${moment ? " timeline__span--moment" : ""}${placed.running ? " timeline__span--running" : ""}`}
              style={{ ...stepTone(placed.span.step), left: `${left}%`, width: moment ? undefined : `${width}%` }}
              aria-label={describeSpan(placed, lane.title)}
              aria-pressed={selected}
              title={describeSpan(placed, lane.title)}
              tabIndex={placed.key === tabKey ? 0 : -1}
              data-lane={index}
              data-key={placed.key}
              data-testid={placed.testId}
              onClick={() => onSelect(placed.key)}
              onFocus={() => onFocusKey(placed.key)}
            >
              {placed.span.attempt > 0 && !moment && <span className="timeline__attempt">{placed.span.attempt}</span>}
            </button>
          );
        })}
        {lane.decisions.map((note, i) => {
          const at = timeOf(note.at) ?? model.start;
          return (
            <span
              key={`${note.at}-${i}`}
              className={`timeline__mark${at < model.start ? " timeline__mark--before" : ""}`}
              style={{ left: `${percentAt(model, at)}%` }}
              title={`${note.actor}: ${describeNote(note.action)} at ${formatClock(at)}${at < model.start ? " (before the run started)" : ""}`}
              aria-hidden="true"
            />
          );
        })}
      </div>
    </div>
  );
}

interface StepLogProps {
  api: Api;
  projectId: string;
  placed: PlacedSpan;
  title: string | null;
  onOpenArtifacts: (taskId: string) => void;
  onClose: () => void;
}

type LogState = { status: "loading"; lines: LogLine[] | null } | { status: "loaded"; lines: LogLine[] } | { status: "failed"; error: EngineError };

/** The lines one step wrote (the first `STEP_LOG_LIMIT`), read from the store when its bar is chosen. */
function StepLog({ api, projectId, placed, title, onOpenArtifacts, onClose }: StepLogProps) {
  const { span } = placed;
  const [log, setLog] = useState<LogState>({ status: "loading", lines: null });
  const [attempt, setAttempt] = useState(0);
  const firstId = span.log.first_id;
  const count = span.log.lines;
  const taskId = span.task_id;
  const step = span.step;

  useEffect(() => {
    if (firstId === null || count === 0) {
      setLog({ status: "loaded", lines: [] });
      return;
    }
    let stale = false;
    setLog((l) => ({ status: "loading", lines: l.status === "failed" ? null : l.lines }));
    void api.logLines(projectId, taskId, firstId - 1, Math.min(count, STEP_LOG_LIMIT)).then((outcome) => {
      if (stale) return;
      // The span's lines are the task's from its first one on: what the step
      // printed and DevTeam's notes on it (an attempt's failure among them).
      setLog(outcome.ok ? { status: "loaded", lines: outcome.value } : { status: "failed", error: outcome.error });
    });
    return () => {
      stale = true;
    };
  }, [api, projectId, taskId, step, firstId, count, attempt]);

  const headingId = "timeline-log-title";
  const lines = log.status === "failed" ? null : log.lines;
  return (
    <section className="step-log" aria-labelledby={headingId} data-testid="timeline-log">
      <header className="step-log__header">
        <h4 id={headingId} className="step-log__title" style={stepTone(step)}>
          <span className="timeline__swatch" aria-hidden="true" />
          <span className="timeline__task-id">{taskId}</span>
          <span>
            {STEP_LABELS[step]}
            {span.attempt > 0 && ` · attempt ${span.attempt}`}
          </span>
        </h4>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => onOpenArtifacts(taskId)}
          title="Open the task's artifacts folder (prompt, log, diff, reports)"
          data-testid="timeline-artifacts"
        >
          <FolderIcon size={12} />
          Artifacts
        </button>
        <button type="button" className="btn btn--ghost btn--small" onClick={onClose} aria-label="Close the step's log" data-testid="timeline-log-close">
          ✕
        </button>
      </header>
      <p className="step-log__when">
        {title && <span className="step-log__task">{title} · </span>}
        {formatClock(placed.start)} → {placed.running ? "now" : formatClock(placed.end)} ({formatDuration((placed.end - placed.start) / 1000)})
        {" · "}
        {count > STEP_LOG_LIMIT
          ? `the first ${formatCount(STEP_LOG_LIMIT)} of ${formatCount(count)} lines (the artifacts have them all)`
          : count === 1
            ? "1 line"
            : `${formatCount(count)} lines`}
      </p>
      {log.status === "failed" && (
        <Failure what="The step's lines cannot be read" error={log.error} onRetry={() => setAttempt((n) => n + 1)} testId="timeline-log-error" />
      )}
      {log.status === "loading" && !lines && (
        <p className="step-log__empty" role="status">
          Reading the lines…
        </p>
      )}
      {lines && lines.length === 0 && log.status === "loaded" && <p className="step-log__empty">This step wrote no lines.</p>}
      {lines && lines.length > 0 && (
        <ol className="step-log__lines" tabIndex={0} aria-label={`Lines of ${STEP_LABELS[step]}, task ${taskId}`} data-testid="timeline-log-lines">
          {lines.map((line) => (
            <li key={line.id} className={`log-row log-row--${line.stream}`}>
              <span className="log-row__stream" title={line.stream}>
                {line.stream === "stderr" ? "err" : line.stream === "stdout" ? "" : "note"}
              </span>
              <span className="step-log__line">{line.line}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** People's decisions and DevTeam's notes of the run, in words, oldest first. */
function Notes({ model, titles }: { model: TimelineModel; titles: Map<string, string> }) {
  return (
    <section className="history__notes" aria-labelledby="history-notes-title">
      <h4 id="history-notes-title" className="history__heading">
        Decisions and notes
      </h4>
      <ul className="history__notes-list" data-testid="timeline-notes">
        {model.notes.map((note, i) => {
          const at = timeOf(note.at);
          const person = note.actor !== ENGINE_ACTOR;
          const title = titles.get(note.task_id);
          return (
            <li key={`${note.at}-${i}`} className={person ? "history-note history-note--person" : "history-note"} data-testid={`timeline-note-${i}`}>
              <span className="history-note__when">{at === null ? note.at : formatClock(at)}</span>
              <span className="history-note__what">
                <strong className="history-note__who">{person ? note.actor : "DevTeam"}</strong> {describeNote(note.action)}
                {note.task_id && (
                  <>
                    {" "}
                    · task <span className="mono">{note.task_id}</span>
                    {title && ` ${title}`}
                  </>
                )}
                {at !== null && at < model.start && <span className="history-note__before"> (before the run)</span>}
              </span>
              {note.detail && (
                <span className="history-note__detail" title={note.detail}>
                  {note.detail}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

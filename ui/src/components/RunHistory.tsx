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
import type { KeyboardEvent, ReactNode } from "react";

import type { Api } from "../api";
import type { EngineError, ExecState, Execution, ProjectTask, RunRecord, RunTimeline } from "../bindings";
import { formatCount, formatDuration, formatTimestamp } from "../state/format";
import { describeNote, EXEC_LABELS, isActive } from "../state/labels";
import { buildTimeline, ENGINE_ACTOR, formatClock, timeOf } from "../state/timeline";
import type { TimelineModel } from "../state/timeline";
import { ExecBadge } from "./ExecBadge";
import { useNow } from "./ExecutionsGrid";
import { PlayIcon, WarningIcon } from "./icons";
import { Failure } from "./ReadFailure";
import { StepLog } from "./StepLog";
import { Timeline } from "./TimelineChart";
import "./LogView.css";
import "./RunHistory.css";

export { STEP_LOG_LIMIT } from "./StepLog";

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

// The center pane: every started project's execution, live — customer,
// project, current task, step, progress, ETA, elapsed time and the status
// badge — with the global controls above it (pause all, resume all,
// emergency stop all, slots). Rows change only when the engine says so;
// the elapsed time ticks locally from the run's start.

import { memo, useEffect, useState } from "react";

import type { EngineError, Execution, Project } from "../bindings";
import { formatDuration } from "../state/format";
import { isActive, STEP_LABELS } from "../state/labels";
import { ConfirmAction } from "./ConfirmAction";
import { ExecBadge } from "./ExecBadge";
import { EmergencyIcon, PauseIcon, PlayIcon } from "./icons";
import "./ExecutionsGrid.css";

/** The wall clock, re-read every `ms` while `running` (for elapsed times). */
export function useNow(running: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [running, ms]);
  return now;
}

/** Seconds since the run started; frozen at the last state change once the run halted. */
export function elapsedSeconds(execution: Execution, stateSince: number | undefined, now: number): number | null {
  if (!execution.started_at) return null;
  const started = Date.parse(execution.started_at);
  if (Number.isNaN(started)) return null;
  // A halted run listed at start: when it halted is unknown, so no figure rather than a wrong one.
  if (!isActive(execution.state) && stateSince === undefined) return null;
  const until = isActive(execution.state) ? now : (stateSince ?? now);
  return Math.max(0, (until - started) / 1000);
}

/** What a completed run did: all its tasks, or some (the others skipped by a person). */
export function finishedText(e: Execution): string {
  if (e.total > 0 && e.done < e.total) return `Finished: ${e.done} of ${e.total} tasks done, the rest skipped`;
  if (e.total === 1) return "Its one task is done";
  return `All ${e.total > 0 ? `${e.total} ` : ""}tasks done`;
}

interface Row {
  project: Project;
  execution: Execution;
}

const ExecutionRow = memo(function ExecutionRow({
  row,
  selected,
  since,
  now,
  onSelect,
}: {
  row: Row;
  selected: boolean;
  since: number | undefined;
  now: number;
  onSelect: (id: string) => void;
}) {
  const { project, execution: e } = row;
  const id = project.id;
  const elapsed = elapsedSeconds(e, since, now);
  const pct = e.total > 0 ? Math.round((e.done / e.total) * 100) : 0;
  const showEta = isActive(e.state) && e.eta_seconds !== null;
  return (
    <tr
      className={selected ? "exec-row exec-row--selected" : "exec-row"}
      aria-selected={selected}
      data-testid={`exec-row-${id}`}
      onClick={() => onSelect(id)}
    >
      <td className="exec-row__project">
        <button
          type="button"
          className="exec-row__link"
          onClick={() => onSelect(id)}
          title={`${project.settings.customer} / ${project.settings.name}`}
        >
          {project.settings.name}
        </button>
        <span className="exec-row__customer">{project.settings.customer}</span>
      </td>
      <td className="exec-row__task">
        <span className="exec-row__line" data-testid={`exec-task-${id}`}>
          {e.state === "completed" ? (
            <span className="exec-row__muted">{finishedText(e)}</span>
          ) : e.task_id ? (
            <span className="exec-row__task-inner" title={`${e.task_id} ${e.task_title ?? ""}`}>
              <span className="exec-row__task-id">{e.task_id}</span>
              <span className="exec-row__task-title">{e.task_title}</span>
            </span>
          ) : (
            <span className="exec-row__muted" title={e.reason ?? undefined}>
              {e.reason ?? "—"}
            </span>
          )}
        </span>
        <span className="exec-row__sub">
          <span data-testid={`exec-step-${id}`}>
            {e.step ? STEP_LABELS[e.step] : e.state === "completed" || (e.task_id && e.reason) ? "" : "—"}
          </span>
          {e.attempt > 1 && e.step && <span className="exec-row__attempt">attempt {e.attempt}</span>}
          {!e.step && e.task_id && e.reason && (
            <span className="exec-row__reason" title={e.reason}>
              {e.reason}
            </span>
          )}
        </span>
      </td>
      <td>
        <div className="exec-row__progress">
          <div
            className="progress"
            role="progressbar"
            aria-label={`${project.settings.name} progress`}
            aria-valuemin={0}
            aria-valuemax={e.total}
            aria-valuenow={e.done}
            aria-valuetext={`${e.done} of ${e.total} tasks`}
          >
            <div className="progress__bar" style={{ width: `${pct}%` }} />
          </div>
          <span className="exec-row__count" data-testid={`exec-progress-${id}`}>
            {e.total > 0 ? `${e.done}/${e.total}` : "—"}
          </span>
        </div>
      </td>
      <td className="exec-row__num">
        <span className="exec-row__line" data-testid={`exec-elapsed-${id}`} title="Elapsed since the run started">
          {elapsed === null ? "—" : formatDuration(elapsed)}
        </span>
        <span className="exec-row__sub" title="Estimated time left">
          <span data-testid={`exec-eta-${id}`}>{showEta && e.eta_seconds !== null ? `~${formatDuration(e.eta_seconds)}` : "—"}</span>
          {showEta && " left"}
        </span>
      </td>
      <td>
        <ExecBadge state={e.state} testId={`exec-badge-${id}`} reason={e.reason} />
      </td>
    </tr>
  );
});

interface ExecutionsGridProps {
  projects: Project[];
  executions: Record<string, Execution>;
  /** Why the executions could not be listed at start, if they could not. */
  executionsError: EngineError | null;
  stateSince: Record<string, number>;
  selectedId: string | null;
  slots: number | null;
  onSelect: (id: string) => void;
  onPauseAll: () => Promise<boolean>;
  onResumeAll: () => Promise<boolean>;
  onEmergencyStopAll: () => Promise<boolean>;
  onSetSlots: (slots: number) => Promise<boolean>;
  /** Opens the emergency-stop confirmation from outside (the Shift+Esc shortcut). */
  confirmingStop: boolean;
  onConfirmingStop: (open: boolean) => void;
}

const COLUMNS: [string, string][] = [
  ["Project / customer", "col-project"],
  ["Current task / step", "col-task"],
  ["Progress", "col-progress"],
  ["Elapsed / ETA", "col-time"],
  ["Status", "col-status"],
];

export function ExecutionsGrid(props: ExecutionsGridProps) {
  const { projects, executions, stateSince, selectedId, onSelect } = props;
  const rows: Row[] = [];
  for (const project of projects) {
    const execution = executions[project.id];
    if (execution) rows.push({ project, execution });
  }
  const running = rows.filter((r) => isActive(r.execution.state)).length;
  const halted = rows.filter((r) => r.execution.state === "paused" || r.execution.state === "stopped").length;
  const now = useNow(running > 0);
  const idle = projects.length - rows.length;

  return (
    <section className="pane pane--center" aria-labelledby="executions-title" data-testid="executions">
      <header className="pane__header executions__header">
        <h2 id="executions-title" className="pane__title">
          Executions
        </h2>
        <span className="badge" data-testid="running-count">
          {running} running
        </span>
        <div className="executions__toolbar" role="toolbar" aria-label="All projects">
          <button
            type="button"
            className="btn btn--small"
            onClick={() => void props.onPauseAll()}
            disabled={running === 0}
            data-testid="pause-all"
            title="Pause every running project at its next step boundary"
          >
            <PauseIcon size={12} />
            Pause all
          </button>
          <button
            type="button"
            className="btn btn--small"
            onClick={() => void props.onResumeAll()}
            disabled={halted === 0}
            data-testid="resume-all"
            title="Queue every paused or stopped project again"
          >
            <PlayIcon size={12} />
            Resume all
          </button>
          <button
            type="button"
            className="btn btn--small btn--danger-outline"
            onClick={() => props.onConfirmingStop(true)}
            disabled={running === 0}
            data-testid="emergency-stop-all"
            data-shortcut="shift+escape"
            title="Kill every running command now; state is kept (Shift+Esc)"
          >
            <EmergencyIcon size={12} />
            Emergency stop all
          </button>
          <SlotsField slots={props.slots} onSetSlots={props.onSetSlots} />
        </div>
      </header>
      <div className="executions">
        {props.executionsError && (
          <p className="pane__notice pane__notice--error" role="alert" data-testid="executions-error">
            Runs could not be listed: {props.executionsError.message}
          </p>
        )}
        <table className="executions__grid" data-testid="executions-grid">
          <colgroup>
            {COLUMNS.map(([name, cls]) => (
              <col key={name} className={cls} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {COLUMNS.map(([name]) => (
                <th key={name} scope="col">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <ExecutionRow
                key={row.project.id}
                row={row}
                selected={row.project.id === selectedId}
                since={stateSince[row.project.id]}
                now={now}
                onSelect={onSelect}
              />
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={COLUMNS.length}>
                  <div className="executions__empty" data-testid="no-runs">
                    <PlayIcon size={20} className="executions__empty-icon" />
                    <p className="executions__empty-title">No runs yet</p>
                    <p className="executions__empty-text">
                      {projects.length === 1
                        ? "Your project is registered: press "
                        : `${projects.length} projects are registered: select one and press `}
                      <strong>Start</strong> (<kbd>S</kbd>) on the right. Each run shows here live — its task, step,
                      progress, time left and status.
                    </p>
                  </div>
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {rows.length > 0 && idle > 0 && (
          <p className="executions__idle">
            {idle} {idle === 1 ? "project has" : "projects have"} not run yet.
          </p>
        )}
      </div>
      {props.confirmingStop && (
        <ConfirmAction
          title="Emergency stop every project?"
          confirmLabel="Stop all now"
          busyLabel="Stopping…"
          onConfirm={props.onEmergencyStopAll}
          onClose={() => props.onConfirmingStop(false)}
          testId="confirm-stop-all"
        >
          Every running command is killed at once ({running} {running === 1 ? "project" : "projects"}). Nothing saved is
          lost: each project resumes from its last saved step when started again.
        </ConfirmAction>
      )}
    </section>
  );
}

function SlotsField({ slots, onSetSlots }: { slots: number | null; onSetSlots: (slots: number) => Promise<boolean> }) {
  const [text, setText] = useState(slots === null ? "" : String(slots));
  useEffect(() => setText(slots === null ? "" : String(slots)), [slots]);
  const commit = () => {
    const n = Number(text);
    if (text.trim() === "" || !Number.isInteger(n) || n === slots) return;
    void onSetSlots(n);
  };
  return (
    <label className="executions__slots" title="Projects that run at once (1–50); more slots admit queued projects at once">
      <span>Slots</span>
      <input
        className="input"
        type="number"
        min={1}
        max={50}
        placeholder="auto"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
        }}
        data-testid="slots"
      />
    </label>
  );
}

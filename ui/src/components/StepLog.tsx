// The lines one step of a past run wrote, read from the store when its bar
// is chosen, with the task's artifacts a click away.

import { useEffect, useState } from "react";

import type { Api } from "../api";
import type { EngineError, LogLine } from "../bindings";
import { formatCount, formatDuration } from "../state/format";
import { STEP_LABELS } from "../state/labels";
import { formatClock } from "../state/timeline";
import type { PlacedSpan } from "../state/timeline";
import { FolderIcon } from "./icons";
import { Failure } from "./ReadFailure";
import { stepTone } from "./TimelineChart";

/** At most this many lines of one step are read and shown. */
export const STEP_LOG_LIMIT = 2000;

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
export function StepLog({ api, projectId, placed, title, onOpenArtifacts, onClose }: StepLogProps) {
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

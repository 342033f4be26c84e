// The selected project's controls: Start with a stop point ("stop after task
// X", "before task X" or "after phase X" from the tree, or "after N tasks"),
// Pause, Resume, Stop and Emergency stop; and the HUMAN_REVIEW panel when a
// task waits for a person (or was taken over by one).
// Each button that has a keyboard shortcut carries it in `data-shortcut`,
// so the shortcut does exactly what the button does, only when it may.

import { useState } from "react";

import type { Execution, Priority, ProjectTask, ReviewAction, StartOptions } from "../bindings";
import { canResume, isActive, isTaken, REVIEW_HINTS, REVIEW_LABELS, TAKEN_HINTS, TAKEN_LABELS } from "../state/labels";
import { ConfirmAction } from "./ConfirmAction";
import { EmergencyIcon, HandIcon, PauseIcon, PlayIcon, StopIcon } from "./icons";
import "./RunControls.css";

interface RunControlsProps {
  execution: Execution | undefined;
  tasks: ProjectTask[] | null;
  onStart: (options: StartOptions) => Promise<boolean>;
  onPause: () => Promise<boolean>;
  onResume: () => Promise<boolean>;
  onStop: (emergency: boolean) => Promise<boolean>;
}

/** Which of `StartOptions`' task stop points the chosen task is. */
export type StopKind = "until" | "before" | "after_phase";

const STOP_KINDS: { kind: StopKind; label: string; hint: string }[] = [
  { kind: "until", label: "Stop after task", hint: "A stop point: the run pauses once this task is done" },
  { kind: "before", label: "Stop before task", hint: "A stop point: the run pauses right before this task would start" },
  { kind: "after_phase", label: "Stop after phase", hint: "A stop point: the run pauses once this phase and all its subtasks are done" },
];

/** The tasks a stop point of this kind can name: a phase needs subtasks. */
function stopChoices(tasks: ProjectTask[] | null, kind: StopKind): ProjectTask[] {
  const all = tasks ?? [];
  return kind === "after_phase" ? all.filter((t) => !t.node.leaf) : all;
}

/** `max_tasks` from what was typed: a whole number from 1, else none. */
function parseCount(text: string): number | null {
  const n = Number(text.trim());
  return text.trim() !== "" && Number.isInteger(n) && n >= 1 ? n : null;
}

export function RunControls({ execution, tasks, onStart, onPause, onResume, onStop }: RunControlsProps) {
  const [stopKind, setStopKind] = useState<StopKind>("until");
  const [stopTask, setStopTask] = useState("");
  const [count, setCount] = useState("");
  const [priority, setPriority] = useState<Priority | "">("");
  const [busy, setBusy] = useState(false);
  const [confirmEmergency, setConfirmEmergency] = useState(false);

  const state = execution?.state;
  const active = isActive(state);
  const countValue = parseCount(count);
  const countInvalid = count.trim() !== "" && countValue === null;
  const canStart = !active && state !== "blocked" && !countInvalid;

  async function act(call: () => Promise<boolean>) {
    setBusy(true);
    try {
      await call();
    } finally {
      setBusy(false);
    }
  }

  const choices = stopChoices(tasks, stopKind);
  const stopHint = STOP_KINDS.find((k) => k.kind === stopKind)?.hint;

  function chooseKind(kind: StopKind) {
    setStopKind(kind);
    // A task is not a phase: the choice is dropped rather than sent to be refused.
    if (stopTask && !stopChoices(tasks, kind).some((t) => t.node.id === stopTask)) setStopTask("");
  }

  const start = () => {
    const at = (kind: StopKind) => (stopKind === kind && stopTask ? stopTask : null);
    return act(() =>
      onStart({
        until: at("until"),
        before: at("before"),
        after_phase: at("after_phase"),
        max_tasks: countValue,
        priority: priority || null,
      }),
    );
  };

  return (
    <section className="run-controls" aria-label="Run controls" data-testid="run-controls">
      <div className="run-controls__stops">
        <div className="run-controls__field run-controls__field--until">
          <select
            className="select run-controls__kind"
            value={stopKind}
            onChange={(e) => chooseKind(e.target.value as StopKind)}
            disabled={active}
            aria-label="Kind of stop point"
            data-testid="stop-kind"
            title="Where the run stops: after a task, right before a task starts, or once a whole phase is done"
          >
            {STOP_KINDS.map(({ kind, label }) => (
              <option key={kind} value={kind}>
                {label}
              </option>
            ))}
          </select>
          <select
            className="select"
            value={stopTask}
            onChange={(e) => setStopTask(e.target.value)}
            disabled={active}
            aria-label={stopKind === "after_phase" ? "Stop point phase" : "Stop point task"}
            data-testid="stop-task"
            title={stopHint}
          >
            <option value="">— no stop point: run to the end —</option>
            {choices.map((t) => (
              <option key={t.node.id} value={t.node.id}>
                {"\u00a0\u00a0".repeat(t.node.depth)}
                {t.node.id} {t.node.title}
                {t.state === "done" ? " (done)" : ""}
              </option>
            ))}
          </select>
        </div>
        <label className="run-controls__field run-controls__field--count">
          <span className="run-controls__label">or after</span>
          <input
            className="input"
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            placeholder="N"
            value={count}
            onChange={(e) => setCount(e.target.value)}
            disabled={active}
            aria-invalid={countInvalid || undefined}
            aria-label="Stop after this many tasks"
            data-testid="max-tasks"
            title="Stop after this many tasks in this run"
          />
          <span className="run-controls__label">tasks</span>
        </label>
        <label className="run-controls__field run-controls__field--priority">
          <span className="visually-hidden">Queue priority</span>
          <select
            className="select"
            value={priority}
            onChange={(e) => setPriority(e.target.value as Priority | "")}
            disabled={active}
            data-testid="run-priority"
            title="Which project gets a free slot first (the project's own priority when not chosen)"
          >
            <option value="">Priority: project&apos;s</option>
            <option value="high">Priority: high</option>
            <option value="normal">Priority: normal</option>
            <option value="low">Priority: low</option>
          </select>
        </label>
      </div>
      <div className="run-controls__buttons">
        <button
          type="button"
          className="btn btn--primary"
          onClick={() => void start()}
          disabled={!canStart || busy}
          data-testid="start-run"
          data-shortcut="s"
          title={
            state === "blocked"
              ? "A task waits for your decision below"
              : active
                ? "The project is running"
                : "Start the run with the stop point above (S)"
          }
        >
          <PlayIcon size={12} />
          Start
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void act(onPause)}
          disabled={!active || busy}
          data-testid="pause-run"
          data-shortcut="p"
          title="Pause at the next step boundary (P)"
        >
          <PauseIcon size={12} />
          Pause
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void act(onResume)}
          disabled={!canResume(state) || state === "blocked" || busy}
          data-testid="resume-run"
          data-shortcut="r"
          title="Go on from where it halted, with the same stop points (R)"
        >
          <PlayIcon size={12} />
          Resume
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void act(() => onStop(false))}
          disabled={!active || busy}
          data-testid="stop-run"
          title="Stop after the current step; Start resumes from the last saved step"
        >
          <StopIcon size={12} />
          Stop
        </button>
        <button
          type="button"
          className="btn btn--danger-outline"
          onClick={() => setConfirmEmergency(true)}
          disabled={!active || busy}
          data-testid="emergency-stop"
          title="Emergency stop: kill the running command now (what is saved is kept)"
          aria-label="Emergency stop"
        >
          <EmergencyIcon size={12} />
          Stop now
        </button>
      </div>
      {confirmEmergency && (
        <ConfirmAction
          title="Emergency stop this project?"
          confirmLabel="Stop now"
          busyLabel="Stopping…"
          onConfirm={() => onStop(true)}
          onClose={() => setConfirmEmergency(false)}
          testId="confirm-emergency"
        >
          The running command is killed at once. What is saved is kept: starting the project again resumes from its last
          saved step.
        </ConfirmAction>
      )}
    </section>
  );
}

interface ReviewPanelProps {
  execution: Execution;
  task: ProjectTask | undefined;
  /** Set when a risky task waits for approval before IMPLEMENT. */
  approval: { task_id: string; reason: string } | undefined;
  onDecide: (action: ReviewAction) => Promise<boolean>;
}

/**
 * HUMAN_REVIEW: why the task waits, and the four decisions a person can take
 * (retry, skip, mark done, abort) — or, for a risky task that waits to be
 * allowed to run, approve or reject.
 */
export function ReviewPanel({ execution, task, approval, onDecide }: ReviewPanelProps) {
  const [busy, setBusy] = useState(false);
  const [confirmAbort, setConfirmAbort] = useState(false);
  // A task a person took over: the execution may still name the task the run was on, the tree knows which.
  const taken = !approval && isTaken(execution.reason);
  const taskId = approval?.task_id ?? (taken ? (task?.node.id ?? null) : (execution.task_id ?? task?.node.id ?? null));
  const title = taken ? (task?.node.title ?? null) : (execution.task_title ?? task?.node.title ?? null);
  const label = (action: ReviewAction) => (taken ? TAKEN_LABELS[action] : undefined) ?? REVIEW_LABELS[action];
  const hint = (action: ReviewAction) => (taken ? TAKEN_HINTS[action] : undefined) ?? REVIEW_HINTS[action];

  async function decide(action: ReviewAction) {
    setBusy(true);
    try {
      await onDecide(action);
    } finally {
      setBusy(false);
    }
  }

  if (approval) {
    return (
      <section className="review-panel" role="region" aria-labelledby="review-title" data-testid="review-panel">
        <h3 id="review-title" className="review-panel__title">
          <HandIcon size={14} />
          APPROVAL NEEDED — task {approval.task_id}
        </h3>
        {title && <p className="review-panel__task">{title}</p>}
        <p className="review-panel__reason" data-testid="review-reason">
          {approval.reason}
        </p>
        <div className="review-panel__buttons">
          {(["approve", "reject"] as const).map((action) => (
            <button
              key={action}
              type="button"
              className={action === "approve" ? "btn btn--small btn--primary" : "btn btn--small btn--danger-outline"}
              onClick={() => void decide(action)}
              disabled={busy}
              data-testid={`review-${action}`}
              title={REVIEW_HINTS[action]}
            >
              {REVIEW_LABELS[action]}
            </button>
          ))}
        </div>
      </section>
    );
  }

  // Taken over: the person's own "done" comes first.
  const actions: ReviewAction[] = taken ? ["done", "retry", "skip"] : ["retry", "skip", "done"];
  const primary: ReviewAction = taken ? "done" : "retry";
  return (
    <section className="review-panel" role="region" aria-labelledby="review-title" data-testid="review-panel">
      <h3 id="review-title" className="review-panel__title">
        <HandIcon size={14} />
        {taken ? "TAKEN OVER" : "HUMAN_REVIEW"}
        {taskId ? ` — task ${taskId}` : ""}
      </h3>
      {title && <p className="review-panel__task">{title}</p>}
      <p className="review-panel__reason" data-testid="review-reason">
        {execution.reason ?? task?.reason ?? "The task needs a person's decision."}
      </p>
      <div className="review-panel__buttons">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className={action === primary ? "btn btn--small btn--primary" : "btn btn--small"}
            onClick={() => void decide(action)}
            disabled={busy}
            data-testid={`review-${action}`}
            title={hint(action)}
          >
            {label(action)}
          </button>
        ))}
        <button
          type="button"
          className="btn btn--small btn--danger-outline"
          onClick={() => setConfirmAbort(true)}
          disabled={busy}
          data-testid="review-abort"
          title={REVIEW_HINTS.abort}
        >
          {REVIEW_LABELS.abort}
        </button>
      </div>
      {confirmAbort && (
        <ConfirmAction
          title={`Abort task ${taskId ?? ""}?`}
          confirmLabel="Abort the task"
          busyLabel="Aborting…"
          onConfirm={() => decide("abort")}
          onClose={() => setConfirmAbort(false)}
          testId="confirm-abort"
        >
          This try is given up and the project stops; the task starts from scratch on the next run.
        </ConfirmAction>
      )}
    </section>
  );
}

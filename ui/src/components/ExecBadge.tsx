// The status badge of an execution, and the state mark of a task. Each state
// has its own colour, its own icon shape and its own word, so the badge reads
// the same in greyscale, to a screen reader and at a glance.

import type { ExecState, TaskState } from "../bindings";
import { EXEC_HINTS, EXEC_LABELS, TASK_STATE_LABELS } from "../state/labels";
import {
  BoltIcon,
  ClockIcon,
  GearIcon,
  HandIcon,
  HourglassIcon,
  LoopIcon,
  MissingIcon,
  OkIcon,
  PauseIcon,
  PendingIcon,
  PlayIcon,
  SkipIcon,
  StopIcon,
  WrenchIcon,
} from "./icons";
import "./ExecBadge.css";

export function ExecStateIcon({ state, size = 12 }: { state: ExecState; size?: number }) {
  const props = { size, className: "exec-badge__icon" };
  switch (state) {
    case "queued":
      return <ClockIcon {...props} />;
    case "initializing":
      return <GearIcon {...props} />;
    case "autonomous":
      return <LoopIcon {...props} />;
    case "task_executing":
      return <BoltIcon {...props} />;
    case "error_solving":
      return <WrenchIcon {...props} />;
    case "blocked":
      return <HandIcon {...props} />;
    case "paused":
      return <PauseIcon {...props} />;
    case "stopped":
      return <StopIcon {...props} />;
    case "waiting":
      return <HourglassIcon {...props} />;
    case "completed":
      return <OkIcon {...props} />;
    case "failed":
      return <MissingIcon {...props} />;
  }
}

interface ExecBadgeProps {
  state: ExecState;
  /** Smaller, for the project list. */
  compact?: boolean;
  testId?: string;
  /** Added to the tooltip (e.g. why it is blocked). */
  reason?: string | null;
}

export function ExecBadge({ state, compact, testId, reason }: ExecBadgeProps) {
  const label = EXEC_LABELS[state];
  return (
    <span
      className={`exec-badge exec-badge--${state}${compact ? " exec-badge--compact" : ""}`}
      data-testid={testId}
      data-state={state}
      title={`${label}: ${EXEC_HINTS[state]}${reason ? `\n${reason}` : ""}`}
    >
      <ExecStateIcon state={state} size={compact ? 11 : 12} />
      <span className="exec-badge__label">{label}</span>
    </span>
  );
}

export function TaskStateIcon({ state, size = 13 }: { state: TaskState; size?: number }) {
  const props = { size, className: "task-state__icon" };
  switch (state) {
    case "done":
      return <OkIcon {...props} />;
    case "running":
      return <PlayIcon {...props} />;
    case "retrying":
      return <WrenchIcon {...props} />;
    case "human_review":
      return <HandIcon {...props} />;
    case "skipped":
      return <SkipIcon {...props} />;
    case "pending":
      return <PendingIcon {...props} />;
  }
}

/** A task's state in the tree: icon and word, the word hidden visually when `iconOnly`. */
export function TaskStateMark({ state, iconOnly }: { state: TaskState; iconOnly?: boolean }) {
  const label = TASK_STATE_LABELS[state];
  return (
    <span className={`task-state task-state--${state}`} data-state={state} title={label}>
      <TaskStateIcon state={state} />
      <span className={iconOnly ? "visually-hidden" : "task-state__label"}>{label}</span>
    </span>
  );
}

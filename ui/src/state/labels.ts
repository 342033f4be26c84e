// Words for the engine's states, as the badges, the tree and the log show
// them. Every state has its own text, so nothing relies on colour alone.

import type { ExecState, ReviewAction, Step, TaskState } from "../bindings";

/** Every execution state, in the order a legend lists them. */
export const EXEC_STATES: readonly ExecState[] = [
  "queued",
  "initializing",
  "autonomous",
  "task_executing",
  "error_solving",
  "blocked",
  "paused",
  "stopped",
  "waiting",
  "completed",
  "failed",
];

/** The badge text our first users asked for (AUTONOMOUS, TASK-EXECUTING, …). */
export const EXEC_LABELS: Record<ExecState, string> = {
  queued: "QUEUED",
  initializing: "INITIALIZING",
  autonomous: "AUTONOMOUS",
  task_executing: "TASK-EXECUTING",
  error_solving: "ERROR-SOLVING",
  blocked: "BLOCKED",
  paused: "PAUSED",
  stopped: "STOPPED",
  waiting: "WAITING",
  completed: "COMPLETED",
  failed: "FAILED",
};

/** What each state means, for the badge's tooltip. */
export const EXEC_HINTS: Record<ExecState, string> = {
  queued: "Waiting for a free slot or for the host to have room",
  initializing: "Cloning, building the image, starting the container",
  autonomous: "Running, between tasks",
  task_executing: "A task is being implemented, verified, merged or pushed",
  error_solving: "An attempt failed; the agent is fixing it",
  blocked: "A task waits for a person (HUMAN_REVIEW)",
  paused: "Paused by a person or at a stop point; Resume goes on",
  stopped: "Stopped by a person; Start again resumes from the last saved step",
  waiting: "Nothing is ready: tasks wait on skipped ones",
  completed: "Every task is done",
  failed: "The run could not go on; see the reason",
};

/** Whether the project holds a slot or waits for one (pause and stop apply). */
export function isActive(state: ExecState | undefined): boolean {
  return (
    state === "queued" ||
    state === "initializing" ||
    state === "autonomous" ||
    state === "task_executing" ||
    state === "error_solving"
  );
}

/** Whether Resume applies (a halted run that can go on). */
export function canResume(state: ExecState | undefined): boolean {
  return state === "paused" || state === "stopped" || state === "blocked" || state === "waiting";
}

export const STEP_LABELS: Record<Step, string> = {
  select: "Select",
  prep: "Prep",
  implement: "Implement",
  verify: "Verify",
  error_solve: "Error-solve",
  merge: "Merge",
  push: "Push",
  done: "Done",
  human_review: "Human review",
};

export const STEPS: readonly Step[] = ["select", "prep", "implement", "verify", "error_solve", "merge", "push", "done", "human_review"];

export const TASK_STATE_LABELS: Record<TaskState, string> = {
  pending: "Pending",
  running: "Running",
  retrying: "Retrying",
  human_review: "Human review",
  skipped: "Skipped",
  done: "Done",
};

export const REVIEW_LABELS: Record<ReviewAction, string> = {
  retry: "Retry",
  skip: "Skip",
  done: "Mark done",
  abort: "Abort",
  approve: "Approve",
  reject: "Reject",
};

export const REVIEW_HINTS: Record<ReviewAction, string> = {
  retry: "Run the task again with a fresh set of attempts (its branch is kept)",
  skip: "Leave the task undone; tasks that depend on it wait, others go on",
  done: "You did it yourself: count it as done and go on",
  abort: "Give up this try: the task starts from scratch on the next run",
  approve: "Let this risky task run",
  reject: "Do not run this risky task: it is skipped (tasks that depend on it wait)",
};

/** How the engine starts the reason of a task a person took over ("taken by alice: …"). */
export const TAKEN_BY = "taken by";

/** Whether a blocked project waits on a task a person took over. */
export function isTaken(reason: string | null | undefined): boolean {
  return reason?.startsWith(TAKEN_BY) ?? false;
}

/** The review decisions as they read for a task a person took over themselves. */
export const TAKEN_LABELS: Partial<Record<ReviewAction, string>> = {
  done: "Mark done (I did it)",
  retry: "Hand back to the agent",
};

export const TAKEN_HINTS: Partial<Record<ReviewAction, string>> = {
  done: "You did the task: count it as done and let the run go on",
  retry: "Let the agent do the task after all, with a fresh set of attempts (its branch is kept)",
};

/**
 * Each step's colour (a `--st-*` token), the same hue as the execution state
 * it shows as: implement like TASK-EXECUTING, error-solve like
 * ERROR-SOLVING, human review like BLOCKED, done like COMPLETED.
 */
export const STEP_TONES: Record<Step, string> = {
  select: "--st-queued",
  prep: "--st-initializing",
  implement: "--st-executing",
  verify: "--st-waiting",
  error_solve: "--st-error",
  merge: "--st-paused",
  push: "--st-autonomous",
  done: "--st-completed",
  human_review: "--st-blocked",
};

/** An audit note's action in words: a person's decision, or what DevTeam noted. */
export function describeNote(action: string): string {
  const review = /^review:(.+)$/.exec(action)?.[1];
  if (review && review in REVIEW_LABELS) return REVIEW_LABELS[review as ReviewAction];
  switch (action) {
    case "inject":
      return "Injected a task";
    case "approve-injection":
      return "Approved an injection";
    case "reject-injection":
      return "Rejected an injection";
    case "route":
      return "Agent chosen";
    default:
      return review ?? action;
  }
}

// When each project's repository and runner status is read. The command is
// cheap (disk and Docker, no network) but one call per project, so reads are
// asked for by what makes a status stale — a fetch, a run's start or end, a
// person's request — and a burst of such events gives one read. Nothing is
// polled, except a running project's status every `STATUS_POLL_MS`, so its
// "fetched N min ago" and container count stay honest. Only the newest
// read's answer counts: an older one may predate the change.

import type { Api } from "../api";
import type { EngineEvent, ExecState } from "../bindings";
import { isActive } from "./labels";
import type { Action } from "./reducer";

/** How long the events of one burst are gathered before the read. */
export const STATUS_COALESCE_MS = 250;
/** At most one read per project in this time (a person's refresh excepted). */
export const STATUS_MIN_GAP_MS = 1000;
/** A running project's status is read again after this long without a read. */
export const STATUS_POLL_MS = 10_000;

type Timer = ReturnType<typeof setTimeout>;

interface Slot {
  /** The newest read asked for: only its answer counts. */
  ticket: number;
  /** When the newest read was asked for (ms since the epoch); 0: never. */
  lastAt: number;
  /** A read waiting for its burst to end. */
  timer: Timer | null;
  /** The next read while the project runs. */
  poll: Timer | null;
}

/** Whether an execution's move from `before` to `after` makes the runner's status stale: it started or ended. */
export function staleAfter(before: ExecState | undefined, after: ExecState): boolean {
  if (before === after) return false;
  // Between running states (queued → initializing → task_executing …) the steps' events say enough.
  return !isActive(after) || !isActive(before);
}

/**
 * The project whose status an event makes stale, if any. `before`: the
 * project's execution state before the event (for `execution_changed`).
 */
export function staleProject(event: EngineEvent, before: ExecState | undefined): string | null {
  switch (event.type) {
    case "run_finished":
      return event.project_id;
    case "project_added":
    case "project_updated":
      // A new project, or a changed base branch or image.
      return event.project.id;
    case "step_started":
      // A task's select and prep come right after a fetch of the clone.
      return event.step === "prep" || event.step === "select" ? event.project_id : null;
    case "execution_changed":
      return staleAfter(before, event.execution.state) ? event.execution.project_id : null;
    default:
      return null;
  }
}

export class StatusReader {
  private slots = new Map<string, Slot>();
  private running = new Set<string>();
  private stopped = false;
  /** Tickets are never reused, even for a project removed and added again. */
  private tickets = 0;

  constructor(
    private readonly api: Api,
    private readonly dispatch: (action: Action) => void,
    private readonly now: () => number = Date.now,
  ) {}

  private slot(projectId: string): Slot {
    let slot = this.slots.get(projectId);
    if (!slot) {
      slot = { ticket: 0, lastAt: 0, timer: null, poll: null };
      this.slots.set(projectId, slot);
    }
    return slot;
  }

  /** Reads at once: the list was loaded, or a person asked. */
  readNow(projectId: string) {
    if (this.stopped) return;
    const slot = this.slot(projectId);
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const ticket = ++this.tickets;
    slot.ticket = ticket;
    slot.lastAt = this.now();
    this.schedulePoll(projectId);
    this.dispatch({ type: "status_reading", projectId });
    void this.api.projectStatus(projectId).then((outcome) => {
      if (this.stopped || this.slots.get(projectId)?.ticket !== ticket) return;
      const at = this.now();
      this.dispatch(
        outcome.ok
          ? { type: "status_read", status: outcome.value, at }
          : { type: "status_read_failed", projectId, error: outcome.error, at },
      );
    });
  }

  /**
   * Something made the status stale: read once the burst is over, and at
   * most once per `STATUS_MIN_GAP_MS`. A read on its way may predate the
   * change, so it does not stand in for this one.
   */
  stale(projectId: string) {
    if (this.stopped) return;
    const slot = this.slot(projectId);
    if (slot.timer) return;
    const wait = Math.max(STATUS_COALESCE_MS, slot.lastAt + STATUS_MIN_GAP_MS - this.now());
    slot.timer = setTimeout(() => {
      slot.timer = null;
      this.readNow(projectId);
    }, wait);
  }

  /** The projects running now: each is read again `STATUS_POLL_MS` after its last read, while it runs. */
  setRunning(projectIds: Iterable<string>) {
    this.running = new Set(projectIds);
    for (const [id, slot] of this.slots) {
      if (slot.poll && !this.running.has(id)) {
        clearTimeout(slot.poll);
        slot.poll = null;
      }
    }
    for (const id of this.running) {
      if (!this.slots.get(id)?.poll) this.schedulePoll(id);
    }
  }

  private schedulePoll(projectId: string) {
    const slot = this.slot(projectId);
    if (slot.poll) clearTimeout(slot.poll);
    slot.poll = null;
    if (this.stopped || !this.running.has(projectId)) return;
    const wait = Math.max(0, slot.lastAt + STATUS_POLL_MS - this.now());
    slot.poll = setTimeout(() => {
      slot.poll = null;
      // A read of the burst already waits: it will schedule the next poll.
      if (this.running.has(projectId) && !slot.timer) this.readNow(projectId);
    }, wait);
  }

  /** The project is gone: its timers stop and a late answer is dropped. */
  forget(projectId: string) {
    const slot = this.slots.get(projectId);
    if (!slot) return;
    if (slot.timer) clearTimeout(slot.timer);
    if (slot.poll) clearTimeout(slot.poll);
    this.slots.delete(projectId);
    this.running.delete(projectId);
  }

  /** Nothing more is read or dispatched (the window's UI went away, or the start is tried again). */
  stop() {
    this.stopped = true;
    for (const id of [...this.slots.keys()]) this.forget(id);
  }
}

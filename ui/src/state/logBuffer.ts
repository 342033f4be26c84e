// A project's log as the dashboard keeps it: the last `cap` lines, appended
// by the thousand without copying the whole log. Lines live in fixed-size
// chunks; an append copies only the last chunk, and the oldest lines leave
// by whole chunks (or by moving `start` within the first one), so a buffer
// value is never mutated and React sees a new object after each change.

import type { Step } from "../bindings";

/** One line of a project's output, as the log view shows it. */
export interface LogEntry {
  /** Position in everything ever appended to this buffer: a stable row key. */
  seq: number;
  task_id: string;
  step: Step;
  stream: string;
  line: string;
  /** The stored line's id when it came from history (live lines have none). */
  stored_id: number | null;
}

export type NewLogEntry = Omit<LogEntry, "seq">;

export const CHUNK = 1024;
/** Lines kept per project; older ones are dropped first. */
export const DEFAULT_LOG_CAP = 100_000;

export interface LogBuffer {
  /** Same for a buffer and everything appended to it; new when a buffer is rebuilt (history merged). */
  readonly lineage: number;
  /** Every chunk but the last holds exactly CHUNK entries. */
  readonly chunks: readonly (readonly LogEntry[])[];
  /** Entries of the first chunk already dropped. */
  readonly start: number;
  readonly length: number;
  /** Lines ever appended (the next `seq`). */
  readonly appended: number;
  readonly cap: number;
}

let lineages = 0;

export function emptyLog(cap: number = DEFAULT_LOG_CAP): LogBuffer {
  lineages += 1;
  return { lineage: lineages, chunks: [], start: 0, length: 0, appended: 0, cap: Math.max(1, cap) };
}

/** The `seq` of the oldest kept line (seqs of kept lines are consecutive). */
export function firstSeq(buffer: LogBuffer): number {
  return buffer.appended - buffer.length;
}

/** The `i`-th kept line (0 = oldest kept), or undefined outside the buffer. */
export function logAt(buffer: LogBuffer, i: number): LogEntry | undefined {
  if (i < 0 || i >= buffer.length) return undefined;
  const at = buffer.start + i;
  return buffer.chunks[Math.floor(at / CHUNK)]?.[at % CHUNK];
}

export function appendLog(buffer: LogBuffer, lines: readonly NewLogEntry[]): LogBuffer {
  if (lines.length === 0) return buffer;
  const chunks = buffer.chunks.slice();
  let last = chunks.length > 0 && (chunks[chunks.length - 1]?.length ?? CHUNK) < CHUNK ? (chunks.pop() ?? []).slice() : [];
  let seq = buffer.appended;
  for (const line of lines) {
    if (last.length === CHUNK) {
      chunks.push(last);
      last = [];
    }
    last.push({ ...line, seq });
    seq += 1;
  }
  chunks.push(last);
  let start = buffer.start;
  let length = buffer.length + lines.length;
  // Drop the oldest lines beyond the cap: whole chunks first, then within one.
  let excess = length - buffer.cap;
  while (excess > 0) {
    const first = chunks[0];
    if (!first) break;
    const left = first.length - start;
    if (excess >= left && chunks.length > 1) {
      chunks.shift();
      start = 0;
      excess -= left;
      length -= left;
    } else {
      const drop = Math.min(excess, left);
      start += drop;
      length -= drop;
      excess -= drop;
    }
  }
  return { lineage: buffer.lineage, chunks, start, length, appended: seq, cap: buffer.cap };
}

/** The kept lines, oldest first (for tests and small logs). */
export function logToArray(buffer: LogBuffer): LogEntry[] {
  const out: LogEntry[] = [];
  for (let i = 0; i < buffer.length; i++) {
    const entry = logAt(buffer, i);
    if (entry) out.push(entry);
  }
  return out;
}

const sameLine = (a: NewLogEntry, b: NewLogEntry) =>
  a.line === b.line && a.task_id === b.task_id && a.step === b.step && a.stream === b.stream;

/**
 * The history (stored lines, oldest first, from the log's start) followed by
 * the live lines not already in it. Live lines carry no stored id, so the
 * overlap is found by content: the longest run at the start of `live` that
 * equals the end of `history`.
 */
export function mergeHistory(history: readonly NewLogEntry[], live: LogBuffer): LogBuffer {
  const liveLines = logToArray(live);
  const skip = overlap(history, liveLines);
  const fresh = emptyLog(live.cap);
  return appendLog(appendLog(fresh, history), liveLines.slice(skip));
}

function overlap(history: readonly NewLogEntry[], live: readonly NewLogEntry[]): number {
  const firstLive = live[0];
  if (!firstLive) return 0;
  const max = Math.min(history.length, live.length);
  // Bounded work even for a log of identical lines: a repeated line may
  // then be shown twice, never hang the window.
  let budget = 4_000_000;
  // Try the earliest start first: the longest overlap wins.
  for (let from = history.length - max; from < history.length && budget > 0; from++) {
    const h = history[from];
    if (!h || !sameLine(h, firstLive)) continue;
    let k = 1;
    while (from + k < history.length && budget-- > 0) {
      const hk = history[from + k];
      const lk = live[k];
      if (!hk || !lk || !sameLine(hk, lk)) break;
      k += 1;
    }
    if (from + k === history.length) return k;
  }
  return 0;
}

/**
 * The id of the newest stored line in the buffer (0 when none). Stored lines
 * (history) always come before live ones, so a binary search finds it.
 */
export function lastStoredId(buffer: LogBuffer): number {
  let low = 0;
  let high = buffer.length; // first index without a stored id
  while (low < high) {
    const mid = (low + high) >> 1;
    if (logAt(buffer, mid)?.stored_id != null) low = mid + 1;
    else high = mid;
  }
  return low === 0 ? 0 : (logAt(buffer, low - 1)?.stored_id ?? 0);
}

// A project's live output: the stored history first, then each line as the
// engine pushes it. Filter by text and by step; follow the end (on until the
// user scrolls up). Only the rows in view are in the DOM.

import { memo, useCallback, useDeferredValue, useMemo, useRef, useState } from "react";

import type { Step } from "../bindings";
import { formatCount } from "../state/format";
import { firstSeq, logAt } from "../state/logBuffer";
import type { LogBuffer, LogEntry } from "../state/logBuffer";
import { STEP_LABELS, STEPS } from "../state/labels";
import type { LoadState } from "../state/reducer";
import { ArrowDownIcon, FilterIcon } from "./icons";
import { VirtualList } from "./VirtualList";
import "./LogView.css";

export const LOG_ROW_HEIGHT = 18;
export const LOG_FILTER_ID = "log-filter";

interface LogViewProps {
  buffer: LogBuffer | undefined;
  history: LoadState | undefined;
  /** The view's height before it is measured (tests). */
  initialHeight?: number;
}

/** What a filter found: the `seq` of each matching line, oldest first. */
export interface LogMatches {
  lineage: number;
  appended: number;
  needle: string;
  step: Step | "";
  seqs: number[];
}

/**
 * The lines that pass the filter (`null` when every line does). Given the
 * previous answer for the same filter on an earlier state of the same
 * buffer, only the lines appended since are tested, and those that left the
 * buffer are dropped: a filter on a busy 100,000-line log costs what the
 * new lines cost.
 */
export function filterLog(buffer: LogBuffer, text: string, step: Step | "", previous: LogMatches | null = null): LogMatches | null {
  const needle = text.trim().toLowerCase();
  if (!needle && !step) return null;
  const first = firstSeq(buffer);
  const reuse =
    previous &&
    previous.lineage === buffer.lineage &&
    previous.needle === needle &&
    previous.step === step &&
    previous.appended <= buffer.appended;
  let seqs: number[];
  let from: number;
  if (reuse) {
    let drop = 0;
    while (drop < previous.seqs.length && (previous.seqs[drop] ?? 0) < first) drop++;
    seqs = drop > 0 ? previous.seqs.slice(drop) : previous.seqs.slice();
    from = Math.max(previous.appended, first);
  } else {
    seqs = [];
    from = first;
  }
  for (let seq = from; seq < buffer.appended; seq++) {
    const entry = logAt(buffer, seq - first);
    if (!entry) continue;
    if (step && entry.step !== step) continue;
    if (needle && !entry.line.toLowerCase().includes(needle) && !entry.task_id.startsWith(needle)) continue;
    seqs.push(seq);
  }
  return { lineage: buffer.lineage, appended: buffer.appended, needle, step, seqs };
}

const LogRow = memo(function LogRow({ entry }: { entry: LogEntry }) {
  return (
    <span className={`log-row log-row--${entry.stream}`}>
      <span className="log-row__task">{entry.task_id}</span>
      <span className="log-row__step">{STEP_LABELS[entry.step] ?? entry.step}</span>
      <span className="log-row__stream" title={entry.stream}>
        {entry.stream === "stderr" ? "err" : entry.stream === "stdout" ? "" : "note"}
      </span>
      <span className="log-row__line" title={entry.line.length > 80 ? entry.line : undefined}>
        {entry.line}
      </span>
    </span>
  );
});

export function LogView({ buffer, history, initialHeight }: LogViewProps) {
  const [text, setText] = useState("");
  const [step, setStep] = useState<Step | "">("");
  const [follow, setFollow] = useState(true);
  // Typing stays responsive on a long log: the filter catches up a frame later.
  const deferredText = useDeferredValue(text);

  const length = buffer?.length ?? 0;
  const last = useRef<LogMatches | null>(null);
  const matches = useMemo(() => {
    const found = buffer ? filterLog(buffer, deferredText, step, last.current) : null;
    last.current = found;
    return found;
  }, [buffer, deferredText, step]);
  const count = matches ? matches.seqs.length : length;

  const entryAt = useCallback(
    (i: number): LogEntry | undefined => {
      if (!buffer) return undefined;
      return logAt(buffer, matches ? (matches.seqs[i] ?? -1) - firstSeq(buffer) : i);
    },
    [buffer, matches],
  );
  const renderRow = useCallback(
    (i: number) => {
      const entry = entryAt(i);
      return entry ? <LogRow entry={entry} /> : null;
    },
    [entryAt],
  );
  const rowKey = useCallback((i: number) => entryAt(i)?.seq ?? `gap-${i}`, [entryAt]);

  const filtered = matches !== null;
  return (
    <section className="log-view" aria-label="Log" data-testid="log-view">
      <div className="log-view__bar">
        <label className="log-view__search">
          <FilterIcon size={12} />
          <span className="visually-hidden">Filter lines by text</span>
          <input
            id={LOG_FILTER_ID}
            className="input log-view__input"
            type="search"
            placeholder="Filter lines  ( / )"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape" && text) {
                e.stopPropagation();
                setText("");
              }
            }}
            data-testid="log-filter"
            title="Show only lines containing this text (shortcut: /)"
          />
        </label>
        <label className="visually-hidden" htmlFor="log-step">
          Step
        </label>
        <select
          id="log-step"
          className="select log-view__step"
          value={step}
          onChange={(e) => setStep(e.target.value as Step | "")}
          data-testid="log-step"
          title="Show only lines of one step"
        >
          <option value="">All steps</option>
          {STEPS.map((s) => (
            <option key={s} value={s}>
              {STEP_LABELS[s]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className={follow ? "btn btn--small log-view__follow log-view__follow--on" : "btn btn--small log-view__follow"}
          aria-pressed={follow}
          onClick={() => setFollow((f) => !f)}
          data-testid="log-follow"
          title={follow ? "Following new lines; scroll up or click to stop" : "Follow new lines (scroll to the end)"}
        >
          <ArrowDownIcon size={12} />
          {follow ? "Following" : "Follow"}
        </button>
      </div>
      <p className="log-view__count" data-testid="log-count" aria-live="off">
        {filtered ? `${formatCount(count)} of ${formatCount(length)} lines` : `${formatCount(length)} lines`}
        {history?.status === "loading" && " · reading stored lines…"}
        {history?.status === "failed" && ` · stored lines unavailable: ${history.error.message}`}
      </p>
      {count === 0 ? (
        <p className="log-view__empty" data-testid="log-empty">
          {length === 0 ? "No output yet. Lines appear here as the run works." : "No line matches the filter."}
        </p>
      ) : (
        <VirtualList
          count={count}
          rowHeight={LOG_ROW_HEIGHT}
          renderRow={renderRow}
          rowKey={rowKey}
          follow={follow}
          onFollowChange={setFollow}
          initialHeight={initialHeight}
          className="log-view__list"
          testId="log-lines"
          label="Log lines"
        />
      )}
    </section>
  );
}

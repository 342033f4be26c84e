// One run as a chart: a lane per task, its steps as bars on a shared time
// axis (coloured like the step's state, attempts numbered), people's
// decisions as marks; zoom, and keyboard moves between the bars.

import { useRef, useState } from "react";
import type { CSSProperties, KeyboardEvent } from "react";

import { formatCount, formatDuration } from "../state/format";
import { describeNote, STEP_LABELS, STEP_TONES } from "../state/labels";
import { axisTicks, formatClock, formatOffset, percentAt, timeOf } from "../state/timeline";
import type { Lane, PlacedSpan, TimelineModel } from "../state/timeline";

const ZOOMS = [1, 2, 4, 8, 16] as const;

interface TimelineProps {
  model: TimelineModel;
  selectedKey: string | null;
  onSelect: (key: string) => void;
}

export function stepTone(step: PlacedSpan["span"]["step"]) {
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
export function Timeline({ model, selectedKey, onSelect }: TimelineProps) {
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

// Placing a run's steps and decisions on one time axis.

import { describe, expect, it } from "vitest";

import type { RunTimeline } from "../bindings";
import { makeRun, makeSpan } from "../test/fakeApi";
import { axisTicks, buildTimeline, formatOffset, percentAt } from "./timeline";

const t = (clock: string) => `2025-01-15T${clock}Z`;

describe("timeline", () => {
  it("makes one lane per task in order of appearance, repeats told apart, notes placed", () => {
    const timeline: RunTimeline = {
      run: makeRun("p", 1, { started_at: t("10:00:00.000"), ended_at: t("10:10:00.5") }),
      spans: [
        makeSpan("1.2", "implement", 1, t("10:05:00.000"), t("10:06:00.000")),
        makeSpan("1.1", "implement", 1, t("10:00:00.5"), t("10:01:00.000")),
        // Entered again with the same attempt (the machinery retried it).
        makeSpan("1.1", "implement", 1, t("10:01:00.000"), t("10:02:00.000")),
      ],
      notes: [
        { at: t("09:00:00.000"), task_id: "1.1", actor: "ana", action: "review:retry", detail: "" },
        { at: t("10:00:01.000"), task_id: "1.1", actor: "devteam", action: "route", detail: "aider: keyword add test" },
        { at: t("10:03:00.000"), task_id: "", actor: "ana", action: "inject", detail: "#1 ..." },
      ],
    };
    const model = buildTimeline(timeline, (id) => (id === "1.1" ? "First" : null), Date.parse(t("10:20:00.000")), false);
    expect(model.lanes.map((l) => [l.taskId, l.title, l.agent])).toEqual([
      ["1.1", "First", "aider"],
      ["1.2", null, null],
      ["", null, null],
    ]);
    expect(model.lanes[0]?.spans.map((s) => s.testId)).toEqual(["timeline-span-1.1-implement-1", "timeline-span-1.1-implement-1-2"]);
    expect(model.lanes[0]?.decisions.map((d) => d.actor)).toEqual(["ana"]);
    expect(model.notes.map((n) => n.action)).toEqual(["review:retry", "inject"]);
    // The axis is the run: a decision before it does not stretch it.
    expect(model.start).toBe(Date.parse(t("10:00:00.000")));
    expect(model.end).toBe(Date.parse(t("10:10:00.5")));
    expect(percentAt(model, Date.parse(t("09:00:00.000")))).toBe(0);
  });

  it("ends a step still going at now while the run goes on", () => {
    const now = Date.parse(t("10:02:00.000"));
    const model = buildTimeline(
      { run: makeRun("p", 2, { started_at: t("10:00:00.000"), ended_at: null }), spans: [makeSpan("1.1", "verify", 2, t("10:01:00.000"), null)], notes: [] },
      () => null,
      now,
      true,
    );
    expect(model.lanes[0]?.spans[0]).toMatchObject({ end: now, running: true });
    expect(model.end).toBe(now);
  });

  it("ticks at round intervals and writes offsets short", () => {
    expect(axisTicks(390_250)).toEqual([0, 120_000, 240_000, 360_000]);
    expect(axisTicks(20_000)).toEqual([0, 5000, 10_000, 15_000, 20_000]);
    expect(formatOffset(0)).toBe("0");
    expect(formatOffset(45_000)).toBe("45s");
    expect(formatOffset(330_000)).toBe("5m 30s");
    expect(formatOffset(4_800_000)).toBe("1h 20m");
  });
});

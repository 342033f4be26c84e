// Which events make a project's status stale, and the reader's timing rules
// (one read per burst, at most one a second, only the newest answer counts,
// a timer only while the project runs).

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { EngineEvent } from "../bindings";
import { FakeApi, makeExecution, makeProject, makeStatus } from "../test/fakeApi";
import type { Action } from "./reducer";
import { staleAfter, staleProject, STATUS_COALESCE_MS, STATUS_MIN_GAP_MS, STATUS_POLL_MS, StatusReader } from "./statusReads";

describe("staleProject", () => {
  it("names the project of a fetch, a run's start or end, and a changed project; nothing else", () => {
    const step = (s: "prep" | "select" | "implement"): EngineEvent => ({ type: "step_started", project_id: "p", task_id: "1", title: "T", step: s, attempt: 1 });
    expect(staleProject(step("prep"), undefined)).toBe("p");
    expect(staleProject(step("select"), undefined)).toBe("p");
    expect(staleProject(step("implement"), undefined)).toBeNull();
    expect(staleProject({ type: "run_finished", project_id: "p", end: { kind: "paused", tasks_done: 0 } }, undefined)).toBe("p");
    expect(staleProject({ type: "project_updated", project: makeProject("q") }, undefined)).toBe("q");
    expect(staleProject({ type: "log", project_id: "p", task_id: "1", step: "implement", stream: "stdout", line: "x" }, undefined)).toBeNull();
    const changed: EngineEvent = { type: "execution_changed", execution: makeExecution("p", "task_executing") };
    expect(staleProject(changed, "autonomous")).toBeNull();
    expect(staleProject(changed, "paused")).toBe("p");
  });

  it("counts a run's start and its halts, not moves between running states", () => {
    expect(staleAfter(undefined, "queued")).toBe(true);
    expect(staleAfter("completed", "queued")).toBe(true);
    expect(staleAfter("task_executing", "failed")).toBe(true);
    expect(staleAfter("paused", "stopped")).toBe(true);
    expect(staleAfter("queued", "initializing")).toBe(false);
    expect(staleAfter("failed", "failed")).toBe(false);
  });
});

describe("StatusReader", () => {
  let api: FakeApi;
  let actions: Action[];
  let reader: StatusReader;

  beforeEach(() => {
    vi.useFakeTimers();
    api = new FakeApi([makeProject("p")]);
    actions = [];
    reader = new StatusReader(api, (a) => actions.push(a));
  });

  afterEach(() => {
    reader.stop();
    vi.useRealTimers();
  });

  const reads = () => api.calls.filter((c) => c.method === "projectStatus").length;

  it("gathers a burst into one read, and keeps a second between reads", async () => {
    reader.stale("p");
    reader.stale("p");
    await vi.advanceTimersByTimeAsync(STATUS_COALESCE_MS);
    expect(reads()).toBe(1);
    // Stale again right after: the read waits for the second to be over.
    reader.stale("p");
    await vi.advanceTimersByTimeAsync(STATUS_MIN_GAP_MS - 10);
    expect(reads()).toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(reads()).toBe(2);
    // A person's refresh does not wait.
    reader.readNow("p");
    expect(reads()).toBe(3);
  });

  it("dispatches only the newest read's answer, and nothing once stopped or forgotten", async () => {
    api.holdStatuses = true;
    api.statuses.p = makeStatus("p", { base_tip: "aaaaaaaaaaaa" });
    reader.readNow("p");
    api.statuses.p = makeStatus("p", { base_tip: "bbbbbbbbbbbb" });
    reader.readNow("p");
    api.releaseStatuses(true);
    await vi.advanceTimersByTimeAsync(0);
    const answers = actions.filter((a) => a.type === "status_read");
    expect(answers).toHaveLength(1);
    expect(answers[0]?.type === "status_read" && answers[0].status.repo.base_tip).toBe("bbbbbbbbbbbb");

    api.holdStatuses = true;
    reader.readNow("p");
    reader.forget("p");
    api.releaseStatuses();
    await vi.advanceTimersByTimeAsync(0);
    expect(actions.filter((a) => a.type === "status_read")).toHaveLength(1);
  });

  it("polls only a running project, every STATUS_POLL_MS after its last read", async () => {
    reader.readNow("p");
    await vi.advanceTimersByTimeAsync(3 * STATUS_POLL_MS);
    expect(reads()).toBe(1);
    reader.setRunning(["p"]);
    // Its last read is older than the period: read at once, then every period.
    await vi.advanceTimersByTimeAsync(0);
    expect(reads()).toBe(2);
    await vi.advanceTimersByTimeAsync(STATUS_POLL_MS);
    expect(reads()).toBe(3);
    // An event's read pushes the next poll back.
    await vi.advanceTimersByTimeAsync(STATUS_POLL_MS / 2);
    reader.readNow("p");
    await vi.advanceTimersByTimeAsync(STATUS_POLL_MS - 1);
    expect(reads()).toBe(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads()).toBe(5);
    reader.setRunning([]);
    await vi.advanceTimersByTimeAsync(3 * STATUS_POLL_MS);
    expect(reads()).toBe(5);
    expect(vi.getTimerCount()).toBe(0);
  });
});

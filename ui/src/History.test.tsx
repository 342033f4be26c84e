// The History tab against a fake engine: the runs are listed newest first,
// a run opens as a timeline of its tasks' steps, a step's bar reads exactly
// that step's stored lines, people's decisions show with who made them, the
// list follows the end of a run, and the engine's errors are shown.

import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App } from "./App";
import type { LogLine, RunTimeline, Step } from "./bindings";
import { STEP_LOG_LIMIT } from "./components/RunHistory";
import { demoTree, engineError, FakeApi, makeExecution, makeProject, makeRun, makeSpan } from "./test/fakeApi";

const DEMO = "devteam-demo-calculator";
const demo = makeProject(DEMO, { customer: "DevTeam Demo", name: "Calculator" });

const RUN_3 = makeRun(DEMO, 3, {
  started_at: "2025-01-15T12:00:00.000Z",
  ended_at: "2025-01-15T12:06:30.25Z",
  state: "blocked",
  reason: "2.4 needs a person: attempt 3 failed",
  tasks_done: null,
});
const RUN_2 = makeRun(DEMO, 2, { started_at: "2025-01-15T11:00:00.000Z", ended_at: "2025-01-15T11:20:00.000Z", state: "completed", tasks_done: 4 });
const RUN_1 = makeRun(DEMO, 1, { started_at: "2025-01-14T09:00:00.000Z", ended_at: "2025-01-14T09:01:00.000Z", state: "interrupted", tasks_done: 0 });

const at = (clock: string) => `2025-01-15T${clock}Z`;

const TIMELINE_3: RunTimeline = {
  run: RUN_3,
  spans: [
    makeSpan("2.3", "select", 0, at("12:00:00.000"), at("12:00:01.5")),
    makeSpan("2.3", "implement", 1, at("12:00:01.5"), at("12:02:00.000"), { log: { first_id: 101, lines: 3 } }),
    makeSpan("2.3", "verify", 1, at("12:02:00.000"), at("12:02:30.000")),
    makeSpan("2.3", "done", 1, at("12:02:30.000"), at("12:02:30.000")),
    makeSpan("2.4", "select", 0, at("12:02:31.000"), at("12:02:32.000")),
    makeSpan("2.4", "implement", 1, at("12:02:32.000"), at("12:04:00.000")),
    makeSpan("2.4", "verify", 1, at("12:04:00.000"), at("12:04:20.000")),
    makeSpan("2.4", "error_solve", 2, at("12:04:20.000"), at("12:05:00.000")),
    makeSpan("2.4", "error_solve", 3, at("12:05:00.000"), at("12:06:30.25"), { log: { first_id: 5000, lines: 4500 } }),
    makeSpan("2.4", "human_review", 3, at("12:06:30.25"), at("12:06:30.25")),
  ],
  notes: [
    // Made while the project waited after run 2: it led to this run.
    { at: at("11:50:00.000"), task_id: "2.4", actor: "bob (window)", action: "review:retry", detail: "attempt 3 failed: sub 7 2 is not 5" },
    { at: at("12:02:32.100"), task_id: "2.4", actor: "devteam", action: "route", detail: "aider: keyword add test" },
    { at: at("12:03:00.000"), task_id: "2.4", actor: "alice (window)", action: "review:approve", detail: "approval needed: mentions migration" },
  ],
};

function line(id: number, taskId: string, step: Step, text: string): LogLine {
  return { id, task_id: taskId, step, stream: "stdout", line: text, at: at("12:01:00.000") };
}

function historyApi() {
  const api = new FakeApi([demo]);
  api.trees[DEMO] = demoTree(DEMO);
  api.appSettings = { settings: { ...api.appSettings.settings, selected_project_id: DEMO }, error: null };
  api.runs[DEMO] = [RUN_3, RUN_2, RUN_1];
  api.timelines[3] = TIMELINE_3;
  api.storedLogs[DEMO] = [
    line(100, "2.2", "push", "pushed 2.2"),
    line(101, "2.3", "implement", "writing tests/test_calc.sh"),
    line(102, "2.3", "implement", "ok: 12 assertions"),
    line(103, "2.3", "implement", "committed"),
    line(104, "2.3", "verify", "criterion test.unit passed"),
  ];
  return api;
}

const calls = (api: FakeApi, method: string) => api.calls.filter((c) => c.method === method);

async function openHistory(api: FakeApi) {
  render(<App api={api} />);
  await screen.findByTestId("project-list");
  await act(async () => {});
  await screen.findByText("Add the add function");
  await userEvent.click(screen.getByTestId("tab-history"));
}

describe("run history", () => {
  it("lists the runs newest first, with their end, duration and tasks, and opens the newest", async () => {
    // Whatever order the answer has, the newest run is on top and shown first.
    const api = historyApi();
    api.runs[DEMO] = [RUN_2, RUN_1, RUN_3];
    await openHistory(api);
    const list = await screen.findByTestId("history-runs");
    const rows = within(list).getAllByRole("button");
    expect(rows.map((r) => r.dataset.testid)).toEqual(["history-run-3", "history-run-2", "history-run-1"]);
    expect(screen.getByTestId("history-run-3")).toHaveAttribute("aria-current", "true");
    // The same badges as the grid: BLOCKED, COMPLETED; the app's own word for a run the app did not see end.
    expect(screen.getByTestId("history-state-3")).toHaveTextContent("BLOCKED");
    expect(screen.getByTestId("history-state-2")).toHaveTextContent("COMPLETED");
    expect(screen.getByTestId("history-state-1")).toHaveTextContent("INTERRUPTED");
    expect(screen.getByTestId("history-run-3")).toHaveTextContent("6m 30s");
    expect(screen.getByTestId("history-run-3")).toHaveTextContent("2.4 needs a person: attempt 3 failed");
    expect(screen.getByTestId("history-run-2")).toHaveTextContent("20m 00s");
    expect(screen.getByTestId("history-run-2")).toHaveTextContent("4 tasks done");
    expect(calls(api, "runHistory").map((c) => c.args)).toEqual([[DEMO]]);
    await waitFor(() => expect(calls(api, "runTimeline").map((c) => c.args)).toEqual([[DEMO, 3]]));
    expect(await screen.findByTestId("timeline-span-2.3-implement-1")).toBeInTheDocument();
  });

  it("shows a chosen run's tasks as lanes of steps, attempts numbered, titles from the task list", async () => {
    // One lane per task, one bar per step and attempt, coloured and named like the step.
    const api = historyApi();
    api.timelines[2] = {
      run: RUN_2,
      spans: [makeSpan("1.1", "implement", 1, "2025-01-15T11:00:00.000Z", "2025-01-15T11:05:00.000Z")],
      notes: [],
    };
    await openHistory(api);
    await screen.findByTestId("timeline-span-2.4-error_solve-3");
    await userEvent.click(screen.getByTestId("history-run-2"));
    expect(await screen.findByTestId("timeline-span-1.1-implement-1")).toBeInTheDocument();
    expect(screen.queryByTestId("timeline-span-2.4-error_solve-3")).toBeNull();
    expect(calls(api, "runTimeline").map((c) => c.args[1])).toEqual([3, 2]);

    await userEvent.click(screen.getByTestId("history-run-3"));
    const lane = await screen.findByTestId("timeline-lane-2.4");
    expect(lane).toHaveAccessibleName("Task 2.4 Add subtraction");
    expect(lane).toHaveTextContent("3 attempts");
    expect(lane).toHaveTextContent("aider");
    const bar = within(lane).getByTestId("timeline-span-2.4-error_solve-3");
    expect(bar).toHaveTextContent("3");
    expect(bar).toHaveAccessibleName(/^Task 2\.4 Add subtraction: Error-solve, attempt 3, from .*, 1m 30s, 4,500 lines$/);
    expect(bar.style.getPropertyValue("--tone")).toBe("var(--st-error)");
    // Placed by time on the shared axis: the run lasts 390.25 s, this step starts at 300 s.
    expect(parseFloat(bar.style.left)).toBeCloseTo((300 / 390.25) * 100, 1);
    expect(parseFloat(bar.style.width)).toBeCloseTo((90.25 / 390.25) * 100, 1);
    expect(screen.getByTestId("timeline-lane-2.3")).toHaveAccessibleName("Task 2.3 Write the unit tests");
    expect(screen.getByTestId("timeline-span-2.3-done-1")).toBeInTheDocument();
    expect(screen.getByTestId("timeline-span-2.4-human_review-3")).toBeInTheDocument();
  });

  it("reads a step's own lines when its bar is clicked: after first_id - 1, at most its count", async () => {
    // The span says where its lines start and how many there are; the first 2,000 at most are read.
    const api = historyApi();
    await openHistory(api);
    await userEvent.click(await screen.findByTestId("timeline-span-2.3-implement-1"));
    const log = await screen.findByTestId("timeline-log");
    expect(calls(api, "logLines").at(-1)?.args).toEqual([DEMO, "2.3", 100, 3]);
    await waitFor(() => expect(within(log).getByTestId("timeline-log-lines")).toHaveTextContent("ok: 12 assertions"));
    expect(log).toHaveTextContent("writing tests/test_calc.sh");
    expect(log).toHaveTextContent("committed");
    // The next step's line is not this step's.
    expect(log).not.toHaveTextContent("criterion test.unit passed");
    expect(log).toHaveTextContent("2.3");
    expect(log).toHaveTextContent("Implement");

    await userEvent.click(within(log).getByTestId("timeline-artifacts"));
    expect(calls(api, "openArtifacts").at(-1)?.args).toEqual([DEMO, "2.3"]);

    await userEvent.click(screen.getByTestId("timeline-span-2.4-error_solve-3"));
    expect(calls(api, "logLines").at(-1)?.args).toEqual([DEMO, "2.4", 4999, STEP_LOG_LIMIT]);
    expect(screen.getByTestId("timeline-log")).toHaveTextContent("the first 2,000 of 4,500 lines");
    // A step that wrote nothing is not asked for.
    const before = calls(api, "logLines").length;
    await userEvent.click(screen.getByTestId("timeline-span-2.4-verify-1"));
    expect(await screen.findByText("This step wrote no lines.")).toBeInTheDocument();
    expect(calls(api, "logLines")).toHaveLength(before);
  });

  it("shows people's decisions with who, what and when, on the lanes and in words", async () => {
    // A decision is a person's: their name must be there, with the task and what they chose.
    const api = historyApi();
    await openHistory(api);
    const notes = await screen.findByTestId("timeline-notes");
    const approve = within(notes).getByText("alice (window)").closest("li");
    expect(approve).toHaveTextContent(/alice \(window\) Approve · task 2\.4 Add subtraction/);
    expect(approve).toHaveTextContent("approval needed: mentions migration");
    const retry = within(notes).getByText("bob (window)").closest("li");
    expect(retry).toHaveTextContent("Retry · task 2.4");
    expect(retry).toHaveTextContent("(before the run)");
    // DevTeam's choice of agent is on the lane, not among the decisions.
    expect(notes).not.toHaveTextContent("Agent chosen");
    const marks = screen.getByTestId("timeline-lane-2.4").querySelectorAll(".timeline__mark");
    expect(Array.from(marks).map((m) => m.getAttribute("title"))).toEqual([
      expect.stringMatching(/^bob \(window\): Retry at .* \(before the run started\)$/),
      expect.stringMatching(/^alice \(window\): Approve at /),
    ]);
  });

  it("shows the engine's errors and reads again on request", async () => {
    // An unreadable history, run or log says so and why; nothing is silently empty.
    const api = historyApi();
    api.historyAnswers = [{ ok: false, error: engineError("cannot read the run history: database is locked", "database") }];
    await openHistory(api);
    const error = await screen.findByTestId("history-error");
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveTextContent("cannot read the run history: database is locked");
    expect(screen.queryByTestId("history-empty")).toBeNull();
    api.timelineAnswers = [{ ok: false, error: engineError("run 3 of project `devteam-demo-calculator`", "not_found") }];
    await userEvent.click(within(error).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("history-run-3")).toBeInTheDocument();
    expect(await screen.findByTestId("timeline-error")).toHaveTextContent("run 3 of project `devteam-demo-calculator`");
    await userEvent.click(within(screen.getByTestId("timeline-error")).getByRole("button", { name: "Try again" }));
    api.logAnswers = [{ ok: false, error: engineError("cannot read the log", "database") }];
    await userEvent.click(await screen.findByTestId("timeline-span-2.3-implement-1"));
    expect(await screen.findByTestId("timeline-log-error")).toHaveTextContent("cannot read the log");
    await userEvent.click(within(screen.getByTestId("timeline-log-error")).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.getByTestId("timeline-log-lines")).toHaveTextContent("ok: 12 assertions"));
  });

  it("says there are no runs yet, with what to do", async () => {
    // A new project's history is empty, not broken.
    const api = historyApi();
    api.runs[DEMO] = [];
    await openHistory(api);
    const empty = await screen.findByTestId("history-empty");
    expect(empty).toHaveTextContent("No runs yet");
    expect(empty).toHaveTextContent("Start the project");
    expect(calls(api, "runTimeline")).toHaveLength(0);
  });

  it("shows a run going on as running, and reads the list again when it ends", async () => {
    // The newest run has no end yet; run_finished brings its end (and the newest run stays chosen).
    const api = historyApi();
    const started = new Date(Date.now() - 95_000).toISOString();
    const live = makeRun(DEMO, 4, { started_at: started, ended_at: null, state: null, reason: null, tasks_done: null });
    api.executionList = [makeExecution(DEMO, "task_executing", { task_id: "3.1", step: "implement", attempt: 1, started_at: started })];
    api.runs[DEMO] = [live, RUN_3];
    api.timelines[4] = { run: live, spans: [makeSpan("3.1", "implement", 1, started, null)], notes: [] };
    await openHistory(api);
    expect(await screen.findByTestId("history-state-4")).toHaveTextContent("TASK-EXECUTING");
    expect(screen.getByTestId("history-run-4")).toHaveTextContent(/running 1m 3\ds/);
    const bar = await screen.findByTestId("timeline-span-3.1-implement-1");
    expect(bar).toHaveAccessibleName(/Implement, attempt 1, from .*, running for 1m 3\ds/);

    const ended = { ...live, ended_at: new Date().toISOString(), state: "completed", tasks_done: 3 };
    api.runs[DEMO] = [ended, RUN_3];
    api.timelines[4] = { ...api.timelines[4]!, run: ended };
    act(() => api.emit({ type: "run_finished", project_id: DEMO, end: { kind: "all_done", tasks_done: 3 } }));
    await waitFor(() => expect(screen.getByTestId("history-state-4")).toHaveTextContent("COMPLETED"));
    expect(screen.getByTestId("history-run-4")).toHaveTextContent("3 tasks done");
    expect(calls(api, "runHistory")).toHaveLength(2);
    await waitFor(() => expect(calls(api, "runTimeline").filter((c) => c.args[1] === 4).length).toBeGreaterThanOrEqual(2));
  });

  it("is reached and used with the keyboard", async () => {
    // The tab by arrow keys, the runs by Up/Down, the bars by arrows, a log by Enter.
    const api = historyApi();
    api.timelines[2] = { run: RUN_2, spans: [makeSpan("1.1", "implement", 1, "2025-01-15T11:00:00.000Z", "2025-01-15T11:05:00.000Z")], notes: [] };
    render(<App api={api} />);
    await screen.findByText("Add the add function");
    const user = userEvent.setup();
    await user.click(screen.getByTestId("tab-metrics"));
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("tab-history")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("tab-history")).toHaveFocus();

    const newest = await screen.findByTestId("history-run-3");
    newest.focus();
    await user.keyboard("{ArrowDown}");
    expect(screen.getByTestId("history-run-2")).toHaveFocus();
    expect(screen.getByTestId("history-run-2")).toHaveAttribute("aria-current", "true");
    expect(await screen.findByTestId("timeline-span-1.1-implement-1")).toBeInTheDocument();
    await user.keyboard("{ArrowUp}");
    const first = await screen.findByTestId("timeline-span-2.3-select-0");
    // One Tab stop for the bars: the first one.
    expect(first).toHaveAttribute("tabindex", "0");
    expect(screen.getByTestId("timeline-span-2.3-implement-1")).toHaveAttribute("tabindex", "-1");
    first.focus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("timeline-span-2.3-implement-1")).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(screen.getByTestId("timeline-span-2.4-select-0")).toHaveFocus();
    // Up goes to the bar of the lane above nearest in time: 2.3's end.
    await user.keyboard("{ArrowUp}");
    expect(screen.getByTestId("timeline-span-2.3-done-1")).toHaveFocus();
    await user.keyboard("{Home}{ArrowRight}{Enter}");
    expect(screen.getByTestId("timeline-span-2.3-implement-1")).toHaveAttribute("aria-pressed", "true");
    expect(await screen.findByTestId("timeline-log-lines")).toHaveTextContent("committed");
  });
});

// The live dashboard against a fake engine: the grid follows pushed events,
// each control calls the right command with the right arguments, the
// HUMAN_REVIEW panel decides, shortcuts press the same buttons, and the
// demo starts from the empty state.

import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { App } from "./App";
import type { EngineEvent, Execution } from "./bindings";
import { LOG_FLUSH_MS, LOG_PAGE } from "./state/useEngine";
import { demoTree, FakeApi, makeExecution, makeLogLines, makeProject } from "./test/fakeApi";

// The charts draw on a canvas jsdom does not have; their data is checked through the captions.
vi.mock("./components/Chart", () => ({
  Chart: ({ testId, data }: { testId: string; data: unknown[][] }) => (
    <div data-testid={testId} data-points={data[0]?.length ?? 0} />
  ),
}));

const DEMO = "devteam-demo-calculator";
const demo = makeProject(DEMO, { customer: "DevTeam Demo", name: "Calculator" });
const portal = makeProject("acme-portal", { customer: "Acme Corp", name: "Portal" });

function demoApi(execution?: Execution) {
  const api = new FakeApi([demo, portal]);
  api.trees[DEMO] = demoTree(DEMO);
  if (execution) api.executionList = [execution];
  return api;
}

async function start(api: FakeApi) {
  render(<App api={api} />);
  await screen.findByTestId("project-list");
  await act(async () => {});
}

const calls = (api: FakeApi, method: string) => api.calls.filter((c) => c.method === method);
const emit = (api: FakeApi, event: EngineEvent) => act(() => api.emit(event));
const changed = (execution: Execution): EngineEvent => ({ type: "execution_changed", execution });

afterEach(() => {
  vi.useRealTimers();
});

describe("executions grid", () => {
  it("lists started projects with task, step, progress, ETA and badge, and follows pushed events", async () => {
    // The grid is built from executions() once, then only from events: no second call.
    const api = demoApi(
      makeExecution(DEMO, "task_executing", {
        task_id: "2.3",
        task_title: "Write the unit tests",
        step: "implement",
        attempt: 1,
        done: 4,
        total: 9,
        eta_seconds: 150,
        started_at: new Date(Date.now() - 65_000).toISOString(),
      }),
    );
    await start(api);
    const row = screen.getByTestId(`exec-row-${DEMO}`);
    expect(row).toHaveTextContent("DevTeam Demo");
    expect(row).toHaveTextContent("Calculator");
    expect(screen.getByTestId(`exec-task-${DEMO}`)).toHaveTextContent("2.3Write the unit tests");
    expect(screen.getByTestId(`exec-step-${DEMO}`)).toHaveTextContent("Implement");
    expect(screen.getByTestId(`exec-progress-${DEMO}`)).toHaveTextContent("4/9");
    expect(within(row).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "4");
    expect(screen.getByTestId(`exec-eta-${DEMO}`)).toHaveTextContent("~2m 30s");
    expect(screen.getByTestId(`exec-elapsed-${DEMO}`)).toHaveTextContent(/^1m 0[5-9]s$/);
    expect(screen.getByTestId(`exec-badge-${DEMO}`)).toHaveTextContent("TASK-EXECUTING");
    // A project that never ran has no row; its badge is absent in the list too.
    expect(screen.queryByTestId("exec-row-acme-portal")).toBeNull();
    expect(screen.getByTestId(`project-badge-${DEMO}`)).toHaveTextContent("TASK-EXECUTING");
    expect(screen.queryByTestId("project-badge-acme-portal")).toBeNull();

    emit(api, changed(makeExecution(DEMO, "error_solving", { task_id: "2.4", task_title: "Add subtraction", step: "error_solve", attempt: 2, done: 5, total: 9 })));
    expect(screen.getByTestId(`exec-badge-${DEMO}`)).toHaveTextContent("ERROR-SOLVING");
    expect(screen.getByTestId(`exec-row-${DEMO}`)).toHaveTextContent("Error-solveattempt 2");
    expect(screen.getByTestId(`project-badge-${DEMO}`)).toHaveTextContent("ERROR-SOLVING");

    // A project's first run adds its row.
    emit(api, changed(makeExecution("acme-portal", "queued", { reason: "waiting for a free slot (1 of 1 busy)" })));
    expect(screen.getByTestId("exec-task-acme-portal")).toHaveTextContent("waiting for a free slot");
    expect(screen.getByTestId("exec-badge-acme-portal")).toHaveTextContent("QUEUED");
    expect(calls(api, "executions")).toHaveLength(1);
  });

  it("ticks the elapsed time of a running project every second", async () => {
    // Elapsed time is local arithmetic on the run's start; it must move without any event.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = demoApi(makeExecution(DEMO, "autonomous", { started_at: new Date(Date.now() - 10_000).toISOString(), total: 9 }));
    await start(api);
    expect(screen.getByTestId(`exec-elapsed-${DEMO}`)).toHaveTextContent(/^1[01]s$/);
    await act(async () => {
      vi.advanceTimersByTime(5000);
    });
    expect(screen.getByTestId(`exec-elapsed-${DEMO}`)).toHaveTextContent(/^1[56]s$/);
  });

  it("says what a completed run did", async () => {
    // "Completed" with a skipped task must not read as if every task were done.
    const api = demoApi(makeExecution(DEMO, "completed", { done: 9, total: 9 }));
    api.executionList.push(makeExecution("acme-portal", "completed", { done: 1, total: 2 }));
    await start(api);
    expect(screen.getByTestId(`exec-task-${DEMO}`)).toHaveTextContent("All 9 tasks done");
    expect(screen.getByTestId("exec-task-acme-portal")).toHaveTextContent("Finished: 1 of 2 tasks done, the rest skipped");
    // Halted before this window opened: no elapsed time is made up.
    expect(screen.getByTestId(`exec-elapsed-${DEMO}`)).toHaveTextContent("—");
  });

  it("selects a project from its row", async () => {
    // The grid is the overview; a click opens that project on the right.
    const api = demoApi(makeExecution(DEMO, "paused"));
    api.executionList.push(makeExecution("acme-portal", "completed"));
    await start(api);
    await userEvent.click(screen.getByTestId("exec-row-acme-portal"));
    expect(screen.getByTestId("project-details")).toHaveTextContent("Portal");
    expect(screen.getByTestId("project-item-acme-portal")).toHaveAttribute("aria-current", "true");
  });

  it("pauses and resumes all, asks before the emergency stop of all, and sets the slots", async () => {
    // Global controls act on every project; the emergency stop is confirmed first.
    const api = demoApi(makeExecution(DEMO, "task_executing"));
    api.executionList.push(makeExecution("acme-portal", "paused"));
    await start(api);
    const user = userEvent.setup();
    await user.click(screen.getByTestId("pause-all"));
    await user.click(screen.getByTestId("resume-all"));
    expect(calls(api, "pauseAll")).toHaveLength(1);
    expect(calls(api, "resumeAll")).toHaveLength(1);

    await user.click(screen.getByTestId("emergency-stop-all"));
    expect(calls(api, "emergencyStopAll")).toHaveLength(0);
    await user.click(screen.getByTestId("confirm-stop-all-confirm"));
    expect(calls(api, "emergencyStopAll")).toHaveLength(1);
    expect(screen.queryByTestId("confirm-stop-all-dialog")).toBeNull();

    await user.type(screen.getByTestId("slots"), "4{Enter}");
    expect(calls(api, "setSlots").map((c) => c.args)).toEqual([[4]]);
  });
});

describe("run controls", () => {
  it("starts with a stop point chosen from the tree", async () => {
    // "Stop after task 1.2" is a dropdown of the project's tasks; Start sends it as `until`.
    const api = demoApi();
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    expect(screen.getByTestId("stop-kind")).toHaveValue("until");
    const picker = await screen.findByTestId("stop-task");
    await within(picker).findByRole("option", { name: /1\.2 Ignore build output/ });
    await userEvent.selectOptions(picker, "1.2");
    await userEvent.click(screen.getByTestId("start-run"));
    expect(calls(api, "startRun").map((c) => c.args)).toEqual([
      [DEMO, { until: "1.2", before: null, after_phase: null, max_tasks: null, priority: null }],
    ]);
    // The answer shows at once, before any event.
    expect(await screen.findByTestId(`exec-badge-${DEMO}`)).toHaveTextContent("QUEUED");
  });

  it("starts for N tasks with a priority", async () => {
    // "after N tasks" is the other stop point; the priority orders the queue.
    const api = demoApi();
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    await userEvent.type(screen.getByTestId("max-tasks"), "3");
    await userEvent.selectOptions(screen.getByTestId("run-priority"), "high");
    await userEvent.click(screen.getByTestId("start-run"));
    expect(calls(api, "startRun")[0]?.args).toEqual([DEMO, { until: null, before: null, after_phase: null, max_tasks: 3, priority: "high" }]);
  });

  it("starts with a stop point before a task", async () => {
    // "Stop before task 2.4": the run pauses right before 2.4 would start; Start sends it as `before`.
    const api = demoApi();
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    const picker = await screen.findByTestId("stop-task");
    await within(picker).findByRole("option", { name: /2\.4 Add subtraction/ });
    await userEvent.selectOptions(screen.getByTestId("stop-kind"), "before");
    await userEvent.selectOptions(picker, "2.4");
    await userEvent.click(screen.getByTestId("start-run"));
    expect(calls(api, "startRun").map((c) => c.args)).toEqual([
      [DEMO, { until: null, before: "2.4", after_phase: null, max_tasks: null, priority: null }],
    ]);
  });

  it("starts with a stop point after a phase, offering only phases", async () => {
    // A phase stop point names a task with subtasks; Start sends it as `after_phase`.
    const api = demoApi();
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    const picker = await screen.findByTestId("stop-task");
    await within(picker).findByRole("option", { name: /2\.4 Add subtraction/ });
    // A leaf task chosen first is dropped: it cannot be a phase.
    await userEvent.selectOptions(picker, "1.2");
    await userEvent.selectOptions(screen.getByTestId("stop-kind"), "after_phase");
    expect(picker).toHaveValue("");
    const offered = within(picker).getAllByRole("option").map((o) => (o as HTMLOptionElement).value);
    expect(offered).toEqual(["", "1", "2", "3"]);
    await userEvent.selectOptions(picker, "2");
    await userEvent.click(screen.getByTestId("start-run"));
    expect(calls(api, "startRun").map((c) => c.args)).toEqual([
      [DEMO, { until: null, before: null, after_phase: "2", max_tasks: null, priority: null }],
    ]);
  });

  it("shows the engine's refusal of a stop point", async () => {
    // An id the engine does not know comes back as a validation error, shown like any refused start.
    const api = demoApi();
    api.runAnswers.push({ ok: false, error: { code: "validation", message: "stop before `two`: not a task id", fields: [] } });
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    await userEvent.selectOptions(screen.getByTestId("stop-kind"), "before");
    await userEvent.click(screen.getByTestId("start-run"));
    expect(await screen.findByTestId("notice")).toHaveTextContent("Cannot start the run: stop before `two`: not a task id");
  });

  it("enables pause and stop while running, resume while paused, and calls the right commands", async () => {
    // Each button is enabled only when the engine would accept it.
    const api = demoApi(makeExecution(DEMO, "task_executing", { task_id: "1.1", step: "implement" }));
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    expect(screen.getByTestId("start-run")).toBeDisabled();
    expect(screen.getByTestId("resume-run")).toBeDisabled();
    await userEvent.click(screen.getByTestId("pause-run"));
    expect(calls(api, "pauseRun").map((c) => c.args)).toEqual([[DEMO]]);
    // The engine's answer (paused) enables Resume.
    await userEvent.click(await screen.findByTestId("resume-run"));
    expect(calls(api, "resumeRun").map((c) => c.args)).toEqual([[DEMO]]);

    emit(api, changed(makeExecution(DEMO, "task_executing")));
    await userEvent.click(screen.getByTestId("stop-run"));
    expect(calls(api, "stopRun").map((c) => c.args)).toEqual([[DEMO, false]]);

    emit(api, changed(makeExecution(DEMO, "task_executing")));
    await userEvent.click(screen.getByTestId("emergency-stop"));
    await userEvent.click(screen.getByTestId("confirm-emergency-confirm"));
    expect(calls(api, "stopRun").map((c) => c.args)).toEqual([
      [DEMO, false],
      [DEMO, true],
    ]);
  });

  it("shows the engine's refusal", async () => {
    // A refused command must say why, not fail silently.
    const api = demoApi();
    api.runAnswers.push({ ok: false, error: { code: "conflict", message: "calculator is already running", fields: [] } });
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    await userEvent.click(screen.getByTestId("start-run"));
    expect(await screen.findByTestId("notice")).toHaveTextContent("Cannot start the run: calculator is already running");
  });

  it("offers the HUMAN_REVIEW decisions when blocked, with the reason", async () => {
    // A blocked project waits for a person: retry, skip, mark done or abort (abort is confirmed).
    const reason = "task 2.4 failed 3 attempts: sub 7 2 is not 5";
    const api = demoApi(makeExecution(DEMO, "blocked", { task_id: "2.4", task_title: "Add subtraction", step: "human_review", reason }));
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    const panel = screen.getByTestId("review-panel");
    expect(panel).toHaveTextContent("HUMAN_REVIEW — task 2.4");
    expect(screen.getByTestId("review-reason")).toHaveTextContent(reason);
    expect(screen.getByTestId("start-run")).toBeDisabled();

    for (const action of ["retry", "skip", "done"] as const) {
      emit(api, changed(makeExecution(DEMO, "blocked", { task_id: "2.4", reason })));
      await userEvent.click(screen.getByTestId(`review-${action}`));
    }
    emit(api, changed(makeExecution(DEMO, "blocked", { task_id: "2.4", reason })));
    await userEvent.click(screen.getByTestId("review-abort"));
    expect(calls(api, "reviewTask")).toHaveLength(3);
    await userEvent.click(screen.getByTestId("confirm-abort-confirm"));
    expect(calls(api, "reviewTask").map((c) => c.args[1])).toEqual(["retry", "skip", "done", "abort"]);
    expect(screen.queryByTestId("review-panel")).toBeNull();
  });

  it("asks to approve or reject a risky task that waits before it runs", async () => {
    // A risky task is not run until a person says so: the panel offers exactly that.
    const reason = "approval needed: the task is marked risky; approve or reject it";
    const api = demoApi(makeExecution(DEMO, "blocked", { task_id: "2.4", task_title: "Add subtraction", step: "human_review", reason }));
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    expect(screen.getByTestId("review-panel")).toHaveTextContent("APPROVAL NEEDED — task 2.4");
    expect(screen.queryByTestId("review-retry")).toBeNull();
    await userEvent.click(screen.getByTestId("review-approve"));
    emit(api, changed(makeExecution(DEMO, "blocked", { task_id: "3.1", reason: "approval needed: risky keyword; approve or reject it" })));
    await userEvent.click(screen.getByTestId("review-reject"));
    expect(calls(api, "reviewTask").map((c) => c.args)).toEqual([
      [DEMO, "approve"],
      [DEMO, "reject"],
    ]);
  });

  it("presses the controls from the keyboard: s, p, r, Shift+Esc and /", async () => {
    // Shortcuts do what their buttons do, and nothing when the button is disabled.
    const api = demoApi();
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    await userEvent.keyboard("s");
    expect(calls(api, "startRun")).toHaveLength(1);
    await userEvent.keyboard("r");
    expect(calls(api, "resumeRun")).toHaveLength(0);
    await userEvent.keyboard("p");
    expect(calls(api, "pauseRun")).toHaveLength(1);
    await userEvent.keyboard("r");
    expect(calls(api, "resumeRun")).toHaveLength(1);

    await userEvent.keyboard("{Shift>}{Escape}{/Shift}");
    expect(screen.getByTestId("confirm-stop-all-dialog")).toBeInTheDocument();
    await userEvent.click(screen.getByText("Cancel"));
    expect(calls(api, "emergencyStopAll")).toHaveLength(0);

    await userEvent.keyboard("/");
    await vi.waitFor(() => expect(screen.getByTestId("log-filter")).toHaveFocus());
    // Typing in the filter is not a shortcut.
    await userEvent.keyboard("sp");
    expect(screen.getByTestId("log-filter")).toHaveValue("sp");
    expect(calls(api, "startRun")).toHaveLength(1);

    await userEvent.click(screen.getByTestId("shortcuts"));
    expect(screen.getByTestId("shortcuts-help")).toHaveTextContent("Emergency stop all");
  });
});

describe("task tree", () => {
  it("numbers and indents tasks, shows their state, and opens a task's pull request and artifacts", async () => {
    // The right pane renders the task list as a tree with 1.2.3.4 numbering and per-task details.
    const api = demoApi();
    const tree = demoTree(DEMO);
    const done = tree.tasks.find((t) => t.node.id === "1.1");
    if (done) {
      done.state = "done";
      done.attempts = 1;
      done.branch = "task/1.1-describe-the-project-in-the-readme";
      done.pr_url = "https://github.com/acme/calculator/pull/1";
    }
    api.trees[DEMO] = tree;
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    const row = await screen.findByTestId("task-1.1");
    expect(row).toHaveTextContent("1.1Describe the project in the README");
    expect(row).toHaveTextContent("Done");
    expect(row.style.paddingLeft).toBe("24px");
    expect(screen.getByTestId("task-1").style.paddingLeft).toBe("8px");
    expect(screen.getByTestId("task-2.4")).toHaveTextContent("after 2.3");
    expect(screen.getByTestId("task-2.4")).toHaveTextContent("1 criterion");

    await userEvent.click(row);
    const details = screen.getByTestId("task-details");
    expect(details).toHaveTextContent("Attempts1");
    expect(screen.getByTestId("task-branch")).toHaveTextContent("task/1.1-describe-the-project-in-the-readme");
    await userEvent.click(screen.getByTestId("open-pr"));
    expect(calls(api, "openUrl").map((c) => c.args)).toEqual([["https://github.com/acme/calculator/pull/1"]]);
    await userEvent.click(screen.getByTestId("open-artifacts"));
    expect(calls(api, "openArtifacts").map((c) => c.args)).toEqual([[DEMO, "1.1"]]);

    await userEvent.click(screen.getByTestId("task-2.4"));
    expect(screen.getByTestId("task-details")).toHaveTextContent("test.sub — runs `sh tests/test_sub.sh`");
  });

  it("moves task states with the run's events", async () => {
    // Between reads of the stored tree, events keep each task's state current.
    const api = demoApi(makeExecution(DEMO, "task_executing"));
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    await screen.findByTestId("task-2.4");
    emit(api, { type: "step_started", project_id: DEMO, task_id: "2.4", title: "Add subtraction", step: "error_solve", attempt: 2 });
    expect(screen.getByTestId("task-2.4")).toHaveAttribute("data-state", "retrying");
    expect(screen.getByTestId("task-2.4")).toHaveTextContent("Retrying");
  });
});

describe("log", () => {
  it("reads the stored history page by page, then appends live lines", async () => {
    // History comes from logLines (paged with `after`); live `log` events follow it.
    const api = demoApi(makeExecution(DEMO, "task_executing"));
    api.storedLogs[DEMO] = makeLogLines(LOG_PAGE + 20);
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    await userEvent.click(screen.getByTestId("tab-log"));
    await vi.waitFor(() => expect(screen.getByTestId("log-count")).toHaveTextContent(`${(LOG_PAGE + 20).toLocaleString()} lines`));
    expect(calls(api, "logLines").filter((c) => c.args[0] === DEMO).map((c) => c.args[2])).toEqual([0, LOG_PAGE]);

    act(() => {
      for (let i = 0; i < 3; i++) {
        api.emit({ type: "log", project_id: DEMO, task_id: "2.4", step: "verify", stream: "stderr", line: `sub 7 2 is not 5 (${i})` });
      }
    });
    await act(async () => {
      await new Promise((r) => setTimeout(r, LOG_FLUSH_MS * 3));
    });
    expect(screen.getByTestId("log-count")).toHaveTextContent(`${(LOG_PAGE + 23).toLocaleString()} lines`);
    expect(screen.getByTestId("log-lines")).toHaveTextContent("sub 7 2 is not 5 (2)");
  });

  it("reads the stored tail when a run ends, so lines lost on the way show", async () => {
    // The window may miss live lines under load; after run_finished the store fills the gap.
    const api = demoApi(makeExecution(DEMO, "task_executing"));
    api.storedLogs[DEMO] = makeLogLines(2);
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    await userEvent.click(screen.getByTestId("tab-log"));
    await vi.waitFor(() => expect(screen.getByTestId("log-count")).toHaveTextContent("2 lines"));
    // Line 3 arrives live; line 4 is lost on the way; the store has both.
    act(() => api.emit({ type: "log", project_id: DEMO, task_id: "1.1", step: "implement", stream: "stdout", line: "stored line 3" }));
    api.storedLogs[DEMO] = makeLogLines(4);
    emit(api, { type: "run_finished", project_id: DEMO, end: { kind: "all_done", tasks_done: 9 } });
    await vi.waitFor(() => expect(screen.getByTestId("log-count")).toHaveTextContent("4 lines"));
    expect(screen.getByTestId("log-lines")).toHaveTextContent("stored line 4");
    expect(calls(api, "logLines").filter((c) => c.args[0] === DEMO).map((c) => c.args[2])).toEqual([0, 2]);
  });
});

describe("lost events", () => {
  it("reads executions, tree and log again when the shell says events were lost", async () => {
    // A window that fell behind a flood misses events; the engine's state is the truth.
    const api = demoApi(makeExecution(DEMO, "task_executing"));
    api.storedLogs[DEMO] = makeLogLines(2);
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    await userEvent.click(screen.getByTestId("tab-log"));
    await vi.waitFor(() => expect(screen.getByTestId("log-count")).toHaveTextContent("2 lines"));
    const treeReads = calls(api, "taskTree").length;
    // The run went on to HUMAN_REVIEW and printed two lines; none of it reached the window.
    api.executionList = [makeExecution(DEMO, "blocked")];
    api.storedLogs[DEMO] = makeLogLines(4);
    act(() => api.emitMissed(120));
    await vi.waitFor(() => expect(screen.getByTestId(`exec-badge-${DEMO}`)).toHaveAttribute("data-state", "blocked"));
    await vi.waitFor(() => expect(screen.getByTestId("log-count")).toHaveTextContent("4 lines"));
    expect(screen.getByTestId("log-lines")).toHaveTextContent("stored line 4");
    expect(calls(api, "taskTree").length).toBeGreaterThan(treeReads);
  });
});

describe("lost events during a flood", () => {
  it("many notices and the run's end make one exact log, not one spliced from overlapping reads", async () => {
    // Tail reads run one at a time per project; each starts from the buffer the one before left.
    const api = demoApi(makeExecution(DEMO, "task_executing"));
    api.storedLogs[DEMO] = makeLogLines(2);
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    await userEvent.click(screen.getByTestId("tab-log"));
    await vi.waitFor(() => expect(screen.getByTestId("log-count")).toHaveTextContent("2 lines"));
    api.storedLogs[DEMO] = makeLogLines(40);
    act(() => {
      for (let i = 0; i < 3; i++) {
        api.emit({ type: "log", project_id: DEMO, task_id: "1.1", step: "implement", stream: "stdout", line: `stored line ${3 + i}` });
        api.emitMissed(512);
      }
      api.emit({ type: "run_finished", project_id: DEMO, end: { kind: "all_done", tasks_done: 9 } });
    });
    await vi.waitFor(() => expect(screen.getByTestId("log-count")).toHaveTextContent("40 lines"));
    // Settled: later reads change nothing.
    await new Promise((r) => setTimeout(r, 600));
    expect(screen.getByTestId("log-count")).toHaveTextContent("40 lines");
  });
});

describe("metrics", () => {
  it("charts progress, container CPU and memory from events, and the host load", async () => {
    // Charts are fed by progress and stats events; host load comes from hostLoad().
    const api = demoApi(makeExecution(DEMO, "task_executing", { done: 1, total: 9 }));
    await start(api);
    await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
    emit(api, { type: "progress", project_id: DEMO, done: 2, total: 9 });
    emit(api, { type: "stats", project_id: DEMO, sample: { cpu_percent: 42.5, memory_bytes: 64 * 1024 * 1024, memory_limit: 2 * 1024 ** 3 } });
    fireEvent.click(screen.getByTestId("tab-metrics"));
    expect(await screen.findByTestId("metrics-progress")).toHaveTextContent("2 of 9 tasks");
    expect(screen.getByTestId("metrics-cpu")).toHaveTextContent("42.5% of a core");
    expect(screen.getByTestId("metrics-memory")).toHaveTextContent("64 MB of 2.0 GB");
    expect(screen.getByTestId("chart-progress")).toHaveAttribute("data-points", "2");
    await vi.waitFor(() => expect(screen.getByTestId("metrics-host")).toHaveTextContent("CPU 12% · 2 cores"));
    expect(calls(api, "hostLoad").length).toBeGreaterThanOrEqual(1);
  });
});

describe("empty state", () => {
  it("creates the demo project, selects it and offers Start", async () => {
    // A newcomer's fastest way to see DevTeam work: one click to the demo, the next one starts it.
    const api = new FakeApi([]);
    await start(api);
    await userEvent.click(screen.getByTestId("create-demo"));
    expect(calls(api, "createDemo")).toHaveLength(1);
    expect(await screen.findByTestId("project-details")).toHaveTextContent("Calculator");
    const startButton = screen.getByTestId("start-run");
    expect(startButton).toBeEnabled();
    await vi.waitFor(() => expect(startButton).toHaveFocus());
    expect(await screen.findByTestId("task-3.3")).toBeInTheDocument();
  });
});

// Manual override: a person takes a task over from its details ("Do it
// myself"). The command gets the project and the task; it is offered only
// while no run walks the project; the engine's refusal shows beside the
// button; and the review panel then reads as the person's own task.

import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App } from "./App";
import type { Execution } from "./bindings";
import { demoTree, engineError, FakeApi, makeExecution, makeProject, makeTask } from "./test/fakeApi";

const DEMO = "devteam-demo-calculator";
const demo = makeProject(DEMO, { customer: "DevTeam Demo", name: "Calculator" });

function demoApi(execution?: Execution) {
  const api = new FakeApi([demo]);
  const tree = demoTree(DEMO);
  tree.tasks = tree.tasks.map((t) => (t.node.id === "1.1" ? makeTask("1.1", t.node.title, { state: "done" }, { complete: true }) : t));
  api.trees[DEMO] = tree;
  if (execution) api.executionList = [execution];
  return api;
}

async function openTask(api: FakeApi, taskId: string) {
  render(<App api={api} />);
  await screen.findByTestId("project-list");
  await act(async () => {});
  await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
  await userEvent.click(await screen.findByTestId(`task-${taskId}`));
  return within(screen.getByTestId("task-details"));
}

const calls = (api: FakeApi, method: string) => api.calls.filter((c) => c.method === method);

describe("taking a task over", () => {
  it("takes the selected task of a paused project, and the review panel reads as the person's own", async () => {
    // Paused on 1.2, the person takes 2.1: the execution still names 1.2, the tree says which task waits.
    const api = demoApi(makeExecution(DEMO, "paused", { task_id: "1.2", task_title: "Ignore build output" }));
    const details = await openTask(api, "2.1");
    const take = details.getByTestId("take-task");
    expect(take).toBeEnabled();
    await userEvent.click(take);
    expect(calls(api, "takeTask").map((c) => c.args)).toEqual([[DEMO, "2.1"]]);

    const panel = await screen.findByTestId("review-panel");
    await within(panel).findByText(/TAKEN OVER — task 2\.1/);
    expect(panel).toHaveTextContent("Add the add function");
    expect(screen.getByTestId("review-reason")).toHaveTextContent(/^taken by ui: the run waits/);
    expect(screen.getByTestId("review-done")).toHaveTextContent("Mark done (I did it)");
    expect(screen.getByTestId("review-retry")).toHaveTextContent("Hand back to the agent");
    expect(screen.getByTestId("review-skip")).toHaveTextContent("Skip");
    expect(screen.getByTestId(`exec-badge-${DEMO}`)).toHaveTextContent("BLOCKED");
    // Taken, the task cannot be taken again.
    expect(screen.getByTestId("take-task")).toBeDisabled();
    expect(screen.queryByTestId("take-error")).toBeNull();

    await userEvent.click(screen.getByTestId("review-done"));
    expect(calls(api, "reviewTask").map((c) => c.args)).toEqual([[DEMO, "done"]]);
  });

  it("takes a task of a project that never ran", async () => {
    // No execution at all is "not running": the engine takes it and the project shows as blocked.
    const api = demoApi();
    const details = await openTask(api, "3.1");
    await userEvent.click(details.getByTestId("take-task"));
    expect(calls(api, "takeTask").map((c) => c.args)).toEqual([[DEMO, "3.1"]]);
    expect(await screen.findByTestId("review-panel")).toHaveTextContent("TAKEN OVER");
  });

  it("is disabled while the project runs, saying to pause first", async () => {
    // The engine refuses a take while a run walks the project; the button says so before it is pressed.
    const api = demoApi(makeExecution(DEMO, "task_executing", { task_id: "1.2", step: "implement" }));
    const details = await openTask(api, "2.1");
    const take = details.getByTestId("take-task");
    expect(take).toBeDisabled();
    expect(take).toHaveAttribute("title", expect.stringMatching(/running: pause it first/));
    await userEvent.click(take);
    expect(calls(api, "takeTask")).toHaveLength(0);

    // Paused, it may.
    await userEvent.click(screen.getByTestId("pause-run"));
    expect(await screen.findByTestId("take-task")).toBeEnabled();
  });

  it("shows the engine's refusal beside the button", async () => {
    // Say a terminal runs the project: the window thinks it stopped, the engine says it runs.
    const api = demoApi(makeExecution(DEMO, "stopped"));
    api.runAnswers.push({ ok: false, error: engineError(`${DEMO} is running: pause it first, then take task 2.1`, "conflict") });
    const details = await openTask(api, "2.1");
    await userEvent.click(details.getByTestId("take-task"));
    expect(await screen.findByTestId("take-error")).toHaveTextContent(
      `Cannot take task 2.1: ${DEMO} is running: pause it first, then take task 2.1`,
    );
    // Inline, not a passing notice; nothing changed.
    expect(screen.queryByTestId("notice")).toBeNull();
    expect(screen.queryByTestId("review-panel")).toBeNull();
    expect(screen.getByTestId("take-task")).toBeEnabled();
    // Another task starts clean.
    await userEvent.click(screen.getByTestId("task-2.2"));
    expect(screen.queryByTestId("take-error")).toBeNull();
  });

  it("is not offered for a task that is done", async () => {
    const api = demoApi(makeExecution(DEMO, "paused"));
    const details = await openTask(api, "1.1");
    expect(details.queryByTestId("take-task")).toBeNull();
  });

  it("keeps the usual review wording for a task that failed on its own", async () => {
    // Only a task a person took over reads "Mark done (I did it)".
    const api = demoApi(makeExecution(DEMO, "blocked", { task_id: "2.4", reason: "task 2.4 failed 3 attempts" }));
    await openTask(api, "2.1");
    expect(screen.getByTestId("review-panel")).toHaveTextContent("HUMAN_REVIEW — task 2.4");
    expect(screen.getByTestId("review-done")).toHaveTextContent(/^Mark done$/);
    expect(screen.getByTestId("review-retry")).toHaveTextContent(/^Retry$/);
  });
});

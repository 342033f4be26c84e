// Live verification in a task's details: as the engine checks a task's
// criteria and finishes attempts, the details show the latest attempt's
// results (✓/✗, criterion, one line of evidence) and each attempt's outcome;
// a task nothing was heard of shows neither.

import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App } from "../App";
import type { EngineEvent } from "../bindings";
import { demoTree, FakeApi, makeProject, makeTask } from "../test/fakeApi";
import { TaskDetails } from "./TaskTree";

const DEMO = "devteam-demo-calculator";
const demo = makeProject(DEMO, { customer: "DevTeam Demo", name: "Calculator" });

function checked(task_id: string, attempt: number, criterion: string, passed: boolean, evidence: string): EngineEvent {
  return { type: "criterion_checked", project_id: DEMO, task_id, attempt, criterion, passed, evidence };
}

function finished(task_id: string, attempt: number, passed: boolean, failure: string | null = null): EngineEvent {
  return { type: "attempt_finished", project_id: DEMO, task_id, attempt, passed, failure };
}

async function openTask(api: FakeApi, taskId: string) {
  render(<App api={api} />);
  await screen.findByTestId("project-list");
  await act(async () => {});
  await userEvent.click(screen.getByTestId(`project-item-${DEMO}`));
  await userEvent.click(await screen.findByTestId(`task-${taskId}`));
  return screen.getByTestId("task-details");
}

describe("task details: live verification", () => {
  it("shows the latest attempt's criteria and every attempt's outcome as the events arrive", async () => {
    const api = new FakeApi([demo]);
    api.trees[DEMO] = demoTree(DEMO);
    const details = await openTask(api, "2.4");
    expect(within(details).queryByTestId("task-verification")).toBeNull();
    expect(within(details).queryByTestId("task-attempts")).toBeNull();

    const evidence = "expected 2, got 3\nat tests/test_sub.sh line 4";
    act(() => {
      api.emit(checked("2.4", 1, "test.sub", false, evidence));
      api.emit(checked("2.4", 1, "lint", true, "no findings"));
      api.emit(finished("2.4", 1, false, "test.sub failed: expected 2, got 3\nsee the artifacts"));
      // Another task's results stay with that task.
      api.emit(checked("2.1", 1, "add", true, "ok"));
    });
    expect(within(details).getByText("Verification (attempt 1)")).toBeInTheDocument();
    const list = within(details).getByTestId("task-verification");
    expect(within(list).getAllByRole("listitem")).toHaveLength(2);
    const sub = within(list).getByTestId("verification-test.sub");
    expect(sub).toHaveTextContent("✗test.subexpected 2, got 3 at tests/test_sub.sh line 4");
    expect(within(sub).getByRole("img", { name: "failed" })).toBeInTheDocument();
    // The evidence is one line; the whole of it is in the tooltip.
    expect(within(sub).getByTestId("verification-evidence")).toHaveAttribute("title", evidence);
    expect(within(list).getByTestId("verification-lint")).toHaveTextContent("✓lintno findings");
    expect(within(details).getByTestId("attempt-1")).toHaveTextContent(/^1✗test\.sub failed: expected 2, got 3$/);
    expect(list).not.toHaveTextContent("add");

    // Attempt 2: a new list replaces the old one; the attempts add up.
    act(() => {
      api.emit(checked("2.4", 2, "test.sub", true, "exit 0"));
      api.emit(finished("2.4", 2, true));
    });
    expect(within(details).getByText("Verification (attempt 2)")).toBeInTheDocument();
    expect(within(details).queryByText("Verification (attempt 1)")).toBeNull();
    const again = within(details).getByTestId("task-verification");
    expect(within(again).getAllByRole("listitem")).toHaveLength(1);
    expect(within(again).getByTestId("verification-test.sub")).toHaveTextContent("✓test.subexit 0");
    const attempts = within(within(details).getByTestId("task-attempts")).getAllByRole("listitem");
    expect(attempts.map((a) => a.textContent)).toEqual(["1✗test.sub failed: expected 2, got 3", "2✓"]);

    // A run starting again keeps what was watched.
    act(() => api.emit({ type: "run_started", project_id: DEMO, run_id: 2 }));
    expect(within(details).getByTestId("task-attempts")).toBeInTheDocument();

    // Another task shows its own results only.
    await userEvent.click(screen.getByTestId("task-2.1"));
    const other = screen.getByTestId("task-details");
    expect(within(other).getByTestId("task-verification")).toHaveTextContent("✓addok");
    expect(within(other).queryByTestId("task-attempts")).toBeNull();
    await userEvent.click(screen.getByTestId("task-3.1"));
    expect(within(screen.getByTestId("task-details")).queryByTestId("task-verification")).toBeNull();
  });

  it("shows nothing without data, and an attempt without criteria or failure text plainly", () => {
    const task = makeTask("1.1", "Describe the project in the README", { attempts: 1, state: "retrying" });
    const noop = () => {};
    const { rerender } = render(<TaskDetails task={task} onOpenUrl={noop} onOpenArtifacts={noop} />);
    expect(screen.queryByText(/Verification/)).toBeNull();
    expect(screen.queryByTestId("task-attempts")).toBeNull();

    rerender(
      <TaskDetails
        task={task}
        verification={{ attempt: 0, criteria: [], attempts: [{ attempt: 1, passed: false, failure: null }] }}
        onOpenUrl={noop}
        onOpenArtifacts={noop}
      />,
    );
    expect(screen.queryByTestId("task-verification")).toBeNull();
    expect(screen.getByTestId("attempt-1")).toHaveTextContent(/^1✗$/);
  });
});

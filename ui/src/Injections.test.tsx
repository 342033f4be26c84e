// Task injection from the project pane: the dialog sends the right request,
// keeps what was typed when the engine refuses it, and the injections list
// follows the engine's events with Approve / Reject. Also the app settings'
// part of the start: the last selected project is shown again, the selection
// is saved, and a clicked notification selects its project.

import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App } from "./App";
import type { Injection } from "./bindings";
import { demoTree, engineError, FakeApi, makeProject, makeTask } from "./test/fakeApi";

const DEMO = "devteam-demo-calculator";
const demo = makeProject(DEMO, { customer: "DevTeam Demo", name: "Calculator" });
const portal = makeProject("acme-portal", { customer: "Acme Corp", name: "Portal" });

function demoApi() {
  const api = new FakeApi([demo, portal]);
  const tree = demoTree(DEMO);
  // 1.1 is done and 2.1 running: neither can be replaced.
  tree.tasks = tree.tasks.map((t) =>
    t.node.id === "1.1" ? makeTask("1.1", t.node.title, { state: "done" }, { complete: true }) : t.node.id === "2.1" ? { ...t, state: "running" } : t,
  );
  api.trees[DEMO] = tree;
  api.appSettings = { settings: { ...api.appSettings.settings, selected_project_id: DEMO }, error: null };
  return api;
}

async function start(api: FakeApi) {
  render(<App api={api} />);
  await screen.findByTestId("project-list");
  await act(async () => {});
  await screen.findByText("Add the add function");
}

const calls = (api: FakeApi, method: string) => api.calls.filter((c) => c.method === method);

function pending(id: number, fields: Partial<Injection> = {}): Injection {
  return {
    id,
    project_id: DEMO,
    at: { kind: "positional", after: "2.2" },
    title: `Injected ${id}`,
    body: "",
    status: "pending",
    task_id: null,
    anchor: null,
    requested_by: "cli",
    decided_by: null,
    created_at: "2025-01-15T10:30:00Z",
    decided_at: null,
    ...fields,
  };
}

describe("task injection", () => {
  it("injects a task to run next with its title and Markdown body", async () => {
    const api = demoApi();
    const user = userEvent.setup();
    await start(api);
    await user.click(screen.getByTestId("inject-task"));
    const dialog = screen.getByTestId("inject-dialog");
    await user.type(within(dialog).getByTestId("field-title"), "Fix the login bug");
    await user.type(within(dialog).getByTestId("field-body"), "Steps:{enter}```sh{enter}make test{enter}```");
    await user.click(within(dialog).getByTestId("inject-submit"));
    await waitFor(() => expect(screen.queryByTestId("inject-dialog")).toBeNull());
    expect(calls(api, "injectTask")).toEqual([
      {
        method: "injectTask",
        args: [DEMO, { at: { kind: "priority" }, title: "Fix the login bug", body: "Steps:\n```sh\nmake test\n```" }],
      },
    ]);
    // The answer shows in the list with its status and the task ID it got.
    const row = await screen.findByTestId("injection-1");
    expect(row).toHaveTextContent("Fix the login bug");
    expect(row).toHaveTextContent("→ 1.0");
    expect(within(row).getByTestId("injection-status-1")).toHaveTextContent("Approved");
  });

  it("sends a positional request after the chosen task", async () => {
    const api = demoApi();
    const user = userEvent.setup();
    await start(api);
    await user.click(screen.getByTestId("inject-task"));
    const dialog = screen.getByTestId("inject-dialog");
    await user.type(within(dialog).getByTestId("field-title"), "Add division");
    await user.click(within(dialog).getByTestId("inject-where-positional"));
    expect(within(dialog).getByTestId("inject-submit")).toBeDisabled();
    await user.selectOptions(within(dialog).getByTestId("field-after"), "2.2");
    await user.click(within(dialog).getByTestId("inject-submit"));
    await waitFor(() => expect(calls(api, "injectTask")).toHaveLength(1));
    expect(calls(api, "injectTask")[0]?.args).toEqual([DEMO, { at: { kind: "positional", after: "2.2" }, title: "Add division", body: "" }]);
  });

  it("offers only tasks neither done nor running for replace, and keeps the text when the engine refuses", async () => {
    const api = demoApi();
    api.injectAnswers = [{ ok: false, error: engineError("task 1.2 is already done") }];
    const user = userEvent.setup();
    await start(api);
    await user.click(screen.getByTestId("inject-task"));
    const dialog = screen.getByTestId("inject-dialog");
    await user.type(within(dialog).getByTestId("field-title"), "Rewrite the ignore file");
    await user.type(within(dialog).getByTestId("field-body"), "Keep dist/ out");
    await user.click(within(dialog).getByTestId("inject-where-replace"));
    const select = within(dialog).getByTestId("field-task");
    const options = within(select)
      .getAllByRole("option")
      .map((o) => (o as HTMLOptionElement).value);
    expect(options).toContain("1.2");
    expect(options).not.toContain("1.1");
    expect(options).not.toContain("2.1");
    await user.selectOptions(select, "1.2");
    await user.click(within(dialog).getByTestId("inject-submit"));

    expect(await within(dialog).findByTestId("inject-error")).toHaveTextContent("task 1.2 is already done");
    expect(calls(api, "injectTask")[0]?.args).toEqual([
      DEMO,
      { at: { kind: "replace", task: "1.2" }, title: "Rewrite the ignore file", body: "Keep dist/ out" },
    ]);
    // Nothing typed is lost: the dialog stays with every field as it was.
    expect(screen.getByTestId("inject-dialog")).toBeInTheDocument();
    expect(within(dialog).getByTestId("field-title")).toHaveValue("Rewrite the ignore file");
    expect(within(dialog).getByTestId("field-body")).toHaveValue("Keep dist/ out");
    expect(within(dialog).getByTestId("field-task")).toHaveValue("1.2");
  });

  it("lists the project's injections, follows injection_changed and approves or rejects pending ones", async () => {
    const api = demoApi();
    api.injections = [pending(1), pending(2, { at: { kind: "replace", task: "3.3" } })];
    const user = userEvent.setup();
    await start(api);
    expect(calls(api, "listInjections")).toEqual([{ method: "listInjections", args: [DEMO] }]);
    const first = await screen.findByTestId("injection-1");
    expect(first).toHaveTextContent("after 2.2");
    expect(screen.getByTestId("injection-2")).toHaveTextContent("instead of 3.3");

    await user.click(within(first).getByTestId("injection-approve-1"));
    expect(calls(api, "decideInjection")).toEqual([{ method: "decideInjection", args: [DEMO, 1, true] }]);
    await waitFor(() => expect(screen.getByTestId("injection-status-1")).toHaveTextContent("Approved"));
    expect(screen.getByTestId("injection-1")).toHaveTextContent("→ 9.9");

    await user.click(screen.getByTestId("injection-reject-2"));
    expect(calls(api, "decideInjection")[1]?.args).toEqual([DEMO, 2, false]);
    await waitFor(() => expect(screen.getByTestId("injection-status-2")).toHaveTextContent("Rejected"));

    // Pushed by the engine (a decision from the CLI, a placement): applied at once.
    act(() => api.emit({ type: "injection_changed", injection: pending(3, { title: "From the CLI" }) }));
    expect(screen.getByTestId("injection-3")).toHaveTextContent("From the CLI");
    act(() => api.emit({ type: "injection_changed", injection: pending(3, { title: "From the CLI", status: "applied", task_id: "2.5" }) }));
    expect(screen.getByTestId("injection-status-3")).toHaveTextContent("Applied");
    expect(screen.getByTestId("injection-3")).toHaveTextContent("→ 2.5");
  });
});

describe("selection across starts", () => {
  it("shows the project selected last time, saves a new selection, and selects a notification's project", async () => {
    const api = demoApi();
    const user = userEvent.setup();
    await start(api);
    // Restored: the demo, though the portal comes first in the list.
    expect(screen.getByTestId("project-details")).toHaveTextContent("Calculator");

    await user.click(within(screen.getByTestId("project-list")).getByText("Portal"));
    await waitFor(() => expect(calls(api, "setAppSettings")).toHaveLength(1), { timeout: 3000 });
    expect(calls(api, "setAppSettings")[0]?.args).toEqual([{ ...api.appSettings.settings, selected_project_id: "acme-portal" }]);
    expect(api.appSettings.settings.close_to_tray).toBe(true);

    act(() => api.emitSelect(DEMO));
    expect(screen.getByTestId("project-details")).toHaveTextContent("Calculator");
    // An unknown project changes nothing.
    act(() => api.emitSelect("gone"));
    expect(screen.getByTestId("project-details")).toHaveTextContent("Calculator");
  });
});

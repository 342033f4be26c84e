// The whole UI against a fake engine: what a user sees first, how a failed
// start reads, and that changes pushed by the engine show without polling.

import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { App } from "./App";
import { FakeApi, HEALTHY, INFO, makeProject, validationError } from "./test/fakeApi";

const portal = makeProject("acme-portal", { customer: "Acme Corp", name: "Portal" });
const shop = makeProject("globex-shop", { customer: "Globex", name: "Shop" });

async function start(api: FakeApi) {
  render(<App api={api} />);
  await screen.findByTestId("health-strip");
  await screen.findByTestId("project-list");
  // Let the listing settle so the test sees the steady screen.
  await act(async () => {});
}

const calls = (api: FakeApi, method: string) => api.calls.filter((c) => c.method === method).length;

describe("empty state", () => {
  it("is shown when there is no project, and its button opens the project form", async () => {
    // A new user's first screen must say what to do next: add a customer project.
    const api = new FakeApi([]);
    await start(api);
    const empty = screen.getByTestId("empty-state");
    expect(empty).toHaveTextContent("Add your first customer project");
    // It mentions the task list and its format, which the user must have in the repository.
    expect(empty).toHaveTextContent("ai_docs/tasks/tasks_list.md");
    expect(empty).toHaveTextContent("1.1 Create the skeleton");
    expect(screen.getAllByTestId("add-project")).toHaveLength(1);
    await userEvent.click(screen.getByTestId("add-project"));
    expect(screen.getByTestId("project-form")).toBeInTheDocument();
  });

  it("is hidden once projects exist, which are listed by name and customer", async () => {
    // With projects the dashboard shows them instead; each entry names project and customer.
    await start(new FakeApi([portal, shop]));
    expect(screen.queryByTestId("empty-state")).toBeNull();
    const item = screen.getByTestId("project-item-acme-portal");
    expect(item).toHaveTextContent("Portal");
    expect(item).toHaveTextContent("Acme Corp");
    expect(within(screen.getByTestId("project-list")).getByTestId("project-item-globex-shop")).toHaveTextContent("Globex");
    expect(screen.getAllByTestId("add-project")).toHaveLength(1);
    // The center pane says no run exists yet and what comes next.
    expect(screen.getByTestId("no-runs")).toHaveTextContent("No runs yet");
  });

  it("appears after the last project is removed", async () => {
    // Removing everything brings the user back to the guided start.
    const api = new FakeApi([portal]);
    await start(api);
    await userEvent.click(screen.getByTestId("tab-settings"));
    await userEvent.click(screen.getByTestId("remove-project"));
    await userEvent.click(screen.getByTestId("confirm-remove"));
    expect(await screen.findByTestId("empty-state")).toBeInTheDocument();
    expect(api.calls.find((c) => c.method === "removeProject")?.args).toEqual(["acme-portal"]);
  });
});

describe("startup error page", () => {
  it("shows the engine's message, naming the broken database file, instead of the dashboard", async () => {
    // A corrupt database must give a clear page naming the file, never a blank window.
    const api = new FakeApi();
    const file = "/home/dev/.local/share/devteam/devteam.sqlite3";
    api.info = { ok: false, error: { code: "database", message: `The database ${file} is not a valid SQLite file`, fields: [] } };
    render(<App api={api} />);
    const page = await screen.findByTestId("startup-error");
    expect(page).toHaveTextContent(file);
    expect(page).toHaveTextContent("database");
    expect(screen.queryByTestId("health-strip")).toBeNull();
    expect(screen.queryByTestId("project-list")).toBeNull();
  });

  it("tries again on request and opens the dashboard once the engine starts", async () => {
    // After moving the bad file aside the user retries without restarting the app.
    const api = new FakeApi([portal]);
    api.info = { ok: false, error: { code: "io", message: "cannot write /data", fields: [] } };
    render(<App api={api} />);
    await screen.findByTestId("startup-error");
    api.info = { ok: true, value: INFO };
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("project-item-acme-portal")).toBeInTheDocument();
    expect(screen.queryByTestId("startup-error")).toBeNull();
  });
});

describe("dashboard", () => {
  it("shows the version and the log folder in the status line", async () => {
    // A person reporting a problem needs to know which version and where the logs are.
    await start(new FakeApi([portal]));
    expect(screen.getByTestId("status-bar")).toHaveTextContent("DevTeam 0.1.0");
    expect(screen.getByTestId("log-dir")).toHaveTextContent(INFO.log_dir);
  });

  it("adds a project through the form: rejected first with nothing lost, then listed and selected", async () => {
    // The end-to-end flow of issue 3 in miniature: field error, correction, project in the list.
    const api = new FakeApi([shop]);
    api.saveAnswers.push({ ok: false, error: validationError([{ field: "repo_url", message: "is not a git URL" }]) });
    await start(api);
    const user = userEvent.setup();
    await user.click(screen.getByTestId("add-project"));
    await user.type(screen.getByTestId("field-customer"), "Acme Corp");
    await user.type(screen.getByTestId("field-name"), "Portal");
    await user.type(screen.getByTestId("field-repo_url"), "nope");
    await user.click(screen.getByTestId("submit-project"));

    expect(await screen.findByTestId("error-repo_url")).toHaveTextContent("is not a git URL");
    expect(screen.getByTestId("field-customer")).toHaveValue("Acme Corp");
    expect(screen.getByTestId("field-name")).toHaveValue("Portal");

    await user.clear(screen.getByTestId("field-repo_url"));
    await user.type(screen.getByTestId("field-repo_url"), "git@github.com:acme/portal.git");
    await user.click(screen.getByTestId("submit-project"));

    expect(screen.queryByTestId("project-form")).toBeNull();
    const item = await screen.findByTestId("project-item-p-2");
    expect(item).toHaveTextContent("Portal");
    expect(item).toHaveAttribute("aria-current", "true");
    expect(screen.getByTestId("project-details")).toHaveTextContent("git@github.com:acme/portal.git");
    // Keyboard users continue from the project they just added.
    // Focus moves after the dialog closes; a loaded CI machine may take a while.
    await vi.waitFor(() => expect(screen.getByTestId("project-item-p-2")).toHaveFocus(), { timeout: 5000 });
  });

  it("edits the selected project from the details pane", async () => {
    // Edit opens the form on the stored settings; the saved answer replaces the entry.
    const api = new FakeApi([portal]);
    await start(api);
    const user = userEvent.setup();
    await user.click(screen.getByTestId("tab-settings"));
    await user.click(screen.getByTestId("edit-project"));
    expect(screen.getByTestId("field-name")).toHaveValue("Portal");
    await user.clear(screen.getByTestId("field-name"));
    await user.type(screen.getByTestId("field-name"), "Portal 2{Enter}");
    expect(await screen.findByTestId("project-item-acme-portal")).toHaveTextContent("Portal 2");
    expect(api.calls.find((c) => c.method === "updateProject")?.args[0]).toBe("acme-portal");
  });

  it("keeps the project when the remove confirmation is cancelled", async () => {
    // Removal is destructive for the user's setup; only an explicit confirm may do it.
    const api = new FakeApi([portal]);
    await start(api);
    await userEvent.click(screen.getByTestId("tab-settings"));
    await userEvent.click(screen.getByTestId("remove-project"));
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByTestId("confirm-remove")).toBeNull();
    expect(screen.getByTestId("project-item-acme-portal")).toBeInTheDocument();
    // Focus goes back to the button that opened the dialog, so the keyboard user keeps their place.
    expect(screen.getByTestId("remove-project")).toHaveFocus();
    expect(calls(api, "removeProject")).toBe(0);
  });

  it("follows pushed engine events without asking again", async () => {
    // Events are pushed, never polled: the list and the strip change with no new list or health call.
    const api = new FakeApi([portal]);
    await start(api);
    act(() => api.emit({ type: "project_added", project: shop }));
    expect(screen.getByTestId("project-item-globex-shop")).toHaveTextContent("Shop");
    act(() => api.emit({ type: "project_removed", project_id: "acme-portal" }));
    expect(screen.queryByTestId("project-item-acme-portal")).toBeNull();
    act(() =>
      api.emit({
        type: "health_changed",
        report: { checks: [{ name: "Docker", status: "missing", summary: "no engine answers", fix: "start it with scripts/dev docker" }] },
      }),
    );
    expect(screen.getByTestId("health-docker")).toHaveTextContent("Missing");
    expect(calls(api, "listProjects")).toBe(1);
    expect(calls(api, "health")).toBe(1);
  });

  it("keeps an event that arrives while the project list is on its way", async () => {
    // The listing may have been taken before the event; replaying held events keeps the change.
    const api = new FakeApi([portal]);
    let release: () => void = () => {};
    const list = api.listProjects.bind(api);
    api.listProjects = () => new Promise((resolve) => (release = () => void list().then(resolve)));
    render(<App api={api} />);
    await screen.findByTestId("health-strip");
    act(() => api.emit({ type: "project_added", project: shop }));
    // A health report does not wait for the list: the strip shows it at once.
    act(() =>
      api.emit({ type: "health_changed", report: { checks: [{ name: "Git", status: "missing", summary: "git not found", fix: "install git" }] } }),
    );
    expect(screen.getByTestId("health-git")).toHaveTextContent("Missing");
    await act(async () => release());
    expect(await screen.findByTestId("project-item-globex-shop")).toBeInTheDocument();
    expect(screen.getByTestId("project-item-acme-portal")).toBeInTheDocument();
  });

  it("stops listening to the engine when the window's UI goes away", async () => {
    // A listener left behind would apply events to a dead tree.
    const api = new FakeApi();
    const { unmount } = render(<App api={api} />);
    await screen.findByTestId("health-strip");
    expect(api.listenerCount).toBe(1);
    unmount();
    expect(api.listenerCount).toBe(0);
  });

  it("shows the health report it got at start", async () => {
    // The strip is filled from the first health answer before any event arrives.
    await start(new FakeApi([]));
    expect(screen.getByTestId("health-docker")).toHaveTextContent(HEALTHY.checks[0]?.summary ?? "");
  });
});

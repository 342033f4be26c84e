// The dashboard state is a pure function of engine answers and events; these
// tests pin the rules the components rely on.

import { describe, expect, it } from "vitest";

import type { HealthReport } from "../bindings";
import { makeProject, HEALTHY, INFO } from "../test/fakeApi";
import { initialState, reducer } from "./reducer";
import type { Action, AppState } from "./reducer";
import { groupByCustomer, selectedProject } from "./selectors";

const run = (actions: Action[], from: AppState = initialState) => actions.reduce(reducer, from);

const acmePortal = makeProject("acme-portal", { customer: "Acme", name: "Portal" });
const acmeApi = makeProject("acme-api", { customer: "Acme", name: "API" });
const globexShop = makeProject("globex-shop", { customer: "Globex", name: "Shop" });

const ids = (state: AppState) => state.projects?.map((p) => p.id);

describe("reducer", () => {
  it("starts with nothing loaded, so the UI can tell loading from empty", () => {
    // `null` projects means "not listed yet"; `[]` means "listed, none": only the latter shows the empty state.
    expect(initialState.projects).toBeNull();
    expect(initialState.startup.phase).toBe("starting");
  });

  it("sorts listed projects by customer then name and selects the first", () => {
    // The left pane groups consecutive projects by customer, so the order must be customer-major;
    // selecting the first keeps the details pane useful from the start.
    const state = run([{ type: "projects_listed", projects: [globexShop, acmePortal, acmeApi] }]);
    expect(ids(state)).toEqual(["acme-api", "acme-portal", "globex-shop"]);
    expect(state.selectedId).toBe("acme-api");
  });

  it("adds a pushed project once, even when the command's answer already added it", () => {
    // The add command answers with the project and the engine also emits project_added for it:
    // both arrive, and the list must show one entry.
    const state = run([
      { type: "projects_listed", projects: [] },
      { type: "project_saved", project: acmePortal },
      { type: "engine_event", event: { type: "project_added", project: acmePortal } },
    ]);
    expect(ids(state)).toEqual(["acme-portal"]);
  });

  it("selects a project the user just saved", () => {
    // After Add, the user expects to see what they added on the right.
    const state = run([
      { type: "projects_listed", projects: [acmeApi] },
      { type: "project_saved", project: globexShop },
    ]);
    expect(state.selectedId).toBe("globex-shop");
  });

  it("does not steal the selection when another client adds a project", () => {
    // Events can come from the CLI; jumping the details pane under the user would lose their place.
    const state = run([
      { type: "projects_listed", projects: [acmeApi] },
      { type: "engine_event", event: { type: "project_added", project: globexShop } },
    ]);
    expect(state.selectedId).toBe("acme-api");
    expect(ids(state)).toEqual(["acme-api", "globex-shop"]);
  });

  it("fills an empty selection from a pushed project", () => {
    // With nothing selected the details pane is blank; the first project to appear fills it.
    const state = run([
      { type: "projects_listed", projects: [] },
      { type: "engine_event", event: { type: "project_added", project: acmePortal } },
    ]);
    expect(state.selectedId).toBe("acme-portal");
  });

  it("replaces an updated project in place and re-sorts when its customer changes", () => {
    // An edit may move a project to another customer group; the list must follow.
    const moved = { ...acmeApi, settings: { ...acmeApi.settings, customer: "Zenith" } };
    const state = run([
      { type: "projects_listed", projects: [acmeApi, acmePortal, globexShop] },
      { type: "engine_event", event: { type: "project_updated", project: moved } },
    ]);
    expect(ids(state)).toEqual(["acme-portal", "globex-shop", "acme-api"]);
    expect(state.projects?.find((p) => p.id === "acme-api")?.settings.customer).toBe("Zenith");
  });

  it("selects the neighbour when the selected project is removed", () => {
    // Removing what is shown on the right should show the next project, not nothing.
    const state = run([
      { type: "projects_listed", projects: [acmeApi, acmePortal, globexShop] },
      { type: "project_selected", id: "acme-portal" },
      { type: "engine_event", event: { type: "project_removed", project_id: "acme-portal" } },
    ]);
    expect(ids(state)).toEqual(["acme-api", "globex-shop"]);
    expect(state.selectedId).toBe("globex-shop");
  });

  it("selects the previous project when the last one is removed, and nothing when none is left", () => {
    // The neighbour rule must not point past the end of the list.
    const two = run([
      { type: "projects_listed", projects: [acmeApi, acmePortal] },
      { type: "project_selected", id: "acme-portal" },
      { type: "project_removed", id: "acme-portal" },
    ]);
    expect(two.selectedId).toBe("acme-api");
    const none = run([{ type: "project_removed", id: "acme-api" }], two);
    expect(none.projects).toEqual([]);
    expect(none.selectedId).toBeNull();
  });

  it("ignores a removal it already applied", () => {
    // The remove command's answer and the project_removed event both arrive; the second is a no-op.
    const once = run([
      { type: "projects_listed", projects: [acmeApi, acmePortal] },
      { type: "project_removed", id: "acme-api" },
    ]);
    const twice = run([{ type: "engine_event", event: { type: "project_removed", project_id: "acme-api" } }], once);
    expect(twice).toBe(once);
  });

  it("takes a pushed health report over the previous one and clears a health error", () => {
    // The strip follows the engine's health_changed events; a stale failure must not linger.
    const dockerDown: HealthReport = {
      checks: [{ name: "Docker", status: "missing", summary: "no engine answers", fix: "start it with scripts/dev docker" }],
    };
    const state = run([
      { type: "health_check_failed", error: { code: "internal", message: "boom", fields: [] } },
      { type: "health_checked", report: HEALTHY },
      { type: "engine_event", event: { type: "health_changed", report: dockerDown } },
    ]);
    expect(state.health).toEqual(dockerDown);
    expect(state.healthError).toBeNull();
  });

  it("records a failed start, and forgets everything when the user retries", () => {
    // The startup page shows the engine's error; Try again must ask every question anew.
    const error = { code: "database" as const, message: "cannot open /x/devteam.sqlite3", fields: [] };
    const failed = run([{ type: "startup_failed", error }]);
    expect(failed.startup).toEqual({ phase: "failed", error });
    expect(run([{ type: "startup_retried" }], failed)).toEqual(initialState);
    expect(run([{ type: "startup_succeeded", info: INFO }]).startup).toEqual({ phase: "ready", info: INFO });
  });

  it("keeps the selection when the list is listed again and still has it", () => {
    // A re-list (e.g. after a retry) must not jump the user back to the first project.
    const state = run([
      { type: "projects_listed", projects: [acmeApi, globexShop] },
      { type: "project_selected", id: "globex-shop" },
      { type: "projects_listed", projects: [acmeApi, globexShop, acmePortal] },
    ]);
    expect(state.selectedId).toBe("globex-shop");
    expect(selectedProject(state)?.settings.name).toBe("Shop");
  });
});

describe("groupByCustomer", () => {
  it("groups consecutive projects under their customer, in list order", () => {
    // The left pane renders exactly these groups: customers once each, projects beneath.
    const state = run([{ type: "projects_listed", projects: [globexShop, acmePortal, acmeApi] }]);
    const groups = groupByCustomer(state.projects ?? []);
    expect(groups.map((g) => [g.customer, g.projects.map((p) => p.settings.name)])).toEqual([
      ["Acme", ["API", "Portal"]],
      ["Globex", ["Shop"]],
    ]);
  });
});

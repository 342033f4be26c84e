// The dashboard state is a pure function of engine answers and events; these
// tests pin the rules the components rely on.

import { describe, expect, it } from "vitest";

import type { EngineEvent, ExecState, Execution, HealthReport, Injection, Step } from "../bindings";
import { demoTree, engineError, makeExecution, makeLogLines, makeProject, makeStatus, HEALTHY, INFO } from "../test/fakeApi";
import { DEFAULT_LOG_CAP, logToArray } from "./logBuffer";
import { ATTEMPTS_KEPT, initialState, reducer, setLogCap } from "./reducer";
import type { Action, AppState } from "./reducer";
import { groupByCustomer, selectedProject } from "./selectors";
import { RESOURCE_POINTS } from "./series";

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

describe("reducer: runs", () => {
  const demo = makeProject("demo", { customer: "DevTeam Demo", name: "Calculator" });
  const listed = run([
    { type: "projects_listed", projects: [demo, acmeApi] },
    { type: "executions_listed", executions: [], at: 1000 },
  ]);
  const changed = (execution: Execution, at: number): Action => ({
    type: "engine_event",
    event: { type: "execution_changed", execution },
    at,
  });

  it("follows a demo run's badge from queued to completed, timing each state", () => {
    // The grid's badge and elapsed time come only from execution_changed events, in order.
    const states: [ExecState, Partial<Execution>][] = [
      ["queued", {}],
      ["initializing", { started_at: "2025-01-15T10:30:00Z" }],
      ["task_executing", { task_id: "1.1", step: "implement", attempt: 1, done: 0, total: 9 }],
      ["task_executing", { task_id: "1.1", step: "verify", attempt: 1, done: 0, total: 9 }],
      ["error_solving", { task_id: "2.4", step: "error_solve", attempt: 2, done: 5, total: 9 }],
      ["completed", { done: 9, total: 9 }],
    ];
    let state = listed;
    const seen: ExecState[] = [];
    states.forEach(([s, fields], i) => {
      state = reducer(state, changed(makeExecution("demo", s, fields), 2000 + i * 100));
      seen.push(state.executions.demo?.state ?? "failed");
    });
    expect(seen).toEqual(states.map(([s]) => s));
    expect(state.executions.demo?.done).toBe(9);
    // The state's start moves only when the state changes (two task_executing in a row keep the first).
    expect(state.stateSince.demo).toBe(2500);
    const mid = run(states.slice(0, 4).map(([s, f], i) => changed(makeExecution("demo", s, f), 2000 + i * 100)), listed);
    expect(mid.stateSince.demo).toBe(2200);
    // Progress over time: one point per change of done/total.
    expect(state.progress.demo?.map((p) => [p.done, p.total])).toEqual([
      [0, 9],
      [5, 9],
      [9, 9],
    ]);
  });

  it("takes the listed executions, and a command's answer like an event", () => {
    // executions() once at start, then answers and events upsert the same record.
    const state = run([
      { type: "executions_listed", executions: [makeExecution("demo", "paused", { done: 2, total: 9 })], at: 5 },
      { type: "execution_received", execution: makeExecution("demo", "queued", { done: 2, total: 9 }), at: 6 },
    ]);
    expect(state.executionsLoaded).toBe(true);
    expect(state.executions.demo?.state).toBe("queued");
    expect(state.stateSince.demo).toBe(6);
    // A run that halted before this window opened: when it halted is unknown, and not made up.
    const halted = run([{ type: "executions_listed", executions: [makeExecution("demo", "completed")], at: 5 }]);
    expect(halted.stateSince.demo).toBeUndefined();
  });

  it("appends live log lines per project, in order, one burst at a time", () => {
    // Lines of two projects interleave on the stream; each project's log keeps its own order.
    const log = (project_id: string, line: string): EngineEvent => ({
      type: "log",
      project_id,
      task_id: "1.1",
      step: "implement",
      stream: "stdout",
      line,
    });
    const state = run(
      [
        { type: "engine_events", events: [log("demo", "a"), log("acme-api", "x"), log("demo", "b")], at: 1 },
        { type: "engine_event", event: log("demo", "c"), at: 2 },
      ],
      listed,
    );
    expect(state.logs.demo && logToArray(state.logs.demo).map((e) => e.line)).toEqual(["a", "b", "c"]);
    expect(state.logs["acme-api"]?.length).toBe(1);
  });

  it("keeps at most the cap of lines per project (a ring buffer)", () => {
    // A run that prints without end must not grow the window's memory without end.
    setLogCap(1000);
    try {
      const events: EngineEvent[] = Array.from({ length: 2500 }, (_, i) => ({
        type: "log",
        project_id: "demo",
        task_id: "1.1",
        step: "implement",
        stream: "stdout",
        line: `line ${i + 1}`,
      }));
      const state = run([{ type: "engine_events", events, at: 1 }], listed);
      const buffer = state.logs.demo;
      expect(buffer?.length).toBe(1000);
      expect(buffer && logToArray(buffer)[0]?.line).toBe("line 1501");
    } finally {
      setLogCap(DEFAULT_LOG_CAP);
    }
  });

  it("puts the stored history before live lines that arrived meanwhile", () => {
    // The log view shows history first; a live line that is also stored shows once.
    const live: Action = {
      type: "engine_event",
      event: { type: "log", project_id: "demo", task_id: "1.1", step: "implement", stream: "stdout", line: "stored line 3" },
    };
    const state = run(
      [
        { type: "log_history_loading", projectId: "demo" },
        live,
        { type: "log_history_loaded", projectId: "demo", lines: makeLogLines(3) },
      ],
      listed,
    );
    expect(state.logs.demo && logToArray(state.logs.demo).map((e) => e.line)).toEqual([
      "stored line 1",
      "stored line 2",
      "stored line 3",
    ]);
    expect(state.logHistory.demo).toEqual({ status: "loaded" });
  });

  it("makes the log exact from the store after a run: stored lines replace the live ones", () => {
    // Live lines can be lost when the window falls behind; the stored tail takes their place,
    // and lines that arrived after the tail was asked for are kept.
    const live = (line: string): Action => ({
      type: "engine_event",
      event: { type: "log", project_id: "demo", task_id: "1.1", step: "implement", stream: "stdout", line },
    });
    const loaded = run([{ type: "log_history_loaded", projectId: "demo", lines: makeLogLines(2) }, live("stored line 3"), live("stored line 5")], listed);
    const asked = loaded.logs.demo?.appended ?? 0;
    const synced = run(
      [live("next run"), { type: "log_tail_synced", projectId: "demo", lines: makeLogLines(3, 3), appended: asked }],
      loaded,
    );
    const lines = synced.logs.demo ? logToArray(synced.logs.demo) : [];
    expect(lines.map((e) => e.line)).toEqual(["stored line 1", "stored line 2", "stored line 3", "stored line 4", "stored line 5", "next run"]);
    expect(lines.map((e) => e.stored_id)).toEqual([1, 2, 3, 4, 5, null]);

    // With no run going on, the history replaces whatever came live.
    const replaced = run([live("partial"), { type: "log_history_loaded", projectId: "demo", lines: makeLogLines(2), replace: true }], listed);
    expect(replaced.logs.demo && logToArray(replaced.logs.demo).map((e) => e.line)).toEqual(["stored line 1", "stored line 2"]);
  });

  it("keeps the last samples of a container's CPU and memory", () => {
    // The charts show the recent window; older samples leave so the series stays small.
    const events: Action[] = Array.from({ length: RESOURCE_POINTS + 20 }, (_, i) => ({
      type: "engine_event",
      event: { type: "stats", project_id: "demo", sample: { cpu_percent: i, memory_bytes: 1e6 * i, memory_limit: 2e9 } },
      at: i * 2000,
    }));
    const state = run(events, listed);
    const series = state.resources.demo ?? [];
    expect(series).toHaveLength(RESOURCE_POINTS);
    expect(series[0]?.cpu).toBe(20);
    expect(series[series.length - 1]).toEqual({ t: (RESOURCE_POINTS + 19) * 2000, cpu: RESOURCE_POINTS + 19, mem: 1e6 * (RESOURCE_POINTS + 19), limit: 2e9 });
  });

  it("moves tasks of the loaded tree with step_started, task_done and blocked", () => {
    // The tree shows each task's state live, between two reads of the stored tree.
    const step = (task_id: string, s: Step, attempt: number): Action => ({
      type: "engine_event",
      event: { type: "step_started", project_id: "demo", task_id, title: "", step: s, attempt },
    });
    const state = run([{ type: "tree_loaded", tree: demoTree("demo") }], listed);
    const task = (s: AppState, id: string) => s.trees.demo?.tree?.tasks.find((t) => t.node.id === id);
    const running = run([step("2.4", "implement", 1)], state);
    expect(task(running, "2.4")?.state).toBe("running");
    const retrying = run([step("2.4", "error_solve", 2)], running);
    expect(task(retrying, "2.4")).toMatchObject({ state: "retrying", attempts: 2, step: "error_solve" });
    const done = run(
      [{ type: "engine_event", event: { type: "task_done", project_id: "demo", task_id: "2.4", title: "", branch: "task/2.4-add-subtraction", attempts: 2, pr_url: null } }],
      retrying,
    );
    expect(task(done, "2.4")).toMatchObject({ state: "done", branch: "task/2.4-add-subtraction" });
    const blocked = run(
      [{ type: "engine_event", event: { type: "blocked", project_id: "demo", task_id: "3.1", reason: "3 attempts failed" } }],
      done,
    );
    expect(task(blocked, "3.1")).toMatchObject({ state: "human_review", reason: "3 attempts failed" });
    // Other tasks are untouched.
    expect(task(blocked, "1.1")?.state).toBe("pending");
  });

  it("notes an approval asked for, the agent chosen, and the machinery's retries", () => {
    // approval_needed opens the approve/reject panel; agent_chosen names the agent in the tree;
    // a retry of the machinery shows in the log as DevTeam's note.
    const state = run(
      [
        { type: "tree_loaded", tree: demoTree("demo") },
        changed(makeExecution("demo", "task_executing", { task_id: "2.1", step: "prep" }), 1),
        { type: "engine_event", event: { type: "agent_chosen", project_id: "demo", task_id: "2.1", agent: "aider", reason: "keyword" } },
        { type: "engine_event", event: { type: "approval_needed", project_id: "demo", task_id: "2.1", title: "", reason: "approval needed: risky" } },
        { type: "engine_event", event: { type: "retrying", project_id: "demo", reason: "docker is busy", retry: 1, wait_seconds: 5 } },
      ],
      listed,
    );
    expect(state.approvals.demo).toEqual({ task_id: "2.1", reason: "approval needed: risky" });
    const task = state.trees.demo?.tree?.tasks.find((t) => t.node.id === "2.1");
    expect(task).toMatchObject({ agent_used: "aider", state: "human_review" });
    expect(state.logs.demo && logToArray(state.logs.demo)[0]).toMatchObject({
      stream: "devteam",
      task_id: "2.1",
      line: "retry 1 in 5s (no attempt spent): docker is busy",
    });
    // Once the task is implemented, the question is answered.
    const answered = run(
      [{ type: "engine_event", event: { type: "step_started", project_id: "demo", task_id: "2.1", title: "", step: "implement", attempt: 1 } }],
      state,
    );
    expect(answered.approvals.demo).toBeUndefined();
  });

  it("counts each project's ended runs, so the history reads its list again, and forgets them with the project", () => {
    // run_finished changes nothing else here; the count is what the History tab watches.
    const end: EngineEvent = { type: "run_finished", project_id: "demo", end: { kind: "all_done", tasks_done: 9 } };
    const twice = run([
      { type: "engine_event", event: end },
      { type: "engine_events", events: [end, { type: "run_finished", project_id: "other", end: { kind: "paused", tasks_done: 1 } }] },
    ]);
    expect(twice.runsEnded).toEqual({ demo: 2, other: 1 });
    const gone = run([{ type: "projects_listed", projects: [makeProject("demo")] }, { type: "engine_event", event: { type: "project_removed", project_id: "demo" } }], twice);
    expect(gone.runsEnded).toEqual({ other: 1 });
  });

  it("forgets a removed project's run state", () => {
    // A project removed while it has logs must not leave them in memory.
    const state = run(
      [
        changed(makeExecution("demo", "paused"), 1),
        { type: "engine_event", event: { type: "log", project_id: "demo", task_id: "1.1", step: "prep", stream: "stdout", line: "x" } },
        { type: "engine_event", event: { type: "project_removed", project_id: "demo" } },
      ],
      listed,
    );
    expect(state.executions.demo).toBeUndefined();
    expect(state.logs.demo).toBeUndefined();
  });

  it("keeps injections per project: a listing, then answers and injection_changed events upserted by id", () => {
    const injection = (id: number, fields: Partial<Injection> = {}): Injection => ({
      id,
      project_id: "acme-portal",
      at: { kind: "priority" },
      title: `t${id}`,
      body: "",
      status: "pending",
      task_id: null,
      anchor: null,
      requested_by: "ui",
      decided_by: null,
      created_at: "2025-01-15T10:30:00Z",
      decided_at: null,
      ...fields,
    });
    const changed = (i: Injection): Action => ({ type: "engine_event", event: { type: "injection_changed", injection: i } });
    const state = run([
      { type: "projects_listed", projects: [acmePortal] },
      { type: "injections_listed", projectId: "acme-portal", injections: [injection(2), injection(1)] },
      changed(injection(3)),
      { type: "injection_received", injection: injection(1, { status: "approved", task_id: "2.5" }) },
      // The event for the same change arrives after the answer: still one entry.
      changed(injection(1, { status: "approved", task_id: "2.5" })),
    ]);
    const list = state.injections["acme-portal"] ?? [];
    expect(list.map((i) => [i.id, i.status, i.task_id])).toEqual([
      [1, "approved", "2.5"],
      [2, "pending", null],
      [3, "pending", null],
    ]);
    expect(run([{ type: "project_removed", id: "acme-portal" }], state).injections["acme-portal"]).toBeUndefined();
  });
});

describe("project statuses", () => {
  it("keeps the last status while a read is on its way and after a failed one, and drops unlisted projects' answers", () => {
    // The list's rows must not blink while a status is read again; an answer
    // for a project removed meanwhile must not bring it back.
    const ok = makeStatus("acme-portal");
    const listed = run([
      { type: "projects_listed", projects: [acmePortal] },
      { type: "status_reading", projectId: "acme-portal" },
      { type: "status_read", status: ok, at: 5 },
      { type: "status_reading", projectId: "acme-portal" },
    ]);
    expect(listed.statuses["acme-portal"]).toEqual({ value: ok, error: null, reading: true, at: 5 });
    const failed = run([{ type: "status_read_failed", projectId: "acme-portal", error: engineError("docker: timeout", "internal"), at: 9 }], listed);
    expect(failed.statuses["acme-portal"]).toEqual({ value: ok, error: engineError("docker: timeout", "internal"), reading: false, at: 9 });
    // A later answer clears the error.
    expect(run([{ type: "status_read", status: ok, at: 12 }], failed).statuses["acme-portal"]?.error).toBeNull();

    expect(run([{ type: "status_read", status: makeStatus("gone") }], listed).statuses["gone"]).toBeUndefined();
    expect(run([{ type: "status_reading", projectId: "acme-portal" }]).statuses).toEqual({});
    expect(run([{ type: "project_removed", id: "acme-portal" }], listed).statuses["acme-portal"]).toBeUndefined();
  });
});

describe("live verification", () => {
  const checked = (task_id: string, attempt: number, criterion: string, passed: boolean, evidence = "", project_id = "demo"): Action => ({
    type: "engine_event",
    event: { type: "criterion_checked", project_id, task_id, attempt, criterion, passed, evidence },
  });
  const finished = (task_id: string, attempt: number, passed: boolean, failure: string | null = null, project_id = "demo"): Action => ({
    type: "engine_event",
    event: { type: "attempt_finished", project_id, task_id, attempt, passed, failure },
  });

  it("keeps the latest attempt's criteria per project and task, a new attempt replacing the older list", () => {
    const first = run([
      checked("2.4", 1, "test.sub", false, "exit 1: expected 2, got 3"),
      checked("2.4", 1, "lint", true, "no findings"),
      checked("1.1", 1, "readme", true, "README.md exists"),
      checked("2.4", 1, "readme", true, "ok", "other"),
    ]);
    expect(first.verification.demo?.["2.4"]).toEqual({
      attempt: 1,
      criteria: [
        { criterion: "test.sub", passed: false, evidence: "exit 1: expected 2, got 3" },
        { criterion: "lint", passed: true, evidence: "no findings" },
      ],
      attempts: [],
    });
    expect(first.verification.demo?.["1.1"]?.criteria.map((c) => c.criterion)).toEqual(["readme"]);
    expect(first.verification.other?.["2.4"]?.criteria).toHaveLength(1);

    // Attempt 2 starts a new list; the same criterion checked again in it replaces its result.
    const second = run([checked("2.4", 2, "test.sub", false, "still 3"), checked("2.4", 2, "test.sub", true, "exit 0")], first);
    expect(second.verification.demo?.["2.4"]).toMatchObject({ attempt: 2, criteria: [{ criterion: "test.sub", passed: true, evidence: "exit 0" }] });
    // Other tasks are untouched (same objects: memoized views do not re-render).
    expect(second.verification.demo?.["1.1"]).toBe(first.verification.demo?.["1.1"]);
    // A late result of an older attempt changes nothing.
    expect(run([checked("2.4", 1, "lint", false, "late")], second)).toBe(second);
  });

  it("keeps each attempt's outcome by number, in order, the last ten only", () => {
    const state = run([
      finished("2.4", 2, true),
      finished("2.4", 1, false, "test.sub failed: expected 2, got 3\nfull output in the artifacts"),
      // The same event twice (replayed) is one entry.
      finished("2.4", 2, true),
    ]);
    expect(state.verification.demo?.["2.4"]).toEqual({
      attempt: 0,
      criteria: [],
      attempts: [
        { attempt: 1, passed: false, failure: "test.sub failed: expected 2, got 3\nfull output in the artifacts" },
        { attempt: 2, passed: true, failure: null },
      ],
    });

    const many = run(Array.from({ length: 12 }, (_, i) => finished("3.1", i + 1, i === 11, i === 11 ? null : `fail ${i + 1}`)));
    const attempts = many.verification.demo?.["3.1"]?.attempts ?? [];
    expect(attempts).toHaveLength(ATTEMPTS_KEPT);
    expect(attempts.map((a) => a.attempt)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(attempts.at(-1)).toEqual({ attempt: 12, passed: true, failure: null });
  });

  it("keeps what was seen across runs, in bursts too, and forgets a removed project's", () => {
    const seen = run([
      { type: "projects_listed", projects: [makeProject("demo")] },
      {
        type: "engine_events",
        events: [
          { type: "criterion_checked", project_id: "demo", task_id: "1.1", attempt: 1, criterion: "readme", passed: true, evidence: "exists" },
          { type: "attempt_finished", project_id: "demo", task_id: "1.1", attempt: 1, passed: true, failure: null },
        ],
      },
    ]);
    const restarted = run([{ type: "engine_event", event: { type: "run_started", project_id: "demo", run_id: 2 } }], seen);
    expect(restarted.verification).toEqual(seen.verification);
    expect(restarted.verification.demo?.["1.1"]?.attempts).toHaveLength(1);
    expect(run([{ type: "engine_event", event: { type: "project_removed", project_id: "demo" } }], restarted).verification).toEqual({});
  });
});

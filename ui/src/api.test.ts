// The Api turns the bindings' results and every way a call can fail into one
// Outcome, and turns the event stream into a plain listener. Tauri is mocked
// at the bindings, the one module api.ts depends on.

import { beforeEach, describe, expect, it, vi } from "vitest";

const bindings = vi.hoisted(() => ({
  commands: {
    appInfo: vi.fn(),
    health: vi.fn(),
    listProjects: vi.fn(),
    addProject: vi.fn(),
    updateProject: vi.fn(),
    removeProject: vi.fn(),
    injectTask: vi.fn(),
    getAppSettings: vi.fn(),
    runHistory: vi.fn(),
    runTimeline: vi.fn(),
    logLines: vi.fn(),
    projectStatus: vi.fn(),
  },
  events: { engineUpdate: { listen: vi.fn() } },
}));
vi.mock("./bindings", () => bindings);

import { tauriApi, toEngineError } from "./api";
import { INFO, makeProject, makeStatus, validationError } from "./test/fakeApi";

beforeEach(() => {
  vi.clearAllMocks();
});

describe("commands", () => {
  it("sends an injection request as typed and wraps the plain get_app_settings answer", async () => {
    bindings.commands.injectTask.mockResolvedValue({ status: "error", error: { code: "validation", message: "task 1.1 is already done", fields: [] } });
    const request = { at: { kind: "replace" as const, task: "1.1" }, title: "T", body: "B" };
    const outcome = await tauriApi.injectTask("p", request);
    expect(bindings.commands.injectTask).toHaveBeenCalledWith("p", request);
    expect(outcome).toEqual({ ok: false, error: { code: "validation", message: "task 1.1 is already done", fields: [] } });
    const loaded = {
      settings: { close_to_tray: true, notify_per_task: false, start_minimized: false, autostart: false, selected_project_id: null },
      error: null,
    };
    bindings.commands.getAppSettings.mockResolvedValue(loaded);
    expect(await tauriApi.getAppSettings()).toEqual({ ok: true, value: loaded });
  });

  it("unwraps an ok result into its value", async () => {
    // Components read `outcome.value` and never see tauri-specta's status wrapper.
    bindings.commands.appInfo.mockResolvedValue({ status: "ok", data: INFO });
    expect(await tauriApi.appInfo()).toEqual({ ok: true, value: INFO });
  });

  it("passes the engine's error through untouched, fields included", async () => {
    // The form places each field message beside its field, so nothing may be lost here.
    const error = validationError([{ field: "repo_url", message: "is not a git URL or an absolute path" }]);
    bindings.commands.addProject.mockResolvedValue({ status: "error", error });
    const draft = makeProject("x").settings;
    expect(await tauriApi.addProject(draft)).toEqual({ ok: false, error });
    expect(bindings.commands.addProject).toHaveBeenCalledWith(draft);
  });

  it("sends update and remove to the right project", async () => {
    // The id is the only thing telling the engine which project to change.
    bindings.commands.updateProject.mockResolvedValue({ status: "ok", data: makeProject("p") });
    bindings.commands.removeProject.mockResolvedValue({ status: "ok", data: null });
    const draft = makeProject("p").settings;
    await tauriApi.updateProject("p", draft);
    expect(await tauriApi.removeProject("p")).toEqual({ ok: true, value: null });
    expect(bindings.commands.updateProject).toHaveBeenCalledWith("p", draft);
    expect(bindings.commands.removeProject).toHaveBeenCalledWith("p");
  });

  it("asks for a project's runs, one run's timeline and a step's lines with the arguments given", async () => {
    // The History tab's three reads: project, run and the step's log range go through untouched.
    const timeline = { run: { id: 7, project_id: "p", started_at: "2025-01-15T10:00:00.000Z", ended_at: null, state: null, reason: null, tasks_done: null }, spans: [], notes: [] };
    bindings.commands.runHistory.mockResolvedValue({ status: "ok", data: [timeline.run] });
    bindings.commands.runTimeline.mockResolvedValue({ status: "ok", data: timeline });
    bindings.commands.logLines.mockResolvedValue({ status: "error", error: { code: "database", message: "locked", fields: [] } });
    expect(await tauriApi.runHistory("p")).toEqual({ ok: true, value: [timeline.run] });
    expect(await tauriApi.runTimeline("p", 7)).toEqual({ ok: true, value: timeline });
    expect(await tauriApi.logLines("p", "2.4", 4999, 2000)).toEqual({ ok: false, error: { code: "database", message: "locked", fields: [] } });
    expect(bindings.commands.runHistory).toHaveBeenCalledWith("p");
    expect(bindings.commands.runTimeline).toHaveBeenCalledWith("p", 7);
    expect(bindings.commands.logLines).toHaveBeenCalledWith("p", "2.4", 4999, 2000);
  });

  it("asks for one project's status and passes the engine's answer or error through", async () => {
    const status = makeStatus("p", { fetch_error: "could not resolve host" }, { docker: false, image_built: null });
    bindings.commands.projectStatus.mockResolvedValueOnce({ status: "ok", data: status });
    expect(await tauriApi.projectStatus("p")).toEqual({ ok: true, value: status });
    expect(bindings.commands.projectStatus).toHaveBeenCalledWith("p");
    bindings.commands.projectStatus.mockResolvedValueOnce({ status: "error", error: { code: "not_found", message: "project `q`", fields: [] } });
    expect(await tauriApi.projectStatus("q")).toEqual({ ok: false, error: { code: "not_found", message: "project `q`", fields: [] } });
  });

  it("turns a thrown error (no Tauri, broken IPC) into an internal EngineError", async () => {
    // Outside the app window invoke throws; the startup page must still get a message to show.
    bindings.commands.appInfo.mockRejectedValue(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    const outcome = await tauriApi.appInfo();
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe("internal");
      expect(outcome.error.message).toContain("__TAURI_INTERNALS__");
    }
  });

  it("wraps a bare string error from Tauri, keeping its words", async () => {
    // Tauri reports framework failures (unknown command, bad argument) as strings.
    bindings.commands.health.mockResolvedValue({ status: "error", error: "command health not found" });
    const outcome = await tauriApi.health();
    expect(outcome).toEqual({ ok: false, error: toEngineError("command health not found") });
    expect(!outcome.ok && outcome.error.message).toContain("command health not found");
  });
});

describe("onEngineEvent", () => {
  it("hands each event of a batch to the listener, in order", async () => {
    // Components get each EngineEvent itself, not Tauri's envelope or the batch.
    let deliver: ((e: { payload: unknown }) => void) | undefined;
    bindings.events.engineUpdate.listen.mockImplementation(async (cb: (e: { payload: unknown }) => void) => {
      deliver = cb;
      return () => {};
    });
    const listener = vi.fn();
    const missed = vi.fn();
    tauriApi.onEngineEvent(listener, missed);
    await vi.waitFor(() => expect(deliver).toBeDefined());
    const a = { type: "project_removed", project_id: "a" };
    const b = { type: "project_removed", project_id: "b" };
    deliver?.({ payload: { events: [a, b], missed: 0 } });
    expect(listener.mock.calls).toEqual([[a], [b]]);
    expect(missed).not.toHaveBeenCalled();
  });

  it("tells of lost events after the ones that came", async () => {
    let deliver: ((e: { payload: unknown }) => void) | undefined;
    bindings.events.engineUpdate.listen.mockImplementation(async (cb: (e: { payload: unknown }) => void) => {
      deliver = cb;
      return () => {};
    });
    const heard: string[] = [];
    tauriApi.onEngineEvent(
      (e) => heard.push(e.type),
      (n) => heard.push(`missed ${n}`),
    );
    await vi.waitFor(() => expect(deliver).toBeDefined());
    deliver?.({ payload: { events: [{ type: "project_removed", project_id: "a" }], missed: 7 } });
    expect(heard).toEqual(["project_removed", "missed 7"]);
  });

  it("unlistens even when stopped before Tauri finished subscribing", async () => {
    // React may unmount before listen() resolves; the late subscription must not leak.
    const unlisten = vi.fn();
    let resolve: ((fn: () => void) => void) | undefined;
    bindings.events.engineUpdate.listen.mockReturnValue(new Promise((r) => (resolve = r)));
    const stop = tauriApi.onEngineEvent(vi.fn());
    stop();
    resolve?.(unlisten);
    await vi.waitFor(() => expect(unlisten).toHaveBeenCalledTimes(1));
  });
});

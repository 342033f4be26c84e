// Each project's repository and runner status in the left pane (and in full
// in its Settings tab), against a fake engine: read once per listed project,
// read again when something makes it stale — one read per burst — and
// shown so that a failed fetch, Docker down or an engine error stand out.

import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { App } from "./App";
import type { EngineEvent, Execution } from "./bindings";
import { STATUS_MIN_GAP_MS, STATUS_POLL_MS } from "./state/statusReads";
import { engineError, FakeApi, makeExecution, makeProject, makeStatus } from "./test/fakeApi";

const portal = makeProject("acme-portal", { customer: "Acme Corp", name: "Portal" });
const shop = makeProject("globex-shop", { customer: "Globex", name: "Shop" });

async function start(api: FakeApi) {
  render(<App api={api} />);
  await screen.findByTestId("project-list");
  await act(async () => {});
}

const statusCalls = (api: FakeApi, projectId: string) =>
  api.calls.filter((c) => c.method === "projectStatus" && c.args[0] === projectId).length;
const emit = (api: FakeApi, ...events: EngineEvent[]) =>
  act(() => {
    for (const event of events) api.emit(event);
  });
const changed = (execution: Execution): EngineEvent => ({ type: "execution_changed", execution });
/** Lets fake time pass, the answers of reads it started included. */
const pass = (ms: number) =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
/** Records when each status read of `projectId` was asked for (fake time). */
function readTimes(api: FakeApi, projectId: string): number[] {
  const times: number[] = [];
  const read = api.projectStatus.bind(api);
  api.projectStatus = (id: string) => {
    if (id === projectId) times.push(Date.now());
    return read(id);
  };
  return times;
}
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] ?? 0));
const repo = (id: string) => screen.getByTestId(`project-repo-${id}`);
const runner = (id: string) => screen.getByTestId(`project-runner-${id}`);

afterEach(() => {
  vi.useRealTimers();
});

describe("project status in the left pane", () => {
  it("reads every listed project's status once and shows branch, tip, last fetch and runner", async () => {
    // One call per project at start; nothing else reads it while nothing happens.
    const api = new FakeApi([portal, shop]);
    api.statuses[portal.id] = makeStatus(portal.id, { last_fetch: new Date(Date.now() - 2 * 60_000 - 5_000).toISOString() }, { containers_running: 1 });
    await start(api);

    await vi.waitFor(() => expect(repo(portal.id)).toHaveAttribute("data-state", "ok"));
    expect(repo(portal.id)).toHaveTextContent("main @ 3fa2c1d0e9ab · fetched 2 min ago");
    expect(runner(portal.id)).toHaveAttribute("data-state", "up");
    expect(runner(portal.id)).toHaveTextContent("1 container · image built");
    // The tooltip has the details; the entry's accessible description says it all, without colour.
    expect(repo(portal.id).title).toMatch(/^Base branch main at 3fa2c1d0e9ab\.\nLast fetch: .+ \(2 min ago\)\.$/);
    expect(screen.getByTestId(`project-item-${portal.id}`)).toHaveAccessibleDescription(
      /^Repository: Base branch main at 3fa2c1d0e9ab\. Last fetch: .+\. Runner: Image runner: built\. 1 container running/,
    );

    // A project that never ran: no clone yet, said in words.
    expect(repo(shop.id)).toHaveAttribute("data-state", "not_cloned");
    expect(repo(shop.id)).toHaveTextContent("not cloned yet · main");
    expect(runner(shop.id)).toHaveTextContent("no container · image built");

    expect(statusCalls(api, portal.id)).toBe(1);
    expect(statusCalls(api, shop.id)).toBe(1);
  });

  it("moves the relative time on as time passes, without reading the status again", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = new FakeApi([portal]);
    api.statuses[portal.id] = makeStatus(portal.id, { last_fetch: new Date(Date.now() - 30_000).toISOString() });
    await start(api);
    await vi.waitFor(() => expect(repo(portal.id)).toHaveTextContent("fetched just now"));
    await pass(60_000);
    expect(repo(portal.id)).toHaveTextContent("fetched 1 min ago");
    await pass(120_000);
    expect(repo(portal.id)).toHaveTextContent("fetched 3 min ago");
    // The project is not running: no timer reads it.
    expect(statusCalls(api, portal.id)).toBe(1);
  });

  it("makes a failed fetch stand out, with its error in the tooltip, the description and the Settings tab", async () => {
    const error = "authentication required for https://github.com/acme/portal (token ***)";
    const api = new FakeApi([portal]);
    api.statuses[portal.id] = makeStatus(portal.id, { fetch_error: error, last_fetch: new Date(Date.now() - 5 * 60_000).toISOString() });
    await start(api);

    await vi.waitFor(() => expect(repo(portal.id)).toHaveAttribute("data-state", "failed"));
    expect(repo(portal.id)).toHaveTextContent(/^fetch failed 5 min ago · main$/);
    expect(repo(portal.id).title).toContain(`The last fetch failed, `);
    expect(repo(portal.id).title).toContain(error);
    // The tip shown is the one an earlier fetch got, and says so.
    expect(repo(portal.id).title).toContain("at 3fa2c1d0e9ab (from an earlier fetch)");
    expect(screen.getByTestId(`project-item-${portal.id}`)).toHaveAccessibleDescription(expect.stringContaining(error));

    await userEvent.click(screen.getByTestId("tab-settings"));
    const details = screen.getByTestId("details-status");
    expect(within(details).getByTestId("details-fetch-error")).toHaveTextContent(error);
    expect(within(details).getByTestId("details-last-fetch")).toHaveTextContent(/\(5 min ago\) — failed$/);
    expect(within(details).getByTestId("details-base-tip")).toHaveTextContent("main @ 3fa2c1d0e9ab");
  });

  it("says when Docker is down, and when the image is not built yet", async () => {
    const api = new FakeApi([portal, shop]);
    api.statuses[portal.id] = makeStatus(portal.id, {}, { docker: false, image_built: null });
    api.statuses[shop.id] = makeStatus(shop.id, {}, { image: "dockerfile:ci/Dockerfile", image_built: false });
    await start(api);

    await vi.waitFor(() => expect(runner(portal.id)).toHaveAttribute("data-state", "down"));
    expect(runner(portal.id)).toHaveTextContent(/^Docker down$/);
    expect(runner(portal.id).title).toMatch(/^Docker does not answer/);
    expect(runner(shop.id)).toHaveAttribute("data-state", "not_built");
    expect(runner(shop.id)).toHaveTextContent("image not built yet");
    expect(runner(shop.id).title).toContain("Image dockerfile:ci/Dockerfile: not built yet");
    // The repository side is unaffected.
    expect(repo(portal.id)).toHaveAttribute("data-state", "ok");
  });

  it("shows 'status unavailable' with the engine's message when reading fails, and the rest of the pane works", async () => {
    const api = new FakeApi([portal, shop]);
    api.statusErrors[portal.id] = engineError("cannot read /data/projects/acme-portal: permission denied", "internal");
    await start(api);

    await vi.waitFor(() => expect(repo(portal.id)).toHaveAttribute("data-state", "unavailable"));
    expect(repo(portal.id)).toHaveTextContent("status unavailable");
    expect(repo(portal.id).title).toBe("Status unavailable: cannot read /data/projects/acme-portal: permission denied");
    expect(runner(portal.id)).toHaveAttribute("data-state", "unavailable");
    expect(screen.getByTestId(`project-item-${portal.id}`)).toHaveAccessibleDescription(/permission denied/);
    // The other project and the list itself are fine.
    expect(repo(shop.id)).toHaveAttribute("data-state", "not_cloned");
    await userEvent.click(screen.getByTestId(`project-item-${shop.id}`));
    expect(screen.getByTestId("project-details")).toHaveTextContent("Shop");

    // Read again on request, once the engine can: the status shows.
    delete api.statusErrors[portal.id];
    api.statuses[portal.id] = makeStatus(portal.id);
    await userEvent.click(screen.getByTestId(`project-item-${portal.id}`));
    await userEvent.click(screen.getByTestId("tab-settings"));
    expect(screen.getByTestId("details-status-error")).toHaveTextContent("permission denied");
    await userEvent.click(screen.getByTestId("refresh-status"));
    await vi.waitFor(() => expect(repo(portal.id)).toHaveAttribute("data-state", "ok"));
    expect(screen.queryByTestId("details-status-error")).toBeNull();
    expect(statusCalls(api, portal.id)).toBe(2);
  });
});

describe("reading the status again", () => {
  it("re-reads a project's status after its run_finished, once for a burst, and not the others'", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = new FakeApi([portal, shop]);
    api.executionList = [makeExecution(portal.id, "task_executing")];
    await start(api);
    await pass(STATUS_MIN_GAP_MS);
    expect(statusCalls(api, portal.id)).toBe(1);

    api.statuses[portal.id] = makeStatus(portal.id, { base_tip: "0badc0ffee12" }, { containers_running: 0 });
    // The end of a run comes as a burst: the run's end, its badge, a last step.
    emit(
      api,
      { type: "step_started", project_id: portal.id, task_id: "1.1", title: "T", step: "done", attempt: 1 },
      { type: "run_finished", project_id: portal.id, end: { kind: "all_done", tasks_done: 1 } },
      changed(makeExecution(portal.id, "completed")),
    );
    await pass(STATUS_MIN_GAP_MS);
    expect(statusCalls(api, portal.id)).toBe(2);
    expect(repo(portal.id)).toHaveTextContent("main @ 0badc0ffee12");

    // Nothing more follows: the run is over, and the other project was not concerned.
    await pass(3 * STATUS_POLL_MS);
    expect(statusCalls(api, portal.id)).toBe(2);
    expect(statusCalls(api, shop.id)).toBe(1);
  });

  it("re-reads after a fetch (step prep or select) and a run's start, at most once a second, not on other steps", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = new FakeApi([portal]);
    const times = readTimes(api, portal.id);
    await start(api);
    await pass(STATUS_MIN_GAP_MS);
    expect(statusCalls(api, portal.id)).toBe(1);

    const step = (s: "select" | "prep" | "implement" | "verify"): EngineEvent => ({
      type: "step_started",
      project_id: portal.id,
      task_id: "1.1",
      title: "T",
      step: s,
      attempt: 1,
    });
    emit(api, step("implement"), step("verify"));
    await pass(2 * STATUS_MIN_GAP_MS);
    expect(statusCalls(api, portal.id)).toBe(1);

    emit(api, step("select"));
    await pass(STATUS_MIN_GAP_MS);
    expect(statusCalls(api, portal.id)).toBe(2);

    // Lanes starting their tasks together: one read for the burst.
    await pass(STATUS_MIN_GAP_MS);
    emit(api, step("prep"), step("prep"), step("prep"), step("prep"));
    await pass(STATUS_MIN_GAP_MS);
    expect(statusCalls(api, portal.id)).toBe(3);
    // A steady stream of them for 3 s: at most one read a second.
    for (let i = 0; i < 30; i++) {
      emit(api, step("prep"));
      await pass(100);
    }
    await pass(STATUS_MIN_GAP_MS);
    expect(statusCalls(api, portal.id) - 3).toBeGreaterThanOrEqual(3);
    // However the load of the machine stretches the time, never two reads within a second.
    for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(STATUS_MIN_GAP_MS);
    const afterStream = statusCalls(api, portal.id);

    // A run that starts (idle → queued) reads it; moving between running states does not.
    await pass(STATUS_MIN_GAP_MS);
    emit(api, changed(makeExecution(portal.id, "queued")));
    await pass(STATUS_MIN_GAP_MS);
    expect(statusCalls(api, portal.id)).toBe(afterStream + 1);
    emit(api, changed(makeExecution(portal.id, "initializing")), changed(makeExecution(portal.id, "autonomous")));
    await pass(STATUS_MIN_GAP_MS);
    expect(statusCalls(api, portal.id)).toBe(afterStream + 1);
  });

  it("re-reads a running project's status every 10 s, and stops when it halts", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = new FakeApi([portal, shop]);
    api.executionList = [makeExecution(portal.id, "autonomous")];
    const times = readTimes(api, portal.id);
    await start(api);
    expect(statusCalls(api, portal.id)).toBe(1);

    // (Fake time also moves with the real clock: "not yet" checks keep a wide margin.)
    await pass(STATUS_POLL_MS / 2);
    expect(statusCalls(api, portal.id)).toBe(1);
    await pass(STATUS_POLL_MS / 2 + 100);
    expect(statusCalls(api, portal.id)).toBe(2);
    await pass(STATUS_POLL_MS / 2);
    expect(statusCalls(api, portal.id)).toBe(2);
    await pass(STATUS_POLL_MS / 2 + 100);
    expect(statusCalls(api, portal.id)).toBe(3);
    for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(STATUS_POLL_MS);
    // The idle project is never polled.
    expect(statusCalls(api, shop.id)).toBe(1);

    // Paused: read once for the halt, then left alone.
    emit(api, changed(makeExecution(portal.id, "paused")));
    await pass(STATUS_MIN_GAP_MS);
    expect(statusCalls(api, portal.id)).toBe(4);
    await pass(3 * STATUS_POLL_MS);
    expect(statusCalls(api, portal.id)).toBe(4);
  });

  it("keeps only the newest answer when answers come out of order", async () => {
    const api = new FakeApi([portal]);
    await start(api);
    await vi.waitFor(() => expect(repo(portal.id)).toHaveAttribute("data-state", "not_cloned"));
    await userEvent.click(screen.getByTestId("tab-settings"));

    api.holdStatuses = true;
    api.statuses[portal.id] = makeStatus(portal.id, { base_tip: "111111111111" });
    await userEvent.click(screen.getByTestId("refresh-status"));
    api.statuses[portal.id] = makeStatus(portal.id, { base_tip: "222222222222" });
    await userEvent.click(screen.getByTestId("refresh-status"));
    expect(api.heldStatusCount).toBe(2);
    expect(screen.getByTestId("refresh-status")).toHaveTextContent("Reading…");

    // The newer answer arrives first; the older one after it must not replace it.
    await act(async () => api.releaseStatuses(true));
    expect(repo(portal.id)).toHaveTextContent("main @ 222222222222");
    expect(screen.getByTestId("details-base-tip")).toHaveTextContent("main @ 222222222222");
    expect(screen.getByTestId("refresh-status")).toHaveTextContent("Refresh");
  });

  it("reads a new project's status, and forgets a removed one's", async () => {
    const api = new FakeApi([portal]);
    await start(api);
    api.statuses[shop.id] = makeStatus(shop.id, {}, { containers_running: 2 });
    emit(api, { type: "project_added", project: shop });
    // (Read once the burst is over: a timer, slow on a loaded machine.)
    await vi.waitFor(() => expect(runner(shop.id)).toHaveTextContent("2 containers · image built"), { timeout: 5000 });
    expect(statusCalls(api, shop.id)).toBe(1);

    emit(api, { type: "project_removed", project_id: shop.id });
    expect(screen.queryByTestId(`project-repo-${shop.id}`)).toBeNull();
    expect(repo(portal.id)).toBeInTheDocument();
  });
});

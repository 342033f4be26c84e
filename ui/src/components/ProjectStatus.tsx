// A project's repository and runner status: two compact rows under its entry
// in the left pane, and every detail in its Settings tab. Each state has its
// own icon and its own words, so it reads without colour; the details of a
// row are in its tooltip and in the entry's accessible description.

import type { ProjectStatus, RepoStatus, RunnerStatus } from "../bindings";
import { formatAgo, formatTimestamp } from "../state/format";
import type { StatusEntry } from "../state/reducer";
import { BranchIcon, ContainerIcon, MissingIcon, PendingIcon, RefreshIcon, WarningIcon } from "./icons";
import "./ProjectStatus.css";

/** What an end-to-end test reads in `data-state` (plus `loading` before the first answer, `unavailable` when it failed). */
export type RepoState = "ok" | "failed" | "not_cloned";
export type RunnerState = "up" | "down" | "not_built";

export function repoState(repo: RepoStatus): RepoState {
  if (!repo.cloned) return "not_cloned";
  return repo.fetch_error !== null ? "failed" : "ok";
}

export function runnerState(runner: RunnerStatus): RunnerState {
  if (!runner.docker) return "down";
  return runner.image_built === false ? "not_built" : "up";
}

export function containersText(n: number): string {
  return n === 0 ? "no container" : n === 1 ? "1 container" : `${n} containers`;
}

/** The runner in a few words: `1 container · image built`, `image not built yet`, `Docker down`. */
export function runnerText(runner: RunnerStatus): string {
  const containers = runner.containers_running > 0 ? `${containersText(runner.containers_running)} · ` : "";
  switch (runnerState(runner)) {
    case "down":
      return "Docker down";
    case "not_built":
      return `${containers}image not built yet`;
    case "up":
      return `${containers || "no container · "}${runner.image_built === null ? "image built at run" : "image built"}`;
  }
}

/** A time as "Jan 15, 2025, 10:30 AM (2 min ago)". */
function when(iso: string, now: number): string {
  const ago = formatAgo(iso, now);
  return ago ? `${formatTimestamp(iso)} (${ago})` : iso;
}

/** The repository's details, one sentence a line (the tooltip; joined, the accessible description). */
export function repoLines(repo: RepoStatus, now: number): string[] {
  if (!repo.cloned) return [`Not cloned yet: the first run clones it (base branch ${repo.base_branch}).`];
  const tip = repo.base_tip
    ? `Base branch ${repo.base_branch} at ${repo.base_tip}${repo.fetch_error !== null ? " (from an earlier fetch)" : ""}.`
    : `Base branch ${repo.base_branch}: no commit of it in the clone (is it on the remote?).`;
  if (repo.fetch_error !== null) {
    return [`The last fetch failed${repo.last_fetch ? `, ${when(repo.last_fetch, now)}` : ""}: ${repo.fetch_error}`, tip];
  }
  return [tip, repo.last_fetch ? `Last fetch: ${when(repo.last_fetch, now)}.` : "Last fetch: not recorded."];
}

export function imageLine(runner: RunnerStatus): string {
  if (!runner.docker) return `Image ${runner.image}: unknown while Docker does not answer.`;
  switch (runner.image_built) {
    case true:
      return `Image ${runner.image}: built.`;
    case false:
      return `Image ${runner.image}: not built yet (the first run builds it).`;
    case null:
      return `Image ${runner.image}: built from the repository at each run.`;
  }
}

export function runnerLines(runner: RunnerStatus): string[] {
  if (!runner.docker) return ["Docker does not answer: no run can start, and the containers cannot be checked.", imageLine(runner)];
  const n = runner.containers_running;
  return [imageLine(runner), n === 0 ? "No container running." : `${containersText(n)} running (one per lane in use).`];
}

function RepoRow({ repo, now }: { repo: RepoStatus; now: number }) {
  const state = repoState(repo);
  const ago = repo.last_fetch ? formatAgo(repo.last_fetch, now) : null;
  switch (state) {
    case "not_cloned":
      return (
        <>
          <PendingIcon size={11} className="pstatus__icon" />
          <span className="pstatus__lead">not cloned yet</span>
          <span className="pstatus__sep"> · </span>
          <span className="pstatus__branch">{repo.base_branch}</span>
        </>
      );
    case "failed":
      return (
        <>
          <WarningIcon size={11} className="pstatus__icon" />
          <span className="pstatus__lead">fetch failed</span>
          {ago && <span className="pstatus__when"> {ago}</span>}
          <span className="pstatus__sep"> · </span>
          {/* The tip is an earlier fetch's: in the tooltip only. */}
          <span className="pstatus__branch">{repo.base_branch}</span>
        </>
      );
    case "ok":
      return (
        <>
          <BranchIcon size={11} className="pstatus__icon" />
          <span className="pstatus__branch">{repo.base_branch}</span>
          {repo.base_tip && (
            <>
              <span className="pstatus__sep"> @ </span>
              <span className="pstatus__tip">{repo.base_tip}</span>
            </>
          )}
          <span className="pstatus__sep"> · </span>
          {ago ? (
            <span className="pstatus__when">
              <span className="pstatus__verb">fetched </span>
              {ago}
            </span>
          ) : (
            <span className="pstatus__when">fetch not recorded</span>
          )}
        </>
      );
  }
}

function RunnerRow({ runner }: { runner: RunnerStatus }) {
  const state = runnerState(runner);
  const Icon = state === "down" ? MissingIcon : state === "not_built" ? PendingIcon : ContainerIcon;
  return (
    <>
      <Icon size={11} className="pstatus__icon" />
      <span className="pstatus__text">{runnerText(runner)}</span>
    </>
  );
}

/** The accessible description of a project's entry: everything its two rows' tooltips say. */
export function statusDescription(entry: StatusEntry | undefined, now: number): string {
  if (entry?.error) return `Repository and runner status unavailable: ${entry.error.message}`;
  if (!entry?.value) return "Reading the repository and runner status.";
  const { repo, runner } = entry.value;
  return `Repository: ${repoLines(repo, now).join(" ")} Runner: ${runnerLines(runner).join(" ")}`;
}

/**
 * The two status rows of a project's entry. Always two rows, whatever the
 * state, so the list does not move when an answer comes. Hidden from
 * assistive technology: the entry's description (`descriptionId`) says it all.
 */
export function ProjectStatusRows({
  projectId,
  entry,
  now: clock,
  descriptionId,
}: {
  projectId: string;
  entry: StatusEntry | undefined;
  now: number;
  descriptionId: string;
}) {
  // The shared clock ticks every 30 s: an answer newer than its last tick is "now".
  const now = Math.max(clock, entry?.at ?? 0);
  const status: ProjectStatus | null = entry?.error ? null : (entry?.value ?? null);
  const repo = status?.repo;
  const runner = status?.runner;
  const unavailable = entry?.error ? `Status unavailable: ${entry.error.message}` : null;
  const repoData = repo ? repoState(repo) : unavailable ? "unavailable" : "loading";
  const runnerData = runner ? runnerState(runner) : unavailable ? "unavailable" : "loading";
  return (
    <>
      <span className="pstatus" aria-hidden="true">
        <span
          className={`pstatus__row pstatus--${repoData}`}
          data-testid={`project-repo-${projectId}`}
          data-state={repoData}
          title={repo ? repoLines(repo, now).join("\n") : (unavailable ?? "Reading the repository status…")}
        >
          {repo ? (
            <RepoRow repo={repo} now={now} />
          ) : unavailable ? (
            <>
              <WarningIcon size={11} className="pstatus__icon" />
              <span className="pstatus__lead">status unavailable</span>
            </>
          ) : (
            <span className="pstatus__text">reading status…</span>
          )}
        </span>
        <span
          className={`pstatus__row pstatus--${runnerData}${runner && runner.containers_running > 0 ? " pstatus--busy" : ""}`}
          data-testid={`project-runner-${projectId}`}
          data-state={runnerData}
          title={runner ? runnerLines(runner).join("\n") : (unavailable ?? "Reading the runner status…")}
        >
          {runner ? <RunnerRow runner={runner} /> : <span className="pstatus__text">{unavailable ? "runner unknown" : "\u00a0"}</span>}
        </span>
      </span>
      <span id={descriptionId} hidden>
        {statusDescription(entry, now)}
      </span>
    </>
  );
}

/** The project's status in full, for its Settings tab, with a button to read it again. */
export function ProjectStatusDetails({ entry, now: clock, onRefresh }: { entry: StatusEntry | undefined; now: number; onRefresh: () => void }) {
  const now = Math.max(clock, entry?.at ?? 0);
  const value = entry?.value ?? null;
  const rows: { label: string; value: string; mono?: boolean; tone?: "warning" | "missing"; testId?: string }[] = [];
  if (value) {
    const { repo, runner } = value;
    rows.push({ label: "Clone", value: repo.cloned ? "Cloned" : "Not cloned yet (the first run clones it)" });
    rows.push({
      label: "Base tip",
      value: repo.base_tip ? `${repo.base_branch} @ ${repo.base_tip}` : `${repo.base_branch} (no commit yet)`,
      mono: true,
      testId: "details-base-tip",
    });
    rows.push({
      label: "Last fetch",
      value: repo.last_fetch ? `${when(repo.last_fetch, now)}${repo.fetch_error !== null ? " — failed" : ""}` : "Not recorded",
      testId: "details-last-fetch",
    });
    if (repo.fetch_error !== null) rows.push({ label: "Fetch error", value: repo.fetch_error, tone: "warning", testId: "details-fetch-error" });
    rows.push({ label: "Docker", value: runner.docker ? "Answers" : "Does not answer", tone: runner.docker ? undefined : "missing" });
    rows.push({ label: "Runner image", value: runner.image, mono: true });
    rows.push({
      label: "Image built",
      value: !runner.docker ? "Unknown (Docker down)" : runner.image_built === null ? "At each run (from the repository)" : runner.image_built ? "Yes" : "Not yet (the first run builds it)",
    });
    rows.push({ label: "Containers", value: runner.containers_running === 0 ? "None running" : `${runner.containers_running} running` });
  }
  return (
    <section className="pstatus-details" aria-labelledby="pstatus-details-title" data-testid="details-status">
      <div className="pstatus-details__head">
        <h3 id="pstatus-details-title" className="pstatus-details__title">
          Repository &amp; runner
        </h3>
        {entry?.at && (
          <span className="pstatus-details__read" title={new Date(entry.at).toISOString()}>
            {entry.error ? "tried" : "read"} {formatAgo(new Date(entry.at).toISOString(), now)}
          </span>
        )}
        <button type="button" className="btn btn--small" onClick={onRefresh} aria-busy={entry?.reading || undefined} data-testid="refresh-status">
          <RefreshIcon size={12} className={entry?.reading ? "pstatus-details__spin" : undefined} />
          {entry?.reading ? "Reading…" : "Refresh"}
        </button>
      </div>
      {entry?.error && (
        <p className="pstatus-details__error" role="alert" data-testid="details-status-error">
          <WarningIcon size={12} />
          Status unavailable: {entry.error.message}
          {value && " (below: the last status read)"}
        </p>
      )}
      {!value && !entry?.error && <p className="pstatus-details__pending">Reading the status…</p>}
      {value && (
        <dl className="details__list details__list--inline">
          {rows.map((row) => (
            <div key={row.label} className={`details__row${row.tone ? ` pstatus-details__row--${row.tone}` : ""}`}>
              <dt>{row.label}</dt>
              <dd className={row.mono ? "mono" : undefined} title={row.value} data-testid={row.testId}>
                {row.tone === "warning" && <WarningIcon size={12} className="pstatus-details__icon" />}
                {row.tone === "missing" && <MissingIcon size={12} className="pstatus-details__icon" />}
                {row.value}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

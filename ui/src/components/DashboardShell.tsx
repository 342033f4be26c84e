// The dashboard's frame: header, engine-health strip, three panes (customers
// and projects | the live executions grid | the selected project) and the
// status line. With no project yet, the empty state (with the demo) takes
// the center and right panes. Keyboard shortcuts and their help live here.

import { useEffect, useLayoutEffect, useState } from "react";

import type { Api } from "../api";
import type { AppInfo, Project } from "../bindings";
import type { Engine } from "../state/useEngine";
import { selectedProject } from "../state/selectors";
import { nowMs } from "../state/trace";
import { AppHeader } from "./AppHeader";
import { EmptyState } from "./EmptyState";
import { ExecutionsGrid } from "./ExecutionsGrid";
import { HealthStrip } from "./HealthStrip";
import { LOG_FILTER_ID } from "./LogView";
import { ProjectDetails } from "./ProjectDetails";
import type { DetailsTab } from "./ProjectDetails";
import { ProjectList } from "./ProjectList";
import { SettingsDialog } from "./SettingsDialog";
import { ShortcutsHelp, useShortcuts } from "./Shortcuts";
import { StatusBar } from "./StatusBar";
import "./DashboardShell.css";

interface DashboardShellProps {
  api: Api;
  engine: Engine;
  info: AppInfo;
  onAdd: () => void;
  onEdit: (project: Project) => void;
  onRemove: (project: Project) => void;
}

/** Focuses an element once it is rendered (it may appear a frame later). */
function focusWhenThere(find: () => HTMLElement | null, triesLeft = 30) {
  const el = find();
  if (el) el.focus();
  else if (triesLeft > 0) setTimeout(() => focusWhenThere(find, triesLeft - 1), 16);
}

export function DashboardShell({ api, engine, info, onAdd, onEdit, onRemove }: DashboardShellProps) {
  const { state } = engine;
  const [tab, setTab] = useState<DetailsTab>("tasks");
  const [help, setHelp] = useState(false);
  const [settings, setSettings] = useState(false);
  const [confirmingStop, setConfirmingStop] = useState(false);
  const empty = state.projects !== null && state.projects.length === 0;
  const project = selectedProject(state);
  const id = project?.id ?? null;

  useShortcuts({
    onLogFilter: () => {
      setTab("log");
      focusWhenThere(() => document.getElementById(LOG_FILTER_ID));
    },
    onTab: setTab,
    onHelp: () => setHelp(true),
  });

  // For the end-to-end timing: when the dashboard first shows its list.
  const projectCount = state.projects?.length ?? null;
  useLayoutEffect(() => {
    if (projectCount === null || window.__devteamPainted) return;
    requestAnimationFrame(() => {
      window.__devteamPainted ??= { at: nowMs(), sinceStart: performance.now(), projects: projectCount };
    });
  }, [projectCount]);

  const notice = engine.notice;
  const dismiss = engine.dismissNotice;
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(dismiss, 12000);
    return () => clearTimeout(timer);
  }, [notice, dismiss]);

  async function startDemo() {
    const demo = await engine.createDemo();
    if (demo) focusWhenThere(() => document.querySelector<HTMLElement>('[data-testid="start-run"]'));
  }

  return (
    <div className="shell">
      <AppHeader onHelp={() => setHelp(true)} onSettings={() => setSettings(true)} />
      <HealthStrip report={state.health} error={state.healthError} checking={engine.checkingHealth} onRecheck={engine.recheckHealth} />
      <main className={empty ? "shell__panes shell__panes--empty" : "shell__panes"}>
        <ProjectList
          projects={state.projects}
          error={state.projectsError}
          selectedId={state.selectedId}
          executions={state.executions}
          statuses={state.statuses}
          onSelect={engine.select}
          onAdd={onAdd}
        />
        {empty ? (
          <div className="pane pane--wide">
            <EmptyState onAdd={onAdd} onDemo={startDemo} />
          </div>
        ) : (
          <>
            <ExecutionsGrid
              projects={state.projects ?? []}
              executions={state.executions}
              executionsError={state.executionsError}
              stateSince={state.stateSince}
              selectedId={state.selectedId}
              slots={state.slots}
              onSelect={engine.select}
              onPauseAll={engine.pauseAll}
              onResumeAll={engine.resumeAll}
              onEmergencyStopAll={engine.emergencyStopAll}
              onSetSlots={engine.setSlots}
              confirmingStop={confirmingStop}
              onConfirmingStop={setConfirmingStop}
            />
            <ProjectDetails
              api={api}
              project={project}
              execution={id ? state.executions[id] : undefined}
              approval={id ? state.approvals[id] : undefined}
              tree={id ? state.trees[id] : undefined}
              log={id ? state.logs[id] : undefined}
              logHistory={id ? state.logHistory[id] : undefined}
              progress={id ? state.progress[id] : undefined}
              resources={id ? state.resources[id] : undefined}
              injections={id ? state.injections[id] : undefined}
              runsEnded={id ? state.runsEnded[id] : undefined}
              status={id ? state.statuses[id] : undefined}
              verification={id ? state.verification[id] : undefined}
              onRefreshStatus={engine.refreshStatus}
              tab={tab}
              onTab={setTab}
              onEdit={onEdit}
              onRemove={onRemove}
              onStart={engine.startRun}
              onPause={engine.pauseRun}
              onResume={engine.resumeRun}
              onStop={engine.stopRun}
              onReview={engine.reviewTask}
              onTake={engine.takeTask}
              onOpenUrl={(url) => void engine.openUrl(url)}
              onOpenArtifacts={(projectId, taskId) => void engine.openArtifacts(projectId, taskId)}
              onReloadTree={engine.reloadTree}
              onInject={engine.injectTask}
              onDecideInjection={engine.decideInjection}
            />
          </>
        )}
      </main>
      <StatusBar info={info} />
      {notice && (
        <div className={`toast toast--${notice.tone}`} role="alert" data-testid="notice">
          <span className="toast__text">{notice.message}</span>
          <button type="button" className="btn btn--ghost btn--small" onClick={dismiss} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
      {settings && <SettingsDialog api={api} onSaveSettings={engine.saveAppSettings} onClose={() => setSettings(false)} />}
    </div>
  );
}

// The dashboard's frame: header, engine-health strip, three panes (customers
// and projects | executions | the selected project) and the status line.
// With no project yet, the empty state takes the center and right panes.

import type { AppInfo, Project } from "../bindings";
import type { AppState } from "../state/reducer";
import { selectedProject } from "../state/selectors";
import { AppHeader } from "./AppHeader";
import { EmptyState } from "./EmptyState";
import { ExecutionsPane } from "./ExecutionsPane";
import { HealthStrip } from "./HealthStrip";
import { ProjectDetails } from "./ProjectDetails";
import { ProjectList } from "./ProjectList";
import { StatusBar } from "./StatusBar";
import "./DashboardShell.css";

interface DashboardShellProps {
  state: AppState;
  info: AppInfo;
  checkingHealth: boolean;
  onRecheckHealth: () => void;
  onSelect: (id: string) => void;
  onAdd: () => void;
  onEdit: (project: Project) => void;
  onRemove: (project: Project) => void;
}

export function DashboardShell(props: DashboardShellProps) {
  const { state, info } = props;
  const empty = state.projects !== null && state.projects.length === 0;
  return (
    <div className="shell">
      <AppHeader />
      <HealthStrip report={state.health} error={state.healthError} checking={props.checkingHealth} onRecheck={props.onRecheckHealth} />
      <main className={empty ? "shell__panes shell__panes--empty" : "shell__panes"}>
        <ProjectList
          projects={state.projects}
          error={state.projectsError}
          selectedId={state.selectedId}
          onSelect={props.onSelect}
          onAdd={props.onAdd}
        />
        {empty ? (
          <div className="pane pane--wide">
            <EmptyState onAdd={props.onAdd} />
          </div>
        ) : (
          <>
            <ExecutionsPane projectCount={state.projects?.length ?? 0} />
            <ProjectDetails project={selectedProject(state)} onEdit={props.onEdit} onRemove={props.onRemove} />
          </>
        )}
      </main>
      <StatusBar info={info} />
    </div>
  );
}

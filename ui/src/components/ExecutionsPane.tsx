// The center pane: the grid of live executions. Runs do not exist yet in this
// version, so it shows the grid's columns and says what comes next.

import { PlayIcon } from "./icons";
import "./ExecutionsPane.css";

const COLUMNS = ["Customer", "Project", "Current task", "Step", "Progress", "ETA", "Status"];

interface ExecutionsPaneProps {
  projectCount: number;
}

export function ExecutionsPane({ projectCount }: ExecutionsPaneProps) {
  return (
    <section className="pane pane--center" aria-labelledby="executions-title" data-testid="executions">
      <header className="pane__header">
        <h2 id="executions-title" className="pane__title">
          Executions
        </h2>
        <span className="badge">0 running</span>
      </header>
      <div className="executions">
        <table className="executions__grid">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <td colSpan={COLUMNS.length}>
                <div className="executions__empty" data-testid="no-runs">
                  <PlayIcon size={20} className="executions__empty-icon" />
                  <p className="executions__empty-title">No runs yet</p>
                  <p className="executions__empty-text">
                    {projectCount === 1 ? "Your project is registered." : `${projectCount} projects are registered.`} When a
                    run starts, each task shows here live: its step, progress, time left and status.
                  </p>
                  <p className="executions__empty-text">
                    Runs start from a terminal for now: <code>devteam-cli run &lt;project id&gt;</code> (try{" "}
                    <code>devteam-cli demo</code>); starting them from this window comes with the live grid.
                  </p>
                </div>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}

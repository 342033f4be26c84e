// The app: starts the engine connection, then shows either the startup error
// or the dashboard, with the project form and the remove confirmation on top.

import { useState } from "react";

import type { Api } from "./api";
import type { Project } from "./bindings";
import { ConfirmRemove } from "./components/ConfirmRemove";
import { DashboardShell } from "./components/DashboardShell";
import { ProjectForm } from "./components/ProjectForm";
import { focusProjectEntry } from "./components/ProjectList";
import { StartupError } from "./components/StartupError";
import { emptyDraft } from "./state/draft";
import { useEngine } from "./state/useEngine";

type FormState = { mode: "add" } | { mode: "edit"; project: Project };

export function App({ api }: { api: Api }) {
  const engine = useEngine(api);
  const { state } = engine;
  const [form, setForm] = useState<FormState | null>(null);
  const [removing, setRemoving] = useState<Project | null>(null);

  if (state.startup.phase === "failed") {
    return <StartupError error={state.startup.error} onRetry={engine.retryStartup} />;
  }
  if (state.startup.phase === "starting") {
    return (
      <div className="boot" role="status" aria-busy="true">
        Starting DevTeam…
      </div>
    );
  }

  const customers = [...new Set((state.projects ?? []).map((p) => p.settings.customer))];
  const editing = form?.mode === "edit" ? form.project : null;

  return (
    <>
      <DashboardShell
        api={api}
        engine={engine}
        info={state.startup.info}
        onAdd={() => setForm({ mode: "add" })}
        onEdit={(project) => setForm({ mode: "edit", project })}
        onRemove={setRemoving}
      />
      {form && (
        <ProjectForm
          key={editing?.id ?? "new"}
          mode={form.mode}
          initial={editing ? editing.settings : emptyDraft()}
          customers={customers}
          onSubmit={(draft) => engine.saveProject(editing?.id ?? null, draft)}
          onSaved={(project) => {
            engine.projectSaved(project);
            setForm(null);
            // After an add, keyboard focus lands on the new entry (once it is rendered).
            if (form.mode === "add") setTimeout(() => focusProjectEntry(project.id));
          }}
          onCancel={() => setForm(null)}
        />
      )}
      {removing && (
        <ConfirmRemove
          project={removing}
          onConfirm={engine.removeProject}
          onDone={() => setRemoving(null)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </>
  );
}

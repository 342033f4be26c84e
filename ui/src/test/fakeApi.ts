// A fake engine for component tests: answers commands from memory, records
// the calls, and pushes events when a test says so, like the real one does.

import type { Api, Outcome } from "../api";
import type { AppInfo, EngineError, EngineEvent, HealthReport, Project, ProjectDraft } from "../bindings";
import { emptyDraft } from "../state/draft";

export const INFO: AppInfo = {
  version: "0.1.0",
  data_dir: "/home/dev/.local/share/devteam",
  database: "/home/dev/.local/share/devteam/devteam.sqlite3",
  log_dir: "/home/dev/.local/share/devteam/logs",
};

export const HEALTHY: HealthReport = {
  checks: [
    { name: "Docker", status: "ok", summary: "Docker 20.10.24, API 1.41", fix: null },
    { name: "Keychain", status: "ok", summary: "Secret Service ready", fix: null },
    { name: "Git", status: "ok", summary: "git 2.39.5", fix: null },
    { name: "Disk", status: "ok", summary: "112 GB free", fix: null },
    { name: "Data folder", status: "ok", summary: "writable", fix: null },
  ],
};

export function makeProject(id: string, settings: Partial<ProjectDraft> = {}): Project {
  return {
    id,
    settings: { ...emptyDraft(), customer: "Acme", name: id, repo_url: `https://github.com/acme/${id}`, ...settings },
    created_at: "2025-01-15T10:30:00Z",
    updated_at: "2025-01-15T10:30:00Z",
  };
}

export function validationError(fields: { field: string; message: string }[]): EngineError {
  return { code: "validation", message: `${fields.length} fields need attention`, fields };
}

const ok = <T,>(value: T): Outcome<T> => ({ ok: true, value });

export class FakeApi implements Api {
  projects: Project[];
  info: Outcome<AppInfo> = ok(INFO);
  healthReport: Outcome<HealthReport> = ok(HEALTHY);
  /** Answers to the next add/update calls, in order; when empty the draft is accepted. */
  saveAnswers: Outcome<Project>[] = [];
  calls: { method: string; args: unknown[] }[] = [];
  private listeners = new Set<(event: EngineEvent) => void>();

  constructor(projects: Project[] = []) {
    this.projects = projects;
  }

  private record(method: string, ...args: unknown[]) {
    this.calls.push({ method, args });
  }

  async appInfo() {
    this.record("appInfo");
    return this.info;
  }

  async health() {
    this.record("health");
    return this.healthReport;
  }

  async listProjects() {
    this.record("listProjects");
    return ok([...this.projects]);
  }

  async addProject(draft: ProjectDraft) {
    this.record("addProject", draft);
    return this.saveAnswers.shift() ?? ok(this.store(makeProject(`p-${this.projects.length + 1}`, draft)));
  }

  async updateProject(id: string, draft: ProjectDraft) {
    this.record("updateProject", id, draft);
    return this.saveAnswers.shift() ?? ok(this.store({ ...makeProject(id, draft), settings: draft }));
  }

  async removeProject(id: string) {
    this.record("removeProject", id);
    this.projects = this.projects.filter((p) => p.id !== id);
    return ok(null);
  }

  onEngineEvent(listener: (event: EngineEvent) => void) {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Pushes an event to every listener, as the engine's event stream would. */
  emit(event: EngineEvent) {
    for (const listener of this.listeners) listener(event);
  }

  get listenerCount() {
    return this.listeners.size;
  }

  private store(project: Project): Project {
    this.projects = [...this.projects.filter((p) => p.id !== project.id), project];
    return project;
  }
}

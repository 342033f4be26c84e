// Read-only views of the state that several components share.

import type { Project } from "../bindings";
import type { AppState } from "./reducer";

export interface CustomerGroup {
  customer: string;
  projects: Project[];
}

/** Projects grouped under their customer, in the list's order (already sorted). */
export function groupByCustomer(projects: readonly Project[]): CustomerGroup[] {
  const groups: CustomerGroup[] = [];
  for (const project of projects) {
    const last = groups[groups.length - 1];
    if (last && last.customer === project.settings.customer) last.projects.push(project);
    else groups.push({ customer: project.settings.customer, projects: [project] });
  }
  return groups;
}

export function selectedProject(state: AppState): Project | null {
  return state.projects?.find((p) => p.id === state.selectedId) ?? null;
}

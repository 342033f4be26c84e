// The project form shows the engine's verdict and never throws away what the
// user typed: the engine validates, the form only places its messages.

import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { Outcome } from "../api";
import type { Project, ProjectDraft } from "../bindings";
import { emptyDraft } from "../state/draft";
import { makeProject, validationError } from "../test/fakeApi";
import { ProjectForm } from "./ProjectForm";

function setup(answer: Outcome<Project> | (() => Promise<Outcome<Project>>), initial: ProjectDraft = emptyDraft(), mode: "add" | "edit" = "add") {
  const onSubmit = vi.fn(typeof answer === "function" ? answer : async () => answer);
  const onSaved = vi.fn();
  const onCancel = vi.fn();
  render(<ProjectForm mode={mode} initial={initial} customers={["Acme"]} onSubmit={onSubmit} onSaved={onSaved} onCancel={onCancel} />);
  return { onSubmit, onSaved, onCancel, user: userEvent.setup() };
}

const field = (name: string) => screen.getByTestId(`field-${name}`) as HTMLInputElement | HTMLSelectElement;

async function fillEverything(user: ReturnType<typeof userEvent.setup>) {
  await user.type(field("customer"), "Acme Corp");
  await user.type(field("name"), "Portal");
  await user.type(field("repo_url"), "not a url");
  await user.clear(field("base_branch"));
  await user.type(field("base_branch"), "develop");
  await user.clear(field("tasklist_path"));
  await user.type(field("tasklist_path"), "docs/tasks.md");
  await user.selectOptions(field("order"), "dependency");
  await user.selectOptions(field("unit"), "group");
  await user.selectOptions(field("default_agent"), "aider");
  await user.selectOptions(field("priority"), "high");
}

const TYPED = {
  customer: "Acme Corp",
  name: "Portal",
  repo_url: "not a url",
  base_branch: "develop",
  tasklist_path: "docs/tasks.md",
  order: "dependency",
  unit: "group",
  default_agent: "aider",
  priority: "high",
};

describe("ProjectForm", () => {
  it("starts from the documented defaults", () => {
    // Issue 3: base branch main, the standard task-list path, sequential, leaf, Claude Code, normal priority.
    setup({ ok: true, value: makeProject("x") });
    expect(field("base_branch")).toHaveValue("main");
    expect(field("tasklist_path")).toHaveValue("ai_docs/tasks/tasks_list.md");
    expect(field("order")).toHaveValue("sequential");
    expect(field("unit")).toHaveValue("leaf");
    expect(field("default_agent")).toHaveValue("claude-code");
    expect(field("priority")).toHaveValue("normal");
    expect(field("customer")).toHaveFocus();
  });

  it("shows the engine's field errors beside their fields and keeps every typed value", async () => {
    // A rejected form loses nothing the user typed (issue 3, item 2), and each message sits with its field,
    // announced to assistive technology through aria-invalid and aria-describedby.
    const { onSubmit, onSaved, user } = setup({
      ok: false,
      error: validationError([
        { field: "repo_url", message: "is not a git URL or an absolute local path" },
        { field: "tasklist_path", message: "must be a relative path inside the repository" },
      ]),
    });
    await fillEverything(user);
    await user.click(screen.getByTestId("submit-project"));

    expect(onSubmit).toHaveBeenCalledWith(TYPED);
    expect(onSaved).not.toHaveBeenCalled();

    const repoError = screen.getByTestId("error-repo_url");
    expect(repoError).toHaveTextContent("is not a git URL or an absolute local path");
    expect(field("repo_url")).toHaveAttribute("aria-invalid", "true");
    expect(field("repo_url").getAttribute("aria-describedby")).toContain(repoError.id);
    expect(field("repo_url")).toHaveAccessibleDescription(/is not a git URL/);
    // The message is inside the same field block as its input, not in a list elsewhere.
    expect(field("repo_url").closest(".form-field")).toContainElement(repoError);
    expect(screen.getByTestId("error-tasklist_path")).toHaveTextContent("relative path");

    expect(field("name")).toHaveAttribute("aria-invalid", "false");
    expect(screen.queryByTestId("error-name")).toBeNull();
    expect(screen.queryByTestId("form-error")).toBeNull();
    // Focus goes to the first field the engine refused, so the user can fix it at once.
    expect(field("repo_url")).toHaveFocus();

    for (const [name, value] of Object.entries(TYPED)) expect(field(name)).toHaveValue(value);
  });

  it("saves after the user fixes the field the engine refused", async () => {
    // The second submission must carry the correction plus everything kept from the first.
    const saved = makeProject("acme-corp-portal");
    const answers: Outcome<Project>[] = [
      { ok: false, error: validationError([{ field: "repo_url", message: "is not a git URL" }]) },
      { ok: true, value: saved },
    ];
    const { onSubmit, onSaved, user } = setup(async () => answers.shift() ?? { ok: true, value: saved });
    await fillEverything(user);
    await user.click(screen.getByTestId("submit-project"));
    await user.clear(field("repo_url"));
    await user.type(field("repo_url"), "https://github.com/acme/portal");
    await user.click(screen.getByTestId("submit-project"));

    expect(onSubmit).toHaveBeenLastCalledWith({ ...TYPED, repo_url: "https://github.com/acme/portal" });
    expect(onSaved).toHaveBeenCalledWith(saved);
  });

  it("shows an error that belongs to no field above the form, values kept", async () => {
    // A conflict or a database failure has no field to sit beside; it must still be seen.
    const { user } = setup({ ok: false, error: { code: "conflict", message: "Acme Corp / Portal already exists", fields: [] } });
    await user.type(field("customer"), "Acme Corp");
    await user.type(field("name"), "Portal");
    await user.click(screen.getByTestId("submit-project"));
    expect(screen.getByTestId("form-error")).toHaveTextContent("Acme Corp / Portal already exists");
    expect(screen.getByRole("alert")).toBe(screen.getByTestId("form-error"));
    expect(field("customer")).toHaveValue("Acme Corp");
    expect(field("name")).toHaveValue("Portal");
  });

  it("shows a message for a field the form does not have at form level", async () => {
    // A field name the UI does not know (a newer engine) must not be dropped silently.
    const { user } = setup({ ok: false, error: validationError([{ field: "limits", message: "must be positive" }]) });
    await user.click(screen.getByTestId("submit-project"));
    expect(screen.getByTestId("form-error")).toHaveTextContent("limits: must be positive");
  });

  it("cancels on Esc without submitting", async () => {
    // Esc is the keyboard way out of a dialog.
    const { onSubmit, onCancel, user } = setup({ ok: true, value: makeProject("x") });
    await user.type(field("name"), "Half typed");
    await user.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("cancels from the Cancel button", async () => {
    // The same way out for the mouse.
    const { onCancel, user } = setup({ ok: true, value: makeProject("x") });
    await user.click(screen.getByTestId("cancel-project"));
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it("submits on Enter from a text field and from a select", async () => {
    // Enter submits from anywhere in the form; browsers do not do it for selects on their own.
    const { onSubmit, user } = setup({ ok: false, error: validationError([{ field: "name", message: "is required" }]) });
    await user.type(field("customer"), "Acme{Enter}");
    expect(onSubmit).toHaveBeenCalledTimes(1);
    field("priority").focus();
    await user.keyboard("{Enter}");
    expect(onSubmit).toHaveBeenCalledTimes(2);
  });

  it("edits an existing project starting from its stored settings", async () => {
    // Edit must show what is stored, and send the whole draft back with the change.
    const project = makeProject("globex-shop", { customer: "Globex", name: "Shop", default_agent: "my-agent", priority: "low" });
    const { onSubmit, user } = setup({ ok: true, value: project }, project.settings, "edit");
    expect(screen.getByRole("dialog", { name: "Edit project" })).toBeInTheDocument();
    expect(field("customer")).toHaveValue("Globex");
    // An agent outside the built-in list stays selectable rather than silently changing.
    expect(field("default_agent")).toHaveValue("my-agent");
    await user.clear(field("name"));
    await user.type(field("name"), "Shop v2");
    await user.click(within(screen.getByTestId("project-form")).getByRole("button", { name: "Save changes" }));
    expect(onSubmit).toHaveBeenCalledWith({ ...project.settings, name: "Shop v2" });
  });

  it("labels every field so it can be found by its name", () => {
    // Each control has a visible label tied to it; the E2E test and screen readers depend on it.
    setup({ ok: true, value: makeProject("x") });
    for (const label of ["Customer", "Project name", "Repository URL", "Base branch", "Task list path", "Execution order", "Unit of work", "Default agent", "Priority"]) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
  });
});

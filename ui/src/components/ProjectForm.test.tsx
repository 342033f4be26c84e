// The project form shows the engine's verdict and never throws away what the
// user typed: the engine validates, the form only places its messages.

import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { Outcome } from "../api";
import type { Project, ProjectDraft, RunPolicy } from "../bindings";
import { defaultRunPolicy, emptyDraft } from "../state/draft";
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

    expect(onSubmit).toHaveBeenCalledWith({ ...emptyDraft(), ...TYPED });
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

    expect(onSubmit).toHaveBeenLastCalledWith({ ...emptyDraft(), ...TYPED, repo_url: "https://github.com/acme/portal" });
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

/** The Rust side's `RunPolicy::default()`, spelled out: the UI's defaults must not drift from it. */
const RUST_DEFAULTS: Required<RunPolicy> = {
  max_attempts: 3,
  parallel_tasks: 1,
  memory_mb: 2048,
  cpus: 1,
  pids: 512,
  wall_clock_minutes: 30,
  inactivity_minutes: 5,
  merge_mode: "pr",
  pr_draft: false,
  pr_labels: [],
  allowlist: ["sh", "test", "grep", "cat", "ls", "make", "cargo", "npm", "node", "python3", "pytest", "go"],
  risky_keywords: ["migration", "secret", "credential", "delete", "drop", "production", "deploy"],
  checks: [],
  routing_rules: [
    { keyword: "refactor", agent: "claude-code" },
    { keyword: "multi-file", agent: "claude-code" },
    { keyword: "add test", agent: "aider" },
    { keyword: "one file", agent: "aider" },
    { keyword: "scaffold", agent: "ollama" },
    { keyword: "boilerplate", agent: "ollama" },
  ],
  model: null,
  author_name: "DevTeam",
  author_email: "devteam@localhost",
  github_account: null,
};

const sent = (onSubmit: { mock: { calls: unknown[][] } }, call = -1) => onSubmit.mock.calls.at(call)?.[0] as ProjectDraft;
const section = (id: string) => screen.getByTestId(`section-${id}`);

describe("ProjectForm: run settings", () => {
  it("starts a new project with DevTeam's default run settings, the groups closed", async () => {
    // The basic form stays short; what is sent for a new project is exactly the engine's defaults.
    const { onSubmit, user } = setup({ ok: true, value: makeProject("x") });
    expect(defaultRunPolicy()).toEqual(RUST_DEFAULTS);
    for (const id of ["container", "tasks", "delivery", "commits", "agents"]) expect(section(id)).not.toHaveAttribute("open");
    expect(screen.getByTestId("section-container-toggle")).toHaveTextContent("runner · 2048 MiB · 1 CPU · 30 min");
    expect(screen.getByTestId("section-commits-toggle")).toHaveTextContent("by DevTeam <devteam@localhost>");
    expect(field("run.author_name")).toHaveValue("DevTeam");
    expect(field("run.author_email")).toHaveValue("devteam@localhost");
    await user.type(field("customer"), "Acme{Enter}");
    expect(sent(onSubmit).run).toEqual(RUST_DEFAULTS);
    expect(sent(onSubmit).image).toBe("runner");
  });

  it("submits edited run settings: numbers converted, lists, checks and rules as edited", async () => {
    // Every kind of control in the groups, edited the way a person would, keyboard included.
    const { onSubmit, user } = setup({ ok: true, value: makeProject("x") });

    await user.click(screen.getByTestId("section-container-toggle"));
    expect(section("container")).toHaveAttribute("open");
    await user.selectOptions(field("image"), "custom");
    await vi.waitFor(() => expect(screen.getByTestId("field-image-custom")).toHaveFocus());
    await user.type(screen.getByTestId("field-image-custom"), "dockerfile:ci/Dockerfile");
    for (const [name, value] of [["memory_mb", "4096"], ["cpus", "1,5"], ["pids", "1024"], ["wall_clock_minutes", "60"], ["inactivity_minutes", "10"]]) {
      await user.clear(field(`run.${name}`));
      await user.type(field(`run.${name}`), value as string);
    }

    await user.click(screen.getByTestId("section-tasks-toggle"));
    await user.clear(field("run.max_attempts"));
    await user.type(field("run.max_attempts"), "5");
    await user.click(screen.getByTestId("add-check"));
    await vi.waitFor(() => expect(field("run.checks[0].name")).toHaveFocus());
    await user.keyboard("test");
    await user.type(field("run.checks[0].run"), "make test");
    await user.click(screen.getByRole("button", { name: "Remove go" }));
    await user.type(field("run.allowlist-new"), "pnpm{Enter}");
    // A comma ends an entry; what is still typed in the box when the form is sent counts too.
    await user.type(field("run.risky_keywords-new"), "billing, invoice");

    await user.click(screen.getByTestId("section-delivery-toggle"));
    await user.click(field("run.pr_draft"));
    await user.type(field("run.pr_labels-new"), "devteam,automated,");

    await user.click(screen.getByTestId("section-agents-toggle"));
    await user.type(field("run.model"), "gpt-5");
    // "multi-file" moves to the top with the keyboard; focus stays on its row's controls.
    screen.getByTestId("rule-up-1").focus();
    await user.keyboard("{Enter}");
    await vi.waitFor(() => expect(screen.getByTestId("rule-down-0")).toHaveFocus());
    await user.selectOptions(field("run.routing_rules[1].agent"), "codex");
    await user.click(screen.getByRole("button", { name: "Remove rule 6 (boilerplate)" }));
    await user.click(screen.getByTestId("add-rule"));
    await user.type(field("run.routing_rules[5].keyword"), "docs");

    await user.click(screen.getByTestId("submit-project"));
    const draft = sent(onSubmit);
    expect(draft.image).toBe("dockerfile:ci/Dockerfile");
    expect(draft.run).toEqual({
      ...RUST_DEFAULTS,
      max_attempts: 5,
      memory_mb: 4096,
      cpus: 1.5,
      pids: 1024,
      wall_clock_minutes: 60,
      inactivity_minutes: 10,
      pr_draft: true,
      pr_labels: ["devteam", "automated"],
      allowlist: ["sh", "test", "grep", "cat", "ls", "make", "cargo", "npm", "node", "python3", "pytest", "pnpm"],
      risky_keywords: [...RUST_DEFAULTS.risky_keywords, "billing", "invoice"],
      checks: [{ name: "test", run: "make test" }],
      routing_rules: [
        { keyword: "multi-file", agent: "claude-code" },
        { keyword: "refactor", agent: "codex" },
        { keyword: "add test", agent: "aider" },
        { keyword: "one file", agent: "aider" },
        { keyword: "scaffold", agent: "ollama" },
        { keyword: "docs", agent: "claude-code" },
      ],
      model: "gpt-5",
    });
    // The word left in the box became an entry of its own.
    expect(field("run.risky_keywords[8]")).toHaveValue("invoice");
  });

  it("shows the engine's error on run.checks[0].run at that row, opening its group", async () => {
    // The engine names the row's field; the message sits under that row's command, the group opens, focus goes there.
    const { user } = setup({ ok: false, error: validationError([{ field: "run.checks[0].run", message: "enter the command the check runs" }]) });
    await user.click(screen.getByTestId("section-tasks-toggle"));
    await user.click(screen.getByTestId("add-check"));
    await user.type(field("run.checks[0].name"), "lint");
    // The group is closed again before sending: the refusal must open it.
    await user.click(screen.getByTestId("section-tasks-toggle"));
    expect(section("tasks")).not.toHaveAttribute("open");
    await user.click(screen.getByTestId("submit-project"));

    // The answer arrives after the click: wait for it (a loaded machine is slow).
    await vi.waitFor(() => expect(section("tasks")).toHaveAttribute("open"));
    await vi.waitFor(() => expect(field("run.checks[0].run")).toHaveFocus());
    const error = screen.getByTestId("error-run.checks[0].run");
    expect(error).toHaveTextContent("enter the command the check runs");
    expect(screen.getByTestId("check-row-0")).toContainElement(error);
    expect(field("run.checks[0].run")).toHaveAttribute("aria-invalid", "true");
    expect(field("run.checks[0].run")).toHaveAccessibleDescription(/enter the command/);
    expect(field("run.checks[0].run")).toHaveFocus();
    expect(field("run.checks[0].name")).toHaveAttribute("aria-invalid", "false");
    expect(field("run.checks[0].name")).toHaveValue("lint");
    expect(screen.getByTestId("section-tasks-errors")).toHaveTextContent("1 to fix");
    expect(screen.queryByTestId("form-error")).toBeNull();
  });

  it("places errors on untouched settings too: an allowlist entry, a rule's agent, the image, a limit", async () => {
    // Stored settings sent back as they were are refused by a newer engine: each message still finds its control.
    const { user } = setup({
      ok: false,
      error: validationError([
        { field: "run.allowlist[2]", message: "is not allowed here" },
        { field: "run.routing_rules[0].agent", message: "unknown agent" },
        { field: "image", message: "choose an image" },
        { field: "run.pids", message: "processes must be between 64 and 32768 (got 1)" },
      ]),
    });
    await user.type(field("customer"), "Acme{Enter}");
    for (const id of ["container", "tasks", "agents"]) expect(section(id)).toHaveAttribute("open");
    expect(section("delivery")).not.toHaveAttribute("open");
    expect(field("run.allowlist[2]")).toHaveValue("grep");
    expect(field("run.allowlist[2]")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("error-run.allowlist[2]")).toHaveTextContent("“grep”: is not allowed here");
    expect(screen.getByTestId("error-run.routing_rules[0].agent")).toHaveTextContent("unknown agent");
    expect(screen.getByTestId("rule-row-0")).toContainElement(screen.getByTestId("error-run.routing_rules[0].agent"));
    expect(field("image").closest(".form-field")).toContainElement(screen.getByTestId("error-image"));
    expect(screen.getByTestId("error-run.pids")).toHaveTextContent("between 64 and 32768");
    // The first refused control in the form's order takes focus.
    expect(field("image")).toHaveFocus();
  });

  it("shows the stored commit author and saves the edited one", async () => {
    // Who the commits are by: the stored values in the Commits group, edited and sent as run.author_name / run.author_email.
    const run = { ...RUST_DEFAULTS, author_name: "Globex Bot", author_email: "bot@globex.example" };
    const project = makeProject("globex-shop", { customer: "Globex", name: "Shop", run });
    const { onSubmit, user } = setup({ ok: true, value: project }, project.settings, "edit");
    expect(screen.getByTestId("section-commits-toggle")).toHaveTextContent("by Globex Bot <bot@globex.example>");
    await user.click(screen.getByTestId("section-commits-toggle"));
    expect(section("commits")).toHaveAttribute("open");
    expect(screen.getByLabelText("Author name")).toBe(field("run.author_name"));
    expect(screen.getByLabelText("Author email")).toBe(field("run.author_email"));
    expect(field("run.author_name")).toHaveValue("Globex Bot");
    expect(field("run.author_email")).toHaveValue("bot@globex.example");
    expect(field("run.author_email")).toHaveAttribute("type", "email");

    await user.clear(field("run.author_name"));
    await user.type(field("run.author_name"), "Shop Releases");
    await user.clear(field("run.author_email"));
    await user.type(field("run.author_email"), " releases@globex.example ");
    expect(screen.getByTestId("section-commits-toggle")).toHaveTextContent("by Shop Releases <releases@globex.example>");
    await user.click(screen.getByTestId("submit-project"));
    expect(sent(onSubmit).run).toEqual({ ...run, author_name: "Shop Releases", author_email: "releases@globex.example" });
  });

  it("shows the engine's error on run.author_email beside the email input, keeping what was typed", async () => {
    const { onSubmit, user } = setup({ ok: false, error: validationError([{ field: "run.author_email", message: "enter an email address, e.g. devteam@localhost" }]) });
    await user.type(field("customer"), "Acme");
    await user.click(screen.getByTestId("section-commits-toggle"));
    await user.clear(field("run.author_email"));
    await user.type(field("run.author_email"), "devteam at home");
    // The group is closed again before sending: the refusal must open it.
    await user.click(screen.getByTestId("section-commits-toggle"));
    await user.click(screen.getByTestId("submit-project"));

    expect(sent(onSubmit).run?.author_email).toBe("devteam at home");
    await vi.waitFor(() => expect(section("commits")).toHaveAttribute("open"));
    await vi.waitFor(() => expect(field("run.author_email")).toHaveFocus());
    const error = screen.getByTestId("error-run.author_email");
    expect(error).toHaveTextContent("enter an email address, e.g. devteam@localhost");
    expect(field("run.author_email").closest(".form-field")).toContainElement(error);
    expect(field("run.author_email")).toHaveAttribute("aria-invalid", "true");
    expect(field("run.author_email")).toHaveAccessibleDescription(/enter an email address/);
    expect(field("run.author_email")).toHaveValue("devteam at home");
    expect(field("run.author_name")).toHaveAttribute("aria-invalid", "false");
    expect(field("run.author_name")).toHaveValue("DevTeam");
    expect(screen.queryByTestId("error-run.author_name")).toBeNull();
    expect(screen.getByTestId("section-commits-errors")).toHaveTextContent("1 to fix");
    expect(screen.queryByTestId("form-error")).toBeNull();
  });

  it("shows the stored GitHub account in the Commits group and saves the edited one, trimmed", async () => {
    // Whose token pushes and opens pull requests: run.github_account, beside the commit author.
    const run = { ...RUST_DEFAULTS, github_account: "globex-bot" };
    const project = makeProject("globex-shop", { customer: "Globex", name: "Shop", run });
    const { onSubmit, user } = setup({ ok: true, value: project }, project.settings, "edit");
    expect(screen.getByTestId("section-commits-toggle")).toHaveTextContent("by DevTeam <devteam@localhost> · as globex-bot");
    await user.click(screen.getByTestId("section-commits-toggle"));
    expect(screen.getByLabelText("GitHub account")).toBe(field("run.github_account"));
    expect(section("commits")).toContainElement(field("run.github_account"));
    expect(field("run.github_account")).toHaveValue("globex-bot");
    expect(field("run.github_account")).toHaveAttribute("placeholder", "only token for the host");
    const hintId = field("run.github_account").getAttribute("aria-describedby") ?? "";
    expect(document.getElementById(hintId)).toHaveTextContent(
      "The account whose token in Settings → Secrets pushes and opens pull requests (github:HOST:ACCOUNT). Empty: the host's only token.",
    );

    await user.clear(field("run.github_account"));
    await user.type(field("run.github_account"), " shop.releases ");
    expect(screen.getByTestId("section-commits-toggle")).toHaveTextContent("· as shop.releases");
    await user.click(screen.getByTestId("submit-project"));
    expect(sent(onSubmit).run).toEqual({ ...run, github_account: "shop.releases" });
  });

  it("saves a cleared GitHub account as none (the host's only token)", async () => {
    const run = { ...RUST_DEFAULTS, github_account: "globex-bot" };
    const project = makeProject("globex-shop", { customer: "Globex", name: "Shop", run });
    const { onSubmit, user } = setup({ ok: true, value: project }, project.settings, "edit");
    await user.click(screen.getByTestId("section-commits-toggle"));
    await user.clear(field("run.github_account"));
    await user.type(field("run.github_account"), "   ");
    expect(screen.getByTestId("section-commits-toggle")).toHaveTextContent(/^Commitsby DevTeam <devteam@localhost>$/);
    await user.click(screen.getByTestId("submit-project"));
    expect(sent(onSubmit).run).toEqual({ ...run, github_account: null });
  });

  it("starts a new project with no GitHub account and leaves it unset", async () => {
    const { onSubmit, user } = setup({ ok: true, value: makeProject("x") });
    expect(field("run.github_account")).toHaveValue("");
    await user.type(field("customer"), "Acme");
    await user.click(screen.getByTestId("section-commits-toggle"));
    await user.type(field("run.author_name"), " 2");
    await user.click(screen.getByTestId("submit-project"));
    expect(sent(onSubmit).run).toEqual({ ...RUST_DEFAULTS, author_name: "DevTeam 2", github_account: null });
  });

  it("shows the engine's error on run.github_account beside its input, keeping what was typed", async () => {
    const { onSubmit, user } = setup({
      ok: false,
      error: validationError([{ field: "run.github_account", message: "a GitHub account name: letters, digits, -, _ and . only" }]),
    });
    await user.type(field("customer"), "Acme");
    await user.click(screen.getByTestId("section-commits-toggle"));
    await user.type(field("run.github_account"), "globex bot!");
    // The group is closed again before sending: the refusal must open it.
    await user.click(screen.getByTestId("section-commits-toggle"));
    await user.click(screen.getByTestId("submit-project"));

    expect(sent(onSubmit).run?.github_account).toBe("globex bot!");
    await vi.waitFor(() => expect(section("commits")).toHaveAttribute("open"));
    await vi.waitFor(() => expect(field("run.github_account")).toHaveFocus());
    const error = screen.getByTestId("error-run.github_account");
    expect(error).toHaveTextContent("a GitHub account name: letters, digits, -, _ and . only");
    expect(field("run.github_account").closest(".form-field")).toContainElement(error);
    expect(field("run.github_account")).toHaveAttribute("aria-invalid", "true");
    expect(field("run.github_account")).toHaveAccessibleDescription(/letters, digits/);
    expect(field("run.github_account")).toHaveValue("globex bot!");
    expect(field("run.author_name")).toHaveAttribute("aria-invalid", "false");
    expect(screen.getByTestId("section-commits-errors")).toHaveTextContent("1 to fix");
    expect(screen.queryByTestId("form-error")).toBeNull();
  });

  it("refuses text where a number goes without sending anything, keeping what was typed", async () => {
    // "2 GB" cannot be sent as a number at all; the user sees why, beside the field, and keeps the text.
    const { onSubmit, user } = setup({ ok: true, value: makeProject("x") });
    await user.click(screen.getByTestId("section-container-toggle"));
    await user.clear(field("run.memory_mb"));
    await user.type(field("run.memory_mb"), "2 GB");
    await user.click(screen.getByTestId("section-container-toggle"));
    await user.click(screen.getByTestId("submit-project"));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(section("container")).toHaveAttribute("open");
    expect(screen.getByTestId("error-run.memory_mb")).toHaveTextContent("“2 GB” is not a whole number");
    expect(field("run.memory_mb")).toHaveValue("2 GB");
    expect(field("run.memory_mb")).toHaveFocus();
  });

  it("keeps an existing project's stored run settings untouched when only its name changes", async () => {
    // Nothing the user did not touch may change: not a limit, not a rule, not a field this window does not know.
    const run = {
      ...RUST_DEFAULTS,
      memory_mb: 8192,
      cpus: 2.5,
      merge_mode: "direct",
      pr_labels: ["bot"],
      allowlist: ["sh", "make"],
      checks: [{ name: "build", run: "cargo build" }],
      routing_rules: [{ keyword: "ui", agent: "codex" }],
      model: "sonnet",
      future_setting: { kept: true },
    } as RunPolicy;
    const project = makeProject("globex-shop", { customer: "Globex", name: "Shop", image: "dockerfile:ci/Dockerfile", run });
    const { onSubmit, user } = setup({ ok: true, value: project }, project.settings, "edit");
    expect(screen.getByTestId("section-container-toggle")).toHaveTextContent("dockerfile:ci/Dockerfile · 8192 MiB · 2.5 CPU");
    await user.clear(field("name"));
    await user.type(field("name"), "Shop v2{Enter}");
    expect(onSubmit).toHaveBeenCalledWith({ ...project.settings, name: "Shop v2" });
    expect(sent(onSubmit).run).toBe(run);
  });

  it("resets the run settings to the defaults, keeping the image and what this window does not know", async () => {
    // One click back to DevTeam's defaults; saved only with the project.
    const run = { ...RUST_DEFAULTS, max_attempts: 9, checks: [{ name: "test", run: "make test" }], future_setting: 1 } as RunPolicy;
    const project = makeProject("globex-shop", { image: "minimal", run });
    const { onSubmit, user } = setup({ ok: true, value: project }, project.settings, "edit");
    await user.click(screen.getByTestId("reset-run"));
    expect(screen.getByTestId("run-reset-note")).toHaveTextContent("reset to the defaults");
    await user.click(screen.getByTestId("submit-project"));
    expect(sent(onSubmit).run).toEqual({ ...RUST_DEFAULTS, future_setting: 1 });
    expect(sent(onSubmit).image).toBe("minimal");
  });
});

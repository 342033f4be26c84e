// The settings dialog: secrets are listed by name, a value is sent once and
// never rendered back, removal asks first, a GitHub token can be checked
// (against its host's API or an API base typed for it), and saving one
// checks it first: GitHub's answer, its refusal or "not checked" shows;
// the app toggles save through setAppSettings and a load error is shown.

import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { App } from "../App";
import type { AppSettings } from "../bindings";
import { engineError, FakeApi, makeProject } from "../test/fakeApi";
import { SettingsDialog } from "./SettingsDialog";

const calls = (api: FakeApi, method: string) => api.calls.filter((c) => c.method === method);
const SECRET = "ghp_verysecretvalue123";

function open(api: FakeApi, initialTab: "secrets" | "app" = "secrets") {
  const onSave = vi.fn((change: Partial<AppSettings>) => api.setAppSettings({ ...api.appSettings.settings, ...change }));
  const onClose = vi.fn();
  render(<SettingsDialog api={api} onSaveSettings={onSave} onClose={onClose} initialTab={initialTab} />);
  return { onSave, onClose };
}

describe("settings: secrets", () => {
  it("lists names only, and stores a value that is then cleared and never rendered back", async () => {
    const api = new FakeApi();
    api.secrets = { ANTHROPIC_API_KEY: "sk-hidden" };
    const user = userEvent.setup();
    open(api);
    const list = await screen.findByTestId("secrets-list");
    expect(list).toHaveTextContent("ANTHROPIC_API_KEY");
    expect(list).toHaveTextContent("API key");
    expect(document.body.innerHTML).not.toContain("sk-hidden");

    const value = screen.getByTestId("field-value");
    expect(value).toHaveAttribute("type", "password");
    await user.type(screen.getByTestId("field-name"), "github:github.com:alice");
    await user.type(value, SECRET);
    await user.click(screen.getByTestId("secret-save"));

    await screen.findByTestId("secret-saved");
    expect(calls(api, "setSecret")).toEqual([{ method: "setSecret", args: ["github:github.com:alice", SECRET, null] }]);
    expect(value).toHaveValue("");
    expect(screen.getByTestId("field-name")).toHaveValue("");
    const row = await screen.findByTestId("secret-github:github.com:alice");
    expect(row).toHaveTextContent("GitHub token · alice@github.com");
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it("shows the engine's refusal and keeps the name", async () => {
    const api = new FakeApi();
    const user = userEvent.setup();
    open(api);
    await user.type(screen.getByTestId("field-name"), "not a name");
    await user.type(screen.getByTestId("field-value"), SECRET);
    await user.click(screen.getByTestId("secret-save"));
    expect(await screen.findByTestId("secret-save-error")).toHaveTextContent('"not a name" is not a secret name');
    expect(screen.getByTestId("field-name")).toHaveValue("not a name");
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it("asks for an API base only for a GitHub token, and saves an API key without one", async () => {
    const api = new FakeApi();
    const user = userEvent.setup();
    open(api);
    await screen.findByText("No secrets stored yet.");
    expect(screen.queryByTestId("field-api_base")).toBeNull();
    await user.type(screen.getByTestId("field-name"), "github:ghe.example:octo");
    const base = screen.getByTestId("field-api_base");
    expect(base).toHaveAccessibleName("API base (GitHub Enterprise)");
    expect(base).toHaveAttribute("placeholder", "https://ghe.example/api/v3");
    await user.type(base, "http://127.0.0.1:9999/api");
    // Another kind of name: the field goes, and what was typed in it is not sent.
    await user.clear(screen.getByTestId("field-name"));
    await user.type(screen.getByTestId("field-name"), "OPENAI_API_KEY");
    expect(screen.queryByTestId("field-api_base")).toBeNull();
    await user.type(screen.getByTestId("field-value"), "sk-x");
    await user.click(screen.getByTestId("secret-save"));
    expect(await screen.findByTestId("secret-saved")).toHaveTextContent("Saved OPENAI_API_KEY.");
    expect(calls(api, "setSecret").map((c) => c.args)).toEqual([["OPENAI_API_KEY", "sk-x", null]]);
    expect(screen.queryByTestId("token-info")).toBeNull();
    expect(screen.queryByTestId("secret-not-checked")).toBeNull();
  });

  it("saves a GitHub token checked at the API base typed, and shows what GitHub said of it", async () => {
    const api = new FakeApi();
    api.tokenAnswer = {
      ok: true,
      value: {
        login: "octo",
        host: "ghe.example",
        kind: "classic",
        scopes: ["repo"],
        expires_at: null,
        warnings: ["no workflow scope: pushes that change workflows fail"],
      },
    };
    const user = userEvent.setup();
    open(api);
    await screen.findByText("No secrets stored yet.");
    await user.type(screen.getByTestId("field-name"), "github:ghe.example:octo");
    await user.type(screen.getByTestId("field-api_base"), "  http://127.0.0.1:9999/api  ");
    await user.type(screen.getByTestId("field-value"), SECRET);
    await user.click(screen.getByTestId("secret-save"));

    expect(await screen.findByTestId("secret-saved")).toHaveTextContent("checked with GitHub");
    expect(calls(api, "setSecret").map((c) => c.args)).toEqual([["github:ghe.example:octo", SECRET, "http://127.0.0.1:9999/api"]]);
    const row = await screen.findByTestId("secret-github:ghe.example:octo");
    const info = within(row).getByTestId("token-info");
    expect(within(info).getByTestId("token-login")).toHaveTextContent("octo @ ghe.example");
    expect(info).toHaveTextContent("repo");
    expect(info).toHaveTextContent("never (or not said)");
    expect(within(info).getByTestId("token-warnings")).toHaveTextContent("no workflow scope");
    expect(screen.queryByTestId("secret-not-checked")).toBeNull();
    // The form is ready for the next one; a later Check asks the same API base.
    expect(screen.getByTestId("field-name")).toHaveValue("");
    expect(screen.queryByTestId("field-api_base")).toBeNull();
    expect(within(row).getByTestId("secret-api-base-github:ghe.example:octo")).toHaveValue("http://127.0.0.1:9999/api");
    await user.click(within(row).getByTestId("secret-check-github:ghe.example:octo"));
    expect(calls(api, "checkGithubToken").map((c) => c.args)).toEqual([["github:ghe.example:octo", "http://127.0.0.1:9999/api"]]);
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it("shows GitHub's refusal of a token as the save error; nothing is stored or listed", async () => {
    const api = new FakeApi();
    api.secrets = { ANTHROPIC_API_KEY: "k" };
    api.tokenAnswer = { ok: false, error: engineError("GitHub refused the token (401)", "credential_rejected") };
    const user = userEvent.setup();
    open(api);
    await screen.findByTestId("secrets-list");
    const listed = calls(api, "listSecrets").length;
    await user.type(screen.getByTestId("field-name"), "github:github.com:bob");
    await user.type(screen.getByTestId("field-value"), SECRET);
    await user.click(screen.getByTestId("secret-save"));

    const error = await screen.findByTestId("secret-save-error");
    expect(error).toHaveTextContent("GitHub refused the token (401): nothing was stored");
    expect(screen.getByTestId("field-name")).toHaveValue("github:github.com:bob");
    expect(screen.getByTestId("field-value")).toHaveValue("");
    expect(screen.queryByTestId("secret-saved")).toBeNull();
    expect(api.secrets).toEqual({ ANTHROPIC_API_KEY: "k" });
    expect(calls(api, "listSecrets")).toHaveLength(listed);
    expect(screen.queryByTestId("secret-github:github.com:bob")).toBeNull();
    expect(screen.queryByTestId("token-info")).toBeNull();
  });

  it("stores a token GitHub could not be asked about, saying it was not checked", async () => {
    const api = new FakeApi();
    api.tokenAnswer = { ok: false, error: engineError("cannot reach https://api.github.com: timed out", "github") };
    const user = userEvent.setup();
    open(api);
    await screen.findByText("No secrets stored yet.");
    await user.type(screen.getByTestId("field-name"), "github:github.com:carol");
    await user.type(screen.getByTestId("field-value"), SECRET);
    await user.click(screen.getByTestId("secret-save"));

    expect(await screen.findByTestId("secret-not-checked")).toHaveTextContent(
      "Stored, but not checked: cannot reach https://api.github.com: timed out",
    );
    expect(screen.getByTestId("secret-saved")).toHaveTextContent("Saved github:github.com:carol.");
    expect(await screen.findByTestId("secret-github:github.com:carol")).toBeInTheDocument();
    expect(screen.queryByTestId("token-info")).toBeNull();
    expect(screen.queryByTestId("secret-save-error")).toBeNull();
  });

  it("removes a secret after confirmation", async () => {
    const api = new FakeApi();
    api.secrets = { OPENAI_API_KEY: "x", ANTHROPIC_API_KEY: "y" };
    const user = userEvent.setup();
    open(api);
    await screen.findByTestId("secret-OPENAI_API_KEY");
    await user.click(screen.getByTestId("secret-remove-OPENAI_API_KEY"));
    expect(calls(api, "removeSecret")).toEqual([]);
    await user.click(screen.getByTestId("secret-remove-confirm"));
    expect(calls(api, "removeSecret")).toEqual([{ method: "removeSecret", args: ["OPENAI_API_KEY"] }]);
    await waitFor(() => expect(screen.queryByTestId("secret-OPENAI_API_KEY")).toBeNull());
    expect(screen.getByTestId("secret-ANTHROPIC_API_KEY")).toBeInTheDocument();
  });

  it("checks a GitHub token: login, kind, scopes, expiry and warnings", async () => {
    const api = new FakeApi();
    api.secrets = { "github:github.com:alice": "t", ANTHROPIC_API_KEY: "k" };
    api.tokenAnswer = {
      ok: true,
      value: {
        login: "alice",
        host: "github.com",
        kind: "classic",
        scopes: ["repo"],
        expires_at: "2026-12-31 00:00:00 UTC",
        warnings: ["no workflow scope: pushes that change workflows fail"],
      },
    };
    const user = userEvent.setup();
    open(api);
    await screen.findByTestId("secret-github:github.com:alice");
    // API keys have nothing to check.
    expect(screen.queryByTestId("secret-check-ANTHROPIC_API_KEY")).toBeNull();
    await user.click(screen.getByTestId("secret-check-github:github.com:alice"));
    expect(calls(api, "checkGithubToken")).toEqual([{ method: "checkGithubToken", args: ["github:github.com:alice", null] }]);
    const info = await screen.findByTestId("token-info");
    expect(info).toHaveTextContent("alice @ github.com");
    expect(info).toHaveTextContent("Classic");
    expect(info).toHaveTextContent("repo");
    expect(info).toHaveTextContent("2026-12-31 00:00:00 UTC");
    expect(within(info).getByTestId("token-warnings")).toHaveTextContent("no workflow scope");
  });

  it("checks a token against the API base typed for it, the host's default shown until then", async () => {
    // A GitHub Enterprise install whose API is not at https://HOST/api/v3.
    const api = new FakeApi();
    api.secrets = { "github:ghe.example:octo": "t", "github:github.com:alice": "u", ANTHROPIC_API_KEY: "k" };
    const user = userEvent.setup();
    open(api);
    const base = await screen.findByTestId("secret-api-base-github:ghe.example:octo");
    expect(base).toHaveValue("");
    expect(base).toHaveAttribute("placeholder", "https://ghe.example/api/v3");
    expect(base).toHaveAccessibleName("API base URL (optional)");
    expect(base).toHaveAccessibleDescription(/GitHub Enterprise/);
    expect(screen.getByTestId("secret-api-base-github:github.com:alice")).toHaveAttribute("placeholder", "https://api.github.com");
    // API keys have no API to ask.
    expect(screen.queryByTestId("secret-api-base-ANTHROPIC_API_KEY")).toBeNull();

    await user.type(base, "  http://127.0.0.1:9999/api  ");
    await user.click(screen.getByTestId("secret-check-github:ghe.example:octo"));
    // Each token's check uses its own field; an empty one leaves the engine's default.
    await user.click(screen.getByTestId("secret-check-github:github.com:alice"));
    expect(calls(api, "checkGithubToken")).toEqual([
      { method: "checkGithubToken", args: ["github:ghe.example:octo", "http://127.0.0.1:9999/api"] },
      { method: "checkGithubToken", args: ["github:github.com:alice", null] },
    ]);
  });

  it("shows why a token check failed", async () => {
    const api = new FakeApi();
    api.secrets = { "github:github.com:bob": "t" };
    api.tokenAnswer = { ok: false, error: engineError("GitHub refused the token (401)", "credential_rejected") };
    const user = userEvent.setup();
    open(api);
    await user.click(await screen.findByTestId("secret-check-github:github.com:bob"));
    expect(await screen.findByTestId("secret-check-error-github:github.com:bob")).toHaveTextContent("GitHub refused the token (401)");
  });
});

describe("settings: app", () => {
  it("shows the toggles as loaded and saves each change through setAppSettings", async () => {
    const api = new FakeApi();
    const user = userEvent.setup();
    const { onSave } = open(api, "app");
    const autostart = await screen.findByTestId("setting-autostart");
    expect(autostart).not.toBeChecked();
    expect(screen.getByTestId("setting-close_to_tray")).toBeChecked();
    await user.click(autostart);
    expect(onSave).toHaveBeenCalledWith({ autostart: true });
    expect(calls(api, "setAppSettings")[0]?.args).toEqual([
      { close_to_tray: true, notify_per_task: false, start_minimized: false, autostart: true, selected_project_id: null },
    ]);
    await waitFor(() => expect(screen.getByTestId("setting-autostart")).toBeChecked());
  });

  it("shows the load error of settings.json", async () => {
    const api = new FakeApi();
    api.appSettings = { ...api.appSettings, error: "settings.json: expected value at line 1" };
    open(api, "app");
    expect(await screen.findByTestId("settings-load-error")).toHaveTextContent("expected value at line 1");
  });

  it("opens from the header gear; toggles keep the selected project", async () => {
    const api = new FakeApi([makeProject("acme-portal", { name: "Portal" })]);
    const user = userEvent.setup();
    render(<App api={api} />);
    await screen.findByTestId("project-list");
    await act(async () => {});
    await user.click(screen.getByTestId("open-settings"));
    await user.click(screen.getByTestId("settings-tab-app"));
    await user.click(await screen.findByTestId("setting-notify_per_task"));
    await waitFor(() => expect(calls(api, "setAppSettings").length).toBeGreaterThan(0));
    const last = calls(api, "setAppSettings").at(-1)?.args[0] as AppSettings;
    expect(last).toMatchObject({ notify_per_task: true, close_to_tray: true, selected_project_id: "acme-portal" });
    await user.click(screen.getByTestId("settings-close"));
    expect(screen.queryByTestId("settings-dialog")).toBeNull();
  });
});

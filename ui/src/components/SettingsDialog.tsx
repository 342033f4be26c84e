// The app's settings, opened from the header: the stored secrets (names
// only — a value is typed once, sent to the keychain and never shown again)
// and how the desktop app behaves (tray, notifications, autostart).
// A GitHub token can be checked against its host's API, or against an API
// base typed for it (a GitHub Enterprise install whose API lives elsewhere).
// Saving a GitHub token checks it with GitHub first (at the API base typed
// in the form, if any): one GitHub refuses is not stored, and what GitHub
// said of a stored one shows under it as a Check would show it.

import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";

import type { Api, Outcome } from "../api";
import type { AppSettings, SecretInfo, TokenInfo } from "../bindings";
import { ConfirmAction } from "./ConfirmAction";
import { Dialog } from "./Dialog";
import { FormField } from "./FormField";
import { MissingIcon, TrashIcon, WarningIcon } from "./icons";
import "./InjectTask.css";
import "./SettingsDialog.css";

export type SettingsTab = "secrets" | "app";

type Toggle = "close_to_tray" | "notify_per_task" | "start_minimized" | "autostart";

const TOGGLES: [Toggle, string, string][] = [
  ["close_to_tray", "Close to tray", "Closing the window hides it to the tray; runs go on."],
  ["notify_per_task", "Notify per task", "One notification per finished task, else one per project when its run ends."],
  ["start_minimized", "Start minimized", "Start with the window hidden in the tray."],
  ["autostart", "Start at login", "Start DevTeam when you log in."],
];

interface SettingsDialogProps {
  api: Api;
  /** Saves a change of the app settings (the rest kept as they are). */
  onSaveSettings: (change: Partial<AppSettings>) => Promise<Outcome<AppSettings>>;
  onClose: () => void;
  initialTab?: SettingsTab;
}

export function SettingsDialog({ api, onSaveSettings, onClose, initialTab = "secrets" }: SettingsDialogProps) {
  const [tab, setTab] = useState<SettingsTab>(initialTab);
  const tabs: [SettingsTab, string][] = [
    ["secrets", "Secrets"],
    ["app", "App"],
  ];
  return (
    <Dialog labelledBy="settings-title" onCancel={onClose} testId="settings-dialog">
      <header className="dialog__header">
        <h2 id="settings-title" className="dialog__title">
          Settings
        </h2>
      </header>
      <div className="tabs settings__tabs" role="tablist" aria-label="Settings">
        {tabs.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            id={`settings-tab-${key}`}
            aria-selected={tab === key}
            aria-controls={`settings-panel-${key}`}
            className="tabs__tab"
            onClick={() => setTab(key)}
            data-testid={`settings-tab-${key}`}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="dialog__body settings__body" role="tabpanel" id={`settings-panel-${tab}`} aria-labelledby={`settings-tab-${tab}`}>
        {tab === "secrets" ? <SecretsPanel api={api} /> : <AppPanel api={api} onSave={onSaveSettings} />}
      </div>
      <footer className="dialog__footer">
        <button type="button" className="btn" onClick={onClose} data-testid="settings-close">
          Close
        </button>
      </footer>
    </Dialog>
  );
}

/** The REST API base the engine uses for a GitHub host when none is given (its `api_base_for_host`). */
export function defaultApiBase(host: string): string {
  return host.toLowerCase() === "github.com" ? "https://api.github.com" : `https://${host.toLowerCase()}/api/v3`;
}

/** Whether a name being typed stands for a GitHub token (`github:HOST:ACCOUNT`), and its host so far. */
function githubTokenHost(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed.startsWith("github:")) return null;
  return trimmed.split(":")[1] ?? "";
}

type CheckState = { busy: boolean; info?: TokenInfo; error?: string };

function SecretsPanel({ api }: { api: Api }) {
  const [secrets, setSecrets] = useState<SecretInfo[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ name: string; checked: boolean; notChecked: string | null } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [checks, setChecks] = useState<Record<string, CheckState>>({});
  // Per token: the API base its check asks instead of the host's default.
  const [apiBases, setApiBases] = useState<Record<string, string>>({});
  // The API base the new GitHub token is checked against when saved.
  const [addApiBase, setAddApiBase] = useState("");
  // The value lives in the input only, never in React state: it is read once to send it.
  const valueInput = useRef<HTMLInputElement>(null);
  const addHost = githubTokenHost(name);

  async function reload() {
    const outcome = await api.listSecrets();
    if (outcome.ok) {
      setSecrets(outcome.value);
      setListError(null);
    } else setListError(outcome.error.message);
  }

  useEffect(() => {
    void reload();
    // Read once when the tab opens.
  }, []);

  async function save(event: FormEvent) {
    event.preventDefault();
    const input = valueInput.current;
    const value = input?.value ?? "";
    const trimmed = name.trim();
    if (!trimmed || !value) return;
    const apiBase = addHost !== null ? addApiBase.trim() || null : null;
    setSaving(true);
    setSaveError(null);
    setSaved(null);
    const outcome = await api.setSecret(trimmed, value, apiBase);
    setSaving(false);
    if (outcome.ok) {
      if (input) input.value = "";
      setName("");
      setAddApiBase("");
      const { secret, token, not_checked } = outcome.value;
      setSaved({ name: secret.name, checked: token !== null, notChecked: not_checked });
      // What GitHub said shows under the token as a Check's answer would (or
      // an older answer goes: it was of the value just replaced).
      setChecks((c) => {
        const next = { ...c };
        if (token) next[secret.name] = { busy: false, info: token };
        else delete next[secret.name];
        return next;
      });
      // A later Check asks the API base the token was saved with.
      if (apiBase) setApiBases((b) => ({ ...b, [secret.name]: apiBase }));
      await reload();
    } else {
      // A token GitHub refused is not stored: its value is of no use, the name stays to retry.
      if (outcome.error.code === "credential_rejected" && input) input.value = "";
      setSaveError(outcome.error.message);
    }
  }

  async function check(secret: string) {
    setChecks((c) => ({ ...c, [secret]: { busy: true } }));
    const apiBase = apiBases[secret]?.trim() || null;
    const outcome = await api.checkGithubToken(secret, apiBase);
    setChecks((c) => ({ ...c, [secret]: outcome.ok ? { busy: false, info: outcome.value } : { busy: false, error: outcome.error.message } }));
  }

  return (
    <>
      <section aria-labelledby="secrets-stored" className="settings__section">
        <h3 id="secrets-stored" className="settings__heading">
          Stored secrets
        </h3>
        {listError && (
          <p className="pane__notice pane__notice--error" role="alert" data-testid="secrets-error">
            {listError}
          </p>
        )}
        {secrets && secrets.length === 0 && <p className="settings__empty">No secrets stored yet.</p>}
        {secrets && secrets.length > 0 && (
          <ul className="settings__secrets" data-testid="secrets-list">
            {secrets.map((s, i) => {
              const result = checks[s.name];
              const apiBaseId = `secret-api-base-${i}`;
              return (
                <li key={s.name} className="settings__secret" data-testid={`secret-${s.name}`}>
                  <div className="settings__secret-row">
                    <span className="settings__secret-name mono">{s.name}</span>
                    <span className="settings__secret-kind">
                      {s.kind === "github_token" ? `GitHub token${s.account ? ` · ${s.account}@${s.host ?? ""}` : ""}` : "API key"}
                    </span>
                    {s.kind === "github_token" && (
                      <button
                        type="button"
                        className="btn btn--small"
                        disabled={result?.busy}
                        onClick={() => void check(s.name)}
                        data-testid={`secret-check-${s.name}`}
                      >
                        {result?.busy ? "Checking…" : "Check"}
                      </button>
                    )}
                    <button
                      type="button"
                      className="btn btn--small details__remove"
                      onClick={() => setRemoving(s.name)}
                      aria-label={`Remove ${s.name}`}
                      data-testid={`secret-remove-${s.name}`}
                    >
                      <TrashIcon size={12} />
                      Remove
                    </button>
                  </div>
                  {s.kind === "github_token" && (
                    <div className="settings__api-base">
                      <label className="settings__api-base-label" htmlFor={apiBaseId}>
                        API base URL <span className="settings__optional">(optional)</span>
                      </label>
                      <input
                        id={apiBaseId}
                        className="input mono settings__api-base-input"
                        value={apiBases[s.name] ?? ""}
                        onChange={(e) => setApiBases((b) => ({ ...b, [s.name]: e.target.value }))}
                        placeholder={defaultApiBase(s.host ?? "github.com")}
                        aria-describedby={`${apiBaseId}-hint`}
                        autoComplete="off"
                        spellCheck={false}
                        data-testid={`secret-api-base-${s.name}`}
                      />
                      <p id={`${apiBaseId}-hint`} className="form-field__hint">
                        Only for a GitHub Enterprise install whose REST API is not at the address shown; Check then asks this
                        one. Empty: the host&apos;s default.
                      </p>
                    </div>
                  )}
                  {result?.error && (
                    <p className="settings__check settings__check--error" role="alert" data-testid={`secret-check-error-${s.name}`}>
                      <MissingIcon size={12} /> {result.error}
                    </p>
                  )}
                  {result?.info && <TokenDetails info={result.info} />}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <form className="settings__section" onSubmit={(e) => void save(e)} aria-labelledby="secrets-add" noValidate>
        <h3 id="secrets-add" className="settings__heading">
          Add or replace a secret
        </h3>
        {saveError && (
          <p className="inject-form__error" role="alert" data-testid="secret-save-error">
            <MissingIcon size={13} />
            <span>{saveError}</span>
          </p>
        )}
        {saved && (
          <p className="settings__saved" role="status" data-testid="secret-saved">
            Saved <span className="mono">{saved.name}</span>
            {saved.checked ? ", checked with GitHub: what it said shows under the token above." : "."}
          </p>
        )}
        {saved?.notChecked && (
          <p className="settings__check settings__check--warning" role="status" data-testid="secret-not-checked">
            <WarningIcon size={12} /> Stored, but not checked: {saved.notChecked.replace(/\.\s*$/, "")}. Check it later.
          </p>
        )}
        <FormField
          idPrefix="secret"
          field="name"
          label="Name"
          hint={
            <>
              A GitHub token: <code>github:HOST:ACCOUNT</code> (e.g. <code>github:github.com:alice</code>). An agent's API key: its
              environment variable (e.g. <code>ANTHROPIC_API_KEY</code>).
            </>
          }
        >
          {(control) => (
            <input {...control} className="input mono" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} />
          )}
        </FormField>
        <FormField idPrefix="secret" field="value" label="Value" hint="Stored in the system keychain; it is never shown again.">
          {(control) => <input {...control} ref={valueInput} type="password" className="input mono" autoComplete="new-password" />}
        </FormField>
        {addHost !== null && (
          <FormField
            idPrefix="secret"
            field="api_base"
            label="API base (GitHub Enterprise)"
            hint="Optional. The token is checked with GitHub before it is stored, at this address; only for a GitHub Enterprise install whose REST API is not at the address shown. Empty: the host's default."
          >
            {(control) => (
              <input
                {...control}
                className="input mono"
                value={addApiBase}
                onChange={(e) => setAddApiBase(e.target.value)}
                placeholder={defaultApiBase(addHost || "github.com")}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </FormField>
        )}
        <div className="settings__actions">
          <button type="submit" className="btn btn--primary btn--small" disabled={saving || name.trim() === ""} data-testid="secret-save">
            {saving ? "Saving…" : "Save secret"}
          </button>
        </div>
      </form>

      {removing && (
        <ConfirmAction
          title={`Remove ${removing}?`}
          confirmLabel="Remove"
          busyLabel="Removing…"
          testId="secret-remove"
          onConfirm={async () => {
            const outcome = await api.removeSecret(removing);
            if (!outcome.ok) setListError(outcome.error.message);
            await reload();
          }}
          onClose={() => setRemoving(null)}
        >
          The secret is deleted from the keychain. Runs that need it will fail until it is added again.
        </ConfirmAction>
      )}
    </>
  );
}

function TokenDetails({ info }: { info: TokenInfo }) {
  return (
    <div className="settings__check" data-testid="token-info">
      <dl className="settings__token">
        <dt>Login</dt>
        <dd data-testid="token-login">
          {info.login} @ {info.host}
        </dd>
        <dt>Kind</dt>
        <dd>{info.kind === "classic" ? "Classic" : "Fine-grained"}</dd>
        <dt>Scopes</dt>
        <dd className="mono">{info.scopes.length > 0 ? info.scopes.join(", ") : info.kind === "fine_grained" ? "not reported" : "none"}</dd>
        <dt>Expires</dt>
        <dd>{info.expires_at ?? "never (or not said)"}</dd>
      </dl>
      {info.warnings.length > 0 && (
        <ul className="settings__warnings" data-testid="token-warnings">
          {info.warnings.map((w) => (
            <li key={w}>
              <WarningIcon size={12} /> {w}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function AppPanel({ api, onSave }: { api: Api; onSave: (change: Partial<AppSettings>) => Promise<Outcome<AppSettings>> }) {
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void api.getAppSettings().then((outcome) => {
      if (cancelled) return;
      if (outcome.ok) {
        setSettings(outcome.value.settings);
        setLoadError(outcome.value.error);
      } else setLoadError(outcome.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [api]);

  async function toggle(key: Toggle, value: boolean) {
    setBusy(true);
    setSaveError(null);
    const outcome = await onSave({ [key]: value });
    setBusy(false);
    if (outcome.ok) setSettings(outcome.value);
    else setSaveError(outcome.error.message);
  }

  return (
    <section className="settings__section" aria-label="App settings">
      {loadError && (
        <p className="settings__check settings__check--error" role="alert" data-testid="settings-load-error">
          <WarningIcon size={12} /> The settings file could not be read; the defaults are in use: {loadError}
        </p>
      )}
      {saveError && (
        <p className="inject-form__error" role="alert" data-testid="settings-save-error">
          <MissingIcon size={13} />
          <span>{saveError}</span>
        </p>
      )}
      {!settings && !loadError && <p className="settings__empty">Reading the settings…</p>}
      {settings &&
        TOGGLES.map(([key, label, hint]) => (
          <label key={key} className="settings__toggle">
            <input
              type="checkbox"
              checked={settings[key]}
              disabled={busy}
              onChange={(e) => void toggle(key, e.target.checked)}
              data-testid={`setting-${key}`}
            />
            <span>
              <span className="settings__toggle-label">{label}</span>
              <span className="settings__toggle-hint">{hint}</span>
            </span>
          </label>
        ))}
    </section>
  );
}


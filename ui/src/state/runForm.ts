// The run settings of the project form as the user types them: numbers stay
// text until the form is sent, so a refused value is shown again exactly as
// typed; list entries and rows carry a key of their own, so an engine error
// about `run.checks[1].run` stays with that row when rows move. Pure: the
// form component holds the state, this module converts it both ways and
// places the engine's field errors.

import type { FieldError, MergeMode, ProjectCheck, RoutingRule, RunPolicy } from "../bindings";
import { defaultRunPolicy, DRAFT_FIELDS } from "./draft";

export const NUMBER_FIELDS = ["max_attempts", "parallel_tasks", "memory_mb", "cpus", "pids", "wall_clock_minutes", "inactivity_minutes"] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number];

export const LIST_FIELDS = ["pr_labels", "allowlist", "risky_keywords"] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export interface ListItem {
  key: number;
  value: string;
}

export interface CheckRow extends ProjectCheck {
  key: number;
}

export interface RuleRow extends RoutingRule {
  key: number;
}

export interface RunForm {
  numbers: Record<NumberField, string>;
  merge_mode: MergeMode;
  pr_draft: boolean;
  lists: Record<ListField, ListItem[]>;
  /** What is typed in a list's new-entry box and not added yet: added when the form is sent. */
  pending: Record<ListField, string>;
  checks: CheckRow[];
  routing_rules: RuleRow[];
  model: string;
  /** Who the commits are by, as typed. */
  author_name: string;
  author_email: string;
  /** Whose GitHub token pushes and opens pull requests, as typed; empty: the host's only one. */
  github_account: string;
}

/** Which sent entry came from which row: `sent.checks[1]` is the key of the row sent as `checks[1]`. */
export interface SentRows {
  lists: Record<ListField, number[]>;
  checks: number[];
  routing_rules: number[];
}

/** The rows as they are, for run settings sent back untouched (as stored: nothing blank to leave out). */
export function rowsAsShown(form: RunForm): SentRows {
  const keys = (rows: { key: number }[]) => rows.map((r) => r.key);
  return {
    lists: { pr_labels: keys(form.lists.pr_labels), allowlist: keys(form.lists.allowlist), risky_keywords: keys(form.lists.risky_keywords) },
    checks: keys(form.checks),
    routing_rules: keys(form.routing_rules),
  };
}

let lastKey = 0;
/** A key for a new entry or row, unique for the life of the window. */
export function newKey(): number {
  lastKey += 1;
  return lastKey;
}

export function listItems(values: readonly string[]): ListItem[] {
  return values.map((value) => ({ key: newKey(), value }));
}

/** The form's state for a stored policy; what it lacks reads as the engine's default. */
export function runFormFrom(policy: RunPolicy | undefined): RunForm {
  const p = { ...defaultRunPolicy(), ...policy };
  const number = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));
  return {
    numbers: {
      max_attempts: number(p.max_attempts),
      parallel_tasks: number(p.parallel_tasks),
      memory_mb: number(p.memory_mb),
      cpus: number(p.cpus),
      pids: number(p.pids),
      wall_clock_minutes: number(p.wall_clock_minutes),
      inactivity_minutes: number(p.inactivity_minutes),
    },
    merge_mode: p.merge_mode,
    pr_draft: p.pr_draft,
    lists: { pr_labels: listItems(p.pr_labels), allowlist: listItems(p.allowlist), risky_keywords: listItems(p.risky_keywords) },
    pending: { pr_labels: "", allowlist: "", risky_keywords: "" },
    checks: p.checks.map((c) => ({ ...c, key: newKey() })),
    routing_rules: p.routing_rules.map((r) => ({ ...r, key: newKey() })),
    model: p.model ?? "",
    author_name: p.author_name,
    author_email: p.author_email,
    github_account: p.github_account ?? "",
  };
}

/** Splits typed text into entries: commas and line breaks separate them. */
export function splitEntries(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Adds entries to a list, leaving out those it already has. */
export function addEntries(items: ListItem[], values: readonly string[]): ListItem[] {
  const next = items.slice();
  for (const value of values) {
    if (!next.some((i) => i.value.trim() === value)) next.push({ key: newKey(), value });
  }
  return next;
}

/** The form with every list's typed-but-not-added text added, so nothing typed is left out. */
export function foldPending(form: RunForm): RunForm {
  if (LIST_FIELDS.every((f) => !form.pending[f].trim())) return form;
  const lists = { ...form.lists };
  for (const f of LIST_FIELDS) lists[f] = addEntries(lists[f], splitEntries(form.pending[f]));
  return { ...form, lists, pending: { pr_labels: "", allowlist: "", risky_keywords: "" } };
}

const MAX_U32 = 4_294_967_295;

/** A whole number as typed (`2048`, ` 2 048 `, `2,048`), or null. */
export function parseWhole(text: string): number | null {
  const t = text.trim().replace(/[\s_,']/g, "");
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n <= MAX_U32 ? n : null;
}

/** A decimal number as typed (`1.5`, `1,5`, `.5`), or null. */
export function parseDecimal(text: string): number | null {
  const t = text.trim().replace(",", ".");
  if (!/^(\d+\.?\d*|\.\d+)$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export type Built = { ok: true; policy: RunPolicy; sent: SentRows } | { ok: false; errors: Record<string, string> };

/**
 * The policy to send, on top of `base` (what is stored, so fields this
 * window does not know are kept), or the numbers that are not numbers at
 * all (ranges are the engine's to judge). Blank entries and blank rows are
 * left out, as the engine would drop them; `sent` maps what is sent back to
 * the rows.
 */
export function buildRunPolicy(form: RunForm, base: RunPolicy | undefined): Built {
  const errors: Record<string, string> = {};
  const numbers = {} as Record<NumberField, number>;
  for (const f of NUMBER_FIELDS) {
    const text = form.numbers[f];
    const n = f === "cpus" ? parseDecimal(text) : parseWhole(text);
    if (n === null) {
      errors[`run.${f}`] = text.trim()
        ? f === "cpus"
          ? `“${text.trim()}” is not a number: enter one like 1, 2 or 0.5`
          : `“${text.trim()}” is not a whole number`
        : f === "cpus"
          ? "enter a number of CPUs, e.g. 1 or 0.5"
          : "enter a whole number";
    } else numbers[f] = n;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const sent: SentRows = { lists: { pr_labels: [], allowlist: [], risky_keywords: [] }, checks: [], routing_rules: [] };
  const lists = {} as Record<ListField, string[]>;
  for (const f of LIST_FIELDS) {
    const kept = form.lists[f].filter((i) => i.value.trim());
    lists[f] = kept.map((i) => i.value.trim());
    sent.lists[f] = kept.map((i) => i.key);
  }
  const checks = form.checks.filter((c) => c.name.trim() || c.run.trim());
  sent.checks = checks.map((c) => c.key);
  const rules = form.routing_rules.filter((r) => r.keyword.trim());
  sent.routing_rules = rules.map((r) => r.key);
  const model = form.model.trim();
  return {
    ok: true,
    sent,
    policy: {
      ...base,
      ...numbers,
      merge_mode: form.merge_mode,
      pr_draft: form.pr_draft,
      pr_labels: lists.pr_labels,
      allowlist: lists.allowlist,
      risky_keywords: lists.risky_keywords,
      checks: checks.map(({ name, run }) => ({ name: name.trim(), run: run.trim() })),
      routing_rules: rules.map(({ keyword, agent }) => ({ keyword: keyword.trim(), agent })),
      model: model || null,
      author_name: form.author_name.trim(),
      author_email: form.author_email.trim(),
      github_account: form.github_account.trim() || null,
    },
  };
}

/** Run settings a message may name as a whole (`run.pids`, `run.checks`). */
const RUN_FIELDS = new Set<string>([...NUMBER_FIELDS, ...LIST_FIELDS, "merge_mode", "pr_draft", "checks", "routing_rules", "model", "author_name", "author_email", "github_account"]);
const TOP_FIELDS = new Set<string>([...DRAFT_FIELDS, "image"]);

/**
 * Where each engine message goes: the key of the control it belongs to
 * (`name`, `run.pids`, `run.allowlist#<entry key>`, `run.checks#<row key>.run`),
 * or, for a field this form does not have, `stray` (shown above the form).
 */
export function placeErrors(fields: readonly FieldError[], sent: SentRows): { placed: Record<string, string>; stray: string[] } {
  const placed: Record<string, string> = {};
  const stray: string[] = [];
  const put = (key: string, message: string) => {
    placed[key] = placed[key] ? `${placed[key]} ${message}` : message;
  };
  for (const { field, message } of fields) {
    const key = controlKey(field, sent);
    if (key) put(key, message);
    else stray.push(field ? `${field}: ${message}` : message);
  }
  return { placed, stray };
}

function controlKey(field: string, sent: SentRows): string | null {
  if (TOP_FIELDS.has(field)) return field;
  const m = /^run\.([a-z_]+)(?:\[(\d+)\](?:\.([a-z_]+))?)?$/.exec(field);
  if (!m) return null;
  const [, name = "", index, part] = m;
  if (!RUN_FIELDS.has(name)) return null;
  if (index === undefined) return `run.${name}`;
  const i = Number(index);
  if ((LIST_FIELDS as readonly string[]).includes(name) && part === undefined) {
    const key = sent.lists[name as ListField][i];
    return key === undefined ? null : `run.${name}#${key}`;
  }
  if (name === "checks" && (part === "name" || part === "run")) {
    const key = sent.checks[i];
    return key === undefined ? null : `run.checks#${key}.${part}`;
  }
  if (name === "routing_rules" && (part === "keyword" || part === "agent")) {
    const key = sent.routing_rules[i];
    return key === undefined ? null : `run.routing_rules#${key}.${part}`;
  }
  return null;
}

/** The form's collapsible groups; `project` is the always-open basic part. */
export type FormGroup = "project" | "container" | "tasks" | "delivery" | "commits" | "agents";

const GROUP_OF: Record<string, FormGroup> = {
  image: "container",
  memory_mb: "container",
  cpus: "container",
  pids: "container",
  wall_clock_minutes: "container",
  inactivity_minutes: "container",
  max_attempts: "tasks",
  parallel_tasks: "tasks",
  allowlist: "tasks",
  risky_keywords: "tasks",
  checks: "tasks",
  merge_mode: "delivery",
  pr_draft: "delivery",
  pr_labels: "delivery",
  author_name: "commits",
  author_email: "commits",
  github_account: "commits",
  routing_rules: "agents",
  model: "agents",
};

/** The group a control key (as `placeErrors` gives it) is shown in. */
export function groupOf(key: string): FormGroup {
  const name = key === "image" ? "image" : /^run\.([a-z_]+)/.exec(key)?.[1];
  return (name && GROUP_OF[name]) || "project";
}

// The run settings' text-to-policy conversion and the placing of the engine's
// field errors on the rows they name, whatever the user did to the rows since.

import { describe, expect, it } from "vitest";

import { defaultRunPolicy } from "./draft";
import { buildRunPolicy, foldPending, groupOf, parseDecimal, parseWhole, placeErrors, rowsAsShown, runFormFrom } from "./runForm";

describe("runForm", () => {
  it("reads numbers as people type them, and nothing else", () => {
    expect(parseWhole(" 2048 ")).toBe(2048);
    expect(parseWhole("65,536")).toBe(65536);
    expect(parseWhole("2 GB")).toBeNull();
    expect(parseWhole("-1")).toBeNull();
    expect(parseWhole("1.5")).toBeNull();
    expect(parseWhole("99999999999")).toBeNull();
    expect(parseDecimal("1,5")).toBe(1.5);
    expect(parseDecimal(".25")).toBe(0.25);
    expect(parseDecimal("2")).toBe(2);
    expect(parseDecimal("")).toBeNull();
    expect(parseDecimal("one")).toBeNull();
  });

  it("gives back the defaults it was given, and keeps fields it does not know", () => {
    const stored = { ...defaultRunPolicy(), cpus: 0.5, future: "kept" };
    const built = buildRunPolicy(runFormFrom(stored), stored);
    expect(built.ok && built.policy).toEqual(stored);
  });

  it("leaves blank entries and rows out, and maps what is sent back to the rows", () => {
    const form = runFormFrom({ ...defaultRunPolicy(), allowlist: ["sh", "make"], checks: [{ name: "a", run: "x" }] });
    form.lists.allowlist = [{ key: 901, value: "sh" }, { key: 902, value: "  " }, { key: 903, value: "rm -rf" }];
    form.checks = [{ key: 911, name: "", run: "" }, { key: 912, name: "test", run: "" }];
    const built = buildRunPolicy(form, undefined);
    if (!built.ok) throw new Error("expected a policy");
    expect(built.policy.allowlist).toEqual(["sh", "rm -rf"]);
    expect(built.policy.checks).toEqual([{ name: "test", run: "" }]);
    const { placed, stray } = placeErrors(
      [
        { field: "run.allowlist[1]", message: "not a program" },
        { field: "run.checks[0].run", message: "enter the command" },
        { field: "run.checks[4].run", message: "no such row" },
        { field: "name", message: "enter a project name" },
        { field: "run.pids", message: "too few" },
      ],
      built.sent,
    );
    expect(placed).toEqual({
      "run.allowlist#903": "not a program",
      "run.checks#912.run": "enter the command",
      name: "enter a project name",
      "run.pids": "too few",
    });
    // A message that fits no control is kept for the top of the form, never dropped.
    expect(stray).toEqual(["run.checks[4].run: no such row"]);
    expect(Object.keys(placed).map(groupOf)).toEqual(["tasks", "tasks", "project", "container"]);
  });

  it("sends the commit author as typed, trimmed, and places its errors in the Commits group", () => {
    const form = runFormFrom({ ...defaultRunPolicy(), author_name: "Ada", author_email: "ada@example.com" });
    expect([form.author_name, form.author_email]).toEqual(["Ada", "ada@example.com"]);
    expect([runFormFrom(undefined).author_name, runFormFrom(undefined).author_email]).toEqual(["DevTeam", "devteam@localhost"]);
    form.author_name = "  Ada Bot ";
    form.author_email = " bot@example.com";
    const built = buildRunPolicy(form, undefined);
    if (!built.ok) throw new Error("expected a policy");
    expect([built.policy.author_name, built.policy.author_email]).toEqual(["Ada Bot", "bot@example.com"]);
    const { placed, stray } = placeErrors(
      [
        { field: "run.author_name", message: "enter a name" },
        { field: "run.author_email", message: "enter an email address" },
      ],
      built.sent,
    );
    expect(placed).toEqual({ "run.author_name": "enter a name", "run.author_email": "enter an email address" });
    expect(stray).toEqual([]);
    expect(Object.keys(placed).map(groupOf)).toEqual(["commits", "commits"]);
  });

  it("sends the GitHub account trimmed, none when empty, and places its error in the Commits group", () => {
    expect(runFormFrom(undefined).github_account).toBe("");
    expect(runFormFrom({ ...defaultRunPolicy(), github_account: null }).github_account).toBe("");
    const form = runFormFrom({ ...defaultRunPolicy(), github_account: "ada-bot" });
    expect(form.github_account).toBe("ada-bot");
    form.github_account = "  ada.bot ";
    const built = buildRunPolicy(form, undefined);
    if (!built.ok) throw new Error("expected a policy");
    expect(built.policy.github_account).toBe("ada.bot");
    form.github_account = "   ";
    const cleared = buildRunPolicy(form, { ...defaultRunPolicy(), github_account: "ada-bot" });
    expect(cleared.ok && cleared.policy.github_account).toBeNull();
    const { placed, stray } = placeErrors([{ field: "run.github_account", message: "letters, digits, -, _ and . only" }], built.sent);
    expect(placed).toEqual({ "run.github_account": "letters, digits, -, _ and . only" });
    expect(stray).toEqual([]);
    expect(groupOf("run.github_account")).toBe("commits");
  });

  it("adds what is still typed in a list's box, once", () => {
    const form = runFormFrom(undefined);
    form.pending.pr_labels = "bot, bot,  release ";
    const folded = foldPending(form);
    expect(folded.lists.pr_labels.map((i) => i.value)).toEqual(["bot", "release"]);
    expect(folded.pending.pr_labels).toBe("");
    expect(foldPending(folded)).toBe(folded);
    expect(rowsAsShown(folded).lists.pr_labels).toEqual(folded.lists.pr_labels.map((i) => i.key));
  });

  it("refuses text that is not a number, naming the field", () => {
    const form = runFormFrom(undefined);
    form.numbers.memory_mb = "lots";
    form.numbers.cpus = "";
    const built = buildRunPolicy(form, undefined);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(Object.keys(built.errors)).toEqual(["run.memory_mb", "run.cpus"]);
  });
});

// The strip must say what is missing and how to fix it, in words, not only
// in colour.

import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { HealthReport } from "../bindings";
import { HEALTHY } from "../test/fakeApi";
import { HealthStrip } from "./HealthStrip";

const FIX = "Start it with scripts/dev docker";
const dockerMissing: HealthReport = {
  checks: [
    { name: "Docker", status: "missing", summary: "no Docker engine answers on /var/run/docker.sock", fix: FIX },
    ...HEALTHY.checks.slice(1),
  ],
};

describe("HealthStrip", () => {
  it("shows missing Docker in words with its fix one click away", async () => {
    // A user without Docker must learn that it is missing and how to start it, without relying on red.
    render(<HealthStrip report={dockerMissing} error={null} checking={false} onRecheck={() => {}} />);
    const docker = screen.getByTestId("health-docker");
    expect(docker).toHaveTextContent("Docker");
    expect(docker).toHaveTextContent("Missing");
    expect(docker).toHaveTextContent("no Docker engine answers");
    expect(docker).toHaveAttribute("data-status", "missing");

    const fix = within(docker).getByText(FIX);
    expect(fix).not.toBeVisible();
    await userEvent.click(within(docker).getByText("How to fix"));
    expect(fix).toBeVisible();
    // The tooltip carries the fix too, for a glance without clicking.
    expect(docker.querySelector("[title]")?.getAttribute("title")).toContain(FIX);
    expect(screen.getByTestId("health-strip")).toHaveTextContent("1 part needs attention");
  });

  it("gives every part a stable test id from its name and offers no fix for parts that are ok", () => {
    // The end-to-end test finds chips by these ids; a healthy part has nothing to fix.
    render(<HealthStrip report={HEALTHY} error={null} checking={false} onRecheck={() => {}} />);
    for (const id of ["health-docker", "health-keychain", "health-git", "health-disk", "health-data-folder"]) {
      expect(screen.getByTestId(id)).toHaveTextContent("OK");
    }
    expect(screen.queryByText("How to fix")).toBeNull();
    expect(screen.getByTestId("health-strip")).toHaveTextContent("All parts ready");
  });

  it("shows each expected part as checking until the first report", () => {
    // The strip must not look healthy (or empty) before the engine has answered.
    render(<HealthStrip report={null} error={null} checking={true} onRecheck={() => {}} />);
    expect(screen.getByTestId("health-docker")).toHaveTextContent("Checking");
    expect(screen.getByTestId("health-strip")).toHaveAttribute("aria-busy", "true");
  });

  it("says when the health check itself failed", () => {
    // A failed check is not the same as healthy parts; the user must see why the strip is empty.
    render(
      <HealthStrip report={null} error={{ code: "internal", message: "health check crashed", fields: [] }} checking={false} onRecheck={() => {}} />,
    );
    expect(screen.getByTestId("health-error")).toHaveTextContent("health check crashed");
  });

  it("re-checks on request", async () => {
    // After starting Docker the user asks again instead of waiting; the app never polls.
    const onRecheck = vi.fn();
    render(<HealthStrip report={HEALTHY} error={null} checking={false} onRecheck={onRecheck} />);
    await userEvent.click(screen.getByRole("button", { name: /re-check/i }));
    expect(onRecheck).toHaveBeenCalledTimes(1);
  });
});

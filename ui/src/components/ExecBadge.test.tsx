// Each execution state must be readable without colour: its own word and its
// own icon. These tests render every state and compare them.

import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { TaskState } from "../bindings";
import { EXEC_LABELS, EXEC_STATES, TASK_STATE_LABELS } from "../state/labels";
import { ExecBadge, TaskStateMark } from "./ExecBadge";

describe("ExecBadge", () => {
  it.each(EXEC_STATES)("shows %s with its word and an icon", (state) => {
    // Colour alone fails colour-blind users and greyscale screenshots: text and icon must be there.
    render(<ExecBadge state={state} testId="badge" />);
    const badge = screen.getByTestId("badge");
    expect(badge).toHaveTextContent(EXEC_LABELS[state]);
    expect(badge.querySelector("svg")).not.toBeNull();
    expect(badge).toHaveAttribute("data-state", state);
    expect(badge.className).toContain(`exec-badge--${state}`);
    // The tooltip says what the state means.
    expect(badge.getAttribute("title")).toMatch(new RegExp(`^${EXEC_LABELS[state]}: .+`));
  });

  it("uses the words our first users asked for", () => {
    // The seeds name the badges AUTONOMOUS, INITIALIZING, TASK-EXECUTING, ERROR-SOLVING, BLOCKED, COMPLETED, PAUSED.
    const words = EXEC_STATES.map((s) => EXEC_LABELS[s]);
    for (const w of ["AUTONOMOUS", "INITIALIZING", "TASK-EXECUTING", "ERROR-SOLVING", "BLOCKED", "COMPLETED", "PAUSED"]) {
      expect(words).toContain(w);
    }
  });

  it("gives every state an icon of its own shape", () => {
    // Two states sharing an icon would read the same in greyscale.
    const shapes = EXEC_STATES.map((state) => {
      const { container, unmount } = render(<ExecBadge state={state} />);
      const svg = container.querySelector("svg")?.innerHTML ?? "";
      unmount();
      return svg;
    });
    expect(new Set(shapes).size).toBe(EXEC_STATES.length);
  });

  it("adds the reason to the tooltip", () => {
    // A blocked badge's tooltip says why, without opening the project.
    render(<ExecBadge state="blocked" testId="badge" reason="3 attempts failed: sub 7 2 is not 5" />);
    expect(screen.getByTestId("badge").getAttribute("title")).toContain("sub 7 2 is not 5");
  });
});

describe("TaskStateMark", () => {
  const states: TaskState[] = ["done", "running", "retrying", "skipped", "pending", "human_review"];
  it.each(states)("names %s for screen readers and draws an icon", (state) => {
    // In the tree the word is visually hidden next to the icon; it must still be in the DOM.
    const { container } = render(<TaskStateMark state={state} iconOnly />);
    expect(container).toHaveTextContent(TASK_STATE_LABELS[state]);
    expect(container.querySelector("svg")).not.toBeNull();
  });
});

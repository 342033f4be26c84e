// One failing part must not blank the window: the boundary shows why and
// keeps everything around it.

import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { ErrorBoundary } from "./ErrorBoundary";

let broken = true;
function Fragile() {
  if (broken) throw new RangeError("invalid language tag: C");
  return <p>charts</p>;
}

describe("ErrorBoundary", () => {
  it("shows the error in place and renders again on request", async () => {
    // A chart library refusing the locale once emptied the whole window; now it is one message.
    vi.spyOn(console, "error").mockImplementation(() => {});
    render(
      <div>
        <p>grid</p>
        <ErrorBoundary what="The charts">
          <Fragile />
        </ErrorBoundary>
      </div>,
    );
    expect(screen.getByText("grid")).toBeInTheDocument();
    expect(screen.getByTestId("render-error")).toHaveTextContent("The charts could not be shown: invalid language tag: C");
    broken = false;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(screen.getByText("charts")).toBeInTheDocument();
  });
});

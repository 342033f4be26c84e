// WebKit under LANG=C reports navigator.language "C", which Intl refuses;
// uPlot then fails to load. The guard swaps in a valid tag first.

import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  delete (navigator as unknown as Record<string, unknown>).language;
  vi.resetModules();
});

describe("intlLocale", () => {
  it("replaces a language tag Intl refuses", async () => {
    // The tag must make `new Intl.NumberFormat(navigator.language)` work, as uPlot calls it.
    Object.defineProperty(navigator, "language", { value: "C", configurable: true });
    expect(() => new Intl.NumberFormat(navigator.language)).toThrow(RangeError);
    await import("./intlLocale");
    expect(() => new Intl.NumberFormat(navigator.language)).not.toThrow();
    expect(navigator.language).not.toBe("C");
  });

  it("leaves a valid tag alone", async () => {
    // A person's own locale (de-DE, fr-CA …) keeps formatting numbers their way.
    Object.defineProperty(navigator, "language", { value: "de-DE", configurable: true });
    await import("./intlLocale");
    expect(navigator.language).toBe("de-DE");
  });
});

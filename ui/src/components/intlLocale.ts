// uPlot builds an Intl.NumberFormat from navigator.language when it loads.
// Under LANG=C (containers, CI, minimal desktops) WebKit reports the language
// as "C", which Intl refuses with a RangeError — and the import fails. This
// module, imported before uPlot, puts a valid tag in its place then.

function validTag(tag: string | undefined): boolean {
  if (!tag) return false;
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

if (typeof navigator !== "undefined" && !validTag(navigator.language)) {
  const fallback = navigator.languages?.find(validTag) ?? "en-US";
  Object.defineProperty(navigator, "language", { value: fallback, configurable: true });
}

export {};

// A small W3C WebDriver client over fetch: enough to drive the DevTeam window
// through tauri-driver without pulling a browser-automation framework.

export class WebDriver {
  constructor(base, sessionId) {
    this.base = base;
    this.sessionId = sessionId;
  }

  static async start(base, application, timeoutMs = 60000) {
    const deadline = Date.now() + timeoutMs;
    let lastError;
    while (Date.now() < deadline) {
      try {
        const value = await call(base, "POST", "/session", {
          capabilities: { alwaysMatch: { "tauri:options": { application } } },
        });
        return new WebDriver(base, value.sessionId);
      } catch (e) {
        lastError = e;
        await sleep(500);
      }
    }
    throw new Error(`no WebDriver session within ${timeoutMs} ms: ${lastError}`);
  }

  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.sessionId}${path}`, body);
  }

  async find(testId, timeoutMs = 20000) {
    const selector = `[data-testid="${testId}"]`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const el = await this.cmd("POST", "/element", { using: "css selector", value: selector });
        return Object.values(el)[0];
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`${selector} did not appear within ${timeoutMs} ms (${e.message})`);
        await sleep(200);
      }
    }
  }

  async exists(testId) {
    const els = await this.cmd("POST", "/elements", { using: "css selector", value: `[data-testid="${testId}"]` });
    return els.length > 0;
  }

  async click(testId) {
    await this.cmd("POST", `/element/${await this.find(testId)}/click`, {});
  }

  async text(testId) {
    return this.cmd("GET", `/element/${await this.find(testId)}/text`);
  }

  // All text inside the element, including parts WebDriver's rendered-text
  // algorithm skips (e.g. text in flex rows of a button).
  async textContent(testId) {
    await this.find(testId);
    return this.cmd("POST", "/execute/sync", {
      script: "return document.querySelector(arguments[0]).textContent;",
      args: [`[data-testid="${testId}"]`],
    });
  }

  async value(testId) {
    return this.cmd("GET", `/element/${await this.find(testId)}/property/value`);
  }

  async type(testId, text, { clear = true } = {}) {
    const el = await this.find(testId);
    if (clear) await this.cmd("POST", `/element/${el}/clear`, {});
    await this.cmd("POST", `/element/${el}/value`, { text });
  }

  /** Runs `script` (a function body) in the page and returns its value. */
  exec(script, ...args) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  /** Polls `check` (async, returns a value or null/false) until it gives a value. */
  async waitFor(what, check, timeoutMs = 20000, everyMs = 100) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        last = await check();
        if (last) return last;
      } catch (e) {
        last = e.message;
      }
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
      await sleep(everyMs);
    }
  }

  /**
   * Chooses an option of a <select> by its value and fires the change a
   * person's choice fires. (Clicking the <option> opens WebKitGTK's native
   * popup, which can hold the driver for minutes.)
   */
  async select(testId, value) {
    await this.find(testId);
    const ok = await this.exec(
      `const s = document.querySelector(arguments[0]);
       if (![...s.options].some((o) => o.value === arguments[1])) return false;
       s.value = arguments[1];
       s.dispatchEvent(new Event("change", { bubbles: true }));
       return true;`,
      `[data-testid="${testId}"]`,
      value,
    );
    if (!ok) throw new Error(`[data-testid="${testId}"] has no option ${JSON.stringify(value)}`);
  }

  async attribute(testId, name) {
    return this.exec(`return document.querySelector(arguments[0])?.getAttribute(arguments[1]) ?? null;`, `[data-testid="${testId}"]`, name);
  }

  async title() {
    return this.cmd("GET", "/title");
  }

  async quit() {
    await this.cmd("DELETE", "");
  }
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || (json.value && json.value.error)) {
    const v = json.value || {};
    throw new Error(`${method} ${path}: ${res.status} ${v.error || ""} ${v.message || ""}`.trim());
  }
  return json.value;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

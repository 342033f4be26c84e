// End to end: the real DevTeam window under Xvfb, driven through tauri-driver
// and WebKitWebDriver. Adds a project through the form, sees a field error for
// a bad URL, closes the app, starts it again and finds the project still there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebDriver, sleep } from "./webdriver.mjs";

const app = process.env.DEVTEAM_APP;
const artifacts = process.env.DEVTEAM_TEST_ARTIFACTS;
const port = Number(process.env.TAURI_DRIVER_PORT || 4444);
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), "devteam-e2e-"));
let driver;

// The whole X display, as a person would see it. WebKitWebDriver's own
// screenshot call hangs under Xvfb without compositing, so ImageMagick takes it.
async function shot(name) {
  mkdirSync(artifacts, { recursive: true });
  const file = join(artifacts, `e2e-${name}.png`);
  await sleep(300);
  execFileSync("import", ["-window", "root", file]);
  console.log(`screenshot: ${file}`);
}

before(async () => {
  assert.ok(app, "DEVTEAM_APP names the built app binary");
  driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], {
    env: { ...process.env, DEVTEAM_DATA_DIR: dataDir },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await sleep(1000);
});

after(() => driver?.kill());

test("a project added through the form is still listed after a restart", async () => {
  let wd = await WebDriver.start(base, app);
  try {
    assert.equal(await wd.title(), "DevTeam");
    await wd.find("empty-state");
    await wd.find("health-strip");
    await shot("1-empty-state");

    await wd.click("add-project");
    await wd.find("project-form");
    await wd.type("field-customer", "Acme Corp");
    await wd.type("field-name", "CRM web");
    await wd.type("field-repo_url", "https://github.com/acme/crm");
    await shot("2-form-filled");
    await wd.click("submit-project");
    const item = await wd.textContent("project-item-acme-corp-crm-web");
    assert.match(item, /CRM web/);
    assert.match(item, /Acme Corp/);
    assert.equal(await wd.exists("empty-state"), false, "the empty state gives way to the list");
    await shot("3-project-listed");

    await wd.click("add-project");
    await wd.type("field-customer", "Globex");
    await wd.type("field-name", "Portal");
    await wd.type("field-repo_url", "htps://github.com/globex/portal");
    await wd.click("submit-project");
    const error = await wd.text("error-repo_url");
    assert.match(error, /not a git transport/);
    assert.equal(await wd.value("field-customer"), "Globex", "a rejected form keeps what was typed");
    assert.equal(await wd.value("field-repo_url"), "htps://github.com/globex/portal");
    await shot("4-field-error");
  } finally {
    await wd.quit();
  }

  await sleep(1000);
  wd = await WebDriver.start(base, app);
  try {
    const item = await wd.textContent("project-item-acme-corp-crm-web");
    assert.match(item, /CRM web/, "the project survived closing the app");
    assert.equal(await wd.exists("project-item-globex-portal"), false, "the rejected form stored nothing");
    await shot("5-after-restart");
  } finally {
    await wd.quit();
  }
});

// Shared by the e2e tests. scripts/vscode/run-e2e.mjs starts code-server (extension installed from
// the .vsix) and passes where everything is through E2E_* variables; each test file drives its own
// headless Chromium page against that server.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { closeAllEditors, launchBrowser, openInCustomEditor, openWorkbench, runCommand, waitForTheme, watchConsole } from '../../scripts/vscode/browser.mjs';
import { EXTENSION_ID, REPO_ROOT } from '../../scripts/vscode/config.mjs';
import { prepareE2eWorkspace } from '../../scripts/vscode/e2eWorkspace.mjs';
import { createProfile, RESTRICTED_MODE_SETTINGS } from '../../scripts/vscode/profile.mjs';
import { freePort, installVsix, startServer } from '../../scripts/vscode/server.mjs';

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests with \`npm run test:e2e\``);
  return value;
}

export const e2e = {
  get origin() { return env('E2E_ORIGIN'); },
  get workspace() { return env('E2E_WORKSPACE'); },
  get settingsFile() { return env('E2E_SETTINGS'); },
  get resultsDir() { return env('E2E_RESULTS'); },
  get vsix() { return env('E2E_VSIX'); },
};

/** Writes the workbench theme into the profile's user settings (must happen BEFORE a page load). */
export function setTheme(theme, settingsFile = e2e.settingsFile) {
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  settings['workbench.colorTheme'] = theme;
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
}

/**
 * A code-server of its own, for tests that need a VS Code set up differently from the shared one:
 * `trust` turns Workspace Trust on with the folder untrusted (Restricted Mode); `alterExtension(dir)`
 * changes the installed extension before the server starts (removing its native binaries, say).
 * Same .vsix, same workspace files. Returns { origin, workspace, settingsFile, stop() }.
 */
export async function startOwnServer({ trust = false, alterExtension } = {}) {
  const profile = createProfile({ settings: trust ? RESTRICTED_MODE_SETTINGS : {} });
  await installVsix(profile, e2e.vsix);
  if (alterExtension) {
    const dir = fs.readdirSync(profile.extensionsDir).find((d) => d.startsWith(`${EXTENSION_ID}-`));
    if (!dir) throw new Error(`${EXTENSION_ID} is not installed in ${profile.extensionsDir}`);
    alterExtension(path.join(profile.extensionsDir, dir));
  }
  const workspace = prepareE2eWorkspace(path.join(profile.root, 'workspace'));
  const server = await startServer({ profile, port: await freePort(), workspace, trust });
  return {
    origin: server.origin, workspace, settingsFile: profile.settingsFile,
    async stop() {
      await server.stop();
      profile.remove();
    },
  };
}

/**
 * Opens the e2e workspace in a fresh browser page with `theme` (on `server`, default the shared
 * one). Returns { page, console, close }. Call from a mocha `before` hook; close() belongs in `after`.
 */
export async function openSession(theme = 'Default Dark Modern', server = e2e) {
  setTheme(theme, server.settingsFile);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const consoleLog = watchConsole(page);
  await openWorkbench(page, `${server.origin}/?folder=${encodeURIComponent(server.workspace)}`);
  await waitForTheme(page, theme);
  await page.getByRole('treeitem').first().waitFor({ timeout: 30_000 }); // the Explorer is populated
  return { page, console: consoleLog, close: () => browser.close() };
}

export async function screenshot(page, name) {
  fs.mkdirSync(e2e.resultsDir, { recursive: true });
  const file = path.join(e2e.resultsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** What the CLI reports for a model: the independent source of truth the editor is checked against. */
export function cliInspect(modelPath) {
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  const out = execFileSync(process.execPath, [cli, 'inspect', '--json', modelPath], { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out);
}

/** Mocha afterEach helper: keeps a screenshot of whatever was on screen when a test failed. */
export async function screenshotOnFailure(ctx, page) {
  if (ctx.currentTest?.state !== 'failed' || !page) return;
  const name = `FAILED-${ctx.currentTest.fullTitle().replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}`;
  await screenshot(page, name).catch(() => {});
}

/**
 * The native input inside a VS Code text field (vscode-textfield) with this test id, for
 * Playwright's fill(): the field keeps it in its shadow DOM, which CSS locators pierce.
 */
export function textField(webview, testid) {
  return webview.locator(`[data-testid="${testid}"] input`);
}

/**
 * The value of a VS Code select or text field (Playwright's inputValue() reads native controls
 * only). A select takes new options when they are slotted, a moment after they are set: with
 * `expected`, waits up to 10 s for it before answering.
 */
export async function valueOf(locator, expected) {
  let value = await locator.evaluate((el) => el.value);
  for (const t0 = Date.now(); expected !== undefined && value !== expected && Date.now() - t0 < 10_000; await new Promise((r) => setTimeout(r, 100))) {
    value = await locator.evaluate((el) => el.value);
  }
  return value;
}

/** Switches the model editor to its Model tab (the summary page); the Graph tab is the default. */
export async function showModelTab(webview) {
  await webview.locator('[data-testid="tab-model"]').click();
  await webview.locator('[data-testid="op-histogram"]').waitFor({ timeout: 30_000 });
}

/**
 * The hooks every suite of page tests needs, registered in the calling `describe`: a fresh page
 * with `theme` before, a screenshot of a failure and a check of the console after each test, the
 * editors closed and the browser gone at the end. The session is `ctx.session` once `before` ran.
 */
export function useSession(theme = 'Default Dark Modern', server = () => e2e) {
  const ctx = { session: undefined };
  before(async () => { ctx.session = await openSession(theme, server()); });
  afterEach(async function () {
    await screenshotOnFailure(this, ctx.session?.page);
    ctx.session?.console.assertHealthy();
  });
  after(async () => {
    if (ctx.session) await closeAllEditors(ctx.session.page).catch(() => {});
    await ctx.session?.close();
  });
  return ctx;
}

/**
 * Hovers the model path in `fileName` (a Python file of the workspace naming digits-mlp.onnx) and
 * returns the hover's text. Monaco re-renders lines as tokenisation completes, so it measures and
 * hovers again until the hover shows; the innermost token span holds the path.
 */
export async function hoverModelPath(page, fileName = 'load_model.py') {
  await page.getByRole('treeitem', { name: fileName, exact: true }).click();
  const literal = page.locator('.view-lines .view-line span span', { hasText: 'digits-mlp' }).last();
  const hover = page.locator('.monaco-hover-content', { hasText: 'probabilities' }).first();
  for (let attempt = 0; ; attempt++) {
    await literal.waitFor({ timeout: 30_000 });
    const box = await literal.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2 - 3, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
      if (await hover.waitFor({ timeout: 5_000 }).then(() => true, () => false)) break;
    }
    if (attempt >= 5) throw new Error('no hover appeared over the model path');
    await page.mouse.move(0, 0);
  }
  return hover.innerText();
}

/** A Playwright frame (at any depth) holding `selector`, once one does: webviews nest two iframes deep. */
export async function frameWith(page, selector, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    if (Date.now() > end) throw new Error(`no frame holds ${selector} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Picks the quick-pick row holding `text` (a palette wizard's step), then waits until the wizard
 * has moved on (its title changed, or the quick input closed). A wizard re-uses one widget for all
 * its steps: without the wait, the next pick can land on this step's list while the next one
 * renders (a mixed-precision run once got "None" as its evaluation data that way).
 */
export async function pickQuickItem(page, text, timeout = 30_000) {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout });
  const before = await page.evaluate(quickInputTitle);
  await row.click();
  await page.waitForFunction(`(${quickInputTitle})() !== ${JSON.stringify(before)}`, undefined, { timeout });
}

/** The quick input's title, or null while it is closed. */
function quickInputTitle() {
  const widget = document.querySelector('.quick-input-widget');
  if (!widget || widget.style.display === 'none') return null;
  return widget.querySelector('.quick-input-title')?.textContent ?? '';
}

/**
 * Clicks `button` on the notification holding `text`, once it shows, and makes sure the click was
 * taken: VS Code closes a notification when one of its buttons runs. A toast is a moving target: it
 * shifts when the command's progress toast above it closes, so a click checked against its old box
 * can land beside it (a CI run clicked nothing that way, 2026-12-05), and it hides after 10 s without
 * the pointer over it. So: the pointer rests on the toast first (VS Code keeps a hovered toast), the
 * click is tried again while the notification stays, and a hidden toast is clicked in the
 * notification centre.
 */
export async function clickNotificationButton(page, text, button, timeout = 120_000) {
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  const inCentre = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  await toast.or(inCentre).first().waitFor({ timeout });
  const gone = (ms) => Promise.all([toast, inCentre].map((l) => l.waitFor({ state: 'hidden', timeout: ms }))).then(() => true, () => false);
  let clicked = false;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (clicked && await gone(3_000)) return; // the workbench closes it on the click itself
    if (!(await toast.isVisible()) && !(await inCentre.isVisible())) await runCommand(page, 'Notifications: Show Notifications');
    const target = (await toast.isVisible()) ? toast : inCentre;
    clicked = await target.hover({ timeout: 5_000 })
      .then(() => target.locator('.monaco-button', { hasText: button }).first().click({ timeout: 5_000 }))
      .then(() => true, () => clicked);
  }
  if (clicked && await gone(3_000)) return;
  const shown = await page.locator('.notification-toast, .notifications-center .notification-list-item').allInnerTexts();
  throw new Error(`"${button}" on the notification "${text}" did not run after 4 clicks; notifications: ${JSON.stringify(shown)}`);
}

/** Opens a model in the ONNX Lens editor and waits for its graph. */
export async function openGraph(page, fileName) {
  const webview = await openInCustomEditor(page, fileName, { timeout: 90_000 });
  await webview.locator('body[data-graph-state="ready"]').waitFor({ timeout: 120_000 });
  await webview.locator('[data-testid="graph-canvas"]').waitFor();
  return webview;
}

/** Where the canvas draws a node or group, relative to the canvas element (null when not drawn). */
export async function canvasPosition(canvas, hook, name) {
  return canvas.evaluate((el, [h, n]) => {
    const p = window.__onnxLens[h](n);
    const r = el.getBoundingClientRect();
    return p && p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom ? { x: p.x - r.left, y: p.y - r.top } : null;
  }, [hook, name]);
}

/** A real mouse click on the canvas where the node is drawn. */
export async function clickNode(webview, name) {
  const canvas = webview.locator('[data-testid="graph-canvas"]');
  const pos = await canvasPosition(canvas, 'screenPositionOfNode', name);
  assert.ok(pos, `node ${name} is not on screen`);
  await canvas.click({ position: pos });
}

// Shared by the e2e tests. scripts/vscode/run-e2e.mjs starts code-server (extension installed from
// the .vsix) and passes where everything is through E2E_* variables; each test file drives its own
// headless Chromium page against that server.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { closeAllEditors, launchBrowser, openWorkbench, waitForTheme, watchConsole } from '../../scripts/vscode/browser.mjs';
import { REPO_ROOT } from '../../scripts/vscode/config.mjs';

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
};

/** Writes the workbench theme into the profile's user settings (must happen BEFORE a page load). */
export function setTheme(theme) {
  const settings = JSON.parse(fs.readFileSync(e2e.settingsFile, 'utf8'));
  settings['workbench.colorTheme'] = theme;
  fs.writeFileSync(e2e.settingsFile, JSON.stringify(settings, null, 2));
}

/**
 * Opens the e2e workspace in a fresh browser page with `theme`. Returns { page, console, close }.
 * Call from a mocha `before` hook; the returned close() belongs in `after`.
 */
export async function openSession(theme = 'Default Dark Modern') {
  setTheme(theme);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const consoleLog = watchConsole(page);
  await openWorkbench(page, `${e2e.origin}/?folder=${encodeURIComponent(e2e.workspace)}`);
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
export function useSession(theme = 'Default Dark Modern') {
  const ctx = { session: undefined };
  before(async () => { ctx.session = await openSession(theme); });
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

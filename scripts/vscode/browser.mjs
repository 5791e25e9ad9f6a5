// Drives the code-server workbench in Debian's Chromium with playwright-core (docs/code-server.md).
import { chromium } from 'playwright-core';
import { CHROMIUM, EDITOR_DISPLAY_NAME } from './config.mjs';

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM, // never `playwright install`: it downloads browsers
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Console lines that mean the extension is broken even though nothing shows on screen (§7). Only
 * ONNX Lens's own activation counts: code-server's built-ins may fail theirs (TypeScript's did,
 * "Not Found", once Workspace Trust was granted), which says nothing about ours.
 */
const FATAL_CONSOLE = [
  /Activating extension 'onnx-lens\.onnx-lens' failed/i,
  /Extension host .* terminated unexpectedly/i,
];

/**
 * Records the page console and page errors. `fatal()` returns the first line that means the
 * extension failed to activate or its host crashed, or null.
 */
export function watchConsole(page, { echo = false } = {}) {
  const lines = [];
  const onLine = (line) => {
    lines.push(line);
    if (echo) console.log(`  [page] ${line}`);
  };
  page.on('console', (msg) => onLine(`${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => onLine(`pageerror: ${err.message}`));
  return {
    lines,
    fatal: () => lines.find((l) => FATAL_CONSOLE.some((re) => re.test(l))) ?? null,
    assertHealthy() {
      const line = this.fatal();
      if (line) throw new Error(`VS Code reported a broken extension: ${line}`);
    },
  };
}

/** The active custom editor's webview document (outer iframe = VS Code's host, inner = our HTML). */
export function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

export async function openWorkbench(page, url, { timeout = 60_000 } = {}) {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout });
}

/** Waits until the workbench shows the requested theme (it starts as `vs` before settings load). */
export async function waitForTheme(page, themeName, { timeout = 30_000 } = {}) {
  const kind = /light/i.test(themeName) ? 'vs' : 'vs-dark';
  const themeClass = `vscode-theme-defaults-themes-${/light/i.test(themeName) ? 'light' : 'dark'}_modern-json`;
  await page.locator(`.monaco-workbench.${kind}.${themeClass}`).waitFor({ timeout });
}

/** Runs a command from the palette by its visible label. */
export async function runCommand(page, label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill('>' + label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

export async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
  await page.locator('.editor-group-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
}

/**
 * Opens `fileName` from the Explorer in the ONNX Lens custom editor and waits for its webview body.
 * A click right after load can come before the extension's contributions are registered, and then
 * the file opens as (binary) text; reopen it with the custom editor. If even the picker lacks ONNX
 * Lens (seen twice in ~35 loads), reload once and retry (docs/code-server.md).
 */
export async function openInCustomEditor(page, fileName, { timeout = 60_000, retries = 1 } = {}) {
  await revealInExplorer(page, fileName, timeout);
  await page.getByRole('treeitem', { name: fileName, exact: true }).click({ timeout });
  if (await settleInCustomEditor(page, fileName, { timeout })) return webviewFrame(page);
  if (retries <= 0) throw new Error(`"${EDITOR_DISPLAY_NAME}" never appeared in "Reopen Editor With..." for ${fileName}`);
  console.error(`[browser] ${EDITOR_DISPLAY_NAME} missing from the picker for ${fileName}: reloading the window once`);
  await page.keyboard.press('Escape');
  await page.reload();
  await page.locator('.monaco-workbench').waitFor({ timeout });
  return openInCustomEditor(page, fileName, { timeout, retries: retries - 1 });
}

/**
 * Scrolls the Explorer until `fileName`'s row is rendered: the tree draws only the rows in view, so
 * in a long folder (a benchmark's many rounds of copies) a row below the fold is not in the page.
 */
async function revealInExplorer(page, fileName, timeout) {
  const row = page.getByRole('treeitem', { name: fileName, exact: true });
  const list = page.locator('.explorer-folders-view .monaco-list').first();
  if (await row.count() > 0 || await list.count() === 0) return;
  const box = await list.boundingBox();
  if (!box) return;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const deadline = Date.now() + timeout;
  // Down to the end, then back up: the row is on one side or the other of the view.
  for (const step of [200, -200]) {
    for (let i = 0; i < 100 && Date.now() < deadline; i++) {
      if (await row.count() > 0) return;
      await page.mouse.wheel(0, step);
      await page.waitForTimeout(50);
    }
  }
}

/**
 * Once `fileName` was asked to open (a click, or the URL's `openFile`): waits for what shows, and if
 * it is text (the registration race) reopens it with ONNX Lens. False when ONNX Lens is not in the
 * "Reopen Editor With..." picker yet; true once the webview's body is there.
 */
export async function settleInCustomEditor(page, fileName, { timeout = 60_000 } = {}) {
  const webview = webviewFrame(page);
  const textFallback = page.getByText('The file is not displayed in the text editor');
  // Sometimes the binary file is shown as text straight away, with no notice: a text editor's lines.
  const textEditor = page.locator('.editor-group-container .monaco-editor .view-lines');
  const first = await Promise.race([
    webview.locator('body').waitFor({ timeout }).then(() => 'custom'),
    textFallback.waitFor({ timeout }).then(() => 'text'),
    textEditor.first().waitFor({ timeout }).then(async () => {
      // Only when our file is the active tab and no webview shows up (a text editor elsewhere is not ours).
      await page.locator('.tab.active', { hasText: fileName }).waitFor({ timeout });
      const custom = await webview.locator('body').waitFor({ timeout: 3000 }).then(() => true, () => false);
      return custom ? 'custom' : 'text';
    }),
  ]);
  if (first === 'custom') return true;

  console.error(`[browser] ${fileName} opened as text (registration race): reopening it with ${EDITOR_DISPLAY_NAME}`);
  await runCommand(page, 'View: Reopen Editor With...');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: EDITOR_DISPLAY_NAME }).first();
  if (!(await row.waitFor({ timeout: 15_000 }).then(() => true, () => false))) return false;
  await row.click();
  await webview.locator('body').waitFor({ timeout });
  return true;
}

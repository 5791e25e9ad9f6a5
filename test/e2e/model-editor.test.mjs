// The ONNX Lens editor in a real VS Code, installed from the .vsix, opened the way a user does:
// a click in the Explorer.
import assert from 'node:assert/strict';
import path from 'node:path';
import { closeAllEditors, openInCustomEditor } from '../../scripts/vscode/browser.mjs';
import { cliInspect, e2e, openSession, screenshot, screenshotOnFailure, showModelTab } from './support.mjs';

describe('ONNX Lens model editor (installed from the .vsix)', function () {
  this.timeout(180_000);
  let session;

  before(async () => { session = await openSession('Default Dark Modern'); });
  afterEach(async function () {
    await screenshotOnFailure(this, session?.page);
    session?.console.assertHealthy();
    if (session) await closeAllEditors(session.page);
  });
  after(async () => { await session?.close(); });

  async function open(fileName) {
    return openInCustomEditor(session.page, fileName, { timeout: 90_000 });
  }

  it('shows the sample MLP with its node count and its [batch, 64] float input', async () => {
    const webview = await open('digits-mlp.onnx');
    await webview.locator('body[data-state="ready"]').waitFor({ timeout: 90_000 });
    const expected = cliInspect(path.join(e2e.workspace, 'digits-mlp.onnx'));
    const nodeCount = Number((await webview.locator('[data-testid="node-count"]').textContent()).trim());
    assert.equal(nodeCount, expected.nodeCount);
    const headerParams = (await webview.locator('[data-testid="header-params"]').textContent()).trim();
    await showModelTab(webview);
    // One formatter (src/shared/format.ts): the status bar prints the model as the editor does.
    const fileSize = (await webview.locator('[data-testid="file-size"]').textContent()).trim();
    const status = session.page.locator('.statusbar-item', { hasText: ' params · ' }).first();
    await status.waitFor({ timeout: 30_000 });
    const statusText = (await status.textContent()).trim();
    assert.match(headerParams, /^[\d.]+ k params$/);
    assert.ok(statusText.startsWith(`${headerParams} · ${fileSize} · opset `), `status bar "${statusText}", header "${headerParams}", Model tab "${fileSize}"`);
    const rows = webview.locator('[data-testid="inputs"] [data-testid="io-row"]');
    assert.equal(await rows.count(), 1);
    const row = await rows.first().innerText(); // innerText separates the cells
    assert.match(row, /\binput\b/);
    assert.match(row, /batch/);
    assert.match(row, /\b64\b/);
    assert.equal(await webview.locator('[data-testid="outputs"] [data-testid="io-row"]').count(), expected.outputs.length);
    await screenshot(session.page, 'sample-dark');
  });

  it('shows a real DenseNet-121 with the same node count as `onnx-lens inspect --json`', async () => {
    const expected = cliInspect(path.join(e2e.workspace, 'light_densenet121.onnx'));
    assert.ok(expected.nodeCount > 100, `CLI node count ${expected.nodeCount}`);
    const webview = await open('light_densenet121.onnx');
    await webview.locator('body[data-state="ready"]').waitFor({ timeout: 120_000 });
    const shown = (await webview.locator('[data-testid="node-count"]').textContent()).trim();
    assert.equal(Number(shown.replace(/[,\s]/g, '')), expected.nodeCount, `editor shows "${shown}"`);
    await screenshot(session.page, 'densenet121-dark');
  });

  it('explains, naming the file, why a file of random bytes cannot be shown', async () => {
    const webview = await open('broken.onnx');
    await webview.locator('body[data-state="error"]').waitFor({ timeout: 90_000 });
    const message = await webview.locator('[data-testid="error"]').textContent();
    assert.match(message, /broken\.onnx/);
    await screenshot(session.page, 'broken-dark');
  });
});

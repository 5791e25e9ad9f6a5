// Restricted Mode in a real VS Code (a server of its own with Workspace Trust on and the folder
// untrusted): the model opens and its graph shows; the Run tab says in one sentence that running
// waits for trust, and a notification offers VS Code's trust editor. Granting trust there lets the
// same tab run the model. Screenshots of the message in both themes.
import assert from 'node:assert/strict';
import { openInCustomEditor, webviewFrame } from '../../scripts/vscode/browser.mjs';
import { clickNotificationButton, screenshot, startOwnServer, useSession } from './support.mjs';

const LONG = { timeout: 120_000 };
const REFUSED = 'Running models is turned off in Restricted Mode: ONNX Lens loads models into onnxruntime and reads datasets only in a trusted workspace.';

describe('Restricted Mode (an untrusted workspace)', function () {
  this.timeout(300_000);
  let server;
  before(async () => { server = await startOwnServer({ trust: true }); });
  after(async () => { await server?.stop(); });

  /** Opens the sample, shows the Run tab and waits for its refusal. */
  async function refusedRun(page) {
    const webview = await openInCustomEditor(page, 'digits-mlp.onnx', { timeout: 90_000 });
    await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
    await webview.locator('[data-testid="tab-run"]').click();
    await webview.locator('[data-testid="run-panel"][data-state="error"]').waitFor(LONG);
    assert.equal((await webview.locator('[data-testid="run-error"]').innerText()).trim(), REFUSED);
    await page.locator('.notification-toast', { hasText: 'Running models is turned off in Restricted Mode' }).waitFor(LONG);
    return webview;
  }

  // Light first: granting trust in the dark session below makes the folder trusted for good.
  describe('Default Light Modern', () => {
    const ctx = useSession('Default Light Modern', () => server);
    it('shows the graph, and the Run tab says that running waits for trust', async () => {
      await refusedRun(ctx.session.page);
      await screenshot(ctx.session.page, 'restricted-run-light');
    });
  });

  describe('Default Dark Modern', () => {
    const ctx = useSession('Default Dark Modern', () => server);
    it('shows the graph, says that running waits for trust, and runs once the folder is trusted', async () => {
      const { page } = ctx.session;
      await refusedRun(page);
      assert.ok(await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).count() > 0, 'VS Code shows Restricted Mode');
      await screenshot(page, 'restricted-run-dark');
      await clickNotificationButton(page, 'Running models is turned off in Restricted Mode', 'Manage Workspace Trust');
      const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
      await trust.waitFor(LONG);
      await trust.click();
      await page.locator('.workspace-trust-editor', { hasText: 'You trust this folder' }).waitFor(LONG);
      // The trust editor is a modal over the workbench: close it with its own button.
      await page.locator('.monaco-modal-editor-block .codicon-close, .monaco-modal-editor-block [aria-label^="Close"]').first().click();
      await page.locator('.monaco-modal-editor-block').waitFor({ state: 'detached', timeout: 30_000 });
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'detached', timeout: 30_000 });
      await page.locator('.tab', { hasText: 'digits-mlp.onnx' }).first().click();
      const editor = webviewFrame(page);
      await editor.locator('[data-testid="run-panel"]').waitFor(LONG);
      await editor.locator('[data-testid="run-panel"]').getByText('Try again').click();
      await editor.locator('[data-testid="run-panel"][data-state="ready"]').waitFor(LONG);
      await editor.locator('[data-testid="run-button"]').click();
      await editor.locator('[data-testid="run-status"]', { hasText: 'Ran in' }).waitFor(LONG);
      await screenshot(page, 'restricted-then-trusted-run-dark');
    });
  });
});

// Quantization in a real VS Code (code-server, extension installed from the .vsix): the palette's
// "Quantize Model…" wizard through its defaults (dynamic int8, per channel, symmetric) with the
// digits test split for accuracy, a new file in the reports folder (the model untouched), the Quantize
// tab's size ratio and per-node table, and the graph coloured by each node's error. Both themes.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openInCustomEditor, runCommand } from '../../scripts/vscode/browser.mjs';
import { e2e, pickQuickItem, screenshot, useSession } from './support.mjs';

const THEMES = [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']];
const LONG = { timeout: 180_000 };

const sha = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Accepts the quick input as it stands (a multi-select's picks, an input box's value). */
async function acceptQuickInput(page, title) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  await page.locator('.quick-input-widget input').first().press('Enter');
}

for (const [theme, short] of THEMES) {
  describe(`Quantize (${theme})`, function () {
    this.timeout(400_000);
    const ctx = useSession(theme);

    it('quantizes the sample from the palette wizard into a new file and shows the size ratio and the error overlay', async () => {
      const { page } = ctx.session;
      const model = path.join(e2e.workspace, 'digits-mlp.onnx');
      const before = sha(model);
      const filesBefore = new Set(fs.readdirSync(e2e.workspace));
      const webview = await openInCustomEditor(page, 'digits-mlp.onnx', { timeout: 90_000 });
      await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
      await runCommand(page, 'ONNX Lens: Quantize Model…');
      await pickQuickItem(page, 'Dynamic int8');
      await pickQuickItem(page, 'Per channel');
      await pickQuickItem(page, 'Symmetric');
      await pickQuickItem(page, 'digits-test.csv');
      await acceptQuickInput(page, 'op types to quantize');
      await acceptQuickInput(page, 'nodes to leave in float32');
      await acceptQuickInput(page, 'output file');

      await webview.locator('[data-testid="quant-panel"]').waitFor(LONG);
      const ratio = webview.locator('[data-testid="quant-size-ratio"]');
      await ratio.waitFor(LONG);
      assert.match(await ratio.innerText(), /0\.\d+\s*×|0\.\d+x/);
      assert.ok(await webview.locator('[data-testid="quant-node-row"]').count() >= 1);
      assert.equal(sha(model), before, 'the model itself is never modified');
      const added = fs.readdirSync(e2e.workspace).filter((f) => !filesBefore.has(f) && f !== '.onnx-lens');
      assert.deepEqual(added, [], 'nothing new beside the model');
      const reports = path.join(e2e.workspace, '.onnx-lens', 'reports');
      assert.ok(fs.readdirSync(reports).some((f) => /^digits-mlp\.int8(-\d+)?\.onnx$/.test(f)), 'the quantized model is in the reports folder');
      await screenshot(page, `quantize-report-${short}`);

      await webview.locator('[data-testid="quant-show-graph"]').click();
      if (await webview.locator('[data-testid="graph-canvas"]').isHidden()) await webview.locator('[data-testid="tab-graph"]').click();
      const overlay = webview.locator('[data-testid="overlay-select"]');
      await overlay.waitFor(LONG);
      assert.equal(await overlay.inputValue(), 'ch:quant-error');
      await screenshot(page, `quantize-overlay-${short}`);
    });
  });
}

// Quantization in a real VS Code (code-server, extension installed from the .vsix): the palette's
// "Quantize Model…" wizard through its defaults (dynamic int8, per channel, symmetric) with the
// digits test split for accuracy, a new file in the reports folder (the model untouched), the Quantize
// tab's size ratio and per-node table, and the graph coloured by each node's error; then mixed
// precision with an output-error budget, whose "Error budget" card must show the figures the saved
// report holds (checked on the held-out test rows at batch 1 and at the batch the model runs at).
// Both themes.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openInCustomEditor, runCommand } from '../../scripts/vscode/browser.mjs';
import { e2e, pickQuickItem, screenshot, useSession, valueOf } from './support.mjs';

const THEMES = [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']];
const LONG = { timeout: 180_000 };

const sha = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Types `value` into the input box titled `title` and accepts it. */
async function fillInputBox(page, title, value) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  const input = page.locator('.quick-input-widget input').first();
  await input.fill(value);
  await input.press('Enter');
}

/** The newest quantization report of the sample in the workspace's reports folder. */
function newestQuantReport() {
  const folder = path.join(e2e.workspace, '.onnx-lens', 'reports');
  const files = fs.readdirSync(folder).filter((f) => /^digits-mlp\.quant\..*\.json$/.test(f)).sort();
  assert.ok(files.length > 0, `no quantization report in ${folder}`);
  return JSON.parse(fs.readFileSync(path.join(folder, files[files.length - 1]), 'utf8'));
}

/** The figure as the card writes it (reportView.ts `sci`). */
const sci = (x) => (x === 0 ? '0' : Math.abs(x) >= 0.01 && Math.abs(x) < 1000 ? x.toPrecision(3) : x.toExponential(2));

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
      assert.equal(await valueOf(overlay, 'ch:quant-error'), 'ch:quant-error');
      await screenshot(page, `quantize-overlay-${short}`);
    });

    it('runs mixed precision with an output-error budget and shows the budget as checked on held-out rows', async () => {
      const { page } = ctx.session;
      const model = path.join(e2e.workspace, 'digits-mlp.onnx');
      const before = sha(model);
      const webview = await openInCustomEditor(page, 'digits-mlp.onnx', { timeout: 90_000 });
      await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
      await runCommand(page, 'ONNX Lens: Quantize Model…');
      await pickQuickItem(page, 'Mixed precision');
      await pickQuickItem(page, 'Dynamic int8 layers');
      await pickQuickItem(page, 'Per channel');
      await pickQuickItem(page, 'Symmetric');
      await pickQuickItem(page, 'Output error');
      await fillInputBox(page, 'output error budget', '0.005');
      await pickQuickItem(page, 'digits-train.csv');
      await pickQuickItem(page, 'digits-test.csv');
      await acceptQuickInput(page, 'op types to quantize');
      await acceptQuickInput(page, 'nodes to leave in float32');
      await acceptQuickInput(page, 'output file');

      const card = webview.locator('[data-testid="quant-budget-card"]');
      await card.waitFor(LONG);
      const report = newestQuantReport();
      const s = report.sensitivity;
      assert.equal(report.settings.mode, 'mixed');
      assert.equal(s.metric, 'relative-error');
      assert.equal(s.budget, 0.005);
      assert.equal(s.check.source, 'eval', 'the budget is checked on the evaluation data, which the scan did not see');
      assert.ok(s.check.samples > 0 && s.check.batch > 1, JSON.stringify(s.check));
      const value = await webview.locator('[data-testid="quant-budget"]').innerText();
      assert.equal(value.trim(), `${sci(s.finalError)} ≤ ${sci(0.005)}${s.met ? '' : ' ✗'}`);
      const detail = (await card.locator('.eval-metric-ci').innerText()).replace(/\s+/g, ' ');
      assert.match(detail, new RegExp(`batch 1: ${sci(s.errors.batch1).replace(/[.+]/g, '\\$&')}\\b`));
      assert.match(detail, new RegExp(`batch ${s.check.batch}: ${sci(s.errors.batch).replace(/[.+]/g, '\\$&')}\\b`));
      assert.match(detail, new RegExp(`${s.check.samples} held-out rows of digits-test\\.csv`));
      assert.equal(await card.evaluate((el, tone) => el.classList.contains(tone), s.met ? 'good' : 'bad'), true);
      assert.equal(sha(model), before, 'the model itself is never modified');
      await card.scrollIntoViewIfNeeded();
      await screenshot(page, `quantize-budget-${short}`);
    });
  });
}

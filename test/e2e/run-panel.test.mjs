// The Run tab in a real VS Code (code-server, extension installed from the .vsix): run the sample
// model, read its outputs and labelled top-k, capture every activation and open one, benchmark and
// profile it (the profile colours the graph), see a feature-map grid and an attention heatmap on a
// small CNN, and survive an onnxruntime abort with one sentence on screen. Screenshots in both themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { closeAllEditors, openInCustomEditor } from '../../scripts/vscode/browser.mjs';
import { e2e, screenshot, textField, useSession, valueOf } from './support.mjs';

const THEMES = [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']];
const LONG = { timeout: 120_000 };

async function openRunTab(page, fileName) {
  // Two retries: a fresh page sometimes registers the custom editor late (docs/code-server.md).
  const webview = await openInCustomEditor(page, fileName, { timeout: 90_000, retries: 2 });
  await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
  await webview.locator('[data-testid="tab-run"]').click();
  await webview.locator('[data-testid="run-panel"]').waitFor(LONG);
  await webview.locator('[data-testid="run-input-row"]').first().waitFor(LONG);
  return webview;
}

/** Waits for the panel's last action to finish and fails with the error banner's text if it failed. */
async function settled(webview) {
  await webview.locator('body[data-run-state="done"], body[data-run-state="error"]').waitFor(LONG);
  const state = await webview.locator('body').getAttribute('data-run-state');
  if (state === 'error') assert.fail(`the Run panel shows an error: ${await webview.locator('[data-testid="run-error"]').first().innerText()}`);
}

for (const [theme, short] of THEMES) {
  describe(`Run tab (${theme})`, function () {
    this.timeout(300_000);
    const ctx = useSession(theme);

    it('runs the sample model and shows its outputs with labelled top-k scores', async () => {
      const webview = await openRunTab(ctx.session.page, 'digits-mlp.onnx');
      const row = webview.locator('[data-testid="run-input-row"][data-input="input"]');
      assert.match(await row.innerText(), /float32/);
      await webview.locator('[data-testid="run-button"]').click();
      await settled(webview);
      assert.match(await webview.locator('[data-testid="run-status"]').innerText(), /\d/);
      const probabilities = webview.locator('[data-testid="run-output"][data-output="probabilities"]');
      await probabilities.waitFor(LONG);
      assert.match(await probabilities.innerText(), /\[1, 10\]/);
      assert.equal(await probabilities.locator('[data-testid="topk-row"]').count(), 5);
      await webview.locator('[data-testid="run-output"][data-output="label"]').waitFor();
      await screenshot(ctx.session.page, `run-outputs-${short}`);
    });

    it('saves an output as .npy through the host\'s save dialog, then says where', async () => {
      const webview = await openRunTab(ctx.session.page, 'digits-mlp.onnx');
      await webview.locator('[data-testid="run-button"]').click();
      await settled(webview);
      const probabilities = webview.locator('[data-testid="run-output"][data-output="probabilities"]');
      await probabilities.waitFor(LONG);
      const target = path.join(e2e.workspace, `saved-probabilities-${short}.npy`);
      fs.rmSync(target, { force: true });
      await probabilities.locator('[data-testid="output-save"]').click();
      // code-server's save dialog is VS Code's own quick input with the path to write.
      const input = ctx.session.page.locator('.quick-input-widget input');
      await input.waitFor(LONG);
      for (let i = 0; i < 100 && !/probabilities\.npy$/.test(await input.inputValue()); i++) await ctx.session.page.waitForTimeout(100);
      assert.match(await input.inputValue(), /probabilities\.npy$/, 'the dialog proposes the output name');
      await input.fill(target);
      await ctx.session.page.keyboard.press('Enter');
      const note = probabilities.locator('[data-testid="output-saved"]');
      await note.waitFor({ state: 'visible', ...LONG });
      assert.match(await note.innerText(), new RegExp(`Saved to .*saved-probabilities-${short}\\.npy`));
      const bytes = fs.readFileSync(target);
      assert.equal(bytes.subarray(1, 6).toString('latin1'), 'NUMPY');
      assert.match(bytes.subarray(10, 80).toString('latin1'), /'descr': '<f4', 'fortran_order': False, 'shape': \(1, 10\)/);
      await screenshot(ctx.session.page, `run-save-npy-${short}`);
    });

    it('captures every activation, shows the per-layer chart and a chosen value with its histogram', async () => {
      const webview = await openRunTab(ctx.session.page, 'digits-mlp.onnx');
      await webview.locator('[data-testid="activations-all-button"]').click();
      await settled(webview);
      await webview.locator('[data-testid="activations-chart"]').waitFor(LONG);
      const rows = webview.locator('[data-testid="activation-row"]');
      assert.ok(await rows.count() >= 9, `only ${await rows.count()} activations listed`);
      const relu = webview.locator('[data-testid="activation-row"][data-value="/fc1/Relu_output_0"]');
      await relu.click();
      const details = webview.locator('[data-testid="activation-details"]');
      await details.waitFor(LONG);
      assert.match(await details.innerText(), /\/fc1\/Relu_output_0/);
      await webview.locator('[data-testid="activation-histogram"], [data-testid="activation-details"] canvas').first().waitFor(LONG);
      await screenshot(ctx.session.page, `run-activations-${short}`);
    });

    it('benchmarks the model, saves the report, and profiles it onto the graph', async () => {
      const webview = await openRunTab(ctx.session.page, 'digits-mlp.onnx');
      await textField(webview, 'bench-runs').fill('50');
      await textField(webview, 'bench-budget').fill('1');
      await webview.locator('[data-testid="bench-start"]').click();
      await settled(webview);
      await webview.locator('[data-testid="bench-row"]').first().waitFor(LONG);
      assert.match(await webview.locator('[data-testid="bench-table"]').innerText(), /p50/i);
      const saved = await webview.locator('[data-testid="bench-saved"]').innerText();
      assert.match(saved, /digits-mlp\.bench\./);
      const reports = fs.readdirSync(path.join(e2e.workspace, '.onnx-lens', 'reports'));
      assert.ok(reports.some((f) => f.startsWith('digits-mlp.bench.')), reports.join(', '));
      await screenshot(ctx.session.page, `run-benchmark-${short}`);

      await webview.locator('[data-testid="profile-start"]').click();
      await settled(webview);
      const profileRows = webview.locator('[data-testid="profile-row"]');
      await profileRows.first().waitFor(LONG);
      assert.match(await webview.locator('[data-testid="profile-table"]').innerText(), /fc1\/Gemm \+ \/fc1\/Relu|FusedGemm/);
      await screenshot(ctx.session.page, `run-profile-${short}`);
      // The profile is now the graph's "time" overlay; the link colours the graph by it.
      await webview.locator('[data-testid="profile-show-overlay"]').click();
      if (await webview.locator('[data-testid="graph-canvas"]').isHidden()) await webview.locator('[data-testid="tab-graph"]').click();
      const overlay = webview.locator('[data-testid="overlay-select"]');
      await overlay.waitFor(LONG);
      assert.equal(await valueOf(overlay, 'ch:time'), 'ch:time');
      await screenshot(ctx.session.page, `graph-time-overlay-${short}`);
    });

    it('draws a feature-map grid and a per-head attention heatmap for a small CNN', async () => {
      const webview = await openRunTab(ctx.session.page, 'tiny-cnn.onnx');
      await webview.locator('[data-testid="activations-all-button"]').click();
      await settled(webview);
      await webview.locator('[data-testid="activation-row"][data-value="activated"]').click();
      await webview.locator('[data-testid="channel-grid"]').waitFor(LONG);
      await webview.locator('[data-testid="activation-row"][data-value="attention"]').click();
      await webview.locator('[data-testid="attention-heatmap"]').waitFor(LONG);
      await screenshot(ctx.session.page, `run-attention-${short}`);
    });

  });
}

describe('Run tab after an onnxruntime abort', function () {
  this.timeout(300_000);
  const ctx = useSession('Default Dark Modern');

    it('says in one sentence that onnxruntime aborted, and runs the next model', async () => {
      const webview = await openRunTab(ctx.session.page, 'int4-output.onnx');
      await webview.locator('[data-testid="run-button"]').click();
      await webview.locator('body[data-run-state="error"]').waitFor(LONG);
      const message = await webview.locator('[data-testid="run-error"]').first().innerText();
      assert.match(message, /runtime process stopped unexpectedly \(it was killed by SIGABRT\)/);
      assert.ok(!message.trim().includes('\n'), `one line: ${message}`);
      await screenshot(ctx.session.page, 'run-abort-dark');
      await closeAllEditors(ctx.session.page);
      const sample = await openRunTab(ctx.session.page, 'digits-mlp.onnx');
      await sample.locator('[data-testid="run-button"]').click();
      await settled(sample);
    });
});

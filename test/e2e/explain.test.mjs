// The Run tab's Explain section in a real VS Code (code-server, extension installed from the .vsix):
// KernelSHAP of the sample model draws a signed feature chart with its efficiency figure; occlusion
// of an image classifier draws a heatmap over the image, the randomised model's map beside it with
// the sanity check's rank correlation, and the opacity slider redraws it; the Evaluate tab's Why? on a
// misclassified sample and Feature importance with error bars. Screenshots in both themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openInCustomEditor } from '../../scripts/vscode/browser.mjs';
import { e2e, screenshot, textField, useSession } from './support.mjs';

const THEMES = [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']];
const LONG = { timeout: 180_000 };

async function openExplain(page, fileName) {
  const webview = await openInCustomEditor(page, fileName, { timeout: 90_000, retries: 2 });
  await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
  await webview.locator('[data-testid="tab-run"]').click();
  await webview.locator('[data-testid="run-panel"]').waitFor(LONG);
  await webview.locator('[data-testid="run-jump-explain"]').click();
  await webview.locator('[data-testid="explain-section"]').waitFor(LONG);
  return webview;
}

async function explained(webview) {
  await webview.locator('[data-testid="explain-start"]').click();
  await webview.locator('body[data-run-state="done"], body[data-run-state="error"]').waitFor(LONG);
  const state = await webview.locator('body').getAttribute('data-run-state');
  if (state === 'error') assert.fail(`the Run panel shows an error: ${await webview.locator('[data-testid="run-error"]').first().innerText()}`);
  await webview.locator('[data-testid="explain-result"]').waitFor(LONG);
}

for (const [theme, short] of THEMES) {
  describe(`Explain (${theme})`, function () {
    this.timeout(400_000);
    const ctx = useSession(theme);

    it('explains the sample model with KernelSHAP: a signed bar chart of features, the efficiency gap, a saved report', async () => {
      const webview = await openExplain(ctx.session.page, 'digits-mlp.onnx');
      await textField(webview, 'explain-budget').fill('256');
      await explained(webview);
      const result = webview.locator('[data-testid="explain-result"]');
      assert.equal(await result.getAttribute('data-kind'), 'tabular');
      await webview.locator('[data-testid="explain-feature-chart"] canvas').waitFor(LONG);
      const gap = Number(await webview.locator('[data-testid="explain-efficiency"] .mono').innerText());
      assert.ok(gap < 1e-6, `efficiency gap ${gap}`);
      assert.match(await webview.locator('[data-testid="explain-saved"]').innerText(), /Report saved to\s+.*\.explain\..*\.html/);
      const reports = fs.readdirSync(path.join(e2e.workspace, '.onnx-lens', 'reports')).filter((f) => f.includes('.explain.'));
      assert.ok(reports.some((f) => f.endsWith('.json')) && reports.some((f) => f.endsWith('.html')));
      await webview.locator('[data-testid="explain-section"]').scrollIntoViewIfNeeded();
      await screenshot(ctx.session.page, `explain-features-${short}`);
    });

    it('explains an image classifier with occlusion: a heatmap over the image, the sanity check beside it, an opacity slider', async () => {
      const webview = await openExplain(ctx.session.page, 'quadrant-cnn.onnx');
      await explained(webview);
      const result = webview.locator('[data-testid="explain-result"]');
      assert.equal(await result.getAttribute('data-kind'), 'image');
      await webview.locator('[data-testid="explain-heatmap"]').waitFor(LONG);
      await webview.locator('[data-testid="explain-sanity-map"]').waitFor(LONG);
      assert.match(await webview.locator('[data-testid="explain-sanity"]').innerText(), /sanity ρ\s*-?\d/);
      assert.match(await webview.locator('[data-testid="explain-class"]').innerText(), /class\s*0/);
      // The heatmap is red where class 0 looks (top-left) and follows the slider.
      const before = await webview.locator('[data-testid="explain-heatmap"]').evaluate((c) => c.toDataURL());
      await webview.locator('[data-testid="explain-opacity"]').fill('100');
      const after = await webview.locator('[data-testid="explain-heatmap"]').evaluate((c) => c.toDataURL());
      assert.notEqual(before, after, 'the opacity slider redraws the map');
      await webview.locator('[data-testid="explain-section"]').scrollIntoViewIfNeeded();
      await screenshot(ctx.session.page, `explain-heatmap-${short}`);
    });

    it('Evaluate tab: Why? on a misclassified sample, then Feature importance with error bars', async () => {
      const { page } = ctx.session;
      const webview = await openInCustomEditor(page, 'digits-mlp.onnx', { timeout: 90_000, retries: 2 });
      await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
      await webview.locator('[data-testid="tab-evaluate"]').click();
      await textField(webview, 'eval-data').fill(path.join(e2e.workspace, 'digits-test.csv'));
      await webview.locator('[data-testid="eval-run"]').click();
      await webview.locator('body[data-eval-state="done"]').waitFor(LONG);
      await webview.locator('[data-testid="eval-top-confusions"] button').first().click();
      const sample = webview.locator('[data-testid="eval-sample"]').first();
      await sample.waitFor(LONG);
      const index = await sample.getAttribute('data-index');
      await sample.locator('[data-testid="eval-sample-why"]').click();
      await webview.locator('body[data-explain-state="done"], body[data-explain-state="error"]').waitFor(LONG);
      assert.equal(await webview.locator('body').getAttribute('data-explain-state'), 'done', await webview.locator('[data-testid="eval-explain"]').innerText());
      assert.match(await webview.locator('[data-testid="eval-explain-title"]').innerText(), new RegExp(`Sample #${index}`));
      await webview.locator('[data-testid="eval-explain"] [data-testid="explain-feature-chart"] canvas').waitFor(LONG);
      await webview.locator('[data-testid="eval-explain"]').scrollIntoViewIfNeeded();
      await screenshot(page, `explain-why-${short}`);
      await webview.locator('[data-testid="eval-importance"]').click();
      await webview.locator('[data-testid="explain-importance-chart"] canvas').waitFor(LONG);
      assert.equal(await webview.locator('body').getAttribute('data-explain-state'), 'done');
      assert.match(await webview.locator('[data-testid="explain-baseline"]').innerText(), /accuracy\s*0\.9/);
      await webview.locator('[data-testid="eval-explain"]').scrollIntoViewIfNeeded();
      await screenshot(page, `explain-importance-${short}`);
    });
  });
}

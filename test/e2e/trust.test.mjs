// The Evaluate tab's Uncertainty, Robustness and Drift views in a real VS Code (code-server,
// extension installed from the .vsix), on the sample model and its splits: conformal sets and
// temperature scaling from the Uncertainty view, a noise sweep with a Square Attack and its
// drill-down (original beside adversarial), a drifted copy of the test split against the training
// split with a feature's chart on click, and the palette's Show Uncertainty. Screenshots in both themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openInCustomEditor, runCommand } from '../../scripts/vscode/browser.mjs';
import { e2e, screenshot, textField, useSession } from './support.mjs';

const THEMES = [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']];
const LONG = { timeout: 180_000 };

async function openEvaluateTab(page) {
  const webview = await openInCustomEditor(page, 'digits-mlp.onnx', { timeout: 90_000 });
  await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
  await webview.locator('[data-testid="tab-evaluate"]').click();
  await webview.locator('[data-testid="eval-panel"]').waitFor(LONG);
  // The session's editor may still show another view of the tab: the dataset field is in Metrics.
  await webview.locator('[data-testid="eval-view-metrics"]').click();
  await textField(webview, 'eval-data').fill(path.join(e2e.workspace, 'digits-test.csv'));
  return webview;
}

/** Waits for `body[data-<state>]` to end running; fails with the view's error sentence. */
async function settled(webview, state, errorTestid) {
  await webview.locator(`body[data-${state}="done"], body[data-${state}="error"]`).waitFor(LONG);
  if ((await webview.locator('body').getAttribute(`data-${state}`)) === 'error') {
    assert.fail(`the view shows an error: ${await webview.locator(`[data-testid="${errorTestid}"]`).innerText()}`);
  }
}

/** A copy of the test split with feature f36 shifted up by 8 (capped at 16), in the workspace. */
function driftedCopy() {
  const lines = fs.readFileSync(path.join(e2e.workspace, 'digits-test.csv'), 'utf8').trim().split('\n');
  const col = lines[0].split(',').indexOf('f36');
  const out = path.join(e2e.workspace, 'digits-shifted.csv');
  fs.writeFileSync(out, `${lines.map((l, i) => (i === 0 ? l : l.split(',').map((c, j) => (j === col ? String(Math.min(16, Number(c) + 8)) : c)).join(','))).join('\n')}\n`);
  return out;
}

for (const [theme, short] of THEMES) {
  describe(`Uncertainty, Robustness and Drift (${theme})`, function () {
    this.timeout(420_000);
    const ctx = useSession(theme);

    it('Uncertainty: evaluates with conformal sets and temperature scaling, draws the histograms, risk–coverage, reliability and set sizes', async () => {
      const { page } = ctx.session;
      const webview = await openEvaluateTab(page);
      await runCommand(page, 'ONNX Lens: Show Uncertainty');
      await webview.locator('body[data-eval-view="uncertainty"]').waitFor(LONG);
      await webview.locator('[data-testid="uncertainty-run"]').click();
      await settled(webview, 'eval-state', 'eval-error');
      for (const id of ['uncertainty-coverage', 'uncertainty-temperature-card']) {
        await webview.locator(`[data-testid="${id}"]`).first().waitFor(LONG);
      }
      const canvases = webview.locator('[data-testid="uncertainty-view"] canvas');
      await canvases.first().waitFor(LONG);
      assert.ok(await canvases.count() >= 4, `charts drawn: ${await canvases.count()}`);
      assert.match(await webview.locator('[data-testid="uncertainty-coverage"]').innerText(), /\d+(\.\d)?%/);
      await screenshot(page, `trust-uncertainty-${short}`);
      await webview.locator('[data-testid="uncertainty-view"] canvas').last().scrollIntoViewIfNeeded();
      await screenshot(page, `trust-uncertainty-conformal-${short}`);
    });

    it('Robustness: sweeps noise and dropout with a Square Attack, shows the curves and the adversarial examples beside the originals', async () => {
      const { page } = ctx.session;
      const webview = await openEvaluateTab(page);
      await webview.locator('[data-testid="eval-view-robustness"]').click();
      await webview.locator('[data-testid="robust-view"]').waitFor(LONG);
      await textField(webview, 'robust-data').fill(path.join(e2e.workspace, 'digits-test.csv'));
      await webview.locator('[data-testid="robust-attack-on"]').click();
      await textField(webview, 'robust-queries').fill('100');
      await textField(webview, 'robust-attack-samples').fill('12');
      await webview.locator('[data-testid="robust-run"]').click();
      await settled(webview, 'robust-state', 'robust-error');
      const curves = webview.locator('[data-testid="robust-curve"]');
      await curves.first().locator('canvas').waitFor(LONG);
      assert.equal(await curves.count(), 3);
      assert.match(await webview.locator('[data-testid="robust-clean"]').innerText(), /0\.96/);
      assert.match(await webview.locator('[data-testid="robust-attack"]').innerText(), /%/);
      assert.match(await webview.locator('[data-testid="robust-saved"]').innerText(), /digits-mlp\.robust\.[^ ]*\.html/);
      await screenshot(page, `trust-robustness-${short}`);
      const adversarial = webview.locator('#trust-attack [data-testid="robust-example"]');
      await adversarial.first().waitFor(LONG);
      await adversarial.first().scrollIntoViewIfNeeded();
      await screenshot(page, `trust-robustness-attack-${short}`);
    });

    it('Drift: a shifted feature of the test split against the training split comes first, its chart on click', async () => {
      const { page } = ctx.session;
      const current = driftedCopy();
      const webview = await openEvaluateTab(page);
      await webview.locator('[data-testid="eval-view-drift"]').click();
      await webview.locator('[data-testid="drift-view"]').waitFor(LONG);
      await textField(webview, 'drift-reference').fill(path.join(e2e.workspace, 'digits-train.csv'));
      await textField(webview, 'drift-current').fill(current);
      await webview.locator('[data-testid="drift-run"]').click();
      await settled(webview, 'drift-state', 'drift-error');
      const first = webview.locator('[data-testid="drift-features"] [data-testid="drift-row"]').first();
      assert.equal(await first.getAttribute('data-feature'), 'f36');
      assert.match(await webview.locator('[data-testid="drift-count"]').innerText(), /1 of 65|\b[1-9]\d* of 6[45]/);
      const other = webview.locator('[data-testid="drift-features"] [data-testid="drift-row"]').nth(2);
      const name = await other.getAttribute('data-feature');
      await other.locator('button').click();
      await webview.locator(`[data-testid="drift-detail-title"]`, { hasText: name }).waitFor(LONG);
      await webview.locator('[data-testid="drift-chart"] canvas').waitFor(LONG);
      await screenshot(page, `trust-drift-${short}`);
      await webview.locator('[data-testid="drift-outputs"]').scrollIntoViewIfNeeded();
      await screenshot(page, `trust-drift-outputs-${short}`);
    });
  });
}

// Evaluation in a real VS Code (code-server, extension installed from the .vsix): the palette's
// "Evaluate Model…" wizard on the sample and its test split, the Evaluate tab's confusion matrix,
// a clicked cell's samples (8×8 digit thumbnails), the saved report, a second run of the unchanged
// file from memory, bad data in one sentence, and a heavier model's header saying its batches ran
// in parallel sessions. Screenshots in both themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openInCustomEditor, runCommand } from '../../scripts/vscode/browser.mjs';
import { e2e, pickQuickItem, screenshot, textField, useSession } from './support.mjs';

const THEMES = [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']];
const LONG = { timeout: 120_000 };

async function openEvaluateTab(page, fileName) {
  const webview = await openInCustomEditor(page, fileName, { timeout: 90_000 });
  await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
  await webview.locator('[data-testid="tab-evaluate"]').click();
  await webview.locator('[data-testid="eval-panel"]').waitFor(LONG);
  return webview;
}

async function evaluated(webview) {
  await webview.locator('body[data-eval-state="done"], body[data-eval-state="error"]').waitFor(LONG);
  if ((await webview.locator('body').getAttribute('data-eval-state')) === 'error') {
    assert.fail(`the Evaluate tab shows an error: ${await webview.locator('[data-testid="eval-error"]').innerText()}`);
  }
}

for (const [theme, short] of THEMES) {
  describe(`Evaluate (${theme})`, function () {
    this.timeout(300_000);
    const ctx = useSession(theme);

    it('evaluates the sample from the palette wizard and shows the confusion matrix and headline', async () => {
      const { page } = ctx.session;
      const webview = await openInCustomEditor(page, 'digits-mlp.onnx', { timeout: 90_000 });
      await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
      await runCommand(page, 'ONNX Lens: Evaluate Model…');
      await pickQuickItem(page, 'digits-test.csv');
      await pickQuickItem(page, 'Evaluate');
      await webview.locator('[data-testid="eval-panel"]').waitFor(LONG);
      await webview.locator('[data-testid="confusion-matrix"]').waitFor(LONG);
      const accuracy = webview.locator('[data-testid="eval-metric"][data-metric="accuracy"]');
      await accuracy.waitFor(LONG);
      assert.match(await accuracy.innerText(), /0\.967|96\.7/);
      assert.match(await webview.locator('[data-testid="eval-saved"]').innerText(), /digits-mlp\.eval\.[^ ]*\.html/);
      const reports = fs.readdirSync(path.join(e2e.workspace, '.onnx-lens', 'reports'));
      assert.ok(reports.some((f) => /^digits-mlp\.eval\..*\.html$/.test(f)), reports.join(', '));
      await screenshot(page, `evaluate-wizard-${short}`);
    });

    it('opens the samples of a confusion-matrix cell with their thumbnails', async () => {
      const { page } = ctx.session;
      const webview = await openEvaluateTab(page, 'digits-mlp.onnx');
      await textField(webview, 'eval-data').fill(path.join(e2e.workspace, 'digits-test.csv'));
      await webview.locator('[data-testid="eval-run"]').click();
      await evaluated(webview);
      // A cell off the diagonal: the first confusion listed.
      const pair = webview.locator('[data-testid="eval-top-confusions"] button').first();
      await pair.click();
      const samples = webview.locator('[data-testid="eval-sample"]');
      await samples.first().waitFor(LONG);
      await webview.locator('[data-testid="eval-sample"] img').first().waitFor(LONG);
      assert.ok(await samples.count() >= 1);
      await webview.locator('[data-testid="roc-chart"]').first().waitFor(LONG);
      await screenshot(page, `evaluate-drilldown-${short}`);
      // A sample leads to where it lives: its line in the CSV opens in an editor.
      const where = await samples.first().locator('.eval-sample-source').innerText();
      const line = Number(/line (\d+)/.exec(where)?.[1]);
      assert.ok(line > 1, `the sample says its line: ${where}`);
      await samples.first().locator('[data-testid="eval-sample-open"]').click();
      await page.locator('.tabs-container .tab', { hasText: 'digits-test.csv' }).first().waitFor(LONG);
      await page.locator('.statusbar-item', { hasText: `Ln ${line},` }).first().waitFor(LONG);
    });

    it('evaluates the unchanged file again from memory, and the header says so', async () => {
      const { page } = ctx.session;
      const webview = await openEvaluateTab(page, 'digits-mlp.onnx');
      await textField(webview, 'eval-data').fill(path.join(e2e.workspace, 'digits-test.csv'));
      // The first run may read the file (or replay an earlier test's pass); the second replays this one.
      for (let i = 0; i < 2; i++) {
        await webview.locator('[data-testid="eval-run"]').click();
        await evaluated(webview);
      }
      assert.match(await webview.locator('.eval-facts-detail').innerText(), /batch 64, data from memory\)/);
      assert.match(await webview.locator('[data-testid="eval-metric"][data-metric="accuracy"]').innerText(), /0\.967|96\.7/);
      await screenshot(page, `evaluate-from-memory-${short}`);
    });
  });
}

describe('Evaluate on every core', function () {
  this.timeout(300_000);
  const ctx = useSession('Default Dark Modern');

  it('runs batches of a model that takes long enough per batch in parallel sessions, and the report says how many', async () => {
    const { page } = ctx.session;
    const webview = await openEvaluateTab(page, 'wide-mlp.onnx');
    await textField(webview, 'eval-data').fill(path.join(e2e.workspace, 'pixels', 'x.npy'));
    // onnxLens.intraOpThreads 0: one session per core. The first evaluation starts the lane's
    // session and runs on the main thread alone until it is ready; the next ones use it.
    let facts = '';
    for (let i = 0; i < 10 && !/parallel sessions/.test(facts); i++) {
      await webview.locator('[data-testid="eval-run"]').click();
      await evaluated(webview);
      facts = await webview.locator('.eval-facts-detail').innerText();
    }
    if (os.availableParallelism() > 1) assert.match(facts, /batch 64, [2-8] parallel sessions\)/);
    else assert.match(facts, /batch 64\)/);
    await screenshot(page, 'evaluate-parallel-dark');
  });
});

describe('Evaluate with bad data', function () {
  this.timeout(300_000);
  const ctx = useSession('Default Dark Modern');

  it('says in one sentence which file, row and column is wrong, and writes nothing next to it', async () => {
    const { page } = ctx.session;
    const dir = fs.mkdtempSync(path.join(e2e.workspace, 'bad-data-'));
    const lines = fs.readFileSync(path.join(e2e.workspace, 'digits-test.csv'), 'utf8').split('\n').slice(0, 4);
    const cells = lines[2].split(',');
    cells[5] = 'n/a';
    lines[2] = cells.join(',');
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, `${lines.join('\n')}\n`);
    const webview = await openEvaluateTab(page, 'digits-mlp.onnx');
    await textField(webview, 'eval-data').fill(bad);
    await webview.locator('[data-testid="eval-run"]').click();
    await webview.locator('body[data-eval-state="error"]').waitFor(LONG);
    const message = await webview.locator('[data-testid="eval-error"]').innerText();
    assert.match(message, /^bad\.csv, row 3, column f5: 'n\/a' marks a missing value; fill in missing values or drop the row\.$/);
    assert.ok(!message.trim().includes('\n'), `one line: ${message}`);
    assert.deepEqual(fs.readdirSync(dir), ['bad.csv']);
    await screenshot(page, 'evaluate-bad-data-dark');
  });
});

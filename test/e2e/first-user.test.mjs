// What a first-time user meets, in a real VS Code (code-server, extension from the .vsix), both
// themes: DenseNet-121 at Fit with readable block names, the hover card on a node, PP-OCRv4's
// profile with the convolutions carrying the time (its Run inputs sized like a text line), the
// Quantize wizard proposing the labelled dataset beside the model (with a step counter and Back),
// and Evaluate asking for a missing label column in place instead of failing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openInCustomEditor, runCommand } from '../../scripts/vscode/browser.mjs';
import { e2e, pickQuickItem, screenshot, textField, useSession, valueOf } from './support.mjs';

const THEMES = [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']];
const LONG = { timeout: 180_000 };

async function openGraph(page, fileName) {
  const webview = await openInCustomEditor(page, fileName, { timeout: 90_000 });
  await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
  await webview.locator('[data-testid="graph-canvas"]').waitFor();
  return webview;
}

/** The quick input's title bar text (title and step counter). */
async function quickTitle(page) {
  return page.locator('.quick-input-widget .quick-input-titlebar').innerText();
}

async function waitForQuickTitle(page, text) {
  await page.locator('.quick-input-widget .quick-input-titlebar', { hasText: text }).waitFor({ timeout: 60_000 });
}

for (const [theme, short] of THEMES) {
  describe(`first-time user (${theme})`, function () {
    this.timeout(600_000);
    const ctx = useSession(theme);

    it('shows DenseNet-121 at Fit as readable blocks named by their op pattern', async () => {
      const webview = await openGraph(ctx.session.page, 'light_densenet121.onnx');
      const canvas = webview.locator('[data-testid="graph-canvas"]');
      await canvas.focus();
      await ctx.session.page.keyboard.press('0');
      await ctx.session.page.waitForTimeout(400);
      const zoom = await canvas.evaluate(() => window.__onnxLens.zoom());
      assert.ok(zoom >= 0.5, `Fit zoom ${zoom}: labels drawn at 11-12 px need at least half size`);
      const groups = await canvas.evaluate(() => window.__onnxLens.sceneItems().filter((i) => i.kind === 'group').map((i) => i.name));
      for (const stage of ['×6', '×12', '×24', '×16']) assert.ok(groups.some((g) => g.endsWith(stage) && g.includes('Conv')), `a dense stage '… ${stage}' in ${groups.join(' | ')}`);
      assert.ok(groups.length <= 12, `${groups.length} boxes at the top level`);
      await screenshot(ctx.session.page, `first-densenet-fit-${short}`);
    });

    it('shows a hover card with op, name, output shape on a node under the mouse', async () => {
      const page = ctx.session.page;
      const webview = await openGraph(page, 'digits-mlp.onnx');
      const canvas = webview.locator('[data-testid="graph-canvas"]');
      // A small model opens fully expanded: the Gemm of fc1 is on screen, no click needed.
      const at = await canvas.evaluate((el) => {
        const p = window.__onnxLens.screenPositionOfNode('/fc1/Gemm');
        const r = el.getBoundingClientRect();
        return p && { x: p.x - r.left, y: p.y - r.top };
      });
      assert.ok(at, 'fc1/Gemm is on screen when the model opens');
      await canvas.hover({ position: { x: at.x - 4, y: at.y } });
      await canvas.hover({ position: at });
      const card = webview.locator('[data-testid="graph-tooltip"]');
      await card.waitFor({ state: 'visible', timeout: 10_000 });
      const text = await card.innerText();
      assert.match(text, /Gemm/);
      assert.match(text, /\/fc1\/Gemm/);
      assert.match(text, /float32 \[batch, 64\]/);
      const offScreen = await canvas.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return ['probabilities', 'label'].filter((n) => {
          const p = window.__onnxLens.screenPositionOfOutput(n);
          return !p || p.y > r.bottom || p.y < r.top || p.x < r.left || p.x > r.right;
        });
      });
      assert.deepEqual(offScreen, [], 'the small model opens whole: its outputs are on screen, not cut off');
      await screenshot(page, `first-hover-${short}`);
      // The operator's docs are markdown with working links; an initializer offers its statistics, not a producer.
      await webview.locator('body').evaluate(() => window.__onnxLens.selectNode('/scaler/Sub'));
      const link = webview.locator('[data-testid="details-panel"] .doc.markdown a[href$="Broadcasting.md"]');
      await link.waitFor({ timeout: 30_000 });
      assert.equal(await link.getAttribute('href'), 'https://github.com/onnx/onnx/blob/main/docs/Broadcasting.md');
      await webview.locator('body').evaluate(() => window.__onnxLens.selectNode('/fc1/Gemm'));
      const weight = webview.locator('[data-testid="details-io"] button.link', { hasText: 'fc1.weight' }).first();
      await weight.waitFor({ timeout: 30_000 });
      assert.match(await weight.getAttribute('title'), /fc1\.weight: click to show its statistics/);
    });

    it('profiles PP-OCRv4 recognition on a 48×320 text line: the convolutions carry the time on the graph', async () => {
      const page = ctx.session.page;
      const webview = await openGraph(page, 'ppocr-rec.onnx');
      await webview.locator('[data-testid="tab-run"]').click();
      await webview.locator('[data-testid="run-button"]').waitFor(LONG);
      assert.ok(await webview.locator('[data-testid="search-input"]').isHidden(), 'the graph search belongs to the Graph tab');
      assert.ok(await webview.locator('[data-testid="overlay-select"]').isHidden(), '"Colour by" belongs to the Graph tab');
      const dims = await webview.locator('[data-testid="run-input-dims"] input').evaluateAll((inputs) => inputs.map((i) => `${i.getAttribute('aria-label')}=${i.value}`));
      assert.deepEqual(dims, ['x: batch=1', 'x: width=320'], 'a text line, not 48 × 1');
      await webview.locator('[data-testid="run-jump-profile"]').click();
      await textField(webview, 'profile-runs').fill('10');
      await webview.locator('[data-testid="profile-start"]').click();
      await webview.locator('[data-testid="profile-table"]').waitFor(LONG);
      const mapping = await webview.locator('[data-testid="profile-mapping"]').innerText();
      assert.match(mapping, /optimised graph/);
      assert.match(mapping, /Every kernel maps to a graph node/);
      // The convolutions (onnxruntime's NCHWc kernels, mapped back to the Conv nodes) take the most time.
      const byOp = await webview.locator('[data-testid="profile-op-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-op')));
      assert.equal(byOp[0], 'Conv', `time by op type: ${byOp.join(', ')}`);
      // The slowest convolution kernel (on a busy machine one run of some other kernel can stall).
      const slowest = await webview.locator('[data-testid="profile-row"]').evaluateAll((rows) => rows.find((r) => r.querySelector('td')?.textContent?.startsWith('Conv'))?.getAttribute('data-node'));
      assert.ok(slowest, 'a Conv kernel maps to a graph node');
      await webview.locator('[data-testid="profile-show-overlay"]').click();
      assert.equal(await valueOf(webview.locator('[data-testid="overlay-select"]'), 'ch:time'), 'ch:time');
      await webview.locator('body').evaluate((_, n) => window.__onnxLens.selectNode(n), slowest);
      await webview.locator('[data-testid="details-op"]', { hasText: 'Conv' }).waitFor({ timeout: 30_000 });
      const value = await webview.locator('[data-testid="details-overlay"]').innerText();
      assert.match(value, /\d+(\.\d+)? (µs|ms)/, `the node's time in readable units: ${value}`);
      assert.match(await webview.locator('[data-testid="overlay-legend"]').innerText(), /ms/, 'the legend reads in ms, not "k µs"');
      await webview.locator('body').evaluate((_, n) => window.__onnxLens.hoverNode(n), slowest);
      await screenshot(page, `first-ppocr-time-${short}`);
    });

    it('proposes the labelled dataset beside the model in the Quantize wizard, with a step counter and Back', async () => {
      const page = ctx.session.page;
      const webview = await openGraph(page, 'digits-mlp.onnx');
      await runCommand(page, 'ONNX Lens: Quantize Model…');
      await waitForQuickTitle(page, 'mode');
      assert.match(await quickTitle(page), /1\/\d+/, 'a step counter');
      await pickQuickItem(page, 'Dynamic int8');
      await pickQuickItem(page, 'Per channel');
      await waitForQuickTitle(page, 'weight range');
      await pickQuickItem(page, 'Symmetric');
      await waitForQuickTitle(page, 'evaluation data');
      const proposed = page.locator('.quick-input-list .monaco-list-row', { hasText: 'proposed' }).first();
      await proposed.waitFor({ timeout: 60_000 });
      assert.match(await proposed.innerText(), /digits-test\.csv[\s\S]*beside the model[\s\S]*label/);
      assert.match(await quickTitle(page), /4\/7/);
      await screenshot(page, `first-quantize-wizard-${short}`);
      // Back goes to the previous page with its answer, and forward again.
      await page.locator('.quick-input-widget .quick-input-titlebar .codicon-quick-input-back').click();
      await waitForQuickTitle(page, 'weight range');
      await page.keyboard.press('Enter');
      await waitForQuickTitle(page, 'evaluation data');
      await page.keyboard.press('Enter'); // the proposed dataset is the active item
      for (const step of ['op types to quantize', 'nodes to leave in float32', 'output file']) {
        await waitForQuickTitle(page, step);
        await page.locator('.quick-input-widget input').first().press('Enter');
      }
      await webview.locator('[data-testid="quant-accuracy-card"]').waitFor(LONG);
      assert.match(await webview.locator('[data-testid="quant-accuracy-card"]').innerText(), /\d+(\.\d+)?% → \d+(\.\d+)?%[\s\S]*digits-test\.csv/, 'accuracy measured on the proposed dataset');
      const reports = path.join(e2e.workspace, '.onnx-lens', 'reports');
      assert.ok(fs.readdirSync(reports).some((f) => /^digits-mlp\.int8(-\d+)?\.onnx$/.test(f)), 'the quantized model is in the reports folder');
      await screenshot(page, `first-quantize-report-${short}`);
    });

    it('asks for the label column in place when the dataset has no "label" column', async () => {
      const page = ctx.session.page;
      // The editor may reopen on another tab (its state is kept): only the model needs to be open.
      const webview = await openInCustomEditor(page, 'digits-mlp.onnx', { timeout: 90_000 });
      await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
      await runCommand(page, 'ONNX Lens: Evaluate Model…');
      await pickQuickItem(page, 'digits-renamed.csv');
      await waitForQuickTitle(page, 'which column holds the true labels');
      await screenshot(page, `first-evaluate-label-${short}`);
      await page.locator('.quick-input-widget input').first().fill('digit');
      await pickQuickItem(page, 'digit');
      await pickQuickItem(page, 'Evaluate');
      await webview.locator('[data-testid="tab-evaluate"][aria-selected="true"]').waitFor(LONG);
      await webview.locator('text=digits-renamed.csv').first().waitFor(LONG);
      // The tab's label column is a list of the file's columns, the one chosen selected.
      await webview.locator('[data-testid="eval-label-column"] vscode-option', { hasText: 'digit' }).first().waitFor({ state: 'attached', timeout: 60_000 });
      assert.equal(await valueOf(webview.locator('[data-testid="eval-label-column"]'), 'digit'), 'digit');
      await screenshot(page, `first-evaluate-report-${short}`);
    });
  });
}

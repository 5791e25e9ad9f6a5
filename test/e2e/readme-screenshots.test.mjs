// Retakes the README's screenshots (media/readme/*.png): today's UI, dark theme, the extension
// installed from the .vsix in code-server, driven like the other e2e tests.
//   npm run screenshots      (ONNX_LENS_README_SHOTS=1 node scripts/vscode/run-e2e.mjs --grep "README screenshots")
// Registered only with ONNX_LENS_README_SHOTS=1, so a test run never writes into the repository.
import fs from 'node:fs';
import path from 'node:path';
import { closeAllEditors, webviewFrame } from '../../scripts/vscode/browser.mjs';
import { REPO_ROOT } from '../../scripts/vscode/config.mjs';
import { clickNode, e2e, hoverModelPath, openGraph, showModelTab, textField, useSession } from './support.mjs';

const OUT = path.join(REPO_ROOT, 'media', 'readme');
const LONG = { timeout: 120_000 };

async function shoot(page, name) {
  fs.mkdirSync(OUT, { recursive: true });
  await page.mouse.move(0, 0);
  await new Promise((resolve) => setTimeout(resolve, 600)); // let hovers and transitions settle
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
}

if (process.env.ONNX_LENS_README_SHOTS === '1') {
  describe('README screenshots', function () {
    this.timeout(600_000);
    const ctx = useSession('Default Dark Modern');
    afterEach(async () => { await closeAllEditors(ctx.session.page); });

    it('graph: the sample with a Gemm node and its weights in the details panel', async () => {
      const webview = await openGraph(ctx.session.page, 'digits-mlp.onnx');
      await clickNode(webview, '/fc1/Gemm');
      await webview.locator('[data-testid="details-io"]', { hasText: 'fc1.weight' }).waitFor(LONG);
      await webview.locator('[data-testid="tensor-values"] span').nth(100).waitFor(LONG);
      await shoot(ctx.session.page, 'graph');
    });

    it('model: the Model tab of DenseNet-121', async () => {
      const webview = await openGraph(ctx.session.page, 'light_densenet121.onnx');
      await showModelTab(webview);
      await shoot(ctx.session.page, 'model');
    });

    it('run: outputs of one run with top-5 class names', async () => {
      const webview = await openGraph(ctx.session.page, 'digits-mlp.onnx');
      await webview.locator('[data-testid="tab-run"]').click();
      await webview.locator('[data-testid="run-button"]').click();
      await webview.locator('[data-testid="run-output"][data-output="probabilities"] [data-testid="topk-row"]').first().waitFor(LONG);
      await shoot(ctx.session.page, 'run');
    });

    it('evaluate: the sample on its test split', async () => {
      const webview = await openGraph(ctx.session.page, 'digits-mlp.onnx');
      await webview.locator('[data-testid="tab-evaluate"]').click();
      await textField(webview, 'eval-data').fill(path.join(e2e.workspace, 'digits-test.csv'));
      await webview.locator('[data-testid="eval-run"]').click();
      await webview.locator('[data-testid="confusion-matrix"]').waitFor(LONG);
      await shoot(ctx.session.page, 'evaluate');
      await webview.locator('[data-testid="eval-saved"] a.eval-saved-html').click();
      await webviewFrame(ctx.session.page).locator('[data-testid="eval-report-page"] [data-testid="confusion-matrix"]').waitFor(LONG);
      await shoot(ctx.session.page, 'report');
    });

    it('quantize: dynamic int8 with its report', async () => {
      const webview = await openGraph(ctx.session.page, 'digits-mlp.onnx');
      await webview.locator('[data-testid="tab-quantize"]').click();
      await webview.locator('[data-testid="quant-run"]').click();
      await webview.locator('[data-testid="quant-results"]').waitFor(LONG);
      await shoot(ctx.session.page, 'quantize');
    });

    it('hover: a model path in Python code', async () => {
      const page = ctx.session.page;
      await hoverModelPath(page);
      fs.mkdirSync(OUT, { recursive: true });
      await page.screenshot({ path: path.join(OUT, 'hover.png'), clip: { x: 350, y: 60, width: 930, height: 300 } });
    });
  });
}

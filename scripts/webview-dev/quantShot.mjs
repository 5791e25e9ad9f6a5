#!/usr/bin/env node
/**
 * Screenshots of the Quantize tab and of the graph coloured by the per-node quantization error,
 * in the dark and light themes. The reports are real and made as the Quantize tab makes them
 * (src/host/quantization.ts through devHost.ts): the sample digits MLP quantized by the runtime
 * process, latency and accuracy measured, the report saved; then a second run with the worst nodes
 * excluded. They reach the page as the host pushes them after the wizard: `quantization` (twice,
 * so the second shows beside the first) and the 'quant-error' overlay (src/host/overlays.ts).
 *
 *   npm run build && npx tsx scripts/webview-dev/quantShot.mjs [out-dir]      (default .screenshots/)
 *   SCENES=report,graph THEMES=dark,light to choose.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readModelFile } from '../../src/core/onnx/reader.ts';
import { quantErrorOverlay } from '../../src/host/overlays.ts';
import { makeTempDir } from '../../test/fixtures/onnxBuilder.ts';
import { root, runScenes, scrollHeight, startHarness, themeWithControls } from './harness.mjs';

const outDir = resolve(process.argv[2] ?? join(root, '.screenshots'));
mkdirSync(outDir, { recursive: true });
const temp = makeTempDir('onnx-lens-quantshot-');
const MODEL = join(temp.dir, 'digits-mlp.onnx');
copyFileSync(join(root, 'media/sample/digits-mlp.onnx'), MODEL);
const TEST = join(root, 'media/sample/digits-test.csv');

const expect = (ok, what) => {
  if (!ok) throw new Error(`expected: ${what}`);
};

const harness = await startHarness();

// --- real reports ------------------------------------------------------------------------------

const quantize = (settings) => harness.host.quantize(MODEL, { settings, evalData: TEST, labelColumn: 'label' });
const first = await quantize({ mode: 'dynamic', perChannel: true, symmetric: true });
// The panel's button: the worst 3, but at least one node stays quantized (the sample has 3 Gemms).
const worst = first.report.comparison.nodes.slice(0, Math.min(3, first.report.comparison.nodes.length - 1)).map((n) => n.node);
const second = await quantize({ ...first.report.settings, excludeNodes: worst });

// --- driving the page --------------------------------------------------------------------------

const shots = [];

async function open(t, viewport = { width: 1280, height: 800 }) {
  const model = readModelFile(MODEL);
  const prepared = { model, ...harness.prepare(model, 'quant') };
  const opened = await harness.openGraph(prepared, themeWithControls(t), viewport, { noSavedReports: true });
  const push = (m) => opened.push(m);
  // What the wizard's host pushes: the report, then the per-node error on the original graph.
  await push({ type: 'quantization', result: first });
  await push(quantErrorOverlay(first.report, prepared.payload));
  await opened.page.waitForSelector('[data-testid="quant-results"]');
  return { ...opened, push, payload: prepared.payload };
}

async function shot(page, file) {
  const path = join(outDir, file);
  const viewport = page.viewportSize();
  const height = await scrollHeight(page);
  await page.setViewportSize({ width: viewport.width, height: Math.min(8000, height) });
  await page.waitForTimeout(300);
  await page.screenshot({ path, fullPage: true });
  await page.setViewportSize(viewport);
  shots.push(path);
}

const scenes = {
  async report(t) {
    const { page, errors, push, payload } = await open(t);
    expect(/^0\.\d\d×$/.test((await page.textContent('[data-testid="quant-size-ratio"]')).trim()), 'the size ratio is shown');
    expect(await page.locator('[data-testid="quant-node-row"]').count() === first.report.comparison.nodes.length, 'one row per compared node');
    await shot(page, `quant-report-${t}.png`);
    // The re-quantization beside the first run.
    await push({ type: 'quantization', result: second });
    await push(quantErrorOverlay(second.report, payload));
    await page.waitForSelector('[data-testid="quant-compare"]');
    await shot(page, `quant-report-requantized-${t}.png`);
    await page.close();
    return errors;
  },
  async graph(t) {
    const { page, errors } = await open(t);
    await page.click('[data-testid="quant-show-graph"]');
    await page.waitForTimeout(600);
    expect(await page.evaluate(() => document.querySelector('[data-testid="overlay-select"]').value) === 'ch:quant-error', 'the graph is coloured by the quantization error');
    await page.screenshot({ path: join(outDir, `quant-overlay-${t}.png`) });
    shots.push(join(outDir, `quant-overlay-${t}.png`));
    await page.close();
    return errors;
  },
};

await runScenes(scenes, { shots, outDir, harness, temp });

#!/usr/bin/env node
/**
 * Screenshots of the Quantize tab and of the graph coloured by the per-node quantization error,
 * in the dark and light themes. The reports are real: the sample digits MLP quantized by the
 * runtime process (its `quantize` request) into a temp folder, latency and accuracy measured as
 * the editor measures them (runtime/quantMeasure.ts), then a second run with the worst nodes
 * excluded. They reach the page as the host pushes them after the wizard: `quantization` (twice,
 * so the second shows beside the first) and the 'quant-error' overlay.
 *
 *   npm run build && npx tsx webview/dev/quantShot.mjs [out-dir]      (default .screenshots/)
 *   SCENES=report,graph THEMES=dark,light to choose.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readModelFile } from '../../src/core/onnx/reader.ts';
import { saveQuantization } from '../../src/core/report/quantHtml.ts';
import { readReportScript } from '../../src/core/report/saveEval.ts';
import { makeTempDir } from '../../test/fixtures/onnxBuilder.ts';
import { createRuntimeClient } from '../../src/runtime/client/runtimeClient.ts';
import { measureAccuracy, measureLatency } from '../../src/runtime/client/quantMeasure.ts';
import { DEFAULT_SESSION_OPTIONS } from '../../src/shared/runtimeTypes.ts';
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

// --- real reports ------------------------------------------------------------------------------

const rpc = createRuntimeClient(join(root, 'src/runtime/child/ortChild.ts'), ['--import', 'tsx']);
async function quantize(settings, output) {
  const report = await rpc.request('quantize', { input: MODEL, output, settings, compareData: TEST });
  report.latency = await measureLatency(rpc, MODEL, output, 50, DEFAULT_SESSION_OPTIONS);
  report.accuracy = await measureAccuracy(rpc, MODEL, output, TEST, 'label', DEFAULT_SESSION_OPTIONS, { bootstrap: 300 });
  // Saved as the extension saves it: JSON and the standalone HTML page side by side.
  return { report, savedTo: saveQuantization(join(temp.dir, '.onnx-lens/reports'), report, readReportScript(join(root, 'dist'))) };
}
const first = await quantize({ mode: 'dynamic', perChannel: true, symmetric: true }, join(temp.dir, 'digits-mlp.int8.onnx'));
// The panel's button: the worst 3, but at least one node stays quantized (the sample has 3 Gemms).
const worst = first.report.comparison.nodes.slice(0, Math.min(3, first.report.comparison.nodes.length - 1)).map((n) => n.node);
const second = await quantize({ ...first.report.settings, excludeNodes: worst }, join(temp.dir, 'digits-mlp.int8-2.onnx'));

/** As src/extension/quantize/quantization.ts quantErrorOverlay: relative RMS error in percent per node. */
function overlay(report, payload) {
  const byName = new Map(report.comparison.nodes.map((n) => [n.node, n.sqnrDb]));
  const values = payload.nodeNames.map((name) => {
    const db = byName.get(name);
    return typeof db === 'number' && Number.isFinite(db) ? 100 * 10 ** (-db / 20) : null;
  });
  return { type: 'overlay', channel: 'quant-error', label: 'Quantization error (relative RMS)', unit: '%', values };
}

// --- driving the page --------------------------------------------------------------------------

const harness = await startHarness();
const shots = [];

async function open(t, viewport = { width: 1280, height: 800 }) {
  const model = readModelFile(MODEL);
  const prepared = { model, ...harness.prepare(model, 'quant') };
  const opened = await harness.openGraph(prepared, themeWithControls(t), viewport);
  const push = (m) => opened.page.evaluate((msg) => window.postMessage(msg.type === 'overlay' ? { ...msg, values: Float64Array.from(msg.values, (v) => (v === null ? NaN : v)) } : msg, '*'), m);
  // What the wizard's host pushes: the report, then the per-node error on the original graph.
  await push({ type: 'quantization', result: first });
  await push(overlay(first.report, prepared.payload));
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
    await push(overlay(second.report, payload));
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

await runScenes(scenes, {
  shots, outDir,
  after: async () => {
    rpc.dispose();
    await harness.close();
    rmSync(temp.dir, { recursive: true, force: true });
  },
});

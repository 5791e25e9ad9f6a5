#!/usr/bin/env node
/**
 * Screenshots of the Run tab, driven like a user would (clicks, typing) against the dev harness,
 * whose fake host answers with the real runtime process (onnxruntime-node): after Run, after
 * Capture all, a channel grid, an attention map, benchmark done, profile done, an inline error,
 * and a narrow editor, in the dark and light themes.
 *
 *   npm run build && npx tsx scripts/webview-dev/runShot.mjs [out-dir]      (default .screenshots/)
 *   SCENES=mlp,cnn,attention,densenet THEMES=dark,light to choose.
 *
 * Models: the sample digits MLP; a small CNN and a 2-layer BERT-like encoder built here with the
 * test fixture builder (written to a temp dir); DenseNet-121 ("light": real graph, generated weights).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { readModelFile } from '../../src/core/onnx/reader.ts';
import { mulberry32, transformerLike } from '../../test/fixtures/bigModels.ts';
import { graph, makeTempDir, node, tensor, tensorValue, writeModel } from '../../test/fixtures/onnxBuilder.ts';
import { choose, fill, root, runScenes, startHarness, themeWithControls } from './harness.mjs';
import { lightModel } from '../../test/fixtures/prerequisites.ts';

const outDir = resolve(process.argv[2] ?? join(root, '.screenshots'));
mkdirSync(outDir, { recursive: true });

const theme = themeWithControls;

const temp = makeTempDir('onnx-lens-runshot-');

/** A small CNN: image [1,3,64,64] → conv/relu/pool ×2 → scores [1,10]; plus a 1×1-conv "reconstruction" image. */
function smallCnn() {
  const rand = mulberry32(3);
  const weights = (dims, scale) => Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (rand() - 0.5) * 2 * scale);
  // Edge and blob detectors for the first layer, so its feature maps show the picture's structure.
  const sobelX = [-1, 0, 1, -2, 0, 2, -1, 0, 1], sobelY = [-1, -2, -1, 0, 0, 0, 1, 2, 1], lap = [0, 1, 0, 1, -4, 1, 0, 1, 0], blur = Array(9).fill(1 / 9);
  const kernels = [sobelX, sobelY, lap, blur, sobelX.map((v) => -v), sobelY.map((v) => -v), lap.map((v) => -v), [1, 0, -1, 0, 0, 0, -1, 0, 1]];
  const w1 = new Float32Array(8 * 3 * 9);
  kernels.forEach((k, o) => { for (let c = 0; c < 3; c++) for (let i = 0; i < 9; i++) w1[(o * 3 + c) * 9 + i] = k[i] * (c === o % 3 ? 1 : 0.3); });
  const nodes = [
    node('Conv', ['image', 'conv1.weight', 'conv1.bias'], ['c1'], { name: '/features/conv1/Conv', attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } }),
    node('Relu', ['c1'], ['r1'], { name: '/features/relu1/Relu' }),
    node('MaxPool', ['r1'], ['p1'], { name: '/features/pool1/MaxPool', attrs: { kernel_shape: [2, 2], strides: [2, 2] } }),
    node('Conv', ['p1', 'conv2.weight', 'conv2.bias'], ['c2'], { name: '/features/conv2/Conv', attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } }),
    node('Relu', ['c2'], ['r2'], { name: '/features/relu2/Relu' }),
    node('GlobalAveragePool', ['r2'], ['gap'], { name: '/head/pool/GlobalAveragePool' }),
    node('Flatten', ['gap'], ['flat'], { name: '/head/Flatten' }),
    node('Gemm', ['flat', 'fc.weight', 'fc.bias'], ['logits'], { name: '/head/fc/Gemm', attrs: { transB: 1 } }),
    node('Softmax', ['logits'], ['scores'], { name: '/head/Softmax', attrs: { axis: -1 } }),
    node('Conv', ['r1', 'decode.weight', 'decode.bias'], ['d1'], { name: '/decoder/conv/Conv', attrs: { kernel_shape: [1, 1] } }),
    node('Sigmoid', ['d1'], ['reconstruction'], { name: '/decoder/Sigmoid' }),
  ];
  const { modelPath } = writeModel({
    opset: 17,
    metadata: { labels: 'circle,square,triangle,ring,cross,star,line,dot,wave,blank' },
    graph: graph({
      name: 'small_cnn',
      inputs: [tensorValue('image', 'float32', [1, 3, 64, 64])],
      outputs: [tensorValue('scores', 'float32', [1, 10]), tensorValue('reconstruction', 'float32', [1, 3, 64, 64])],
      nodes,
      initializers: [
        tensor('conv1.weight', 'float32', [8, 3, 3, 3], w1), tensor('conv1.bias', 'float32', [8], new Float32Array(8)),
        tensor('conv2.weight', 'float32', [16, 8, 3, 3], weights([16, 8, 3, 3], 0.3)), tensor('conv2.bias', 'float32', [16], weights([16], 0.1)),
        tensor('fc.weight', 'float32', [10, 16], weights([10, 16], 1)), tensor('fc.bias', 'float32', [10], weights([10], 0.2)),
        tensor('decode.weight', 'float32', [3, 8, 1, 1], weights([3, 8, 1, 1], 0.8)), tensor('decode.bias', 'float32', [3], new Float32Array(3)),
      ],
    }),
  }, { dir: temp.dir, fileName: 'small-cnn.onnx' });
  return modelPath;
}

/** A 96×96 test picture: a gradient sky, a disc and a square. */
async function testImage() {
  const w = 96, h = 96, px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 3;
    const disc = (x - 34) ** 2 + (y - 40) ** 2 < 18 ** 2;
    const square = x > 56 && x < 86 && y > 52 && y < 82;
    px[i] = disc ? 230 : square ? 40 : 60 + y;
    px[i + 1] = disc ? 180 : square ? 160 : 90 + y;
    px[i + 2] = disc ? 40 : square ? 220 : 200 - y;
  }
  const file = join(temp.dir, 'shapes.png');
  await sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toFile(file);
  return file;
}

function attentionModel() {
  return writeModel(transformerLike({ layers: 2, hidden: 32, heads: 4, maxPositions: 32, seed: 11 }), { dir: temp.dir, fileName: 'tiny-bert.onnx' }).modelPath;
}

const harness = await startHarness();
const shots = [];

async function open(modelPath, name, themeName, viewport, host) {
  const model = readModelFile(modelPath);
  const prepared = { model, ...harness.prepare(model, name) };
  const opened = await harness.openGraph(prepared, theme(themeName), viewport, host);
  await opened.page.click('[data-testid="tab-run"]');
  await opened.page.waitForSelector('[data-testid="run-panel"][data-state="ready"]', { timeout: 60_000 });
  return opened;
}

async function act(page, selector, { state = 'done', timeout = 120_000 } = {}) {
  await page.click(selector);
  await page.waitForFunction((s) => document.body.dataset.runState === s, state, { timeout });
  await page.waitForTimeout(400); // charts and slabs settle
}

async function shot(page, file, locator) {
  const path = join(outDir, file);
  if (locator) await page.locator(locator).screenshot({ path });
  else await page.screenshot({ path });
  shots.push(path);
}

const scenes = {
  async mlp(t) {
    const { page, errors } = await open(join(root, 'media/sample/digits-mlp.onnx'), 'mlp', t, { width: 1100, height: 1500 }, {});
    await act(page, '[data-testid="run-button"]');
    await shot(page, `run-mlp-${t}.png`);
    await act(page, '[data-testid="activations-all-button"]');
    await page.click('[data-testid="activation-row"][data-value="/fc1/Relu_output_0"]');
    await page.waitForTimeout(300);
    await shot(page, `run-mlp-activations-${t}.png`, '#run-activations');
    await fill(page, '[data-testid="bench-threads"]', '1, 2');
    await fill(page, '[data-testid="bench-batches"]', '1, 32');
    await fill(page, '[data-testid="bench-budget"]', '1.5');
    await fill(page, '[data-testid="bench-runs"]', '100000');
    await page.click('[data-testid="bench-start"]');
    await page.waitForSelector('[data-testid="bench-progress"]:not([hidden])');
    await page.waitForTimeout(2500);
    await shot(page, `run-mlp-bench-progress-${t}.png`, '#run-benchmark');
    await page.waitForFunction(() => document.body.dataset.runState === 'done', null, { timeout: 120_000 });
    await page.waitForTimeout(300);
    await shot(page, `run-mlp-bench-${t}.png`, '#run-benchmark');
    await act(page, '[data-testid="profile-start"]');
    await shot(page, `run-mlp-profile-${t}.png`, '#run-profile');
    await page.click('[data-testid="profile-show-overlay"]');
    await page.waitForTimeout(600);
    await shot(page, `run-mlp-profile-graph-${t}.png`);
    // An inline error: a .npy source without a file, then a host error naming the input.
    await page.click('[data-testid="tab-run"]');
    await choose(page, '[data-testid="run-input-source"]', 'npy');
    await act(page, '[data-testid="run-button"]', { state: 'error' });
    await shot(page, `run-mlp-error-${t}.png`, '#run-run');
    await choose(page, '[data-testid="run-input-source"]', 'normal');
    await fill(page, '[data-symbol="batch"]', '0');
    await act(page, '[data-testid="run-button"]', { state: 'error' });
    await fill(page, '[data-symbol="batch"]', '1');
    await page.close();
    return errors;
  },

  /** The ways in and out of the tab: capture the graph's selection, Show in graph, showTab pushes, Cancel. */
  async interactions(t) {
    const { page, errors } = await open(join(root, 'media/sample/digits-mlp.onnx'), 'mlp', t, { width: 1100, height: 1200 }, {});
    const expect = (ok, what) => { if (!ok) throw new Error(`interactions: ${what}`); };
    await page.click('[data-testid="tab-graph"]');
    await page.evaluate(() => window.__onnxLens.selectNode('/fc2/Relu'));
    await page.click('[data-testid="tab-run"]');
    expect(await page.locator('[data-testid="activations-selection-button"]:not([disabled])').count() === 1, 'the selection button is enabled after a node is selected');
    await act(page, '[data-testid="activations-selection-button"]');
    const rows = await page.locator('[data-testid="activation-row"]').evaluateAll((els) => els.map((e) => e.dataset.value));
    expect(JSON.stringify(rows) === '["/fc2/Relu_output_0"]', `capturing the selection captures its output, got ${rows}`);
    await shot(page, `run-mlp-selection-${t}.png`, '#run-activations');
    await page.click('[data-testid="activation-show-in-graph"]');
    expect(await page.locator('.app-shell[data-tab="graph"]').count() === 1, 'Show in graph switches to the Graph tab');
    expect((await page.textContent('[data-testid="details-panel"] .details-name'))?.trim() === '/fc2/Relu', 'Show in graph selects the producing node');
    // The host's showTab push: the tab switches and the profile starts.
    await page.evaluate(() => window.postMessage({ type: 'showTab', tab: 'run', section: 'profile' }, '*'));
    await page.waitForSelector('[data-testid="profile-table"]', { timeout: 60_000 });
    expect(await page.locator('.app-shell[data-tab="run"]').count() === 1, 'showTab switches to the Run tab');
    // Cancel a benchmark: it ends idle, not as an error.
    await fill(page, '[data-testid="bench-budget"]', '20');
    await fill(page, '[data-testid="bench-runs"]', '10000000');
    await page.click('[data-testid="bench-start"]');
    await page.waitForFunction(() => document.body.dataset.runState === 'running');
    await page.waitForTimeout(800);
    await page.click('[data-testid="bench-cancel"]');
    await page.waitForFunction(() => document.body.dataset.runState === 'idle', null, { timeout: 30_000 });
    expect(await page.locator('[data-testid="run-error"]').count() === 0, 'a cancelled benchmark shows no error');
    await page.close();
    return errors;
  },

  async narrow(t) {
    const { page, errors } = await open(join(root, 'media/sample/digits-mlp.onnx'), 'mlp', t, { width: 460, height: 1500 }, {});
    await act(page, '[data-testid="run-button"]');
    await shot(page, `run-mlp-narrow-${t}.png`);
    await act(page, '[data-testid="activations-all-button"]');
    await page.locator('#run-activations').scrollIntoViewIfNeeded();
    await shot(page, `run-mlp-narrow-activations-${t}.png`, '#run-activations');
    await page.close();
    return errors;
  },

  async cnn(t) {
    const image = await testImage();
    const { page, errors } = await open(smallCnn(), 'cnn', t, { width: 1200, height: 1700 }, { picks: { image } });
    await choose(page, '[data-testid="run-input-source"]', 'image');
    await page.click('[data-testid="run-input-choose"]');
    await page.waitForSelector('.run-path[title]');
    await act(page, '[data-testid="run-button"]');
    await page.waitForSelector('[data-testid="output-image"]');
    await shot(page, `run-cnn-${t}.png`);
    await act(page, '[data-testid="activations-all-button"]');
    await page.click('[data-testid="activation-row"][data-value="r1"]');
    await page.waitForSelector('[data-testid="channel-grid"]');
    await page.waitForTimeout(300);
    await shot(page, `run-cnn-channels-${t}.png`, '#run-activations');
    await page.close();
    return errors;
  },

  async attention(t) {
    const { page, errors } = await open(attentionModel(), 'attention', t, { width: 1200, height: 1500 }, {});
    await fill(page, '[data-symbol="sequence"]', '12');
    // A random 0/1 mask, so masked keys show as dark columns.
    const mask = '[data-testid="run-input-row"][data-input="attention_mask"]';
    await choose(page, `${mask} [data-testid="run-input-source"]`, 'uniform');
    await page.locator(mask).locator('.run-field', { hasText: 'high' }).locator('input').fill('2');
    await page.locator(mask).locator('.run-field', { hasText: 'seed' }).locator('input').fill('5');
    await act(page, '[data-testid="activations-all-button"]');
    await page.click('[data-testid="activation-row"][data-op="Softmax"]');
    await page.waitForSelector('[data-testid="attention-heatmap"]');
    await choose(page, '[data-testid="attention-heatmap"] vscode-single-select', '1');
    await page.waitForTimeout(300);
    await shot(page, `run-attention-${t}.png`, '#run-activations');
    await page.close();
    return errors;
  },

  async densenet(t) {
    const { page, errors } = await open(lightModel('light_densenet121.onnx'), 'densenet', t, { width: 1280, height: 1600 }, {});
    await act(page, '[data-testid="run-button"]');
    await act(page, '[data-testid="activations-all-button"]', { timeout: 300_000 });
    await page.click('[data-testid="activations-log"]');
    await page.click('[data-testid="activation-row"][data-value="r1"]');
    await page.waitForSelector('[data-testid="channel-grid"]');
    await page.waitForTimeout(400);
    await shot(page, `run-densenet-activations-${t}.png`, '#run-activations');
    await page.close();
    return errors;
  },
};

await runScenes(scenes, { shots, outDir, harness, temp });

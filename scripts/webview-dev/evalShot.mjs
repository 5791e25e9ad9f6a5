#!/usr/bin/env node
/**
 * Screenshots of the Evaluate tab and of the standalone HTML report, driven like a user would
 * (Choose…, typing, Evaluate, clicks, the threshold slider dragged) against the dev harness, whose
 * fake host answers with the real runtime process (its `evaluate` and `datasetSamples`), in the
 * dark and light themes. Checks the test hooks on the way (data-eval-state, eval-metric, cells,
 * samples, threshold metrics, split gaps, saved paths) and fails when one is missing.
 *
 *   npm run build && npx tsx scripts/webview-dev/evalShot.mjs [out-dir]      (default .screenshots/)
 *   SCENES=digits,binary,regression,splits,comparison,many,retheme,narrow,error,report THEMES=dark,light to choose.
 *
 * Models: the sample digits MLP on its test split (and its training split for the gap); a
 * logistic regression "digit ≥ 5" (binary) and a softmax regression (a second digits model to
 * compare with), both fitted here on the training split; a linear regression of a synthetic price.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readModelFile } from '../../src/core/onnx/reader.ts';
import { mulberry32 } from '../../test/fixtures/bigModels.ts';
import { Gen, labels, logits } from '../../test/unit/metrics/cases.ts';
import { classificationReport } from '../../test/unit/eval-view/reportFixture.ts';
import { graph, makeTempDir, node, tensor, tensorValue, writeModel } from '../../test/fixtures/onnxBuilder.ts';
import { choose, fill, root, runScenes, scrollHeight, startHarness, themeWithControls } from './harness.mjs';

const outDir = resolve(process.argv[2] ?? join(root, '.screenshots'));
mkdirSync(outDir, { recursive: true });

const theme = themeWithControls;

const temp = makeTempDir('onnx-lens-evalshot-');
const DIGITS = join(root, 'media/sample/digits-mlp.onnx');
const DIGITS_TEST = join(root, 'media/sample/digits-test.csv');
const DIGITS_TRAIN = join(root, 'media/sample/digits-train.csv');

// --- data and models fitted here ---------------------------------------------------------------

function readCsv(file) {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  return { columns: head.split(','), rows: lines.map((l) => l.split(',').map(Number)) };
}

/** Digits as x / 16 (the fitted models fold the scale into their weights) and labels. */
function digits(file) {
  const { rows } = readCsv(file);
  return { x: rows.map((r) => r.slice(0, 64).map((v) => v / 16)), y: rows.map((r) => r[64]) };
}

/** Softmax regression by full-batch gradient descent: k = 1 is a logistic regression (sigmoid). */
function fitLinear(x, y, k, epochs, lr, l2 = 1e-3) {
  const d = x[0].length;
  const w = Array.from({ length: k }, () => new Float64Array(d));
  const b = new Float64Array(k);
  for (let e = 0; e < epochs; e++) {
    const gw = Array.from({ length: k }, () => new Float64Array(d));
    const gb = new Float64Array(k);
    for (let i = 0; i < x.length; i++) {
      const z = w.map((wc, c) => wc.reduce((s, v, j) => s + v * x[i][j], b[c]));
      let p;
      if (k === 1) p = [1 / (1 + Math.exp(-z[0]))];
      else {
        const m = Math.max(...z);
        const ez = z.map((v) => Math.exp(v - m));
        const s = ez.reduce((a, v) => a + v, 0);
        p = ez.map((v) => v / s);
      }
      for (let c = 0; c < k; c++) {
        const g = p[c] - (k === 1 ? y[i] : y[i] === c ? 1 : 0);
        gb[c] += g;
        for (let j = 0; j < d; j++) gw[c][j] += g * x[i][j];
      }
    }
    for (let c = 0; c < k; c++) {
      b[c] -= (lr * gb[c]) / x.length;
      for (let j = 0; j < d; j++) w[c][j] -= lr * (gw[c][j] / x.length + l2 * w[c][j]);
    }
  }
  return { w, b };
}

/** Weights [64, k] for Gemm(input, W) with the /16 scaling folded in. */
const gemmWeights = (w, scale = 1 / 16) => Float32Array.from({ length: w[0].length * w.length }, (_, i) => w[i % w.length][Math.floor(i / w.length)] * scale);

function binaryModel() {
  const train = digits(DIGITS_TRAIN);
  const { w, b } = fitLinear(train.x, train.y.map((v) => (v >= 5 ? 1 : 0)), 1, 150, 0.8);
  const path = writeModel({
    opset: 17,
    metadata: { labels: 'digit 0–4,digit 5–9' },
    docString: 'Logistic regression: is the 8×8 digit 5 or more? (fitted by scripts/webview-dev/evalShot.mjs)',
    graph: graph({
      name: 'digits_high',
      inputs: [tensorValue('input', 'float32', ['batch', 64])],
      outputs: [tensorValue('probability', 'float32', ['batch', 1]), tensorValue('label', 'int64', ['batch'])],
      nodes: [
        node('Gemm', ['input', 'W', 'B'], ['z'], { name: '/linear/Gemm' }),
        node('Sigmoid', ['z'], ['probability'], { name: '/head/Sigmoid' }),
        node('Greater', ['probability', 'half'], ['positive'], { name: '/head/Greater' }),
        node('Cast', ['positive'], ['positive_i64'], { name: '/head/Cast', attrs: { to: 7 } }),
        node('Reshape', ['positive_i64', 'flat'], ['label'], { name: '/head/Reshape' }),
      ],
      initializers: [
        tensor('W', 'float32', [64, 1], gemmWeights(w)), tensor('B', 'float32', [1], Float32Array.from(b)),
        tensor('half', 'float32', [1], [0.5]), tensor('flat', 'int64', [1], [-1n]),
      ],
    }),
  }, { dir: temp.dir, fileName: 'digits-high.onnx' }).modelPath;
  // The test split relabelled: 1 for 5–9.
  const { columns, rows } = readCsv(DIGITS_TEST);
  const data = join(temp.dir, 'digits-high-test.csv');
  writeFileSync(data, `${columns.join(',')}\n${rows.map((r) => [...r.slice(0, 64), r[64] >= 5 ? 1 : 0].join(',')).join('\n')}\n`);
  return { model: path, data };
}

function softmaxModel() {
  const train = digits(DIGITS_TRAIN);
  const { w, b } = fitLinear(train.x, train.y, 10, 60, 1.0);
  return writeModel({
    opset: 17,
    metadata: { labels: JSON.stringify(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) },
    graph: graph({
      name: 'digits_softmax_regression',
      inputs: [tensorValue('input', 'float32', ['batch', 64])],
      outputs: [tensorValue('probabilities', 'float32', ['batch', 10]), tensorValue('label', 'int64', ['batch'])],
      nodes: [
        node('Gemm', ['input', 'W', 'B'], ['logits'], { name: '/linear/Gemm' }),
        node('Softmax', ['logits'], ['probabilities'], { name: '/head/Softmax', attrs: { axis: -1 } }),
        node('ArgMax', ['probabilities'], ['label'], { name: '/head/ArgMax', attrs: { axis: 1, keepdims: 0 } }),
      ],
      initializers: [tensor('W', 'float32', [64, 10], gemmWeights(w)), tensor('B', 'float32', [10], Float32Array.from(b))],
    }),
  }, { dir: temp.dir, fileName: 'digits-softmax.onnx' }).modelPath;
}

/** Solves A x = y (Gaussian elimination with partial pivoting). */
function solve(A, y) {
  const n = y.length;
  const M = A.map((row, i) => [...row, y[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) x[r] = (M[r][n] - M[r].slice(r + 1, n).reduce((s, v, k) => s + v * x[r + 1 + k], 0)) / M[r][r];
  return x;
}

/** Flat prices (k€) from area, rooms, age, distance and floor; a linear least-squares fit of them. */
function regressionModel() {
  const rand = mulberry32(7);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const sample = (n) => Array.from({ length: n }, () => {
    const area = 30 + rand() * 170;
    const rooms = Math.max(1, Math.round(area / 35 + gauss()));
    const age = Math.round(rand() * 90);
    const distance = 0.5 + rand() ** 2 * 30;
    const floor = Math.floor(rand() * 9);
    const price = 40 + 3.1 * area + 9 * rooms - 0.8 * age - 55 * Math.log1p(distance) + 4 * floor + 0.004 * area * area + gauss() * 28 + (rand() < 0.02 ? 250 * rand() : 0);
    return [area, rooms, age, distance, floor, price].map((v, i) => (i === 0 || i === 3 || i === 5 ? Math.round(v * 10) / 10 : v));
  });
  const train = sample(1500);
  const X = train.map((r) => [...r.slice(0, 5), 1]);
  const XtX = X[0].map((_, i) => X[0].map((_, j) => X.reduce((s, r) => s + r[i] * r[j], 0)));
  const Xty = X[0].map((_, i) => X.reduce((s, r, k) => s + r[i] * train[k][5], 0));
  const beta = solve(XtX, Xty);
  const model = writeModel({
    opset: 17,
    docString: 'Linear regression of a flat price (k€) on area, rooms, age, distance and floor (synthetic, scripts/webview-dev/evalShot.mjs).',
    graph: graph({
      name: 'flat_price',
      inputs: [tensorValue('features', 'float32', ['batch', 5])],
      outputs: [tensorValue('price', 'float32', ['batch', 1])],
      nodes: [node('Gemm', ['features', 'W', 'B'], ['price'], { name: '/linear/Gemm' })],
      initializers: [tensor('W', 'float32', [5, 1], Float32Array.from(beta.slice(0, 5))), tensor('B', 'float32', [1], [beta[5]])],
    }),
  }, { dir: temp.dir, fileName: 'flat-price.onnx' }).modelPath;
  const data = join(temp.dir, 'flats-test.csv');
  writeFileSync(data, `area,rooms,age,distance,floor,price\n${sample(500).map((r) => r.join(',')).join('\n')}\n`);
  return { model, data };
}

// --- driving the page --------------------------------------------------------------------------

const harness = await startHarness();
const shots = [];
let binary = null;
let regression = null;
let softmax = null;

async function open(modelPath, name, t, viewport, host = {}) {
  const model = readModelFile(modelPath);
  const prepared = { model, ...harness.prepare(model, name) };
  const opened = await harness.openGraph(prepared, theme(t), viewport, { noSavedReports: true, ...host });
  await opened.page.click('[data-testid="tab-evaluate"]');
  await opened.page.waitForSelector('[data-testid="eval-panel"][data-state="ready"]', { timeout: 30_000 });
  return opened;
}

function expect(ok, what) {
  if (!ok) throw new Error(what);
}

/** Fills the form and presses Evaluate; waits for the state the run should end in. */
async function evaluate(page, { choose = false, data, compare, label, bootstrap, state = 'done' } = {}) {
  if (choose) {
    await page.click('[data-testid="eval-choose-data"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="eval-data"]').value !== '');
  } else if (data !== undefined) await fill(page, '[data-testid="eval-data"]', data);
  if (compare !== undefined) await fill(page, '[data-testid="eval-compare-data"]', compare);
  if (label !== undefined) await choose(page, '[data-testid="eval-label-column"]', label);
  if (bootstrap !== undefined) await fill(page, '[data-testid="eval-bootstrap"]', String(bootstrap));
  await page.click('[data-testid="eval-run"]');
  await page.waitForFunction((s) => document.body.dataset.evalState === s, state, { timeout: 120_000 });
  await page.waitForTimeout(500); // charts laid out
}

/**
 * An element, or the whole tab: the tab scrolls inside its panel (100vh), so for a full shot the
 * viewport grows to the content's height first.
 */
async function shot(page, file, locator) {
  const path = join(outDir, file);
  if (locator) await page.locator(locator).screenshot({ path });
  else {
    const viewport = page.viewportSize();
    const height = await scrollHeight(page);
    await page.setViewportSize({ width: viewport.width, height: Math.min(8000, height) });
    await page.waitForTimeout(400);
    await page.screenshot({ path, fullPage: true });
    await page.setViewportSize(viewport);
    await page.waitForTimeout(200);
  }
  shots.push(path);
}

async function checkCommon(page, { metrics }) {
  const names = await page.locator('[data-testid="eval-metric"]').evaluateAll((els) => els.map((e) => e.dataset.metric));
  for (const m of metrics) expect(names.includes(m), `a headline card for ${m} (got ${names})`);
  const saved = await page.textContent('[data-testid="eval-saved"]');
  expect(/\.html/.test(saved ?? ''), `the saved HTML path is shown (got "${saved}")`);
}

const scenes = {
  async digits(t) {
    const { page, errors } = await open(DIGITS, 'mlp', t, { width: 1200, height: 1000 }, { picks: { 'dataset-or-folder': DIGITS_TEST } });
    expect(await page.locator('[data-testid="eval-empty"]').count() === 1, 'no earlier evaluation: the empty state');
    await evaluate(page, { choose: true, bootstrap: 300 });
    await checkCommon(page, { metrics: ['accuracy', 'f1Macro', 'rocAucMacro', 'ece'] });
    expect(await page.locator('[data-testid="eval-metric-ci"]').count() > 0, 'bootstrap intervals shown');
    for (const id of ['confusion-matrix', 'roc-chart', 'pr-chart', 'reliability-chart', 'per-class-chart', 'per-class-table']) {
      expect(await page.locator(`[data-testid="${id}"]`).count() === 1, `${id} is shown`);
    }
    await shot(page, `eval-digits-${t}.png`);
    // The most confused pair's cell → its samples (fetched with evalSamples).
    const top = page.locator('[data-testid="eval-top-confusions"] button').first();
    const [tr, pr] = [await top.getAttribute('data-true'), await top.getAttribute('data-pred')];
    await page.click(`.eval-cm-cell[data-true="${tr}"][data-pred="${pr}"]`);
    await page.waitForSelector('[data-testid="eval-sample"] .eval-thumb');
    const count = Number(await page.getAttribute(`.eval-cm-cell[data-true="${tr}"][data-pred="${pr}"]`, 'data-count'));
    expect(await page.locator('[data-testid="eval-sample"]').count() === count, `the cell's ${count} samples are listed`);
    await shot(page, `eval-digits-confusion-${t}.png`, '#eval-confusion');
    // Keyboard: arrows move between cells, Enter opens one.
    await page.focus(`.eval-cm-cell[data-true="${tr}"][data-pred="${pr}"]`);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(200);
    await page.locator('#eval-curves').scrollIntoViewIfNeeded();
    await page.click('.eval-legend-item[data-class="8"]'); // hide one class
    await shot(page, `eval-digits-curves-${t}.png`, '#eval-curves');
    await shot(page, `eval-digits-calibration-${t}.png`, '#eval-calibration');
    await shot(page, `eval-digits-per-class-${t}.png`, '#eval-per-class');
    await page.close();
    return errors;
  },

  async binary(t) {
    binary ??= binaryModel();
    const { page, errors } = await open(binary.model, 'binary', t, { width: 1200, height: 1000 }, { picks: { 'dataset-or-folder': binary.data } });
    await evaluate(page, { choose: true, bootstrap: 200 });
    await checkCommon(page, { metrics: ['accuracy', 'f1Binary', 'rocAucBinary'] });
    const at = async () => page.locator('[data-testid="threshold-metrics"]').evaluate((e) => ({
      threshold: Number(e.dataset.threshold), f1: e.querySelector('[data-metric="f1"] .eval-tm-value').textContent,
    }));
    const before = await at();
    const f1Card = await page.textContent('[data-testid="eval-metric"][data-metric="f1Binary"] .eval-metric-value');
    expect(before.threshold === 0.5 && before.f1 === f1Card, `at 0.5 the slider's F1 (${before.f1}) is the report's (${f1Card})`);
    // Drag the slider to about 0.3.
    const box = await page.locator('[data-testid="threshold-slider"]').boundingBox();
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.waitForTimeout(300);
    const after = await at();
    expect(Math.abs(after.threshold - 0.3) < 0.05, `the slider moved to ~0.3 (got ${after.threshold})`);
    await shot(page, `eval-binary-${t}.png`);
    await shot(page, `eval-binary-threshold-${t}.png`, '#eval-threshold');
    await shot(page, `eval-binary-curves-${t}.png`, '#eval-curves');
    await page.close();
    return errors;
  },

  async regression(t) {
    regression ??= regressionModel();
    const { page, errors } = await open(regression.model, 'regression', t, { width: 1200, height: 1000 }, { picks: { 'dataset-or-folder': regression.data } });
    await evaluate(page, { choose: true, label: 'price', bootstrap: 200 });
    await checkCommon(page, { metrics: ['mae', 'mse', 'rmse', 'r2', 'mape', 'maxError'] });
    await page.waitForSelector('[data-testid="eval-sample"]');
    expect(await page.locator('[data-testid="confusion-matrix"]').count() === 0, 'no confusion matrix for regression');
    await shot(page, `eval-regression-${t}.png`);
    await page.close();
    return errors;
  },

  async splits(t) {
    const { page, errors } = await open(DIGITS, 'mlp', t, { width: 1200, height: 1000 }, {});
    await evaluate(page, { data: DIGITS_TEST, compare: DIGITS_TRAIN });
    const gaps = await page.locator('[data-testid="split-gap"]').evaluateAll((els) => els.map((e) => [e.dataset.metric, e.dataset.large]));
    expect(gaps.length > 5, `one gap per headline metric (got ${gaps.length})`);
    expect(gaps.some(([, large]) => large === 'true'), `a large gap is highlighted (log loss: train ≈ 0) in ${JSON.stringify(gaps)}`);
    await shot(page, `eval-splits-${t}.png`, '#eval-splits');
    await page.close();
    return errors;
  },

  /** A report with a second model (as `onnx-lens eval --compare-model` makes), pushed as the command palette does. */
  async comparison(t) {
    softmax ??= softmaxModel();
    const result = await harness.evaluateModel({ model: DIGITS, data: DIGITS_TEST, compareModel: { model: softmax }, bootstrap: { resamples: 300, seed: 0 } });
    const { page, errors } = await open(DIGITS, 'mlp', t, { width: 1200, height: 1000 }, {});
    await page.click('[data-testid="tab-graph"]');
    await page.evaluate((r) => window.postMessage({ type: 'evaluation', result: r }, '*'), result);
    await page.waitForSelector('.app-shell[data-tab="evaluate"] [data-testid="eval-comparison"]');
    expect(await page.evaluate(() => document.body.dataset.evalState) === 'done', 'a pushed evaluation ends "done"');
    await page.waitForTimeout(400);
    await shot(page, `eval-comparison-${t}.png`, '#eval-comparison');
    await page.click('[data-testid="comparison-disagreeing"]');
    await page.waitForSelector('[data-testid="eval-sample"]');
    await page.waitForTimeout(300);
    await shot(page, `eval-comparison-samples-${t}.png`, '#eval-confusion');
    await page.close();
    return errors;
  },

  /** 100 classes (a synthetic report pushed as from the command palette): pairs instead of a grid, the hardest curves, the table alone. */
  async many(t) {
    const g = new Gen(5);
    const classes = Array.from({ length: 100 }, (_, i) => i);
    const y = labels(g, 3000, classes);
    const report = classificationReport(y, logits(g, y, 100, 3.5), 100, classes.map((c) => `class-${String(c).padStart(3, '0')}`));
    const { page, errors } = await open(DIGITS, 'mlp', t, { width: 1200, height: 1000 }, {});
    await page.evaluate((r) => window.postMessage({ type: 'evaluation', result: { report: r, savedTo: null } }, '*'), report);
    await page.waitForSelector('[data-testid="confusion-matrix"][data-classes="100"]');
    expect(await page.locator('.eval-cm-cell').count() === 0, 'no grid of 10,000 buttons');
    expect(await page.locator('[data-testid="roc-chart"] ~ .eval-legend .eval-legend-item').count() === 24, 'the 24 hardest ROC curves');
    expect(await page.locator('[data-testid="per-class-chart"]').count() === 0, 'no bars for 100 classes');
    await page.click('[data-testid="eval-top-confusions"] button');
    await page.waitForSelector('[data-testid="eval-sample"]');
    await page.waitForTimeout(400);
    await shot(page, `eval-many-${t}.png`);
    await page.close();
    return errors;
  },

  /** A live theme switch (VS Code swaps the body class and the variables): charts and the matrix follow. */
  async retheme(t) {
    const other = t === 'dark' ? 'light' : 'dark';
    const { page, errors } = await open(DIGITS, 'mlp', t, { width: 1200, height: 1000 }, {});
    await evaluate(page, { data: DIGITS_TEST });
    const next = theme(other);
    await page.evaluate(({ kind, vars }) => {
      const style = [...document.querySelectorAll('style')].find((s) => s.textContent.includes('--vscode-editor-background'));
      style.textContent = `html { ${Object.entries(vars).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ')} } body { background: var(--vscode-editor-background); }`;
      document.body.className = kind;
    }, { kind: next.kind, vars: next.vars });
    await page.waitForTimeout(400);
    const cell = await page.locator('.eval-cm-cell[data-true="0"][data-pred="1"]').evaluate((e) => getComputedStyle(e).backgroundColor);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(cell === bg, `an empty cell takes the new background (${cell} vs ${bg})`);
    await shot(page, `eval-retheme-${t}-to-${other}.png`, '#eval-calibration');
    await page.close();
    return errors;
  },

  async narrow(t) {
    binary ??= binaryModel();
    const { page, errors } = await open(binary.model, 'binary', t, { width: 460, height: 900 }, { picks: { 'dataset-or-folder': binary.data } });
    await evaluate(page, { choose: true });
    await page.click('.eval-cm-cell[data-true="1"][data-pred="0"]');
    await page.waitForSelector('[data-testid="eval-sample"]');
    const overflow = await page.evaluate(() => {
      const slot = document.querySelector('[data-testid="eval-panel"]');
      return [...slot.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.eval-cm-scroll, .run-table-scroll')).map((e) => e.className).slice(0, 5);
    });
    expect(overflow.length === 0, `nothing wider than a 460 px editor: ${JSON.stringify(overflow)}`);
    await shot(page, `eval-narrow-${t}.png`);
    await page.close();
    return errors;
  },

  async error(t) {
    const { page, errors } = await open(DIGITS, 'mlp', t, { width: 1000, height: 600 }, {});
    await evaluate(page, { state: 'error' }); // no dataset yet
    expect(await page.locator('[data-testid="eval-error"]').count() === 1, 'an empty dataset is an inline error');
    await evaluate(page, { data: join(root, 'media/sample/no-such.csv'), state: 'error' });
    const message = await page.textContent('[data-testid="eval-error"]');
    expect(/no-such\.csv/.test(message ?? ''), `the host's error names the file (got "${message}")`);
    await shot(page, `eval-error-${t}.png`, '.eval-panel');
    // Cancel: a long evaluation (the training split with 2000 resamples) ends idle, without an error.
    await fill(page, '[data-testid="eval-data"]', DIGITS_TRAIN);
    await fill(page, '[data-testid="eval-bootstrap"]', '20000');
    await page.click('[data-testid="eval-run"]');
    await page.waitForFunction(() => document.body.dataset.evalState === 'running');
    await page.waitForTimeout(300);
    await page.click('[data-testid="eval-cancel"]');
    await page.waitForFunction(() => document.body.dataset.evalState === 'idle', null, { timeout: 60_000 });
    expect(await page.locator('[data-testid="eval-error"]').count() === 0, 'a cancelled evaluation shows no error');
    await page.close();
    return errors;
  },

  /** The standalone HTML reports saved by the scenes above (or made here), opened from disk. */
  async report(t) {
    binary ??= binaryModel();
    const reports = [
      ['digits', await harness.evaluateModel({ model: DIGITS, data: DIGITS_TEST, compareData: { data: DIGITS_TRAIN }, bootstrap: { resamples: 300, seed: 0 } })],
      ['binary', await harness.evaluateModel({ model: binary.model, data: binary.data, bootstrap: { resamples: 200, seed: 0 } })],
    ];
    const errors = [];
    for (const [name, result] of reports) {
      const page = await harness.browser.newPage({ viewport: { width: 1100, height: 900 }, colorScheme: t === 'dark' ? 'dark' : 'light' });
      const requests = [];
      page.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && requests.push(r.url()));
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(pathToFileURL(result.savedTo.html).href);
      await page.waitForSelector('body[data-state="ready"]');
      await page.waitForTimeout(500);
      expect(requests.length === 0, `the report fetches nothing (got ${requests})`);
      expect(await page.locator('[data-testid="confusion-matrix"]').count() === 1, 'the report has the confusion matrix');
      await page.click('.eval-cm-cell[data-true="1"][data-pred="1"]');
      await page.waitForSelector('[data-testid="eval-sample"]');
      await shot(page, `eval-report-${name}-${t}.png`);
      if (t === 'light' && name === 'digits') {
        // Print: the layout the PDF gets (print media, light), and the PDF itself.
        await page.emulateMedia({ media: 'print' });
        await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
        await page.setViewportSize({ width: 794, height: 1123 });
        await page.waitForTimeout(400);
        await shot(page, `eval-report-${name}-print.png`);
        await page.pdf({ path: join(outDir, 'eval-report-digits.pdf'), format: 'A4', printBackground: true });
        await page.emulateMedia({ media: 'screen' });
      }
      await page.close();
    }
    return errors;
  },
};

await runScenes(scenes, { shots, outDir, harness, temp });

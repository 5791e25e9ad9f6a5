/**
 * Runs the built webview (dist/) in headless Chromium outside VS Code: serves dist/ over HTTP (the
 * layout worker is fetched, as in VS Code), fakes the host (summary + graph pushes; nodeDetails and
 * tensorStats answered by the real core; the Run and Evaluate tabs' methods answered by the real
 * runtime process, src/runtime/child/ortChild.ts run with tsx, with progress, overlay and cancel like the
 * host; evaluation reports saved as JSON + HTML to a temp folder), and themes the page with VS
 * Code's CSS variables.
 * Used by the screenshot scripts (graphShot.mjs, runShot.mjs, evalShot.mjs) and the graph-view benchmark (bench/graphView.bench.mjs).
 */
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { analyzeModel } from '../../src/core/modelAnalysis.ts';
import { buildGraphPayload } from '../../src/core/graph/payload.ts';
import { encodeGraphPayload } from '../../src/shared/payloadCodec.ts';
import { nodeDetails } from '../../src/core/nodeDetails.ts';
import { readStoredValues, tensorPage, tensorStats } from '../../src/core/tensorStats.ts';
import { readReportScript, saveEvaluation } from '../../src/core/report/saveEval.ts';
import { benchmarkModel, createRuntimeClient } from '../../src/runtime/client/runtimeClient.ts';
import { DEFAULT_SESSION_OPTIONS } from '../../src/shared/runtimeTypes.ts';
import { timeOverlay } from '../../src/extension/nodeOverlay.ts';
import { datasetsBeside } from '../../src/core/data/beside.ts';
import { themes } from './themes.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const mime = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html', '.map': 'application/json' };

/**
 * The webview page outside VS Code: VS Code's theme variables, a fake acquireVsCodeApi, and the
 * built bundle from `assetBase` (the harness's HTTP server, or a file:// URL of dist/).
 * `pushesOnReady` are host messages posted back when the page says `ready`.
 */
export function pageHtml(theme, { assetBase = '', pushesOnReady = [] } = {}) {
  const vars = Object.entries(theme.vars).map(([k, v]) => `--vscode-${k}: ${v};`).join('\n');
  return `<!DOCTYPE html><html><head><meta charset="UTF-8"><link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetBase}/codicons/codicon.css" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${assetBase}/webview/main.css">
<style>html { ${vars} } body { background: var(--vscode-editor-background); }</style>
<script>
  window.__posted = [];
  const pushesOnReady = ${JSON.stringify(pushesOnReady)};
  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      window.__posted.push(message);
      window.__toHost?.(message);
      if (message.type === 'ready') for (const push of pushesOnReady) setTimeout(() => window.postMessage(push, '*'), 0);
    },
    getState() { return window.__state; }, setState(s) { window.__state = s; },
  });
</script></head>
<body class="${theme.kind}" data-state="loading"><div id="app" data-file-name="model.onnx" data-worker-url="${assetBase}/webview/layoutWorker.js"></div>
<script src="${assetBase}/webview/main.js"></script></body></html>`;
}

/** Starts the server and Chromium; `close()` stops both. */
export async function startHarness() {
  if (!existsSync(join(root, 'dist/webview/main.js'))) throw new Error('dist/webview is missing: run `npm run build` first');
  let html = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(html); return; }
    const file = join(root, 'dist', url.pathname);
    if (!file.startsWith(join(root, 'dist')) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': mime[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

  /** Analyses the model with the core, as the host does, and returns { analysis, payload, hostMs }. */
  function prepare(model, name) {
    const t0 = performance.now();
    const analysis = analyzeModel(model, `/models/${model.file}`);
    const payload = buildGraphPayload(analysis, model.file.split('/').pop(), `dev-${name}-${analysis.graph.nodes.length}`);
    return { analysis, payload, hostMs: performance.now() - t0 };
  }

  /** The runtime process, started on the first Run-tab request and stopped by close(). */
  let runtime = null;
  const rt = () => (runtime ??= createRuntimeClient(join(root, 'src/runtime/child/ortChild.ts'), ['--import', 'tsx']));
  /** Run setups saved by `saveRunSetup`, per model path (the host keeps them per model too). */
  const savedSetups = new Map();
  /** The latest evaluation per model path (the host finds it in the reports folder). */
  const latestEvaluations = new Map();
  const evalDir = join(tmpdir(), 'onnx-lens-harness', 'eval');

  /**
   * An evaluation by the runtime process, saved as the host saves it (JSON + standalone HTML);
   * `params` are the runtime's EvaluateParams (so scripts can also ask for `compareModel`).
   */
  async function evaluateModel(params, opts = {}) {
    const report = await rt().request('evaluate', { options: DEFAULT_SESSION_OPTIONS, ...params }, { timeoutMs: 5 * 60_000, ...opts });
    const result = { report, savedTo: saveEvaluation(evalDir, report, readReportScript(join(root, 'dist'))) };
    latestEvaluations.set(params.model, result);
    return result;
  }

  /**
   * Opens a page in `themeName` (a name in themes.mjs, or a theme object), pushes the summary, then
   * the graph, and waits for the first painted frame. Returns { page, errors, firstPaintMs } (from
   * the `graph` message to that frame). `host.pickFiles` answers pickInputFile per kind
   * ({ image: '/path/cat.png' }) and `host.pickDataset` pickDataset; without them the fake dialog is
   * cancelled. `host.latestEvaluation: null` hides the model's earlier evaluations.
   */
  async function openGraph({ model, analysis, payload }, themeName, viewport = { width: 1280, height: 800 }, host = {}) {
    html = pageHtml(typeof themeName === 'string' ? themes[themeName] : themeName);
    const page = await browser.newPage({ viewport });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
    const valueIds = new Map(payload.valueNames.map((n, i) => [n, i]));
    const runMethods = runtimeHost(page, model.file, payload, host);
    const cancels = new Map();
    await page.exposeFunction('__hostCancel', (requestId) => cancels.get(requestId)?.abort());
    await page.exposeFunction('__hostRequest', async (method, params, requestId) => {
      if (method in runMethods) {
        const abort = new AbortController();
        cancels.set(requestId, abort);
        try {
          return await runMethods[method](params, requestId, abort.signal);
        } finally {
          cancels.delete(requestId);
        }
      }
      if (method === 'nodeDetails') return nodeDetails(analysis, params.node, valueIds);
      if (method === 'tensorStats') return tensorStats(model, analysis.graph, params.value);
      if (method === 'tensorPage') {
        const page = tensorPage(readStoredValues(model, analysis.graph, params.value), params.offset, params.count);
        return { ...page, buffer: Array.from(new Float64Array(page.buffer)) }; // JSON across exposeFunction
      }
      throw new Error(`no fake for ${method}`);
    });
    await page.goto(`${base}/`);
    await page.evaluate(() => {
      // ArrayBuffers cross exposeFunction as { __b64 } (JSON would turn them into objects of indices).
      const revive = (r) => (r && typeof r.buffer === 'object' && r.buffer && '__b64' in r.buffer
        ? { ...r, buffer: Uint8Array.from(atob(r.buffer.__b64), (c) => c.charCodeAt(0)).buffer } : r);
      window.__toHost = (msg) => {
        if (msg.type === 'cancel') window.__hostCancel(msg.requestId);
        if (msg.type !== 'request') return;
        window.__hostRequest(msg.method, msg.params, msg.requestId).then(
          (r) => {
            const result = msg.method === 'tensorPage' ? { ...r, buffer: Float64Array.from(r.buffer).buffer } : revive(r);
            window.postMessage({ type: 'result', requestId: msg.requestId, method: msg.method, result }, '*');
          },
          (e) => window.postMessage({ type: 'requestError', requestId: msg.requestId, message: String(e.message ?? e) }, '*'));
      };
    });
    await page.evaluate((summary) => window.postMessage({ type: 'summary', summary }, '*'), analysis.summary);
    await page.waitForSelector('body[data-state="ready"]');
    // The encoded payload, as the host posts it (an ArrayBuffer VS Code moves as binary).
    const encoded = Buffer.from(encodeGraphPayload(payload)).toString('base64');
    await page.evaluate((b64) => {
      const graph = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
      window.__t0 = performance.now();
      window.postMessage({ type: 'graph', graph, timeline: {} }, '*');
    }, encoded);
    await page.waitForFunction(() => window.__onnxLensPerf?.firstPaintMs != null, null, { timeout: 120_000 });
    const firstPaintMs = await page.evaluate(() => window.__onnxLensPerf.firstPaintAt - window.__t0);
    return { page, errors, firstPaintMs };
  }

  /**
   * The Run tab's host methods for one page, answered by the real runtime process on `modelPath`,
   * shaped as the extension host answers them: progress pushes during a benchmark, the 'time'
   * overlay after a profile, cancellation by request id.
   */
  function runtimeHost(page, modelPath, payload, host) {
    const push = (message) => page.evaluate((m) => {
      window.postMessage(m.type === 'overlay' ? { ...m, values: Float64Array.from(m.values, (v) => (v === null ? NaN : v)) } : m, '*');
    }, message);
    const req = (setup) => ({ model: modelPath, options: setup.options, inputs: setup.inputs });
    const b64 = (view) => ({ __b64: Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64') });
    return {
      runtimeSignature: async () => {
        const saved = savedSetups.get(modelPath) ?? null;
        return { ...(await rt().request('signature', { model: modelPath, options: saved?.options ?? DEFAULT_SESSION_OPTIONS })), saved, datasets: datasetsBeside(modelPath) };
      },
      runModel: (p) => rt().request('run', req(p)),
      captureActivations: (p, _id, signal) => rt().request('activations', { ...req(p), values: p.values }, { signal }),
      runTensorPage: async (p) => {
        const page = await rt().request('page', p);
        return { ...page, buffer: b64(new Uint8Array(page.buffer)) };
      },
      runTensorHistogram: (p) => rt().request('histogram', p),
      runTensorSlab: async (p) => {
        const slab = await rt().request('slab', p);
        return { dims: slab.dims, buffer: b64(slab.data) };
      },
      benchmark: async (p, requestId, signal) => {
        // The progress wording of src/extension/runtime/runtimeHandlers.ts.
        const report = await benchmarkModel(rt(), req(p), p.settings, ({ done, total, config: c }) => {
          const message = done === total ? 'Done' : `Configuration ${done + 1} of ${total}: ${c.intraOpThreads || 'default'} threads${c.batch === null ? '' : `, batch ${c.batch}`}`;
          void push({ type: 'progress', requestId, done, total, message });
        }, signal);
        const dir = join(tmpdir(), 'onnx-lens-harness', 'bench');
        mkdirSync(dir, { recursive: true });
        const savedTo = join(dir, `${basename(modelPath, '.onnx')}-${report.createdAt.replace(/[:.]/g, '-')}.json`);
        writeFileSync(savedTo, JSON.stringify(report, null, 2));
        return { report, savedTo };
      },
      profile: async (p, _id, signal) => {
        const result = await rt().request('profile', { ...req(p), runs: p.runs }, { signal });
        const overlay = timeOverlay(result, payload);
        await push({ ...overlay, values: Array.from(overlay.values, (v) => (Number.isNaN(v) ? null : v)) });
        return result;
      },
      pickInputFile: ({ kind }) => ({ path: host.pickFiles?.[kind] ?? null }),
      // The Evaluate tab: the request as src/extension/eval/evaluation.ts passes it on.
      evaluate: (p, requestId, signal) => evaluateModel({
        model: modelPath, data: p.data,
        ...(p.labelColumn ? { labelColumn: p.labelColumn } : {}),
        ...(p.task ? { task: p.task } : {}),
        ...(p.batchSize ? { batchSize: p.batchSize } : {}),
        ...(p.bootstrap ? { bootstrap: { resamples: p.bootstrap, seed: 0 } } : {}),
        ...(p.compareData ? { compareData: { data: p.compareData } } : {}),
      }, { signal, onProgress: (m) => void push({ type: 'progress', requestId, done: m.done, total: m.total, message: m.message }) }),
      latestEvaluation: () => (host.latestEvaluation === null ? null : latestEvaluations.get(modelPath) ?? null),
      pickDataset: () => ({ path: host.pickDataset ?? null }),
      evalSamples: async (p) => ({ samples: await rt().request('datasetSamples', p) }),
      // As src/extension/eval/evalHandlers.ts datasetColumns answers it.
      datasetColumns: async ({ data }) => {
        const ask = (extra) => rt().request('datasetInfo', { model: modelPath, options: DEFAULT_SESSION_OPTIONS, data, ...extra });
        const all = await ask({ labelColumn: null });
        const own = await ask({}).then((i) => i.labelColumn, () => null);
        return { columns: own && !all.columns.includes(own) ? [own, ...all.columns] : all.columns, label: own, format: all.format };
      },
      openSample: async (p) => ({ opened: typeof p.source === 'string' ? p.source : `${p.data}:${p.source}` }),
      saveRunSetup: (p) => {
        savedSetups.set(modelPath, p);
        return { saved: true };
      },
    };
  }

  return {
    browser, prepare, openGraph, evaluateModel,
    async close() {
      runtime?.dispose();
      await browser.close();
      server.close();
    },
  };
}

/**
 * The page's controls are VS Code's (vscode-textfield, vscode-single-select): `fill` types into
 * the native input in a field's shadow DOM; `choose` picks a select's option as a user's click
 * would (the value, then its change event); `scrollHeight` is the shown tab's whole height.
 */
export const fill = (page, selector, value) => page.fill(`${selector} input`, value);
export const choose = (page, selector, value) => page.locator(selector).first().evaluate((el, v) => {
  el.value = v;
  el.dispatchEvent(new Event('change'));
}, value);
export const scrollHeight = (page) => page.evaluate(() => Math.max(document.querySelector('.shell-panel:not([hidden])')?.scrollHeight ?? 0, document.documentElement.scrollHeight));

export const p95 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] : NaN;
};

/** Scripted interaction: wheel-scroll, ctrl-wheel zoom in and out, then a drag. */
export async function panAndZoom(page) {
  await page.mouse.move(500, 400);
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 40);
  await page.keyboard.down('Control');
  for (let i = 0; i < 30; i++) await page.mouse.wheel(0, i < 15 ? -60 : 60);
  await page.keyboard.up('Control');
  await page.mouse.down();
  for (let i = 0; i < 60; i++) await page.mouse.move(500 + i * 5, 400 + i * 3);
  await page.mouse.up();
}

/**
 * Theme variables the Run and Evaluate tabs' controls and charts use that themes.mjs does not list
 * (values from VS Code's Default Dark Modern / Light Modern): inputs, dropdowns, list selection,
 * chart colours.
 */
export const CONTROL_VARS = {
  dark: {
    'input-background': '#313131', 'input-border': '#3c3c3c', 'input-foreground': '#cccccc', 'input-placeholderForeground': '#989898',
    'dropdown-background': '#313131', 'dropdown-border': '#3c3c3c', 'dropdown-foreground': '#cccccc',
    'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff', 'editor-foreground': '#cccccc',
    'charts-red': '#f14c4c', 'charts-orange': '#d18616', 'charts-yellow': '#cca700', 'charts-green': '#89d185', 'charts-foreground': '#cccccc',
    'testing-iconPassed': '#73c991', 'toolbar-hoverBackground': '#5a5d5e50', 'icon-foreground': '#cccccc', 'button-hoverBackground': '#026ec1',
    'sideBarSectionHeader-background': '#181818', 'sideBarTitle-foreground': '#cccccc',
  },
  light: {
    'input-background': '#ffffff', 'input-border': '#cecece', 'input-foreground': '#3b3b3b', 'input-placeholderForeground': '#767676',
    'dropdown-background': '#ffffff', 'dropdown-border': '#cecece', 'dropdown-foreground': '#3b3b3b',
    'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000', 'editor-foreground': '#3b3b3b',
    'charts-red': '#e51400', 'charts-orange': '#d18616', 'charts-yellow': '#bf8803', 'charts-green': '#388a34', 'charts-foreground': '#616161',
    'testing-iconPassed': '#388a34', 'toolbar-hoverBackground': '#b8b8b850', 'icon-foreground': '#3b3b3b', 'button-hoverBackground': '#0258a8',
    'sideBarSectionHeader-background': '#f8f8f8', 'sideBarTitle-foreground': '#3b3b3b',
  },
  'high-contrast': {
    'input-background': '#000000', 'input-border': '#6fc3df', 'input-foreground': '#ffffff',
    'dropdown-background': '#000000', 'dropdown-border': '#6fc3df', 'dropdown-foreground': '#ffffff',
    'list-activeSelectionBackground': '#000000', 'editor-foreground': '#ffffff',
    'charts-red': '#f14c4c', 'charts-orange': '#d18616', 'charts-yellow': '#cca700', 'charts-green': '#89d185', 'charts-foreground': '#ffffff',
    'sideBarSectionHeader-background': '#000000', 'sideBarTitle-foreground': '#ffffff', 'icon-foreground': '#ffffff',
  },
};

/**
 * The variables VS Code's own controls (@vscode-elements/elements: tabs, text fields, selects,
 * checkboxes) read, derived as VS Code derives them (settings.* from input.* and dropdown.*).
 */
function elementVars(v, panel) {
  return {
    'settings-textInputBackground': v['input-background'], 'settings-textInputBorder': v['input-border'], 'settings-textInputForeground': v['input-foreground'],
    'settings-dropdownBackground': v['dropdown-background'], 'settings-dropdownBorder': v['dropdown-border'], 'settings-dropdownForeground': v['dropdown-foreground'],
    'settings-dropdownListBorder': v['dropdown-border'], 'settings-checkboxBackground': v['input-background'], 'settings-checkboxBorder': v['input-border'],
    'settings-checkboxForeground': v['input-foreground'], 'settings-headerBorder': panel.border,
    'panelTitle-activeForeground': panel.active, 'panelTitle-activeBorder': panel.accent, 'panelTitle-inactiveForeground': panel.inactive,
  };
}
const PANEL = {
  dark: { border: '#2b2b2b', active: '#cccccc', accent: '#0078d4', inactive: '#9d9d9d' },
  light: { border: '#e5e5e5', active: '#3b3b3b', accent: '#005fb8', inactive: '#3b3b3b' },
  'high-contrast': { border: '#6fc3df', active: '#ffffff', accent: '#f38518', inactive: '#ffffff' },
};

/** A theme of themes.mjs with CONTROL_VARS (and what VS Code's controls read) added. */
export const themeWithControls = (name) => {
  const controls = CONTROL_VARS[name] ?? {};
  return { ...themes[name], vars: { ...themes[name].vars, ...controls, ...elementVars(controls, PANEL[name] ?? PANEL.dark) } };
};

/**
 * Runs screenshot scenes, each `scene(theme)` resolving to its page errors: SCENES=a,b and
 * THEMES=dark,light (the default) choose. One line per scene and theme, then `after()`; exits 1
 * when a scene threw or its page logged errors.
 */
export async function runScenes(scenes, { shots, outDir, after }) {
  const only = process.env.SCENES?.split(',') ?? Object.keys(scenes);
  const themeNames = process.env.THEMES?.split(',') ?? ['dark', 'light'];
  let failed = 0;
  try {
    for (const name of only) {
      for (const t of themeNames) {
        const started = Date.now();
        try {
          const errors = await scenes[name](t);
          console.log(`${name} ${t}: ${((Date.now() - started) / 1000).toFixed(1)} s${errors.length ? ` PAGE ERRORS: ${errors.join(' | ')}` : ''}`);
          if (errors.length) failed++;
        } catch (error) {
          failed++;
          console.error(`${name} ${t}: FAILED: ${error instanceof Error ? error.stack : error}`);
        }
      }
    }
  } finally {
    await after();
  }
  console.log(`${shots.length} screenshots in ${outDir}${failed ? `; ${failed} scene(s) failed` : ''}`);
  process.exit(failed ? 1 : 0);
}

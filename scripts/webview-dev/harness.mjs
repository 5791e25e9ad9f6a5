/**
 * Runs the built webview (dist/) in headless Chromium outside VS Code: serves dist/ over HTTP (the
 * layout worker is fetched, as in VS Code), plays the host (summary + graph pushes; every request
 * answered by the editor's own handlers, src/host/, through devHost.ts: the real runtime process,
 * the model analysed in this process, reports saved to a temp folder; progress, overlays and cancel
 * as in VS Code), and themes the page with VS Code's CSS variables. This file only carries messages
 * between the page and devHost.ts.
 * Used by the screenshot scripts (graphShot.mjs, runShot.mjs, evalShot.mjs, quantShot.mjs) and the graph-view benchmark (bench/graphView.bench.mjs).
 * With ONNX_LENS_PROFILE_DIR set, each `openGraph` writes a CPU profile of the page's main thread
 * from the graph message to the first frame there (`<dir>/open-<time>.cpuprofile`, 0.1 ms
 * sampling; open it in Chrome DevTools' Performance panel): docs/opening-a-model.md reads them.
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { deltaCoded } from '../../src/shared/binarySections.ts';
import { encodeGraphPayload } from '../../src/shared/payloadCodec.ts';
import { DevHost } from './devHost.ts';
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
  // The page's stylesheets and statically imported chunks, as src/extension/webviewHtml.ts names them.
  const assets = JSON.parse(readFileSync(join(root, 'dist/webview/main.assets.json'), 'utf8'));
  return `<!DOCTYPE html><html><head><meta charset="UTF-8"><link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetBase}/codicons/codicon.css" id="vscode-codicon-stylesheet">
${assets.styles.map((f) => `<link rel="stylesheet" href="${assetBase}/webview/${f}">`).join('\n')}
${assets.preload.map((f) => `<link rel="modulepreload" href="${assetBase}/webview/${f}">`).join('\n')}
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
<script type="module" src="${assetBase}/webview/main.js"></script></body></html>`;
}

/** Starts the server and Chromium; `close()` stops both. */
export async function startHarness() {
  if (!existsSync(join(root, 'dist/webview/main.js'))) throw new Error('dist/webview is missing: run `npm run build` first');
  let html = '';
  /** The encoded graph of the page being opened, fetched by the page as bytes (see openGraph). */
  let graphBytes = Buffer.alloc(0);
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(html); return; }
    if (url.pathname === '/__graph') { res.writeHead(200, { 'content-type': 'application/octet-stream' }); res.end(graphBytes); return; }
    const file = join(root, 'dist', url.pathname);
    if (!file.startsWith(join(root, 'dist')) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': mime[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true,
    // No spare renderer: the page's renderer is then the only one besides headless Chromium's own UI
    // (bench/graphView.bench.mjs measures it).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-features=SpareRendererForSitePerProcess'],
  });

  const host = new DevHost(root);

  /** Analyses the model as the analysis process does: { analysis, payload, analysed, hostMs }. */
  const prepare = (model, name) => host.prepare(model, name);

  /**
   * Opens a page in `themeName` (a name in themes.mjs, or a theme object), pushes the summary, then
   * the graph, and waits for the first painted frame. Returns { page, errors, firstPaintMs } (from
   * the `graph` message to that frame). `page` (devHost.ts PageHost) answers the file dialogs
   * (`picks: { image: '/path/cat.png', 'dataset-or-folder': data }`; otherwise cancelled) and
   * `noSavedReports` hides the model's earlier evaluations and quantizations.
   */
  async function openGraph({ model, analysis, payload, analysed }, themeName, viewport = { width: 1280, height: 800 }, pageHost = {}) {
    html = pageHtml(typeof themeName === 'string' ? themes[themeName] : themeName);
    const page = await browser.newPage({ viewport });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
    /** A push as the host posts it; resolves once the page has it (scripts await it, handlers need not). */
    const push = (message) => page.evaluate((m) => {
      window.postMessage(m.type === 'overlay' ? { ...m, values: Float64Array.from(m.values, (v) => (v === null ? NaN : v)) } : m, '*');
    }, forPage(message)).catch(() => undefined);
    const handlers = host.pageHandlers(model.file, { analysis, payload, analysed }, push, pageHost);
    const cancels = new Map();
    await page.exposeFunction('__hostCancel', (requestId) => cancels.get(requestId)?.abort());
    await page.exposeFunction('__hostRequest', async (method, params, requestId) => {
      const abort = new AbortController();
      cancels.set(requestId, abort);
      try {
        const progress = (done, total, message) => push({ type: 'progress', requestId, done, total, message });
        return forPage(await host.request(handlers, method, params, { signal: abort.signal, progress }));
      } finally {
        cancels.delete(requestId);
      }
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
          (r) => window.postMessage({ type: 'result', requestId: msg.requestId, method: msg.method, result: revive(r) }, '*'),
          (e) => window.postMessage({ type: 'requestError', requestId: msg.requestId, message: String(e.message ?? e) }, '*'));
      };
    });
    // The summary as the host pushes it (ViewSummary): without the per-value list, which the graph
    // payload carries (10 MB of JSON at 100k nodes that the page would parse and drop).
    const { values: _values, ...viewSummary } = analysis.summary;
    await page.evaluate((summary) => window.postMessage({ type: 'summary', summary }, '*'), viewSummary);
    await page.waitForSelector('body[data-state="ready"]');
    // The encoded payload, packed as the graph cache keeps it and the host posts it (src/analysisProcess/graphCache.ts): an ArrayBuffer VS Code moves as binary and
    // transfers into the page (its webview frame posts it on with a transfer list). Fetched as
    // bytes: carried as base64 through evaluate, its decoding left ~300 MB of garbage strings in the
    // page that the webview's memory figure (bench/graphView.bench.mjs) would count.
    graphBytes = zlib.deflateRawSync(deltaCoded(new Uint8Array(encodeGraphPayload(payload))), { level: 1 });
    const profileDir = process.env.ONNX_LENS_PROFILE_DIR;
    const profiler = profileDir ? await page.context().newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.send('Profiler.start');
    }
    await page.evaluate(async () => {
      const graph = await (await fetch('/__graph')).arrayBuffer();
      window.__t0 = performance.now();
      window.postMessage({ type: 'graph', graph, timeline: {} }, '*', [graph]);
    });
    await page.waitForFunction(() => window.__onnxLensPerf?.firstPaintMs != null, null, { timeout: 120_000 });
    const firstPaintMs = await page.evaluate(() => window.__onnxLensPerf.firstPaintAt - window.__t0);
    if (profiler) writeFileSync(join(profileDir, `open-${Date.now()}.cpuprofile`), JSON.stringify((await profiler.send('Profiler.stop')).profile));
    return { page, errors, firstPaintMs, push };
  }

  return {
    browser, prepare, openGraph, host,
    /** Evaluate-and-save as the editor does it (runtime EvaluateParams: `compareModel` too). */
    evaluateModel: (params) => host.evaluateModel(params),
    async close() {
      host.dispose();
      await browser.close();
      server.close();
    },
  };
}

/**
 * A host message or result as it can cross into the page (exposeFunction and evaluate carry JSON):
 * an overlay's NaNs as null, a `buffer` ArrayBuffer as { __b64 } (revived on the page's side).
 */
export function forPage(message) {
  if (!message || typeof message !== 'object') return message;
  if (message.type === 'overlay') return { ...message, values: Array.from(message.values, (v) => (Number.isNaN(v) ? null : v)) };
  if (message.buffer instanceof ArrayBuffer || ArrayBuffer.isView(message.buffer)) {
    const view = ArrayBuffer.isView(message.buffer) ? message.buffer : new Uint8Array(message.buffer);
    return { ...message, buffer: { __b64: Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64') } };
  }
  return message;
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
 * THEMES=dark,light (the default) choose. One line per scene and theme; then the harness is closed
 * and the script's temp folder (makeTempDir) removed; exits 1 when a scene threw or its page logged errors.
 */
export async function runScenes(scenes, { shots, outDir, harness, temp }) {
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
    await harness.close();
    temp.cleanup();
  }
  console.log(`${shots.length} screenshots in ${outDir}${failed ? `; ${failed} scene(s) failed` : ''}`);
  process.exit(failed ? 1 : 0);
}

#!/usr/bin/env node
/**
 * Dev harness for the graph view: serves dist/ over HTTP (the worker is fetched, as in VS Code),
 * fakes the host (summary + graph pushes, nodeDetails/tensorStats answered by the core), renders
 * real models in headless Chromium per theme, screenshots, and measures first paint and frame
 * times while scripted wheel/drag pans and zooms.
 *
 *   npm run build && npx tsx webview/dev/graphShot.mjs [out-dir]   (MODELS=mlp,densenet,t100k THEMES=dark,light)
 */
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { analyzeModel } from '../../src/core/analysis.ts';
import { readModelFile, readModelBytes } from '../../src/core/onnx/reader.ts';
import { buildGraphPayload } from '../../src/core/graph/payload.ts';
import { nodeDetails } from '../../src/core/nodeDetails.ts';
import { tensorStats } from '../../src/core/tensorStats.ts';
import { model as encodeModel } from '../../test/fixtures/onnxBuilder.ts';
import { transformerLike } from '../../test/fixtures/bigModels.ts';
import { themes } from './themes.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = resolve(process.argv[2] ?? join(root, 'out/webview-shots'));
mkdirSync(outDir, { recursive: true });

const models = {
  mlp: () => readModelFile(join(root, 'media/sample/digits-mlp.onnx')),
  densenet: () => readModelFile(join(root, '../shared/fixtures/onnx-light/light_densenet121.onnx')),
  t100k: () => readModelBytes(encodeModel(transformerLike({ nodes: 100000, shareWeights: true })), 'transformer-100k.onnx'),
};
const only = process.env.MODELS?.split(',') ?? Object.keys(models);
const themeNames = process.env.THEMES?.split(',') ?? Object.keys(themes);

const mime = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html', '.map': 'application/json' };
let pageHtml = '';
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(pageHtml); return; }
  const file = join(root, 'dist', url.pathname);
  if (!file.startsWith(join(root, 'dist')) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': mime[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

function html(theme) {
  const vars = Object.entries(theme.vars).map(([k, v]) => `--vscode-${k}: ${v};`).join('\n');
  return `<!DOCTYPE html><html><head><meta charset="UTF-8">
<link rel="stylesheet" href="/codicons/codicon.css" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="/webview/main.css">
<style>html { ${vars} } body { background: var(--vscode-editor-background); }</style>
<script>
  window.__posted = [];
  window.acquireVsCodeApi = () => ({
    postMessage(message) { window.__posted.push(message); window.__toHost?.(message); },
    getState() { return window.__state; }, setState(s) { window.__state = s; },
  });
</script></head>
<body class="${theme.kind}" data-state="loading"><div id="app" data-file-name="model.onnx" data-worker-url="/webview/layoutWorker.js"></div>
<script src="/webview/main.js"></script></body></html>`;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] : NaN; };
try {
  for (const name of only) {
    const m = models[name]();
    const a = analyzeModel(m, `/models/${m.file}`);
    const payload = buildGraphPayload(a, m.file.split('/').pop(), `dev-${name}-${a.graph.nodes.length}`);
    const valueIds = new Map(payload.valueNames.map((n, i) => [n, i]));
    for (const themeName of themeNames) {
      pageHtml = html(themes[themeName]);
      const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      tab.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
      await tab.exposeFunction('__hostRequest', async (method, params) => {
        if (method === 'nodeDetails') return nodeDetails(a, params.node, valueIds);
        if (method === 'tensorStats') return tensorStats(m, a.graph, params.value);
        throw new Error(`no fake for ${method}`);
      });
      await tab.goto(base + '/');
      await tab.evaluate(() => {
        window.__toHost = (msg) => {
          if (msg.type !== 'request') return;
          window.__hostRequest(msg.method, msg.params).then(
            (result) => window.postMessage({ type: 'result', requestId: msg.requestId, method: msg.method, result }, '*'),
            (e) => window.postMessage({ type: 'requestError', requestId: msg.requestId, message: String(e.message ?? e) }, '*'));
        };
      });
      await tab.evaluate((summary) => window.postMessage({ type: 'summary', summary }, '*'), a.summary);
      await tab.waitForSelector('body[data-state="ready"]');
      // The payload travels like postMessage: structured clone of typed arrays.
      const t0 = Date.now();
      const handle = await tab.evaluateHandle(() => window);
      await tab.evaluate(([p]) => { window.__t0 = performance.now(); window.postMessage({ type: 'graph', payload: p }, '*'); }, [payloadForPage(payload)]);
      await tab.waitForFunction(() => window.__onnxLensPerf?.firstPaintMs != null, null, { timeout: 120000 });
      const firstPaint = await tab.evaluate(() => performance.now() - window.__t0);
      void handle; void t0;
      await tab.waitForTimeout(200);
      await tab.screenshot({ path: join(outDir, `graph-${name}-${themeName}.png`) });
      // Select a node with an initializer so details + histogram show.
      const nodeName = payload.nodeNames[Math.min(payload.nodeCount - 1, Math.max(0, payload.ops.indexOf('Gemm') >= 0 ? [...payload.nodeOp].indexOf(payload.ops.indexOf('Gemm')) : 3))];
      if (nodeName) {
        await tab.evaluate((n) => window.__onnxLens.selectNode(n), nodeName);
        await tab.waitForTimeout(700);
        await tab.screenshot({ path: join(outDir, `graph-${name}-${themeName}-selected.png`) });
      }
      let perf = '';
      if (themeName === themeNames[0]) {
        await tab.evaluate(() => { window.__onnxLensPerf.frames.length = 0; window.__onnxLensPerf.intervals.length = 0; });
        await tab.mouse.move(500, 400);
        for (let i = 0; i < 40; i++) await tab.mouse.wheel(0, 40);
        await tab.keyboard.down('Control');
        for (let i = 0; i < 30; i++) await tab.mouse.wheel(0, i < 15 ? -60 : 60);
        await tab.keyboard.up('Control');
        await tab.mouse.down();
        for (let i = 0; i < 60; i++) await tab.mouse.move(500 + i * 5, 400 + i * 3);
        await tab.mouse.up();
        const f = await tab.evaluate(() => ({ frames: window.__onnxLensPerf.frames, intervals: window.__onnxLensPerf.intervals, layouts: window.__onnxLensPerf.layouts }));
        perf = ` frames=${f.frames.length} drawP95=${p95(f.frames).toFixed(2)}ms rafIntervalP95=${p95(f.intervals).toFixed(2)}ms layouts=${JSON.stringify(f.layouts.slice(0, 3))}`;
      }
      const items = await tab.evaluate(() => window.__onnxLens.sceneItems().length);
      console.log(`${name} ${themeName}: nodes=${payload.nodeCount} items=${items} firstPaint=${firstPaint.toFixed(0)}ms${perf}${errors.length ? ' ERRORS: ' + errors.join(' | ') : ''}`);
      await tab.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}

/** Playwright serialises evaluate arguments as JSON: typed arrays are rebuilt page-side. */
function payloadForPage(p) {
  return p;
}

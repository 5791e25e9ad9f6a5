/**
 * The graph view in headless Chromium (the built webview, host faked by the real core; see
 * scripts/webview-dev/harness.mjs): first paint for DenseNet-121 and generated transformers of 20k and
 * 100k nodes, frame times while panning and zooming the 100k model (default view, and with its
 * encoder expanded: ~1.3k layer boxes), the memory of the page's renderer process (target at
 * 100k nodes: <= 512 MB), and the 100k model reopened (its saved first view, then its first frame,
 * against a reopen without the saved view in the same run). Run by bench/run.mjs with the
 * flat-dagre times measured earlier in the same run (argv[2], JSON), so the ratios are same-run.
 * Prints one JSON line: { rows: [...], results: [{ name, line, ok }] }.
 */
import fs from 'node:fs';
import { join } from 'node:path';
import { readModelBytes, readModelFile } from '../src/core/onnx/reader.ts';
import { transformerLike } from '../test/fixtures/bigModels.ts';
import { model as encodeModel } from '../test/fixtures/onnxBuilder.ts';
import { p95, panAndZoom, root, startHarness } from '../scripts/webview-dev/harness.mjs';
import { LIGHT_MODELS_DIR, lightModel } from '../test/fixtures/prerequisites.ts';
import { rendererProcesses } from '../scripts/vscode/openTiming.mjs';

const dagre = JSON.parse(process.argv[2] ?? '{}');
const CAP_MS = Number(process.env.BENCH_DAGRE_CAP_S ?? 60) * 1000;
const models = {
  densenet121: () => readModelFile(lightModel('light_densenet121.onnx')),
  transformer20k: () => readModelBytes(encodeModel(transformerLike({ nodes: 20000, shareWeights: true })), 'transformer-20k.onnx'),
  transformer100k: () => readModelBytes(encodeModel(transformerLike({ nodes: 100000, shareWeights: true })), 'transformer-100k.onnx'),
};
const log = (s) => process.stderr.write(`${s}\n`);

/**
 * Resident memory of this browser's renderer processes (its descendants: other programs on the
 * machine may run Chromium too): the page's (the page and its layout worker; the only page open,
 * the harness starts no spare renderer) and headless Chromium's own UI renderer
 * (`--top-chrome-webui`, not part of the webview), apart.
 */
function rendererRss() {
  const all = rendererProcesses();
  const sum = (list) => list.reduce((total, p) => total + p.rssBytes, 0);
  return { page: sum(all.filter((p) => !p.args.includes('--top-chrome-webui'))), chromeUi: sum(all.filter((p) => p.args.includes('--top-chrome-webui'))) };
}

/** The page's renderer with the 100k graph open: at most this (issue 19). */
const MEMORY_TARGET_BYTES = 512 * 1048576;

async function interactionFrames(page) {
  await page.evaluate(() => { window.__onnxLensPerf.frames.length = 0; });
  await panAndZoom(page);
  return page.evaluate(() => window.__onnxLensPerf.frames.slice());
}

/**
 * Reopening the model in the same browser context (IndexedDB and localStorage kept): graph message →
 * the saved first view (webview/graph/graphPreview.ts) and → the graph view's first frame, rounds
 * alternating with the snapshot and without it (storage cleared), so both see the same load.
 */
async function reopenFigures(harness, prepared, rounds = 8) {
  const viewport = { width: 1280, height: 800 };
  const context = await harness.browser.newContext({ viewport });
  const withPreview = [];
  const without = [];
  try {
    const first = await harness.openGraph(prepared, 'dark', viewport, {}, { context });
    await first.page.waitForTimeout(1000); // the snapshot is kept in idle time after the first frame
    await first.page.close();
    for (let r = 0; r < rounds; r++) {
      const { page, errors, firstPaintMs } = await harness.openGraph(prepared, 'dark', viewport, {}, { context });
      if (errors.length) throw new Error(`reopen: page errors: ${errors.join(' | ')}`);
      const t = await page.evaluate(() => window.__onnxLensPerf.timeline);
      if (t.previewFrame !== undefined) withPreview.push({ preview: t.previewFrame - t.graphReceived, firstPaintMs });
      else without.push({ firstPaintMs });
      await page.waitForTimeout(1000);
      if (r % 2 === 0) await page.evaluate(() => localStorage.clear());
      await page.close();
    }
  } finally {
    await context.close();
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { preview: med(withPreview.map((o) => o.preview)), firstWith: med(withPreview.map((o) => o.firstPaintMs)), firstWithout: med(without.map((o) => o.firstPaintMs)), n: [withPreview.length, without.length] };
}

const rows = [];
const results = [];
const harness = await startHarness();
try {
  for (const [name, load] of Object.entries(models)) {
    if (name === 'densenet121' && !fs.existsSync(join(LIGHT_MODELS_DIR, 'light_densenet121.onnx'))) {
      console.error(`  densenet121: not measured, ${LIGHT_MODELS_DIR} is missing (docs/environment.md)`);
      continue;
    }
    const model = load();
    const prepared = { model, ...harness.prepare(model, name) };
    // Warm-up page (JIT, fonts, worker script cache), then the measured one in a fresh page.
    await (await harness.openGraph(prepared, 'dark')).page.close();
    await new Promise((r) => setTimeout(r, 1500)); // let the warm-up page's renderer exit
    const { page, errors, firstPaintMs } = await harness.openGraph(prepared, 'dark');
    if (errors.length) throw new Error(`${name}: page errors: ${errors.join(' | ')}`);
    const items = await page.evaluate(() => window.__onnxLens.sceneItems().length);
    const rss = rendererRss();
    const row = { name, nodes: prepared.payload.nodeCount, items, hostMs: prepared.hostMs, firstPaintMs, dagreMs: dagre[name] ?? null, rendererRssBytes: rss.page, chromeUiRssBytes: rss.chromeUi };
    if (name === 'transformer100k') {
      row.heapBytes = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
      row.frameP95 = p95(await interactionFrames(page));
      // The encoder's ~1,300 layers come in ranges of 100 ("layer.0–99"): open them all, so the
      // frame-time figure is for every layer box on the canvas, as before ranges existed.
      await page.evaluate(async () => {
        await window.__onnxLens.expandGroup('encoder');
        const ranges = window.__onnxLens.sceneItems().filter((i) => i.kind === 'group' && /^layer\.\d+–\d+$/.test(i.name)).map((i) => i.name);
        for (const r of ranges) await window.__onnxLens.expandGroup(`encoder/${r}`);
      });
      row.expandedItems = await page.evaluate(() => window.__onnxLens.sceneItems().length);
      row.expandedFrameP95 = p95(await interactionFrames(page));
    }
    await page.close();
    rows.push(row);
    const vsDagre = row.dagreMs == null ? `> ${(CAP_MS / firstPaintMs).toFixed(0)}x (dagre did not finish: capped at ${CAP_MS / 1000} s or crashed)` : `${(row.dagreMs / firstPaintMs).toFixed(1)}x`;
    log(`  ${name}: ${row.nodes.toLocaleString('en-US')} nodes, ${items} items drawn; first paint ${firstPaintMs.toFixed(0)} ms (host analysis + payload ${row.hostMs.toFixed(0)} ms before it); vs flat dagre ${vsDagre}`);
    if (name === 'transformer100k') {
      const ratio = (row.dagreMs ?? CAP_MS) / firstPaintMs;
      results.push({ name: 'graph first paint 100k vs flat dagre', line: `${firstPaintMs.toFixed(0)} ms vs dagre ${row.dagreMs == null ? `> ${CAP_MS / 1000} s (did not finish)` : `${row.dagreMs.toFixed(0)} ms`}: ${row.dagreMs == null ? '> ' : ''}${ratio.toFixed(0)}x faster (target >= 10x)`, ok: ratio >= 10 });
      results.push({ name: 'graph first paint 100k', line: `${firstPaintMs.toFixed(0)} ms in the webview (indication: about 2 s)`, ok: firstPaintMs <= 2500 });
      results.push({ name: 'graph frame time 100k', line: `p95 ${row.frameP95.toFixed(2)} ms default view, ${row.expandedFrameP95.toFixed(2)} ms with the encoder expanded (${row.expandedItems} items) (target <= 16.7 ms)`, ok: row.frameP95 <= 16.7 && row.expandedFrameP95 <= 16.7 });
      const mb = (b) => `${(b / 1048576).toFixed(0)} MB`;
      const others = rows.map((r) => `${r.name} ${mb(r.rendererRssBytes)}`).join(', ');
      const smallest = rows[0];
      const over = smallest === row ? '' : `, +${mb(row.rendererRssBytes - smallest.rendererRssBytes)} over ${smallest.name}`;
      log(`  100k webview memory: page renderer RSS ${mb(row.rendererRssBytes)} (page + layout worker; same run: ${others}); headless Chromium's own UI renderer ${mb(row.chromeUiRssBytes)} besides; JS heap ${mb(row.heapBytes)} on the page's main thread`);
      results.push({ name: 'graph webview memory 100k', line: `page renderer RSS ${mb(row.rendererRssBytes)}${over} (${others}; main-thread JS heap ${mb(row.heapBytes)}) (target <= ${mb(MEMORY_TARGET_BYTES)})`, ok: row.rendererRssBytes <= MEMORY_TARGET_BYTES });
      const re = await reopenFigures(harness, prepared);
      log(`  100k reopened (same context, medians of ${re.n[0]} with the saved first view and ${re.n[1]} without): graph message → saved view ${re.preview.toFixed(0)} ms, → first frame ${re.firstWith.toFixed(0)} ms with it, ${re.firstWithout.toFixed(0)} ms without`);
      results.push({
        name: 'graph reopen 100k, first graphics',
        line: `the saved first view ${re.preview.toFixed(0)} ms after the graph message: ${(re.preview / re.firstWithout).toFixed(2)}x the first frame without it (${re.firstWithout.toFixed(0)} ms); the graph view's first frame ${re.firstWith.toFixed(0)} ms with it, ${(re.firstWith / re.firstWithout).toFixed(2)}x (target: first graphics <= 0.25x, first frame <= 1.2x)`,
        ok: re.preview <= 0.25 * re.firstWithout && re.firstWith <= 1.2 * re.firstWithout,
      });
    }
  }
} finally {
  await harness.close();
}
process.stdout.write(`${JSON.stringify({ rows, results })}\n`);

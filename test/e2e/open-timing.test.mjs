// The time from a click in the Explorer to the first frame of the graph, in real VS Code, on a
// CI-sized model (a generated 20k-node transformer), with every phase on one clock
// (src/shared/openTimeline.ts). The full benchmark (DenseNet-121, 20k and 100k, medians, the d3-dag
// baseline) is bench/openEndToEnd.bench.mjs; this test fails CI on a gross regression. The target
// is 1 s at 20k on a warmed, quiet VS Code; the machine may not be quiet (CI shares two cores), so the
// bound is a same-run ratio: three times what `onnx-lens inspect` takes on the same file right before
// (a fresh process reading, analysing and summarising it: the work of an open and more), and never
// under 2.5 s. On a quiet machine that is about 3.5 s, so an open five times slower than the target
// fails. It also proves what makes reopening
// fast survives closing the editor and a window reload: the layout comes from IndexedDB, the
// graph's structure from the analysis process's cache (the model is not read again) and the first
// view's picture from the host's (shown before the page's script). And the
// webview's renderer, measured in a process of its own as in desktop VS Code, stays within the
// 100k target (512 MB) with the 20k graph drawn (about 220 MB here).
import assert from 'node:assert/strict';
import { webviewRendererMemory } from '../../scripts/vscode/crossSiteWorkbench.mjs';
import { PHASE_LABELS, timeOpen } from '../../scripts/vscode/openTiming.mjs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../scripts/vscode/config.mjs';
import { e2e, screenshot, useSession } from './support.mjs';

/** Opened by this test only (test/e2e/fixtures.ts): a first open finds no cache warm. */
const MODEL = 'transformer-20k-timed.onnx';
/** DenseNet-121, opened by this test only (scripts/vscode/e2eWorkspace.mjs). */
const SMALL_MODEL = 'densenet121-timed.onnx';
const BOUND_RATIO = 3;
const MIN_BOUND_MS = 2500;
/** The phases every first open passes through, in order (a reopen skips reading the model). */
const IN_ORDER = ['analysisRequested', 'analysisStarted', 'modelRead', 'graphBuilt', 'payloadBuilt', 'resultReceived', 'graphPosted', 'graphReceived', 'layoutDone', 'firstFrame'];

/**
 * A reopen shows the picture of its first view that the host put into the page's HTML
 * (src/extension/firstViews.ts) before the page's script is up, keeps it once the graph message
 * shows it is of this structure (the mark is set only then), and the picture is gone after the
 * graph view's first frame.
 */
async function assertPictured(open, what) {
  const { firstViewShown, pageScript, firstFrame, previewFrame } = open.timeline;
  assert.ok(firstViewShown !== undefined, `${what} showed the picture of its first view`);
  assert.ok(firstViewShown <= pageScript && pageScript <= firstFrame, `${what}: picture painted ${firstViewShown.toFixed(0)} ms, page's script up ${pageScript.toFixed(0)} ms, first frame ${firstFrame.toFixed(0)} ms`);
  assert.equal(previewFrame, undefined, `${what}: no snapshot drawn over the picture`);
  assert.equal(await open.webview.locator('.first-view, .graph-preview').count(), 0, `${what}: the picture went when the graph view drew`);
  assert.equal(await open.webview.locator('body.graph-previewing').count(), 0, `${what}: the page is shown`);
  console.log(`      ${what}: the first view's picture at ${firstViewShown.toFixed(0)} ms (the page's script at ${pageScript.toFixed(0)} ms), the graph view's first frame at ${firstFrame.toFixed(0)} ms`);
}

function table(open) {
  return PHASE_LABELS.filter(([k]) => open.timeline[k] !== undefined).map(([k, label]) => `      ${label.padEnd(34)} ${open.timeline[k].toFixed(0).padStart(6)} ms`).join('\n');
}

describe('opening a 20k-node model, click to first frame (timed, phases on one clock)', function () {
  this.timeout(300_000);
  const ctx = useSession();

  it('draws the graph within the bound, every phase stamped in order, and reopens from the caches', async () => {
    const page = ctx.session.page;
    await timeOpen(page, 'digits-mlp.onnx'); // warm VS Code: extension active, first webview made
    const t0 = performance.now();
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'inspect', path.join(e2e.workspace, MODEL)], { stdio: 'ignore', timeout: 120_000 });
    const referenceMs = performance.now() - t0;
    const bound = Math.max(MIN_BOUND_MS, BOUND_RATIO * referenceMs);
    const first = await timeOpen(page, MODEL);
    console.log(`      first open: ${first.total.toFixed(0)} ms (bound ${bound.toFixed(0)} ms: ${BOUND_RATIO} × onnx-lens inspect's ${referenceMs.toFixed(0)} ms)\n${table(first)}`);
    for (const k of IN_ORDER) assert.ok(first.timeline[k] !== undefined, `phase ${k} was not stamped`);
    const marks = IN_ORDER.map((k) => first.timeline[k]);
    assert.deepEqual([...marks].sort((a, b) => a - b), marks, `phases out of order: ${IN_ORDER.map((k, i) => `${k}=${marks[i].toFixed(0)}`).join(' ')}`);
    // The click is related to the host's clock through the webview's offset, good to a message's transit.
    assert.ok(first.timeline.documentOpened > -100, `the document opens after the click (${first.timeline.documentOpened.toFixed(0)} ms)`);
    // The analysis process laid the first view out (src/core/graphLayout/firstView.ts): the page drew
    // it where the warm-up's page had its graph canvas, and its layout worker took the scene.
    assert.equal(first.layouts[0].source, 'analysis');
    assert.equal(first.timeline.firstViewShown, undefined, 'a first open has no picture of its first view to show');
    assert.equal(first.timeline.previewFrame, undefined, 'nor a saved view to draw');
    const { graphBuilt, firstViewLaidOut, payloadBuilt, graphReceived, firstViewDrawn, firstFrame } = first.timeline;
    assert.ok(graphBuilt <= firstViewLaidOut && firstViewLaidOut <= payloadBuilt, `first view laid out at ${firstViewLaidOut} ms, between the graph (${graphBuilt}) and the payload (${payloadBuilt})`);
    // Sent ahead of the structure: drawn while the structure is packed, posted and unpacked.
    assert.ok(firstViewDrawn !== undefined && firstViewLaidOut <= firstViewDrawn && firstViewDrawn <= firstFrame, `first view laid out at ${firstViewLaidOut} ms, drawn at ${firstViewDrawn}, graph in the page at ${graphReceived}, first frame at ${firstFrame}`);
    assert.equal(await first.webview.locator('body').evaluate((body) => body.dataset.firstViewPlaced), 'same', 'the first view was drawn where the graph canvas came');
    // The page's boot script (src/extension/webviewHtml.ts) said `ready` and started the layout
    // worker before the page's files were in; the page's script took both.
    assert.deepEqual(await first.webview.locator('body').evaluate(() => ({
      taken: window.__onnxLensEarly === undefined && window.__onnxLensWorker === undefined,
      workerFetches: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/layoutWorker.js')).length,
    })), { taken: true, workerFetches: 1 }, "the boot script's messages and worker were taken, and the worker's script fetched once");
    assert.ok(first.total <= bound, `click → first frame took ${first.total.toFixed(0)} ms (bound ${bound.toFixed(0)} ms = ${BOUND_RATIO} × inspect's ${referenceMs.toFixed(0)} ms)`);
    await screenshot(page, 'open-timing-20k-dark');

    const again = await timeOpen(page, MODEL);
    console.log(`      reopened: ${again.total.toFixed(0)} ms (layout from ${again.layouts[0].source})`);
    assert.equal(again.layouts[0].source, 'indexeddb', 'the layout of the first open is reused');
    assert.equal(again.timeline.modelRead, undefined, 'the structure comes from the graph cache');
    assert.ok(again.total <= bound, `reopen took ${again.total.toFixed(0)} ms (bound ${bound.toFixed(0)} ms)`);
    await assertPictured(again, 'the reopen');

    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.getByRole('treeitem').first().waitFor({ timeout: 30_000 });
    await timeOpen(page, 'digits-mlp.onnx');
    const reloaded = await timeOpen(page, MODEL);
    console.log(`      after a window reload: ${reloaded.total.toFixed(0)} ms (layout from ${reloaded.layouts[0].source})`);
    assert.equal(reloaded.layouts[0].source, 'indexeddb', 'the layout cache survives a window reload');
    assert.equal(reloaded.timeline.modelRead, undefined, 'the graph cache survives a window reload');
    await assertPictured(reloaded, 'a reopen after a window reload');
  });

  it("draws a small model's first view with the page's HTML, before the page's script is up", async () => {
    // After the test above, the host knows where a page draws its graph canvas. DenseNet-121's first
    // view is laid out ~70 ms after VS Code asks for the document; the page's inline first-view
    // loader (webview/graph/firstViewLoader.ts) draws it as soon as the host's push comes, before
    // the page's own files are in.
    const open = await timeOpen(ctx.session.page, SMALL_MODEL);
    const { firstViewDrawn, pageScript, firstFrame, previewFrame, firstViewShown } = open.timeline;
    console.log(`      ${SMALL_MODEL}: the first view drawn at ${firstViewDrawn?.toFixed(0)} ms (the page's script at ${pageScript.toFixed(0)} ms), the graph view's first frame at ${firstFrame.toFixed(0)} ms\n${table(open)}`);
    assert.ok(firstViewDrawn !== undefined && firstViewDrawn <= pageScript && pageScript <= firstFrame, `first view drawn at ${firstViewDrawn} ms, the page's script at ${pageScript}, first frame at ${firstFrame}`);
    assert.equal(previewFrame, undefined);
    assert.equal(firstViewShown, undefined, 'no picture: a first open');
    assert.equal(open.layouts[0].source, 'analysis', 'the layout worker took the same scene');
    assert.equal(await open.webview.locator('body').evaluate((body) => body.dataset.firstViewPlaced), 'same', 'the first view was drawn where the graph canvas came');
    assert.equal(await open.webview.locator('.first-view, .graph-preview').count(), 0, 'the first view went when the graph view drew');
    assert.equal(await open.webview.locator('body.graph-previewing').count(), 0, 'the page is shown');
  });

  it('keeps the webview renderer, in a process of its own, within 512 MB with the graph drawn', async () => {
    const mb = (bytes) => `${(bytes / 1048576).toFixed(0)} MB`;
    const own = await webviewRendererMemory(e2e.origin, e2e.workspace, MODEL);
    console.log(`      webview renderer: ${mb(own.webview)} with the 20k graph, ${mb(own.webviewSample)} with the sample model (the workbench's: ${mb(own.workbench)})`);
    assert.ok(own.webview <= 512 * 1048576, `the webview's renderer holds ${mb(own.webview)} (target <= 512 MB)`);
  });
});

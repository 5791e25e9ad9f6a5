// The time from a click in the Explorer to the first frame of the graph, in real VS Code, on a
// CI-sized model (a generated 20k-node transformer), with every phase on one clock
// (src/shared/openTimeline.ts). The full benchmark (DenseNet-121, 20k and 100k, medians, the d3-dag
// baseline) is bench/openEndToEnd.bench.mjs; this test fails CI on a gross regression: the target
// is 1 s at 20k on a warmed VS Code, the bound five times that. It also proves what makes reopening
// fast survives closing the editor and a window reload: the layout comes from IndexedDB and the
// graph's structure from the analysis process's cache (the model is not read again).
import assert from 'node:assert/strict';
import { PHASE_LABELS, timeOpen } from '../../scripts/vscode/openTiming.mjs';
import { screenshot, useSession } from './support.mjs';

const MODEL = 'transformer-20k.onnx';
const BOUND_MS = 5 * 1000;
/** The phases every first open passes through, in order (a reopen skips reading the model). */
const IN_ORDER = ['analysisRequested', 'analysisStarted', 'modelRead', 'graphBuilt', 'payloadBuilt', 'resultReceived', 'graphPosted', 'graphReceived', 'layoutDone', 'firstFrame'];

function table(open) {
  return PHASE_LABELS.filter(([k]) => open.timeline[k] !== undefined).map(([k, label]) => `      ${label.padEnd(34)} ${open.timeline[k].toFixed(0).padStart(6)} ms`).join('\n');
}

describe('opening a 20k-node model, click to first frame (timed, phases on one clock)', function () {
  this.timeout(300_000);
  const ctx = useSession();

  it('draws the graph within the bound, every phase stamped in order, and reopens from the caches', async () => {
    const page = ctx.session.page;
    await timeOpen(page, 'digits-mlp.onnx'); // warm VS Code: extension active, first webview made
    const first = await timeOpen(page, MODEL);
    console.log(`      first open: ${first.total.toFixed(0)} ms\n${table(first)}`);
    for (const k of IN_ORDER) assert.ok(first.timeline[k] !== undefined, `phase ${k} was not stamped`);
    const marks = IN_ORDER.map((k) => first.timeline[k]);
    assert.deepEqual([...marks].sort((a, b) => a - b), marks, `phases out of order: ${IN_ORDER.map((k, i) => `${k}=${marks[i].toFixed(0)}`).join(' ')}`);
    assert.ok(first.timeline.documentOpened >= 0, 'the document opens after the click');
    assert.equal(first.layouts[0].source, 'computed');
    assert.ok(first.total <= BOUND_MS, `click → first frame took ${first.total.toFixed(0)} ms (bound ${BOUND_MS} ms)`);
    await screenshot(page, 'open-timing-20k-dark');

    const again = await timeOpen(page, MODEL);
    console.log(`      reopened: ${again.total.toFixed(0)} ms (layout from ${again.layouts[0].source})`);
    assert.equal(again.layouts[0].source, 'indexeddb', 'the layout of the first open is reused');
    assert.equal(again.timeline.modelRead, undefined, 'the structure comes from the graph cache');
    assert.ok(again.total <= BOUND_MS, `reopen took ${again.total.toFixed(0)} ms`);

    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.getByRole('treeitem').first().waitFor({ timeout: 30_000 });
    await timeOpen(page, 'digits-mlp.onnx');
    const reloaded = await timeOpen(page, MODEL);
    console.log(`      after a window reload: ${reloaded.total.toFixed(0)} ms (layout from ${reloaded.layouts[0].source})`);
    assert.equal(reloaded.layouts[0].source, 'indexeddb', 'the layout cache survives a window reload');
    assert.equal(reloaded.timeline.modelRead, undefined, 'the graph cache survives a window reload');
  });
});

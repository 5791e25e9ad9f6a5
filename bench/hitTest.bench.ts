/**
 * The graph view's hit test (every hover and click on the canvas) on the generated 100k-node
 * transformer: the grid index (webview/graph/sceneIndex.ts, what GraphView uses) against a linear
 * scan over every item (what it used before), same scenes, same points, same run. Two scenes: the
 * default view (groups collapsed, what opens) and every group expanded (~10^5 boxes, the worst a
 * user can reach). Both must answer the same item for every point.
 *
 * Run by bench/run.mjs, or alone: `npx tsx bench/hitTest.bench.ts` (human lines on stderr, one JSON
 * line { results: [{ name, line, ok }] } on stdout).
 */
import { computeScene, LayoutCache } from '../src/core/graphLayout/computeScene';
import { buildHierarchy, defaultExpanded } from '../src/core/graphLayout/hierarchy';
import type { Scene } from '../src/core/graphLayout/scene';
import { buildSceneIndex, hitTest } from '../webview/graph/sceneIndex';
import { mulberry32, transformerLike } from '../test/fixtures/bigModels';
import { model } from '../test/fixtures/onnxBuilder';
import { payloadFromBytes } from '../test/unit/graph-view/payloadFromModel';
import { scanHitTest } from '../test/unit/graph-view/scanHitTest';

const QUERIES = 20_000;
const log = (s: string) => process.stderr.write(`${s}\n`);


/** Half the points on box centres (hovering a node), half anywhere in the scene (empty canvas, frames). */
function points(scene: Scene): Float64Array {
  const rand = mulberry32(7);
  const out = new Float64Array(QUERIES * 2);
  for (let q = 0; q < QUERIES; q++) {
    if (q % 2 === 0) {
      const i = Math.floor(rand() * scene.itemCount);
      out[2 * q] = scene.x[i] + scene.w[i] / 2;
      out[2 * q + 1] = scene.y[i] + scene.h[i] / 2;
    } else {
      out[2 * q] = rand() * scene.width;
      out[2 * q + 1] = rand() * scene.height;
    }
  }
  return out;
}

function measure(name: string, scene: Scene) {
  const pts = points(scene);
  const expected = new Int32Array(QUERIES);
  let t0 = performance.now();
  for (let q = 0; q < QUERIES; q++) expected[q] = scanHitTest(scene, pts[2 * q], pts[2 * q + 1]);
  const linearUs = ((performance.now() - t0) * 1000) / QUERIES;
  t0 = performance.now();
  const index = buildSceneIndex(scene);
  const buildMs = performance.now() - t0;
  let mismatches = 0;
  t0 = performance.now();
  for (let q = 0; q < QUERIES; q++) if (hitTest(index, pts[2 * q], pts[2 * q + 1]) !== expected[q]) mismatches++;
  const indexedUs = ((performance.now() - t0) * 1000) / QUERIES;
  const ratio = linearUs / indexedUs;
  log(`  ${name}: ${scene.itemCount.toLocaleString('en-US')} items; linear scan ${linearUs.toFixed(2)} µs per point, index ${indexedUs.toFixed(2)} µs (${ratio.toFixed(0)}x faster), built in ${buildMs.toFixed(1)} ms once per layout; ${mismatches} of ${QUERIES} points answered differently`);
  return { items: scene.itemCount, linearUs, indexedUs, ratio, buildMs, mismatches };
}

const payload = payloadFromBytes(model(transformerLike({ nodes: 100_000, shareWeights: true })), 'transformer-100k.onnx');
const hierarchy = buildHierarchy(payload);
const cache = new LayoutCache();
log(`Hit test on the ${payload.nodeCount.toLocaleString('en-US')}-node transformer (${QUERIES.toLocaleString('en-US')} points per scene)`);
const defaultView = measure('default view', computeScene(payload, hierarchy, defaultExpanded(hierarchy), cache));
const all = new Set(Array.from({ length: hierarchy.groupCount }, (_, g) => g));
const expanded = measure('every group expanded', computeScene(payload, hierarchy, all, cache));

const line = (r: typeof expanded) => `${r.items.toLocaleString('en-US')} items: ${r.indexedUs.toFixed(2)} µs vs ${r.linearUs.toFixed(1)} µs per point, ${r.ratio.toFixed(0)}x faster (index built in ${r.buildMs.toFixed(0)} ms per layout), ${r.mismatches} different answers`;
const results = [
  // The index must never answer differently, and must pay off where it matters: the big scene.
  { name: 'graph hit test 100k, every group expanded, index vs linear scan', line: `${line(expanded)} (target >= 10x, 0 different)`, ok: expanded.ratio >= 10 && expanded.mismatches === 0 },
  // A few dozen boxes: both take a microsecond or so; the index must only not cost a visible share of a frame.
  { name: 'graph hit test 100k, default view, index vs linear scan', line: `${line(defaultView)} (target: under 50 µs per point, 0 different)`, ok: defaultView.indexedUs < 50 && defaultView.mismatches === 0 },
];
process.stdout.write(`${JSON.stringify({ results, defaultView, expanded })}\n`);

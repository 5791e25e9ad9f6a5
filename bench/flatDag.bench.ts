/**
 * The baseline of the end-to-end open benchmark: a flat d3-dag layout of a model's whole main graph
 * (every node in one layered layout, the same box sizes as ours), which is what a viewer that lays
 * out everything at once pays before its first frame. d3-dag 1.2.2's sugiyama with the fast
 * operators (longest-path layering, DFS decrossing, greedy coordinates); its defaults (simplex
 * layering and coordinates, optimal decrossing) and two-layer decrossing are slower still.
 * A layered layout turns every edge that spans k layers into k - 1 dummy nodes; exported
 * transformers feed one attention mask to every layer, so the dummies grow with the square of
 * the depth (2k nodes: 18k dummies, 6 s; 20k: 1.7 M; 100k: 41 M). The caller caps the run
 * (bench/openEndToEnd.bench.mjs) and reports "did not finish" as a lower bound.
 * Usage: tsx bench/flatDag.bench.ts <model.onnx>; prints "dummies <n>" on stderr first, then
 * { nodes, edges, dummies, ms } as one JSON line on stdout.
 */
import { coordGreedy, decrossDfs, graphConnect, layeringLongestPath, sugiyama } from 'd3-dag';
import { inferModelShapes } from '../src/core/modelAnalysis';
import { buildGraph } from '../src/core/graph/build';
import { buildGraphPayload } from '../src/core/graph/payload';
import { readModelFile } from '../src/core/onnx/reader';
import { boxWidth, BOX, nodeBoxText } from '../src/core/graphLayout/computeScene';
import { consumerIndex } from '../src/core/graphLayout/consumers';

const file = process.argv[2];
const model = readModelFile(file);
const graph = buildGraph(model.info.graph);
const p = buildGraphPayload({ graph, inference: inferModelShapes(model, graph) }, file, file);
model.close();

const links: [string, string][] = [];
const seen = new Set<string>();
const cons = consumerIndex(p);
for (let v = 0; v < p.valueCount; v++) {
  const producer = p.valueProducer[v];
  if (producer < 0) continue;
  for (let k = cons.start[v]; k < cons.start[v + 1]; k++) {
    const key = `${producer}>${cons.nodes[k]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    links.push([String(producer), String(cons.nodes[k])]);
  }
}
// Nodes with no edge at all still need a box: a self-less single-node component each.
const linked = new Set(links.flat());
const widths = new Float64Array(p.nodeCount);
for (let n = 0; n < p.nodeCount; n++) widths[n] = boxWidth(nodeBoxText(p, n));

// Dummy nodes of a longest-path layering (what d3-dag will create), for the report.
const children: number[][] = Array.from({ length: p.nodeCount }, () => []);
for (const [a, b] of links) children[Number(a)].push(Number(b));
const layer = new Int32Array(p.nodeCount);
const byOrder = Array.from({ length: p.nodeCount }, (_, n) => n).sort((a, b) => p.nodeOrder[a] - p.nodeOrder[b]);
for (const n of byOrder) for (const c of children[n]) layer[c] = Math.max(layer[c], layer[n] + 1);
let dummies = 0;
for (const [a, b] of links) dummies += layer[Number(b)] - layer[Number(a)] - 1;
process.stderr.write(`dummies ${dummies}\n`);

const t0 = performance.now();
const dag = graphConnect().single(true)([...links, ...Array.from({ length: p.nodeCount }, (_, n) => String(n)).filter((n) => !linked.has(n)).map((n): [string, string] => [n, n])]);
const layout = sugiyama()
  .layering(layeringLongestPath())
  .decross(decrossDfs())
  .coord(coordGreedy())
  .nodeSize((node: { data: string }) => [widths[Number(node.data)] + BOX.nodeGap, BOX.nodeHeight + BOX.layerGap]);
layout(dag);
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ nodes: p.nodeCount, edges: links.length, dummies, ms })}\n`);

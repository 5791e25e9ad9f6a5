/**
 * Graph view layout benchmark (run by `npm run bench`, or alone: `npx tsx bench/layout.bench.ts all`).
 *
 * Same run, same graphs — DenseNet-121 (shared public fixture, ~1.7k nodes) and generated
 * BERT-like transformers of 20k and 100k nodes:
 * - ours: buildHierarchy + defaultExpanded + computeScene, what the worker does before first paint;
 *   also, for honesty, our layout of the WHOLE graph: flat (every node in one layered layout) and
 *   hierarchical with every group expanded.
 * - baseline: a full flat @dagrejs/dagre layout of the same nodes (same box sizes) and edges, in a
 *   child process with Node's default stack (a webview cannot raise it) and a wall-clock cap.
 *   When it does not finish or dies (dagre recurses: "Maximum call stack size exceeded"), the
 *   ratio is reported as "> cap / ours".
 *
 * Modes: `all` (orchestrates; human lines on stderr, one JSON line on stdout for bench/run.mjs),
 * `ours <graph>` and `dagre <graph>` (one measurement each, one JSON line on stdout).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import dagre from '@dagrejs/dagre';
import { inferModelShapes } from '../src/core/modelAnalysis';
import { buildGraph } from '../src/core/graph/build';
import { buildGraphPayload } from '../src/core/graph/payload';
import { readModelBytes, readModelFile, type OnnxModel } from '../src/core/onnx/reader';
import type { GraphPayload } from '../src/shared/graphPayload';
import { transformerLike } from '../test/fixtures/bigModels';
import { model } from '../test/fixtures/onnxBuilder';
import { boxWidth, BOX, computeScene, LayoutCache, nodeBoxText } from '../src/core/graphLayout/computeScene';
import { buildHierarchy, defaultExpanded } from '../src/core/graphLayout/hierarchy';
import { consumerIndex } from '../src/core/graphLayout/consumers';
import { LIGHT_MODELS_DIR } from '../test/fixtures/prerequisites';

const root = path.resolve(__dirname, '..');
const DENSENET = path.join(LIGHT_MODELS_DIR, 'light_densenet121.onnx');
const GRAPHS = ['densenet121', 'transformer20k', 'transformer100k'] as const;
type GraphName = (typeof GRAPHS)[number];
const CAP_S = Number(process.env.BENCH_DAGRE_CAP_S ?? 60);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

function payloadOf(m: OnnxModel, name: string): GraphPayload {
  try {
    const graph = buildGraph(m.info.graph);
    return buildGraphPayload({ graph, inference: inferModelShapes(m, graph) }, name, name);
  } finally {
    m.close();
  }
}

function loadGraph(name: GraphName): GraphPayload {
  if (name === 'densenet121') return payloadOf(readModelFile(DENSENET), name);
  const nodes = name === 'transformer20k' ? 20000 : 100000;
  return payloadOf(readModelBytes(model(transformerLike({ nodes, shareWeights: true })), name), name);
}

/** The same payload with every node in the root group: one flat layout of the whole graph. */
function flattened(p: GraphPayload): GraphPayload {
  return { ...p, groupCount: 1, groupNames: [''], groupParent: Int32Array.of(-1), groupNodeCount: Uint32Array.of(p.nodeCount), nodeGroup: new Uint32Array(p.nodeCount) };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

function timed(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

function measureOurs(p: GraphPayload) {
  let items = 0;
  const defaultMs = median(Array.from({ length: REPEATS }, () => timed(() => {
    const h = buildHierarchy(p);
    items = computeScene(p, h, defaultExpanded(h), new LayoutCache()).itemCount;
  })));
  const h = buildHierarchy(p);
  const all = new Set(Array.from({ length: h.groupCount }, (_, g) => g));
  const expandedMs = timed(() => computeScene(p, h, all, new LayoutCache()));
  const flat = flattened(p);
  const flatMs = timed(() => computeScene(flat, buildHierarchy(flat), new Set([0]), new LayoutCache()));
  return { nodes: p.nodeCount, items, defaultMs, expandedMs, flatMs };
}

function measureDagre(p: GraphPayload) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: BOX.nodeGap, ranksep: BOX.layerGap });
  g.setDefaultEdgeLabel(() => ({}));
  for (let n = 0; n < p.nodeCount; n++) g.setNode(String(n), { width: boxWidth(nodeBoxText(p, n)), height: BOX.nodeHeight });
  const cons = consumerIndex(p);
  let edges = 0;
  for (let v = 0; v < p.valueCount; v++) {
    const producer = p.valueProducer[v];
    if (producer < 0) continue;
    for (let k = cons.start[v]; k < cons.start[v + 1]; k++) {
      if (!g.hasEdge(String(producer), String(cons.nodes[k]))) edges++;
      g.setEdge(String(producer), String(cons.nodes[k]));
    }
  }
  const ms = timed(() => dagre.layout(g));
  return { nodes: p.nodeCount, edges, ms };
}

interface Line {
  name: string;
  line: string;
  ok: boolean;
}

function runChild(mode: string, graph: GraphName, timeoutMs?: number): { out?: Record<string, number>; error?: string } {
  try {
    const stdout = execFileSync(path.join(root, 'node_modules', '.bin', 'tsx'), [__filename, mode, graph], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(timeoutMs ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {}),
    });
    return { out: JSON.parse(stdout.trim().split('\n').pop()!) };
  } catch (err) {
    const e = err as { signal?: string; stderr?: string; message: string };
    if (e.signal === 'SIGKILL') return { error: `did not finish within ${CAP_S} s` };
    if (/Maximum call stack size exceeded/.test(e.stderr ?? '')) return { error: 'died: "Maximum call stack size exceeded"' };
    return { error: `failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-1)[0]}` };
  }
}

/** Flat dagre time per graph in ms (null when it did not finish), for the first-paint comparison. */
const dagreMs: Record<string, number | null> = {};

function all(): Line[] {
  const lines: Line[] = [];
  const log = (s: string) => process.stderr.write(`${s}\n`);
  for (const graph of GRAPHS) {
    if (graph === 'densenet121' && !fs.existsSync(DENSENET)) {
      log(`  ${graph}: fixture missing (${DENSENET}), skipped`);
      continue;
    }
    const ours = runChild('ours', graph);
    if (!ours.out) throw new Error(`ours on ${graph}: ${ours.error}`);
    // Dagre gets the cap plus the time its process needs to build the graph (not timed).
    const base = runChild('dagre', graph, CAP_S * 1000 + 30000);
    const o = ours.out;
    dagreMs[graph] = base.out?.ms ?? null;
    log(`  ${graph} (${o.nodes.toLocaleString('en-US')} nodes)`);
    log(`    ours, default view (${o.items} items)  ${o.defaultMs.toFixed(0)} ms`);
    log(`    ours, whole graph flat           ${o.flatMs.toFixed(0)} ms`);
    log(`    ours, every group expanded       ${o.expandedMs.toFixed(0)} ms`);
    const dagreText = base.out ? `${base.out.ms.toFixed(0)} ms` : base.error!;
    log(`    @dagrejs/dagre, whole graph flat ${dagreText}`);
    const ratio = base.out ? base.out.ms / o.defaultMs : (CAP_S * 1000) / o.defaultMs;
    const ratioText = `${base.out ? '' : '> '}${ratio.toFixed(0)}x`;
    const flatRatio = base.out ? `, our flat layout ${(base.out.ms / o.flatMs).toFixed(1)}x faster than dagre's` : '';
    log(`    default view vs flat dagre: ${ratioText} faster${flatRatio}`);
    if (graph === 'transformer100k') {
      lines.push({ name: 'graph layout 100k vs flat dagre', line: `default view ${o.defaultMs.toFixed(0)} ms vs dagre ${dagreText}: ${ratioText} faster (target >= 10x)`, ok: ratio >= 10 });
      lines.push({ name: 'graph default view 100k', line: `${o.defaultMs.toFixed(0)} ms to lay out (target <= 2000 ms)`, ok: o.defaultMs <= 2000 });
    }
  }
  return lines;
}

function main(): void {
  const [mode, graph] = process.argv.slice(2);
  if (mode === 'all' || mode === undefined) {
    const results = all();
    process.stdout.write(`${JSON.stringify({ results, dagreMs })}\n`);
    return;
  }
  if (!GRAPHS.includes(graph as GraphName) || (mode !== 'ours' && mode !== 'dagre')) throw new Error(`usage: layout.bench.ts all | ours|dagre ${GRAPHS.join('|')}`);
  const p = loadGraph(graph as GraphName);
  const out = mode === 'ours' ? measureOurs(p) : measureDagre(p);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main();

/**
 * The model diff at 100k nodes (issue: 100k vs 100k in ≤ 2 s on the 2-core machine), as ratios
 * against baselines measured in this same process:
 *  1. Matching a 100k-node transformer against a re-export that renamed every node, value and
 *     weight and inserted 6 nodes (all by structure) vs the plainest possible match, by name
 *     only, of the same graph against itself (one Map lookup per node). Also checks that the
 *     result is exact: 6 added, 0 removed.
 *  2. Scaling: the structural match at 10x the nodes (10k → 100k) in ≤ 12x the time.
 *  3. The whole structural diff (match, weights, per-node changes, signature) of the 100k pair vs
 *     building both graphs from their decoded files (core/graph/build.ts), which any diff must do.
 *  4. The diff editor's overlay (core/diff/union.ts: b plus a's removed nodes, the 6 inserted ones reversed),
 *     built and encoded as a graph payload, vs building one graph and its encoded payload (what
 *     opening one model costs): the overlay may cost no more than one more graph build.
 * Absolute times are printed too. Prints one JSON line at the end: { results: [{ name, line, ok }] }.
 *
 *   npx tsx bench/diff.bench.ts
 */
import { diffModels, matchSide } from '../src/core/diff/diffModels';
import { matchGraphs } from '../src/core/diff/match';
import { nodeStates } from '../src/core/diff/nodeStates';
import { unionGraph } from '../src/core/diff/union';
import { buildGraphPayload } from '../src/core/graph/payload';
import { encodeGraphPayload } from '../src/shared/payloadCodec';
import { buildGraph } from '../src/core/graph/build';
import type { Graph } from '../src/core/graph/types';
import { analyzeModel, type ModelAnalysis } from '../src/core/modelAnalysis';
import { readModelBytes } from '../src/core/onnx/reader';
import { transformerLike } from '../test/fixtures/bigModels';
import { renameAndInsert } from '../test/fixtures/diffPairs';
import { model } from '../test/fixtures/onnxBuilder';

const ROUNDS = Number(process.env.BENCH_DIFF_ROUNDS ?? 3);
const results: { name: string; line: string; ok: boolean }[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function timed(work: () => unknown, rounds = ROUNDS): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    work();
    times.push(performance.now() - t);
  }
  return median(times);
}

function report(name: string, ours: number, base: number, what: string, limit: number, extraOk = true): void {
  const ratio = ours / base;
  const line = `${what}: ${ours.toFixed(0)} ms vs ${base.toFixed(1)} ms, ${ratio.toFixed(2)}x (target <= ${limit}x)`;
  log(`  ${name}: ${line}`);
  results.push({ name, line, ok: ratio <= limit && extraOk });
}

/** The transformer and its renamed copy with 6 inserted nodes, analysed. */
function pair(nodes: number): { a: ModelAnalysis; b: ModelAnalysis; inserted: string[] } {
  const specB = transformerLike({ nodes, shareWeights: true });
  const names = specB.graph.node.map((n) => n.name ?? '');
  const ops = ['Identity', 'Relu', 'Mul', 'Add', 'Sigmoid', 'Identity'];
  const at: Record<string, string> = {};
  ops.forEach((op, k) => (at[names[Math.floor(((k + 0.5) * names.length) / ops.length)]] = op));
  const inserted = renameAndInsert(specB.graph, at);
  const a = analyzeModel(readModelBytes(model(transformerLike({ nodes, shareWeights: true })), 'a.onnx'), 'a.onnx');
  const b = analyzeModel(readModelBytes(model(specB), 'b.onnx'), 'b.onnx');
  return { a, b, inserted };
}

function nameOnly(a: Graph, b: Graph): number {
  const inB = new Map<string, number>();
  b.nodes.forEach((n, i) => inB.set(n.name, i));
  let matched = 0;
  for (const n of a.nodes) if (inB.has(n.name)) matched++;
  return matched;
}

function main(): void {
  log('Model diff (ratios against baselines in this process) ...');
  const small = pair(10_000);
  const large = pair(100_000);
  log(`  ${large.a.graph.nodes.length} vs ${large.b.graph.nodes.length} nodes`);

  const structural = (p: typeof large) => matchGraphs(matchSide(p.a), matchSide(p.b));
  const m = structural(large);
  const added = large.b.graph.nodes.length - (m.byName + m.byStructure);
  const removed = large.a.graph.nodes.length - (m.byName + m.byStructure);
  const exact = added === large.inserted.length && removed === 0;
  log(`  structural match: ${added} added, ${removed} removed (expected ${large.inserted.length}, 0)`);
  const ours = timed(() => structural(large));
  const base = timed(() => nameOnly(large.a.graph, large.a.graph));
  report('diff match 100k renamed vs name-only', ours, base, `structural match of ${large.a.graph.nodes.length} nodes (≤ 2000 ms asked; ${exact ? 'exact' : 'NOT exact'})`, 30, exact);

  const smallMs = timed(() => structural(small));
  report('diff match 100k vs 10k', ours, smallMs, '10x the nodes', 12);

  const build = timed(() => [buildGraph(large.a.model.info.graph), buildGraph(large.b.model.info.graph)], 1);
  const whole = timed(() => diffModels(large.a, large.b, { version: 'bench' }), 1);
  report('diff whole 100k vs building both graphs', whole, build, 'match + weights + per-node changes + signature', 3);

  // The overlay of b → a: b's inserted nodes are the removed ones, drawn as ghosts (the reverse
  // matching may leave a few more unmatched; every removed node is one ghost).
  const back = diffModels(large.b, large.a, { version: 'bench' });
  const states = nodeStates(large.b.graph, large.a.graph, back.matching, back.report.nodes.changed);
  const ghosts = unionGraph(large.b, large.a, back.matching, states).graph.nodes.length - large.a.graph.nodes.length;
  const overlay = timed(() => {
    const u = unionGraph(large.b, large.a, back.matching, states);
    return encodeGraphPayload(buildGraphPayload(u, 'overlay', 'x'));
  });
  const one = timed(() => {
    const graph = buildGraph(large.a.model.info.graph);
    return encodeGraphPayload(buildGraphPayload({ graph, inference: large.a.inference }, 'a', 'x'));
  });
  report('diff overlay 100k vs one graph build', overlay, one, `union (${ghosts} ghosts) + payload + encoding vs graph + payload + encoding of one model`, 1, ghosts === back.report.nodes.removed.length);
  process.stdout.write(`${JSON.stringify({ results })}\n`);
}

main();

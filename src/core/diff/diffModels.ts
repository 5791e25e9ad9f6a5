/**
 * The structural diff of two analysed models (core/modelAnalysis.ts): node matching
 * (match.ts), per-node changes (nodeChanges.ts), weights (weights.ts), signature and totals
 * (signature.ts), and one headline sentence. Pure: the CLI, the analysis process and the
 * benchmarks call it; nothing here decodes a weight whose bytes are identical.
 */
import * as path from 'node:path';
import { analyzeModel, type ModelAnalysis } from '../modelAnalysis';
import { readModelFile } from '../onnx/reader';
import { DIFF_SCHEMA, type DiffReport, type WeightDelta, type WeightsDiff } from '../../shared/diffReport';
import { matchGraphs, type Matching, type MatchSide } from './match';
import { nodeChanges, weightPairs, type WeightPair } from './nodeChanges';
import { fullKey, opKey } from './nodeKeys';
import { headline } from './headline';
import { signatureDiff, totals } from './signature';
import { compareWeights } from './weights';

export interface ModelDiff {
  report: DiffReport;
  matching: Matching;
}

export interface DiffOptions {
  /** Labels for the report's `a` and `b` (paths as given, or URIs); default the analysed paths. */
  labels?: [string, string];
  version: string;
  now?: Date;
}

export function matchSide(side: ModelAnalysis): MatchSide {
  const nodes = side.graph.nodes;
  const keys: (string | undefined)[] = new Array(nodes.length);
  return { graph: side.graph, ops: nodes.map(opKey), key: (i) => (keys[i] ??= fullKey(side.model, nodes[i])) };
}

export function diffModels(a: ModelAnalysis, b: ModelAnalysis, o: DiffOptions): ModelDiff {
  const t0 = performance.now();
  const matching = matchGraphs(matchSide(a), matchSide(b));
  const t1 = performance.now();
  const pairs = weightPairs(a, b, matching);
  addUnusedByName(a, b, pairs);
  const deltas = new Map<string, WeightDelta>();
  for (const [key, p] of pairs) deltas.set(key, compareWeights(p.a, p.b));
  const t2 = performance.now();

  const changed = nodeChanges(a, b, matching, deltas);
  const added: string[] = [];
  const removed: string[] = [];
  for (const i of b.graph.order) if (matching.bToA[i] < 0) added.push(b.graph.nodes[i].name);
  for (const i of a.graph.order) if (matching.aToB[i] < 0) removed.push(a.graph.nodes[i].name);
  const renamed: { a: string; b: string }[] = [];
  for (const x of a.graph.order) {
    const y = matching.aToB[x];
    if (y >= 0 && a.graph.nodes[x].name !== b.graph.nodes[y].name) renamed.push({ a: a.graph.nodes[x].name, b: b.graph.nodes[y].name });
  }
  const matched = matching.byName + matching.byStructure;
  const total = a.graph.nodes.length + b.graph.nodes.length;
  const weights = weightsDiff(a, b, pairs, deltas);
  const signature = signatureDiff(a.summary, b.summary);
  const nodes = { matched, matchedByName: matching.byName, matchedByStructure: matching.byStructure, added, removed, renamed, changed };
  const similarity = total === 0 ? 1 : (2 * matched) / total;
  const labels = o.labels ?? [a.summary.path, b.summary.path];
  const report: DiffReport = {
    schema: DIFF_SCHEMA,
    createdAt: (o.now ?? new Date()).toISOString(),
    tool: { name: 'onnx-lens', version: o.version },
    a: labels[0],
    b: labels[1],
    model: { path: labels[1] },
    similarity,
    headline: headline({ nodes, weights, signature, similarity, nodeCount: { a: a.graph.nodes.length, b: b.graph.nodes.length } }),
    signature,
    nodes,
    weights,
    totals: totals(a.summary, b.summary),
    timing: { matchMs: t1 - t0, weightsMs: t2 - t1, totalMs: performance.now() - t0 },
  };
  return { report, matching };
}

/** Initializers no matched node reads in both models (unused ones, or read by unmatched nodes) pair by name. */
function addUnusedByName(a: ModelAnalysis, b: ModelAnalysis, pairs: Map<string, WeightPair>): void {
  const usedA = new Set<string>();
  const usedB = new Set<string>();
  for (const p of pairs.values()) {
    usedA.add(p.a.t.name);
    usedB.add(p.b.t.name);
  }
  for (const [name, v] of a.graph.values) {
    const w = b.graph.values.get(name);
    if (!v.initializer || !w?.initializer || usedA.has(name) || usedB.has(name)) continue;
    pairs.set(`${name}→${name}`, { key: `${name}→${name}`, a: { ctx: a.model.tensorContext, t: v.initializer }, b: { ctx: b.model.tensorContext, t: w.initializer } });
  }
}

function weightsDiff(a: ModelAnalysis, b: ModelAnalysis, pairs: ReadonlyMap<string, WeightPair>, deltas: ReadonlyMap<string, WeightDelta>): WeightsDiff {
  const pairedA = new Set<string>();
  const pairedB = new Set<string>();
  let identical = 0;
  const list: WeightDelta[] = [];
  for (const [key, p] of pairs) {
    pairedA.add(p.a.t.name);
    pairedB.add(p.b.t.name);
    const d = deltas.get(key)!;
    if (d.identical) identical++;
    else list.push(d);
  }
  const unpaired = (side: ModelAnalysis, paired: Set<string>) => {
    const out: string[] = [];
    for (const t of side.model.info.graph.initializers) if (!paired.has(t.name)) out.push(t.name);
    return out;
  };
  const finite = (x: number | null) => (x === null ? -1 : Number.isFinite(x) ? x : Number.MAX_VALUE);
  list.sort((x, y) => finite(y.relativeL2) - finite(x.relativeL2));
  const diffs = list.map((d) => d.maxAbsDiff).filter((x): x is number => x !== null);
  return {
    identical, changed: list.length, added: unpaired(b, pairedB), removed: unpaired(a, pairedA),
    maxAbsDiff: diffs.length ? diffs.reduce((m, x) => Math.max(m, x), 0) : list.length ? null : 0, list,
  };
}

/** Reads, analyses and diffs two model files, closing both; throws OnnxLensError naming the file that cannot be read. */
export function diffModelFiles(fileA: string, fileB: string, o: DiffOptions): ModelDiff {
  const ma = readModelFile(fileA);
  try {
    const mb = readModelFile(fileB);
    try {
      const labels = o.labels ?? [fileA, fileB];
      return diffModels(analyzeModel(ma, path.resolve(fileA)), analyzeModel(mb, path.resolve(fileB)), { ...o, labels });
    } finally {
      mb.close();
    }
  } finally {
    ma.close();
  }
}

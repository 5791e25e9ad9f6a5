/**
 * The behaviour half of the diff: which values to compare (the outputs of matched nodes, in a's
 * topological order, float on both sides; graph outputs paired by the matching), and what the
 * paired runs say — per output agreement, per node error, and the first matched node whose
 * output moved beyond the tolerance. The runs themselves happen in the runtime process
 * (src/runtime/child/diffBehaviour.ts) through core/diff/pairedRuns.ts.
 */
import type { ModelAnalysis } from '../modelAnalysis';
import { isFloatType } from '../onnx/elemTypes';
import type { Divergence, NodeErrorDiff, OutputAgreementDiff } from '../../shared/diffReport';
import type { Matching } from './match';
import type { NamePair, PairedRuns } from './pairedRuns';

/** Values compared per node at most: each is an extra output of both sessions. */
export const MAX_COMPARED_VALUES = 2000;
/** Below this SQNR a node's output has diverged (40 dB: about 1% relative error). */
export const DEFAULT_TOLERANCE_DB = 40;

export interface ValuePair extends NamePair {
  nodeA: string;
  nodeB: string;
  opType: string;
}

export interface BehaviourPlan {
  values: ValuePair[];
  outputs: NamePair[];
  notes: string[];
}

function isFloatValue(side: ModelAnalysis, name: string): boolean {
  const t = side.inference.types.get(name);
  return !!t && isFloatType(t.elemType) && t.note === undefined;
}

export function behaviourPlan(a: ModelAnalysis, b: ModelAnalysis, m: Matching): BehaviourPlan {
  const notes: string[] = [];
  const candidates: ValuePair[] = [];
  for (const x of a.graph.order) {
    const y = m.aToB[x];
    if (y < 0) continue;
    const [nx, ny] = [a.graph.nodes[x], b.graph.nodes[y]];
    const [u, v] = [nx.info.outputs[0], ny.info.outputs[0]];
    if (!u || !v || !isFloatValue(a, u) || !isFloatValue(b, v)) continue;
    candidates.push({ a: u, b: v, nodeA: nx.name, nodeB: ny.name, opType: ny.opType });
  }
  let values = candidates;
  if (candidates.length > MAX_COMPARED_VALUES) {
    // Evenly spread along the order, so the first divergence is found to within a stride.
    const stride = candidates.length / MAX_COMPARED_VALUES;
    values = Array.from({ length: MAX_COMPARED_VALUES }, (_, k) => candidates[Math.floor(k * stride)]);
    notes.push(`${candidates.length} matched nodes have float outputs; every ${stride.toFixed(1)}th (${MAX_COMPARED_VALUES}) was compared`);
  }
  const outputs: NamePair[] = [];
  const inB = new Set(b.graph.outputs);
  for (const o of a.graph.outputs) {
    const paired = inB.has(o) ? o : m.values.get(o);
    if (paired !== undefined && inB.has(paired)) outputs.push({ a: o, b: paired });
    else notes.push(`output '${o}' of a has no counterpart in b`);
  }
  return { values, outputs, notes };
}

export interface BehaviourResult {
  samples: number;
  outputs: OutputAgreementDiff[];
  nodeErrors: NodeErrorDiff[];
  firstDivergence: Divergence | null;
}

export function summarizeRuns(plan: BehaviourPlan, runs: PairedRuns, toleranceDb = DEFAULT_TOLERANCE_DB): BehaviourResult {
  const outputs: OutputAgreementDiff[] = runs.outputs.map((r) => ({
    a: r.a, b: r.b, kind: r.kind, top1: r.kind === 'top1' && r.rows ? r.same / r.rows : null, rows: r.rows,
    maxAbsError: r.stats.maxAbs, meanAbsError: r.stats.meanAbs, relativeError: r.stats.relativeL2,
  }));
  const nodeErrors: NodeErrorDiff[] = [];
  let firstDivergence: Divergence | null = null;
  plan.values.forEach((p, k) => {
    const s = runs.values[k];
    if (!s) return;
    nodeErrors.push({ a: p.nodeA, b: p.nodeB, opType: p.opType, sqnrDb: s.sqnr, cosine: s.cosine, maxAbsError: s.maxAbs });
    if (firstDivergence === null && s.sqnr < toleranceDb) {
      firstDivergence = { a: p.nodeA, b: p.nodeB, opType: p.opType, value: { a: p.a, b: p.b }, sqnrDb: s.sqnr, cosine: s.cosine, maxAbsError: s.maxAbs };
    }
  });
  return { samples: runs.samples, outputs, nodeErrors, firstDivergence };
}

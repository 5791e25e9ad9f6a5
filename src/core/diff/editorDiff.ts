/**
 * Everything the diff editor shows, computed where the models are (the analysis process): the
 * report, each node's state on both sides, what a behaviour run would compare, and the overlay —
 * the union of both graphs (union.ts) encoded as a graph payload like any opened model's.
 */
import { createHash } from 'node:crypto';
import { buildGraphPayload } from '../graph/payload';
import type { ModelAnalysis } from '../modelAnalysis';
import type { DiffReport } from '../../shared/diffReport';
import type { DiffOverlayStates, DiffStates } from '../../shared/diffView';
import { encodeGraphPayload } from '../../shared/payloadCodec';
import { behaviourPlan, type BehaviourPlan } from './behaviour';
import { diffModels, type DiffOptions } from './diffModels';
import { nodeStates } from './nodeStates';
import { unionGraph } from './union';

export interface EditorDiff {
  report: DiffReport;
  states: DiffStates;
  plan: BehaviourPlan;
  overlay: DiffOverlayStates & { graph: ArrayBuffer };
}

/** `hashes`: the content hashes of a and b, so the overlay's layout is cached per pair of versions. */
export function editorDiff(a: ModelAnalysis, b: ModelAnalysis, o: DiffOptions & { hashes: [string, string] }): EditorDiff {
  const { report, matching } = diffModels(a, b, o);
  const states = nodeStates(a.graph, b.graph, matching, report.nodes.changed);
  const union = unionGraph(a, b, matching, states);
  const hash = createHash('sha1').update(`overlay|${o.hashes[0]}|${o.hashes[1]}`).digest('hex');
  const graph = encodeGraphPayload(buildGraphPayload(union, `${report.b.split(/[\\/]/).pop()} (overlay)`, hash));
  return { report, states, plan: behaviourPlan(a, b, matching), overlay: { graph, states: union.states, fromA: union.fromA } };
}

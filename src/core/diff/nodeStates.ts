/**
 * What the diff editor colours each node by: same, changed, or only on this side (added in b,
 * removed from a), per main-graph node index of each model — the index the graph payload uses.
 */
import type { ChangedNode } from '../../shared/diffReport';
import { NodeState, type DiffStates } from '../../shared/diffView';
import type { Graph } from '../graph/types';
import type { Matching } from './match';

export function nodeStates(a: Graph, b: Graph, m: Matching, changed: readonly ChangedNode[]): DiffStates {
  const stateA = new Uint8Array(a.nodes.length).fill(NodeState.Only);
  const stateB = new Uint8Array(b.nodes.length).fill(NodeState.Only);
  for (let x = 0; x < m.aToB.length; x++) {
    const y = m.aToB[x];
    if (y < 0) continue;
    stateA[x] = NodeState.Same;
    stateB[y] = NodeState.Same;
  }
  const indexA = new Map(a.nodes.map((n) => [n.name, n.index]));
  for (const c of changed) {
    const x = indexA.get(c.a);
    if (x === undefined || m.aToB[x] < 0) continue;
    stateA[x] = NodeState.Changed;
    stateB[m.aToB[x]] = NodeState.Changed;
  }
  return { a: stateA, b: stateB, aToB: m.aToB };
}

import type { GraphPayload } from '../../shared/graphPayload';

/** Nodes that read a missing value or that a payload problem names (drawn with the error colour). */
export function problemNodes(payload: GraphPayload): Set<number> {
  const nodes = new Set<number>();
  for (let n = 0; n < payload.nodeCount; n++) {
    for (let k = payload.nodeInputStart[n]; k < payload.nodeInputStart[n + 1]; k++) {
      const v = payload.nodeInputs[k];
      if (v >= 0 && payload.valueKind[v] === 3 /* ValueKind.Missing */) nodes.add(n);
    }
  }
  for (const p of payload.problems) if (p.node >= 0) nodes.add(p.node);
  return nodes;
}

/** Per-node values for a graph overlay, from values keyed by node name (NaN where a node has none). */
import type { GraphPayload } from '../shared/graphPayload';

export function valuesByNode(payload: GraphPayload, byName: Iterable<readonly [string, number]>): Float64Array {
  const values = new Float64Array(payload.nodeCount).fill(NaN);
  const index = new Map(payload.nodeNames.map((name, i) => [name, i]));
  for (const [name, value] of byName) {
    const i = index.get(name);
    if (i !== undefined) values[i] = value;
  }
  return values;
}

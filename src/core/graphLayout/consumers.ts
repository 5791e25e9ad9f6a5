/**
 * Who reads and who makes each value of a GraphPayload: the value → consumers CSR, built once per
 * payload, for the layout (computeScene.ts: which child of a level talks to which) and the page's
 * details and search.
 */
import type { GraphPayload } from '../../shared/graphPayload';

/** CSR of value → consuming nodes, built once per payload. */
export interface ConsumerIndex {
  start: Uint32Array;
  nodes: Uint32Array;
}

const consumerIndexes = new WeakMap<GraphPayload, ConsumerIndex>();

export function consumerIndex(p: GraphPayload): ConsumerIndex {
  let index = consumerIndexes.get(p);
  if (index) return index;
  const start = new Uint32Array(p.valueCount + 1);
  const inputs = p.nodeInputs;
  for (let k = 0; k < inputs.length; k++) if (inputs[k] >= 0) start[inputs[k] + 1]++;
  for (let v = 0; v < p.valueCount; v++) start[v + 1] += start[v];
  const fill = start.slice(0, p.valueCount);
  const nodes = new Uint32Array(start[p.valueCount]);
  for (let i = 0; i < p.nodeCount; i++) {
    for (let k = p.nodeInputStart[i]; k < p.nodeInputStart[i + 1]; k++) {
      const v = inputs[k];
      if (v >= 0) nodes[fill[v]++] = i;
    }
  }
  index = { start, nodes };
  consumerIndexes.set(p, index);
  return index;
}

export function producersOf(p: GraphPayload, value: number): number[] {
  const producer = p.valueProducer[value];
  return producer >= 0 ? [producer] : [];
}

/** Nodes reading the value, each once, in file order. */
export function consumersOf(p: GraphPayload, value: number): number[] {
  const { start, nodes } = consumerIndex(p);
  const out: number[] = [];
  for (let k = start[value]; k < start[value + 1]; k++) if (out[out.length - 1] !== nodes[k]) out.push(nodes[k]);
  return out;
}

/**
 * The diff editor's overlay: one graph that holds both versions. It is b's graph (same node
 * indices, so b's states, names and hierarchy carry over) plus a's removed nodes appended as
 * ghosts. A ghost's inputs are re-attached through the matching to the values b has in their
 * place (the paired producer's output at the same slot, or the graph input or initializer of the
 * same name); its outputs feed the b counterparts of the nodes that read them in a. The result is
 * an ordinary core Graph (with an InferenceResult), so it goes through the same payload path as
 * a model the model editor opens (core/graph/payload.ts) — same groups, same layout.
 * One pass over the removed nodes and their values plus a copy of b's value map: cheaper than
 * building one graph.
 */
import { NodeState, type DiffStates } from '../../shared/diffView';
import type { Graph, GraphNode, Value } from '../graph/types';
import type { InferenceResult } from '../shapes/types';
import type { Matching } from './match';

export interface UnionSide {
  graph: Graph;
  /** Shape inference of the side, for the overlay's edge labels and costs; null: declared types only. */
  inference: InferenceResult | null;
}

export interface DiffUnion {
  /** b's nodes at b's indices, then a's removed nodes (ghosts) in a's topological order. */
  graph: Graph;
  inference: InferenceResult | null;
  /** Per union node: b's state (same, changed, added = Only), or Removed for a ghost. */
  states: Uint8Array;
  /** The union node of each of a's nodes (its b counterpart, or its ghost). */
  fromA: Int32Array;
}

export function unionGraph(a: UnionSide, b: UnionSide, m: Matching, states: DiffStates): DiffUnion {
  const ga = a.graph, gb = b.graph;
  const nb = gb.nodes.length;
  const ghosts = ga.order.filter((x) => m.aToB[x] < 0);
  const fromA = Int32Array.from(m.aToB);
  ghosts.forEach((x, k) => (fromA[x] = nb + k));

  // Names of the values ghosts make: a's own, unless b already uses the name for something else.
  const values = new Map(gb.values);
  const ghostValue = new Map<string, string>();
  const fresh = (name: string) => {
    let out = name;
    for (let k = 1; values.has(out) || gb.outputs.includes(out); k++) out = `${name} (a${k > 1 ? k : ''})`;
    return out;
  };
  for (const x of ghosts) {
    for (const o of ga.nodes[x].info.outputs) {
      if (o === '') continue;
      const name = fresh(o);
      ghostValue.set(o, name);
      const v = ga.values.get(o);
      values.set(name, { name, kind: 'intermediate', producer: fromA[x], consumers: [], declared: v?.declared ?? null, initializer: null, isGraphOutput: ga.outputs.includes(o) });
    }
  }

  /** The union's name for a value a ghost reads. */
  const unionName = (name: string): string => {
    if (name === '') return name;
    const ghost = ghostValue.get(name);
    if (ghost !== undefined) return ghost;
    const paired = m.values.get(name);
    if (paired !== undefined && values.has(paired)) return paired;
    const v = ga.values.get(name);
    if (v && v.producer >= 0 && m.aToB[v.producer] >= 0) {
      const slot = ga.nodes[v.producer].info.outputs.indexOf(name);
      const twin = gb.nodes[m.aToB[v.producer]].info.outputs[slot];
      if (twin) return twin;
    }
    if (gb.values.has(name) && (!v || v.producer < 0)) return name;
    // Only a has it (an initializer or input the removed node read): it comes along as a ghost value.
    const own = fresh(name);
    ghostValue.set(name, own);
    values.set(own, { name: own, kind: v?.kind ?? 'outer', producer: -1, consumers: [], declared: v?.declared ?? null, initializer: v?.initializer ?? null, isGraphOutput: false });
    return own;
  };
  const consumedBy = (name: string, node: number) => {
    const v = values.get(name);
    if (v) values.set(name, { ...v, consumers: [...v.consumers, node] });
  };

  const nodes: GraphNode[] = gb.nodes.slice();
  const extraInputs = new Map<number, string[]>();
  const inputs = gb.inputs.slice();
  for (const x of ghosts) {
    const n = ga.nodes[x];
    const u = fromA[x];
    const ins = n.info.inputs.map(unionName);
    for (const name of ins) {
      if (name === '') continue;
      consumedBy(name, u);
      if (values.get(name)?.kind === 'input' && !inputs.includes(name)) inputs.push(name);
    }
    nodes.push({ ...n, index: u, info: { ...n.info, inputs: ins, outputs: n.info.outputs.map((o) => (o === '' ? o : ghostValue.get(o)!)) } });
    // Edges from the ghost to what reads its outputs in a, re-attached to their b counterparts.
    for (const o of n.info.outputs) {
      for (const c of ga.values.get(o)?.consumers ?? []) {
        const y = m.aToB[c];
        if (y < 0) continue;
        const list = extraInputs.get(y) ?? [];
        const name = ghostValue.get(o)!;
        if (!list.includes(name)) {
          list.push(name);
          consumedBy(name, y);
        }
        extraInputs.set(y, list);
      }
    }
  }
  for (const [y, extra] of extraInputs) nodes[y] = { ...nodes[y], info: { ...nodes[y].info, inputs: [...nodes[y].info.inputs, ...extra] } };

  const outputs = gb.outputs.slice();
  for (const o of ga.outputs) {
    const name = ghostValue.get(o);
    if (name !== undefined && values.get(name)!.producer >= nb) outputs.push(name);
  }
  const statesU = new Uint8Array(nb + ghosts.length).fill(NodeState.Removed);
  statesU.set(states.b);
  const graph: Graph = { name: gb.name, nodes, values, inputs, outputs, order: unionOrder(gb, nodes, ghosts.length, values), parent: null, problems: gb.problems };
  return { graph, inference: unionInference(a.inference, b.inference, ghosts, ghostValue), states: statesU, fromA };
}

/**
 * b's topological order with each ghost placed right after the last of its producers (b's
 * position of a b node, or the earlier ghost's place), so a ghost follows what it reads.
 */
function unionOrder(gb: Graph, nodes: GraphNode[], ghostCount: number, values: Map<string, Value>): number[] {
  const nb = gb.nodes.length;
  const position = new Int32Array(nb + ghostCount);
  gb.order.forEach((y, p) => (position[y] = p));
  const after = new Map<number, number[]>();
  for (let u = nb; u < nb + ghostCount; u++) {
    let last = -1;
    for (const name of nodes[u].info.inputs) {
      const p = name === '' ? -1 : values.get(name)?.producer ?? -1;
      if (p >= 0) last = Math.max(last, position[p]);
    }
    position[u] = last;
    const list = after.get(last) ?? [];
    list.push(u);
    after.set(last, list);
  }
  const order: number[] = [...(after.get(-1) ?? [])];
  gb.order.forEach((y, p) => {
    order.push(y);
    const list = after.get(p);
    if (list) for (const u of list) order.push(u);
  });
  return order;
}

/** b's inference, with each ghost's cost and its values' types taken from a's. */
function unionInference(a: InferenceResult | null, b: InferenceResult | null, ghosts: number[], ghostValue: Map<string, string>): InferenceResult | null {
  if (!a || !b) return null;
  const types = new Map(b.types);
  for (const [name, own] of ghostValue) {
    const t = a.types.get(name);
    if (t) types.set(own, t);
  }
  const costs = b.costs.slice();
  for (const x of ghosts) costs.push(a.costs[x]);
  return { ...b, types, costs };
}

/**
 * Name scopes for hierarchical views. Exporters encode hierarchy in names
 * ('/encoder/layer.0/attention/MatMul' from PyTorch, 'model/dense/MatMul' from TF); when a
 * graph has none, repeated structure stands in: the node sequence is cut wherever exactly one
 * tensor is live (the seam between residual or dense blocks), and each stretch becomes a block.
 */
import type { Graph, GraphNode } from './types';

/** Below this share of scoped nodes, names are not trusted as a hierarchy. */
const MIN_SCOPED_SHARE = 0.2;
/** Blocks only help when the graph is large enough to need grouping. */
const MIN_NODES_FOR_BLOCKS = 24;

export function assignScopes(g: Graph): void {
  if (g.nodes.length === 0) return;
  const constant = constantNodes(g);
  const named = g.nodes.map((n) => nameScope(n));
  const common = commonPrefix(named.filter((s, i) => s.length > 0 && !constant[i]));
  const scopes = named.map((s) => s.slice(common));
  const compute = g.nodes.filter((_, i) => !constant[i]);
  const scoped = compute.filter((n) => scopes[n.index].length > 0).length;
  if (scoped >= MIN_SCOPED_SHARE * compute.length && new Set(compute.map((n) => scopes[n.index][0] ?? '')).size > 1) {
    g.nodes.forEach((n, i) => (n.scope = scopes[i]));
  } else if (compute.length >= MIN_NODES_FOR_BLOCKS) {
    assignBlocks(g, constant);
  }
  adoptConsumerScopes(g, constant);
}

/**
 * Nodes whose outputs depend only on constants (Constant, weight generators such as
 * ConstantOfShape over an initializer, folded shape arithmetic). They belong with the layer
 * that uses them, not in a scope of their own.
 */
function constantNodes(g: Graph): Uint8Array {
  const constant = new Uint8Array(g.nodes.length);
  for (const i of g.order) {
    const n = g.nodes[i];
    constant[i] = n.info.inputs.every((name) => {
      if (name === '') return true;
      const v = g.values.get(name);
      return !!v && (v.kind === 'initializer' || (v.producer >= 0 && constant[v.producer] === 1));
    }) && n.subgraphs.length === 0 ? 1 : 0;
  }
  return constant;
}

/** Gives unscoped constant nodes the scope of their first consumer, latest first so chains resolve. */
function adoptConsumerScopes(g: Graph, constant: Uint8Array): void {
  for (let k = g.order.length - 1; k >= 0; k--) {
    const n = g.nodes[g.order[k]];
    if (!constant[n.index] || n.scope.length > 0) continue;
    for (const out of n.info.outputs) {
      const consumer = g.values.get(out)?.consumers[0];
      if (consumer !== undefined) {
        n.scope = g.nodes[consumer].scope;
        break;
      }
    }
  }
}

/** The scope path in a node's name (or, for unnamed nodes, its first output's name). */
export function nameScope(n: GraphNode): string[] {
  const source = n.info.name || n.info.outputs[0] || '';
  const parts = source.split('/').filter((p) => p.length > 0);
  return parts.slice(0, -1);
}

function commonPrefix(paths: string[][]): number {
  if (paths.length === 0) return 0;
  let k = 0;
  for (;;) {
    const first = paths[0][k];
    if (first === undefined || paths.some((p) => p.length <= k + 1 || p[k] !== first)) return k;
    k++;
  }
}

/** Cuts the topological sequence where one tensor is live and names the stretches block1, block2, ... */
function assignBlocks(g: Graph, constant: Uint8Array): void {
  const seq = g.order.filter((i) => !constant[i]);
  const n = seq.length;
  const pos = new Int32Array(g.nodes.length).fill(-1);
  seq.forEach((node, i) => (pos[node] = i));
  // live[i] = tensors produced before position i and still needed at or after it.
  const delta = new Int32Array(n + 1);
  for (const v of g.values.values()) {
    if (v.kind === 'initializer' || v.consumers.length === 0 || (v.producer >= 0 && constant[v.producer])) continue;
    const from = v.producer >= 0 ? pos[v.producer] + 1 : 0;
    let last = -1;
    for (const c of v.consumers) last = Math.max(last, pos[c]);
    if (last >= from) {
      delta[from]++;
      delta[last + 1]--;
    }
  }
  const cuts: number[] = [0];
  let live = 0;
  for (let i = 0; i < n; i++) {
    live += delta[i];
    if (i > 0 && live <= 1 && i - cuts[cuts.length - 1] >= 2) cuts.push(i);
  }
  if (cuts.length < 3) return;
  cuts.push(n);
  const width = String(cuts.length - 1).length;
  for (let b = 0; b + 1 < cuts.length; b++) {
    const label = `block${String(b + 1).padStart(width, '0')}`;
    for (let i = cuts[b]; i < cuts[b + 1]; i++) g.nodes[seq[i]].scope = [label];
  }
}

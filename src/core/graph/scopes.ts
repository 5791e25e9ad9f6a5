/**
 * Name scopes for hierarchical views. Exporters encode hierarchy in names
 * ('/encoder/layer.0/attention/MatMul' from PyTorch, 'model/dense/MatMul' from TF); when a
 * graph has none, repeated structure stands in: the node sequence is cut wherever exactly one
 * tensor is live (the seam between residual or dense blocks), and each stretch becomes a block.
 */
import type { Graph, GraphNode, Value } from './types';

/** Below this share of scoped nodes, names are not trusted as a hierarchy. */
const MIN_SCOPED_SHARE = 0.2;
/** Blocks only help when the graph is large enough to need grouping. */
const MIN_NODES_FOR_BLOCKS = 24;

export function assignScopes(g: Graph): void {
  if (g.nodes.length === 0) return;
  const constant = constantNodes(g);
  // Nodes with the same path share one array (a layer's dozens of nodes, one scope): no arrays per
  // node to build and collect, and the payload finds a node's group by the array's identity.
  const named = nameScopes(g.nodes);
  const distinct = new Set<string[]>();
  for (let i = 0; i < named.length; i++) if (named[i].length > 0 && !constant[i]) distinct.add(named[i]);
  const common = commonPrefix([...distinct]);
  const trimmed = new Map<string[], string[]>();
  const scopes = common === 0 ? named : named.map((s) => {
    let t = trimmed.get(s);
    if (t === undefined) trimmed.set(s, (t = s.slice(common)));
    return t;
  });
  let computeCount = 0;
  let scoped = 0;
  const firsts = new Set<string>();
  for (let i = 0; i < scopes.length; i++) {
    if (constant[i]) continue;
    computeCount++;
    if (scopes[i].length > 0) scoped++;
    firsts.add(scopes[i][0] ?? '');
  }
  if (scoped >= MIN_SCOPED_SHARE * computeCount && firsts.size > 1) {
    g.nodes.forEach((n, i) => (n.scope = scopes[i]));
  } else if (computeCount >= MIN_NODES_FOR_BLOCKS) {
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
  const count = g.nodes.length;
  // Per node, how many of its input slots hold a constant: an initializer, or an output of a node
  // found constant earlier in the order. Counted along consumer lists, not looked up by name.
  const held = new Int32Array(count);
  const credit = (v: Value) => {
    for (const c of v.consumers) held[c]++;
  };
  for (const v of g.values.values()) if (v.kind === 'initializer') credit(v);
  const constant = new Uint8Array(count);
  for (const i of g.order) {
    const n = g.nodes[i];
    if (n.subgraphs.length > 0) continue;
    let slots = 0;
    for (const name of n.info.inputs) if (name !== '') slots++;
    if (held[i] !== slots) continue;
    constant[i] = 1;
    n.info.outputs.forEach((out, k) => {
      const v = out === '' || n.info.outputs.indexOf(out) !== k ? undefined : g.values.get(out);
      if (v && v.producer === i) credit(v);
    });
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

/**
 * Each node's scope path: the parts of its name (or, for unnamed nodes, its first output's name)
 * before the last, one array per distinct path.
 */
function nameScopes(nodes: readonly GraphNode[]): string[][] {
  const byPrefix = new Map<string, string[]>();
  return nodes.map((n) => {
    const source = n.info.name || n.info.outputs[0] || '';
    // Empty parts do not count ('a//b/' is a, b): the last part is what follows the last '/' that
    // trailing slashes do not end, and the path is the non-empty parts before it.
    let end = source.length;
    while (end > 0 && source.charCodeAt(end - 1) === 0x2f) end--;
    const cut = end > 0 ? source.lastIndexOf('/', end - 1) : -1;
    const prefix = cut > 0 ? source.slice(0, cut) : '';
    let scope = byPrefix.get(prefix);
    if (scope === undefined) byPrefix.set(prefix, (scope = prefix.split('/').filter((p) => p.length > 0)));
    return scope;
  });
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

/** Short op names for block labels (the box is ~38 characters wide). */
const OP_ABBREVIATIONS: Record<string, string> = {
  BatchNormalization: 'BN', LayerNormalization: 'LN', InstanceNormalization: 'IN', GroupNormalization: 'GN',
  GlobalAveragePool: 'GAP', AveragePool: 'AvgPool', ConvTranspose: 'ConvT', MultiHeadAttention: 'MHA',
};
/** Ops that carry no structure of their own: left out of a block's label. */
const PLUMBING = new Set(['Identity', 'Reshape', 'Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Cast', 'Constant', 'ConstantOfShape', 'Flatten', 'Transpose', 'Slice', 'Dropout']);
const MAX_LABEL_OPS = 5;
/** Longest chain of single-tensor positions still read as one joint between blocks. */
const MAX_JOINT = 8;
/** Ops a block of a plain chain starts with. */
const BLOCK_STARTS = /^(Conv|ConvTranspose|MatMul|Gemm|ConvInteger|MatMulInteger|QLinearConv|QLinearMatMul|Attention|MultiHeadAttention|LSTM|GRU|RNN)$/;

/** Element-wise arithmetic: a block's label names it only when the block has nothing else. */
const ARITHMETIC = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Sqrt', 'Neg', 'Abs', 'Reciprocal']);

/** "Conv·BN·Relu": the block's distinct ops in order of first use, plumbing (and arithmetic, when there is more) left out. */
function blockPattern(g: Graph, nodes: readonly number[]): string {
  const ops: string[] = [];
  const structural = nodes.some((i) => !PLUMBING.has(g.nodes[i].opType) && !ARITHMETIC.has(g.nodes[i].opType));
  for (const i of nodes) {
    const op = g.nodes[i].opType;
    if (PLUMBING.has(op) || (structural && ARITHMETIC.has(op))) continue;
    const short = OP_ABBREVIATIONS[op] ?? op;
    if (!ops.includes(short)) ops.push(short);
  }
  if (ops.length === 0) for (const i of nodes) if (!ops.includes(g.nodes[i].opType)) ops.push(g.nodes[i].opType);
  return ops.length > MAX_LABEL_OPS ? `${ops.slice(0, MAX_LABEL_OPS).join('·')}·…` : ops.join('·');
}

/**
 * A unit that the seams cut in two (conv, then its activation) alternates A B A B …: each such
 * pair becomes one block, so the run reads "Conv·Clip ×27" rather than 54 blocks named in turn.
 */
function pairRepeats(g: Graph, blocks: number[][]): number[][] {
  const label = blocks.map((nodes) => blockPattern(g, nodes));
  const out: number[][] = [];
  for (let b = 0; b < blocks.length;) {
    const alternates = (k: number) => k + 3 < blocks.length && label[k] !== label[k + 1] && label[k] === label[k + 2] && label[k + 1] === label[k + 3];
    if (!alternates(b)) {
      out.push(blocks[b++]);
      continue;
    }
    const [a, c] = [label[b], label[b + 1]];
    while (b + 1 < blocks.length && label[b] === a && label[b + 1] === c) {
      out.push([...blocks[b], ...blocks[b + 1]]);
      b += 2;
    }
  }
  return out;
}

/**
 * Cuts the topological sequence where one tensor is live, then names what it finds: each stretch
 * by its op pattern ("BN·Relu·Conv·Concat"), and consecutive stretches with the same pattern
 * (the layers of a dense or residual stage) under one group named "<pattern> ×<count>" whose
 * children are "block 1", "block 2", … . A pattern that comes back later gets " (2)", " (3)", so
 * separate stages never merge into one group.
 */
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
  // A seam is a position where one tensor is live. In a plain chain every position is one; there
  // a block starts at a compute op (Conv, MatMul, …), so "Conv·BN·Relu" stays together.
  const seam = new Uint8Array(n);
  let live = 0;
  for (let i = 0; i < n; i++) {
    live += delta[i];
    seam[i] = i > 0 && live <= 1 ? 1 : 0;
  }
  const cuts: number[] = [0];
  for (let a = 1; a < n;) {
    if (!seam[a]) { a++; continue; }
    let b = a;
    while (b + 1 < n && seam[b + 1]) b++;
    // A short run is the joint between two blocks (a transition): cut where it starts and where
    // the next block's fan-out begins. A long run is a plain chain: also cut before compute ops.
    const at = new Set(b + 1 < n ? [a, b] : [a]);
    if (b - a > MAX_JOINT) for (let i = a + 1; i < b; i++) if (BLOCK_STARTS.test(g.nodes[seq[i]].opType)) at.add(i);
    for (const i of [...at].sort((x, y) => x - y)) if (i - cuts[cuts.length - 1] >= 2) cuts.push(i);
    a = b + 1;
  }
  if (cuts.length < 3) return;
  cuts.push(n);
  const blocks = pairRepeats(g, cuts.slice(0, -1).map((from, b) => seq.slice(from, cuts[b + 1])));
  // Blocks repeat when their labels match (a dense layer, a residual unit; a unit whose last
  // layer adds a reshape is still one of them).
  const signature = blocks.map((nodes) => blockPattern(g, nodes));
  const used = new Map<string, number>();
  const unique = (label: string) => {
    const count = (used.get(label) ?? 0) + 1;
    used.set(label, count);
    return count === 1 ? label : `${label} (${count})`;
  };
  for (let b = 0; b < blocks.length;) {
    let end = b + 1;
    while (end < blocks.length && signature[end] === signature[b]) end++;
    const pattern = signature[b];
    if (end - b === 1) {
      const scope = [unique(pattern)];
      for (const i of blocks[b]) g.nodes[i].scope = scope;
    } else {
      const run = unique(`${pattern} ×${end - b}`);
      for (let k = b; k < end; k++) {
        const scope = [run, `block ${k - b + 1}`];
        for (const i of blocks[k]) g.nodes[i].scope = scope;
      }
    }
    b = end;
  }
}

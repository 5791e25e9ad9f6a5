/**
 * Builds the Graph (values with identity, producers/consumers, topological order) from a
 * GraphInfo, recursing into If/Loop/Scan bodies. Never throws on broken structure: problems
 * (cycles, dangling names, duplicate outputs) are recorded so views can show what they can.
 */
import type { GraphInfo, TypeInfo } from '../onnx/types';
import { assignScopes } from './scopes';
import type { Graph, GraphNode, Value } from './types';

/** Up to this many readers, a value's consumer list is copied exactly rather than grown by push. */
const FEW_READERS = 4;

export function buildGraph(info: GraphInfo, parent: Graph | null = null): Graph {
  const g: Graph = { name: info.name, nodes: [], values: new Map(), inputs: [], outputs: [], order: [], parent, problems: [] };
  const declared = new Map<string, TypeInfo>();
  for (const v of [...info.valueInfo, ...info.inputs, ...info.outputs]) if (v.name) declared.set(v.name, v.type);

  const add = (name: string, kind: Value['kind'], producer: number): Value => {
    const v: Value = { name, kind, producer, consumers: [], declared: declared.get(name) ?? null, initializer: null, isGraphOutput: false };
    g.values.set(name, v);
    return v;
  };
  for (const t of info.initializers) {
    const v = add(t.name, 'initializer', -1);
    v.initializer = t;
    v.declared ??= { kind: 'tensor', elemType: t.elemType, shape: t.dims };
  }
  for (const s of info.sparseInitializers) {
    const v = add(s.values.name, 'initializer', -1);
    v.declared ??= { kind: 'sparse_tensor', elemType: s.values.elemType, shape: s.dims };
  }
  for (const i of info.inputs) {
    if (!g.values.has(i.name)) {
      add(i.name, 'input', -1);
      g.inputs.push(i.name);
    }
  }

  info.nodes.forEach((n, index) => {
    g.nodes.push({
      index, name: n.name || `${n.opType || 'node'}_${index}`, opType: n.opType, domain: n.domain,
      info: n, scope: [], subgraphs: [], attributes: n.attributes,
    });
    for (const out of n.outputs) {
      if (!out) continue;
      const existing = g.values.get(out);
      if (existing && (existing.producer >= 0 || existing.kind !== 'outer')) {
        g.problems.push({ code: 'duplicate-output', value: out, node: g.nodes[index].name,
          message: `value '${out}' is produced more than once (by node '${g.nodes[index].name}' and ${existing.producer >= 0 ? `node '${g.nodes[existing.producer].name}'` : `the graph's ${existing.kind}s`})` });
        continue;
      }
      add(out, 'intermediate', index);
    }
  });

  // Subgraphs after all local values exist, so their outer-scope reads resolve to them.
  for (const node of g.nodes) {
    for (const a of node.attributes) {
      if (a.g) node.subgraphs.push({ attribute: a.name, graph: buildGraph(a.g, g) });
      a.graphs?.forEach((sg, i) => node.subgraphs.push({ attribute: `${a.name}[${i}]`, graph: buildGraph(sg, g) }));
    }
  }

  const consume = (name: string, node: GraphNode) => {
    const v = g.values.get(name) ?? resolveOuter(g, name, node);
    // Most values have one or two readers: exact-size arrays for those (push reserves 16 slots,
    // ~150 bytes kept per value for the model's life), push once a value has many.
    if (v.consumers.length < FEW_READERS) v.consumers = v.consumers.concat(node.index);
    else v.consumers.push(node.index);
  };
  for (const node of g.nodes) {
    for (const name of node.info.inputs) if (name !== '') consume(name, node);
    for (const s of node.subgraphs) for (const name of outerReads(s.graph)) consume(name, node);
  }

  for (const o of info.outputs) {
    g.outputs.push(o.name);
    const v = g.values.get(o.name) ?? (parent ? lookup(parent, o.name) : undefined);
    if (v) v.isGraphOutput = true;
    else g.problems.push({ code: 'missing-output', value: o.name, message: `graph output '${o.name}' is not produced by any node, input or initializer` });
  }

  g.order = topologicalOrder(g);
  assignScopes(g);
  return g;
}

/** A value read here but defined in an enclosing graph; dangling when no enclosing graph has it. */
function resolveOuter(g: Graph, name: string, node: GraphNode): Value {
  const found = g.parent ? lookup(g.parent, name) : undefined;
  const v: Value = { name, kind: 'outer', producer: -1, consumers: [], declared: found?.declared ?? null, initializer: found?.initializer ?? null, isGraphOutput: false };
  g.values.set(name, v);
  if (!found) {
    g.problems.push({ code: 'dangling-input', value: name, node: node.name,
      message: `node '${node.name}' (${node.opType}) reads '${name}', which no node, input or initializer provides` });
  }
  return v;
}

function lookup(g: Graph, name: string): Value | undefined {
  for (let cur: Graph | null = g; cur; cur = cur.parent) {
    const v = cur.values.get(name);
    if (v && v.kind !== 'outer') return v;
  }
  return undefined;
}

/** Names a subgraph (and its nested subgraphs) reads from enclosing scopes. */
function outerReads(sub: Graph): string[] {
  const names: string[] = [];
  for (const v of sub.values.values()) if (v.kind === 'outer') names.push(v.name);
  return names;
}

/** Kahn's algorithm in file order; nodes on a cycle are reported once and appended in file order. */
function topologicalOrder(g: Graph): number[] {
  const n = g.nodes.length;
  const pending = new Int32Array(n);
  // Each node's users as one flat list (CSR): an array per node was 100k small objects to collect.
  const userStart = new Int32Array(n + 1);
  const selfLoop = new Uint8Array(n);
  const produced: Value[] = [];
  for (const v of g.values.values()) {
    if (v.producer < 0) continue;
    produced.push(v);
    for (const c of v.consumers) {
      if (c === v.producer) selfLoop[c] = 1;
      else {
        pending[c]++;
        userStart[v.producer + 1]++;
      }
    }
  }
  for (let i = 0; i < n; i++) userStart[i + 1] += userStart[i];
  const users = new Int32Array(userStart[n]);
  const filled = userStart.slice(0, n);
  for (const v of produced) for (const c of v.consumers) if (c !== v.producer) users[filled[v.producer]++] = c;
  const order: number[] = [];
  // Ready nodes are taken smallest index first, so a file already in order keeps its order.
  const ready = new MinHeap();
  for (let i = 0; i < n; i++) if (pending[i] === 0 && !selfLoop[i]) ready.push(i);
  while (ready.size) {
    const i = ready.pop();
    order.push(i);
    for (let k = userStart[i]; k < userStart[i + 1]; k++) {
      const u = users[k];
      if (--pending[u] === 0 && !selfLoop[u]) ready.push(u);
    }
  }
  if (order.length < n) {
    const placed = new Uint8Array(n);
    for (const i of order) placed[i] = 1;
    const stuck = g.nodes.filter((x) => !placed[x.index]);
    g.problems.push({ code: 'cycle', node: stuck[0].name,
      message: `the graph has a cycle: ${stuck.length} node(s) wait on each other's outputs, starting with node '${stuck[0].name}' (${stuck[0].opType})` });
    for (const x of stuck) order.push(x.index);
  }
  return order;
}

class MinHeap {
  private a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= x) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && a[l + 1] < a[l] ? l + 1 : l;
        if (a[c] >= last) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

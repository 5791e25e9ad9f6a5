/**
 * Which node of model a is which node of model b.
 *
 * 1. By name: a node name (or, for unnamed nodes, its first output's name) found once on each
 *    side pairs the two nodes when their op agrees or they share a value name.
 * 2. By structure, for exports that renamed everything: from anchors (name-matched nodes, graph
 *    inputs and outputs by name or position, initializers by name) matches spread along the
 *    values. A matched value's producers pair when their ops agree; its consumers pair by op,
 *    then by equal attributes and input slot, then by topological position. Where one side has
 *    nodes the other lacks (an insertion), the spread looks past up to SKIP_DEPTH unmatched nodes
 *    for the op it wants, so the inserted nodes stay unmatched and everything around them pairs.
 * 3. Nodes left over pair when their op, attributes and matched neighbourhood form a key found
 *    once on each side; step 2 resumes from them.
 *
 * Every step is a pass over nodes or values with hash maps; sorting consumer groups by position
 * is the only log factor, so 100k-node graphs match in well under a second
 * (bench/diff.bench.ts). Values with more than MAX_FANOUT consumers (shared constants) do not
 * spread: pairing a thousand equal consumers by position is a guess, not evidence.
 */
import type { Graph } from '../graph/types';

export const enum MatchHow {
  None = 0,
  Name = 1,
  Structure = 2,
}

export interface MatchSide {
  graph: Graph;
  /** opKey per node index. */
  ops: readonly string[];
  /** fullKey (op + attributes) of a node, computed on first use (most nodes pair without it). */
  key(node: number): string;
}

export interface Matching {
  /** b's node index for each of a's nodes, -1 when unmatched. */
  aToB: Int32Array;
  bToA: Int32Array;
  /** How each of a's nodes was matched (MatchHow). */
  how: Uint8Array;
  /** a's value name → b's value name, for every value the matching paired. */
  values: Map<string, string>;
  byName: number;
  byStructure: number;
}

const SKIP_DEPTH = 3;
const MAX_FANOUT = 8;
const SKIP_VISITS = 32;
const LEFTOVER_ROUNDS = 4;

export function matchGraphs(a: MatchSide, b: MatchSide): Matching {
  return new Matcher(a, b).run();
}

class Matcher {
  private readonly aToB: Int32Array;
  private readonly bToA: Int32Array;
  private readonly how: Uint8Array;
  private readonly valueAB = new Map<string, string>();
  private readonly valueBA = new Map<string, string>();
  private readonly queueA: string[] = [];
  private readonly queueB: string[] = [];
  private head = 0;
  private readonly rankA: Int32Array;
  private readonly rankB: Int32Array;
  private byName = 0;
  private byStructure = 0;

  constructor(
    private readonly a: MatchSide,
    private readonly b: MatchSide,
  ) {
    this.aToB = new Int32Array(a.graph.nodes.length).fill(-1);
    this.bToA = new Int32Array(b.graph.nodes.length).fill(-1);
    this.how = new Uint8Array(a.graph.nodes.length);
    this.rankA = ranks(a.graph);
    this.rankB = ranks(b.graph);
  }

  run(): Matching {
    this.matchByName();
    this.seedValues();
    this.drain();
    for (let round = 0; round < LEFTOVER_ROUNDS && this.matchLeftovers(); round++) this.drain();
    return { aToB: this.aToB, bToA: this.bToA, how: this.how, values: this.valueAB, byName: this.byName, byStructure: this.byStructure };
  }

  private pairNodes(x: number, y: number, how: MatchHow): boolean {
    if (this.aToB[x] >= 0 || this.bToA[y] >= 0) return false;
    this.aToB[x] = y;
    this.bToA[y] = x;
    this.how[x] = how;
    if (how === MatchHow.Name) this.byName++;
    else this.byStructure++;
    const nx = this.a.graph.nodes[x].info;
    const ny = this.b.graph.nodes[y].info;
    for (let k = 0; k < Math.min(nx.outputs.length, ny.outputs.length); k++) this.pairValues(nx.outputs[k], ny.outputs[k]);
    for (let k = 0; k < Math.min(nx.inputs.length, ny.inputs.length); k++) this.pairValues(nx.inputs[k], ny.inputs[k]);
    return true;
  }

  private pairValues(u: string, v: string): void {
    if (!u || !v || this.valueAB.has(u) || this.valueBA.has(v)) return;
    if (!this.a.graph.values.has(u) || !this.b.graph.values.has(v)) return;
    this.valueAB.set(u, v);
    this.valueBA.set(v, u);
    this.queueA.push(u);
    this.queueB.push(v);
  }

  private matchByName(): void {
    const pass = (nameOf: (info: Graph['nodes'][number]['info']) => string) => {
      const inB = uniqueNames(this.b.graph, nameOf);
      // a's names are looked up in b's map; only the names found there need a uniqueness check in a.
      const hits = new Map<string, number>();
      this.a.graph.nodes.forEach((n, x) => {
        const name = nameOf(n.info);
        if (name && inB.has(name)) hits.set(name, hits.has(name) ? -1 : x);
      });
      for (const [name, x] of hits) {
        const y = inB.get(name)!;
        if (x < 0 || y < 0 || this.aToB[x] >= 0 || this.bToA[y] >= 0) continue;
        if (this.a.ops[x] === this.b.ops[y] || this.shareValue(x, y)) this.pairNodes(x, y, MatchHow.Name);
      }
    };
    pass((n) => n.name);
    // Unnamed nodes are known by what they make.
    pass((n) => (n.name ? '' : n.outputs.find((o) => o !== '') ?? ''));
  }

  private shareValue(x: number, y: number): boolean {
    const nx = this.a.graph.nodes[x].info;
    const ny = this.b.graph.nodes[y].info;
    const names = new Set([...nx.inputs, ...nx.outputs].filter((s) => s !== ''));
    return [...ny.inputs, ...ny.outputs].some((s) => names.has(s));
  }

  /** Graph inputs and outputs (by name, then by position), and initializers by name. */
  private seedValues(): void {
    const ends = (pick: (g: Graph) => string[]) => {
      const [ia, ib] = [pick(this.a.graph), pick(this.b.graph)];
      const inB = new Set(ib);
      for (const name of ia) if (inB.has(name)) this.pairValues(name, name);
      const [ra, rb] = [ia.filter((n) => !this.valueAB.has(n)), ib.filter((n) => !this.valueBA.has(n))];
      if (ra.length === rb.length) ra.forEach((n, i) => this.pairValues(n, rb[i]));
    };
    ends((g) => g.inputs);
    ends((g) => g.outputs);
    for (const [name, v] of this.a.graph.values) {
      if (v.kind === 'initializer' && this.b.graph.values.get(name)?.kind === 'initializer') this.pairValues(name, name);
    }
  }

  private drain(): void {
    while (this.head < this.queueA.length) {
      const u = this.queueA[this.head];
      const v = this.queueB[this.head++];
      this.spreadToProducers(u, v);
      this.spreadToConsumers(u, v);
    }
  }

  private spreadToProducers(u: string, v: string): void {
    const px = this.a.graph.values.get(u)?.producer ?? -1;
    const py = this.b.graph.values.get(v)?.producer ?? -1;
    if (px < 0 || py < 0 || this.aToB[px] >= 0 || this.bToA[py] >= 0) return;
    if (this.a.ops[px] === this.b.ops[py]) {
      this.pairNodes(px, py, MatchHow.Structure);
      return;
    }
    const y = skipUp(this.b, this.bToA, py, this.a.ops[px]);
    if (y >= 0) {
      this.pairNodes(px, y, MatchHow.Structure);
      return;
    }
    const x = skipUp(this.a, this.aToB, px, this.b.ops[py]);
    if (x >= 0) this.pairNodes(x, py, MatchHow.Structure);
  }

  private spreadToConsumers(u: string, v: string): void {
    const ca = this.a.graph.values.get(u)?.consumers ?? [];
    const cb = this.b.graph.values.get(v)?.consumers ?? [];
    if (ca.length === 0 || cb.length === 0 || ca.length > MAX_FANOUT || cb.length > MAX_FANOUT) return;
    // The common case, a value read once on each side by the same op: no grouping needed.
    if (ca.length === 1 && cb.length === 1) {
      const [x, y] = [ca[0], cb[0]];
      if (this.aToB[x] < 0 && this.bToA[y] < 0 && this.a.ops[x] === this.b.ops[y]) {
        this.pairNodes(x, y, MatchHow.Structure);
        return;
      }
    }
    const la = open(ca, this.aToB, this.a, u, this.rankA);
    const lb = open(cb, this.bToA, this.b, v, this.rankB);
    if (la.length === 0 || lb.length === 0) return;
    // Strongest evidence first: same configuration at the same slot, then the same slot, then the op.
    for (const key of [(c: Consumer) => `${c.full}#${c.slot}`, (c: Consumer) => `${c.op}#${c.slot}`, (c: Consumer) => c.op]) {
      const groups = new Map<string, Consumer[]>();
      for (const c of lb) if (this.bToA[c.node] < 0) push(groups, key(c), c);
      for (const c of la) {
        if (this.aToB[c.node] >= 0) continue;
        const list = groups.get(key(c));
        const y = list?.find((d) => this.bToA[d.node] < 0);
        if (y) this.pairNodes(c.node, y.node, MatchHow.Structure);
      }
    }
    const restA = la.filter((c) => this.aToB[c.node] < 0);
    const restB = lb.filter((c) => this.bToA[c.node] < 0);
    if (restA.length === 0 || restB.length === 0) return;
    // An insertion on one side: look past it for the op the other side has here.
    for (const c of restA) {
      const y = skipDown(this.b, this.bToA, restB.map((d) => d.node), this.a.ops[c.node]);
      if (y >= 0) this.pairNodes(c.node, y, MatchHow.Structure);
    }
    for (const d of restB) {
      if (this.bToA[d.node] >= 0) continue;
      const x = skipDown(this.a, this.aToB, restA.filter((c) => this.aToB[c.node] < 0).map((c) => c.node), this.b.ops[d.node]);
      if (x >= 0) this.pairNodes(x, d.node, MatchHow.Structure);
    }
  }

  /** Step 3: unmatched nodes whose op, attributes and matched neighbours are unique on both sides. */
  private matchLeftovers(): boolean {
    const keyA = (i: number) => this.contextKey(this.a, i, (name) => this.valueAB.get(name));
    const keyB = (i: number) => this.contextKey(this.b, i, (name) => (this.valueBA.has(name) ? name : undefined));
    const inA = uniqueKeys(this.a.graph.nodes.length, (i) => (this.aToB[i] < 0 ? keyA(i) : null));
    const inB = uniqueKeys(this.b.graph.nodes.length, (i) => (this.bToA[i] < 0 ? keyB(i) : null));
    let found = false;
    for (const [key, x] of inA) {
      const y = inB.get(key);
      if (x >= 0 && y !== undefined && y >= 0 && this.pairNodes(x, y, MatchHow.Structure)) found = true;
    }
    return found;
  }

  /** null when no neighbour is matched: a key of the op alone would pair unrelated nodes. */
  private contextKey(side: MatchSide, i: number, paired: (name: string) => string | undefined): string | null {
    const info = side.graph.nodes[i].info;
    let anchored = false;
    const parts = info.inputs.map((name) => {
      const p = name ? paired(name) : undefined;
      if (p !== undefined) {
        anchored = true;
        return `=${p}`;
      }
      const v = side.graph.values.get(name);
      return v?.initializer ? `w${v.initializer.elemType}[${v.initializer.dims.join(',')}]` : '?';
    });
    const outs = info.outputs.map((name) => {
      const p = name ? paired(name) : undefined;
      if (p !== undefined) anchored = true;
      return p === undefined ? '?' : `=${p}`;
    });
    return anchored ? `${side.key(i)}(${parts.join(',')})->(${outs.join(',')})` : null;
  }
}

interface Consumer {
  node: number;
  slot: number;
  op: string;
  full: string;
  rank: number;
}

/** The unmatched consumers of a value, each once, in topological order. */
function open(consumers: readonly number[], matched: Int32Array, side: MatchSide, value: string, rank: Int32Array): Consumer[] {
  const seen = new Set<number>();
  const out: Consumer[] = [];
  for (const c of consumers) {
    if (matched[c] >= 0 || seen.has(c)) continue;
    seen.add(c);
    out.push({ node: c, slot: side.graph.nodes[c].info.inputs.indexOf(value), op: side.ops[c], full: side.key(c), rank: rank[c] });
  }
  return out.sort((x, y) => x.rank - y.rank);
}

/** Walks producers through unmatched nodes (along each node's first computed input) looking for `op`. */
function skipUp(side: MatchSide, matched: Int32Array, start: number, op: string): number {
  let cur = start;
  for (let d = 0; d < SKIP_DEPTH; d++) {
    const next = firstProducer(side.graph, cur);
    if (next < 0 || matched[next] >= 0) return -1;
    if (side.ops[next] === op) return next;
    cur = next;
  }
  return -1;
}

function firstProducer(g: Graph, node: number): number {
  for (const name of g.nodes[node].info.inputs) {
    const p = name ? g.values.get(name)?.producer ?? -1 : -1;
    if (p >= 0) return p;
  }
  return -1;
}

/** Breadth-first through the consumers of unmatched nodes, up to SKIP_DEPTH levels, for an unmatched node of `op`. */
function skipDown(side: MatchSide, matched: Int32Array, starts: readonly number[], op: string): number {
  let frontier = [...starts];
  let visits = 0;
  for (let d = 0; d < SKIP_DEPTH && frontier.length; d++) {
    const next: number[] = [];
    for (const n of frontier) {
      for (const out of side.graph.nodes[n].info.outputs) {
        for (const c of side.graph.values.get(out)?.consumers ?? []) {
          if (++visits > SKIP_VISITS) return -1;
          if (matched[c] >= 0) continue;
          if (side.ops[c] === op) return c;
          next.push(c);
        }
      }
    }
    frontier = next;
  }
  return -1;
}

function ranks(g: Graph): Int32Array {
  const r = new Int32Array(g.nodes.length);
  g.order.forEach((node, k) => (r[node] = k));
  return r;
}

/** name → node index, or -1 when several nodes share the name; '' is never a name. */
function uniqueNames(g: Graph, nameOf: (info: Graph['nodes'][number]['info']) => string): Map<string, number> {
  return uniqueKeys(g.nodes.length, (i) => nameOf(g.nodes[i].info) || null);
}

function uniqueKeys(n: number, keyOf: (i: number) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = keyOf(i);
    if (k === null) continue;
    out.set(k, out.has(k) ? -1 : i);
  }
  return out;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

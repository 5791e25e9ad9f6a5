/**
 * Which original graph nodes each kernel of ORT's optimised graph stands for.
 *
 * ORT profiles the graph it optimised, not the file's: on a CNN most of the time goes to
 * layout-transformed kernels (`conv2d_3.tmp_0_nchwc`, com.microsoft.nchwc Conv with the
 * BatchNormalization folded in) wrapped in ReorderInput/ReorderOutput, and to fused kernels
 * (FusedConv, FusedMatMul named `…/MatmulTransposeFusion/`). The profiling session saves that
 * optimised graph (`optimizedModelFilePath`), so the mapping is structural rather than guessed:
 *
 *  1. a kernel's *identity values* are its outputs that exist in the original graph, plus the
 *     value its name is derived from (`X_nchwc` → X); a kernel named like an original node is that node;
 *  2. the original nodes it covers are found by walking the original graph backwards from those
 *     values until a value the optimised graph still computes elsewhere (or a weight): that walk
 *     collects what ORT folded in (Conv ← BN, MatMul ← Transpose);
 *  3. the kernel's time goes to its *primary* node (the covered node with the most MACs, so a
 *     Conv+BN+Relu kernel lights up the Conv); the other covered nodes are "fused into" it;
 *  4. a kernel with no identity of its own (ReorderInput/ReorderOutput, inserted casts and copies)
 *     is charged to its neighbour through the values ORT invented: the producer first, else a consumer;
 *  5. what still maps to nothing is reported as unmapped, so the times always add up.
 *
 * Without the optimised graph (it could not be saved) only the names are used (rule 1 and ORT's
 * "fused X" prefix), and reorders stay unmapped.
 */
import type { Graph } from '../../core/graph/types';

/** One node of ORT's optimised graph (as saved by the profiling session). */
export interface OptimizedNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
}

export interface OptimizedGraph {
  nodes: OptimizedNode[];
  /** Graph inputs and initializers: values no node produces. */
  sources: string[];
}

export type KernelMapping =
  /** The kernel is one original node (possibly with others folded in: see `covered`). */
  | 'node'
  /** A layout-transformed or fused kernel, mapped through the optimised graph or its name. */
  | 'transformed'
  /** A kernel ORT added (reorder, copy): its time is charged to a neighbouring node. */
  | 'neighbour'
  | 'unmapped';

export interface KernelTarget {
  /** Original node indices the kernel stands for, primary first; empty when unmapped. */
  covered: number[];
  mapping: KernelMapping;
}

const NCHWC_SUFFIX = '_nchwc';
/** `p2o.MatMul.24/MatmulTransposeFusion/` → `p2o.MatMul.24`. */
const FUSION_SUFFIX = /\/[A-Za-z]*Fusion\/?$/;
/** Kernels ORT adds around others (layout reorders, device copies): their time belongs to a neighbour. */
const ADDED_OPS = /^(ReorderInput|ReorderOutput|MemcpyToHost|MemcpyFromHost)$/;

function isAdded(node: OptimizedNode | undefined): boolean {
  return !!node && ADDED_OPS.test(node.opType);
}

/** Ops that do the arithmetic of a block: the node a fused kernel's time belongs to. */
const COMPUTE_OPS = /^(Conv|ConvTranspose|MatMul|Gemm|MatMulInteger|ConvInteger|QLinearConv|QLinearMatMul|Attention|MultiHeadAttention|LSTM|GRU|RNN|Einsum)$/;
/** How far a reorder/copy is followed through invented values to a kernel with an identity. */
const MAX_HOPS = 4;

/**
 * Nodes whose outputs depend only on weights (Constant, ConstantOfShape over an initializer, shape
 * arithmetic on them): ORT folds these away at load, so they are never part of a kernel.
 */
function constantNodes(graph: Graph): Uint8Array {
  const constant = new Uint8Array(graph.nodes.length);
  for (const i of graph.order) {
    const n = graph.nodes[i];
    constant[i] = n.subgraphs.length === 0 && n.info.inputs.every((name) => {
      if (!name) return true;
      const v = graph.values.get(name);
      return !!v && (v.kind === 'initializer' || (v.producer >= 0 && constant[v.producer] === 1));
    }) ? 1 : 0;
  }
  return constant;
}

function nameStem(name: string): string {
  const plain = name.startsWith('fused ') ? name.slice(6) : name;
  return plain.endsWith(NCHWC_SUFFIX) ? plain.slice(0, -NCHWC_SUFFIX.length) : plain;
}

/**
 * Primary first: a compute op (Conv, MatMul, …) before anything else, then the most MACs (symbolic
 * dims make MACs a lower bound), then the earliest in topological order.
 */
function orderCovered(graph: Graph, position: Int32Array, covered: Set<number>, macs: (n: number) => number): number[] {
  const list = [...covered].sort((a, b) => position[a] - position[b]);
  const compute = (n: number) => (COMPUTE_OPS.test(graph.nodes[n].opType) ? 1 : 0);
  let best = 0;
  for (let i = 1; i < list.length; i++) {
    const d = compute(list[i]) - compute(list[best]) || macs(list[i]) - macs(list[best]);
    if (d > 0) best = i;
  }
  return [list[best], ...list.slice(0, best), ...list.slice(best + 1)];
}

export class ProfileMapper {
  private readonly nodeByName = new Map<string, number>();
  /** Optimised node by name (the trace names kernels by it); null without the optimised graph. */
  private readonly optimized: Map<string, OptimizedNode> | null;
  private readonly producerOf = new Map<string, OptimizedNode>();
  private readonly consumersOf = new Map<string, OptimizedNode[]>();
  /** Values the optimised graph still computes or receives: the backward walk stops there. */
  private readonly available = new Set<string>();
  private readonly identityValues = new Set<string>();
  private readonly cache = new Map<string, KernelTarget>();
  /** Topological position per original node. */
  private readonly position: Int32Array;
  private readonly constant: Uint8Array;

  constructor(
    private readonly graph: Graph,
    optimized: OptimizedGraph | null,
    private readonly macs: (node: number) => number,
    /** Names of the kernels in the trace (a fused chain stops at a node that has its own kernel). */
    private readonly kernelNames: ReadonlySet<string>,
  ) {
    graph.nodes.forEach((n) => this.nodeByName.set(n.name, n.index));
    this.position = new Int32Array(graph.nodes.length);
    graph.order.forEach((n, i) => (this.position[n] = i));
    this.constant = constantNodes(graph);
    this.optimized = optimized ? new Map(optimized.nodes.map((n) => [n.name, n])) : null;
    if (!optimized) return;
    for (const s of optimized.sources) this.available.add(s);
    for (const n of optimized.nodes) {
      for (const o of n.outputs) if (o) {
        this.producerOf.set(o, n);
        this.available.add(o);
      }
      for (const i of n.inputs) if (i) {
        const list = this.consumersOf.get(i);
        if (list) list.push(n);
        else this.consumersOf.set(i, [n]);
      }
    }
    for (const n of optimized.nodes) for (const v of this.identityOf(n.name, n)) this.identityValues.add(v);
  }

  /**
   * Original values a kernel computes: its outputs that the original graph has, the value its name
   * comes from (`X_nchwc` → X), and the outputs of the original node its name is or starts with
   * (ORT names fusions `<node>/<Kind>Fusion/`).
   */
  private identityOf(name: string, node: OptimizedNode | undefined): string[] {
    const out = new Set<string>();
    const plain = name.replace(/^fused /, '');
    // `X_nchwc`, and with a fusion's suffix on the value too (`r271_bn_nchwc` → r271_bn, r271).
    for (let stem = nameStem(name); stem !== plain && stem.length > 0; stem = stem.replace(/_[A-Za-z]+$/, '')) {
      if ((this.graph.values.get(stem)?.producer ?? -1) >= 0) {
        out.add(stem);
        break;
      }
      if (!/_[A-Za-z]+$/.test(stem)) break;
    }
    const named = this.nodeByName.get(plain) ?? this.nodeByName.get(plain.replace(FUSION_SUFFIX, ''));
    if (named !== undefined) for (const o of this.graph.nodes[named].info.outputs) if (o) out.add(o);
    for (const o of node?.outputs ?? []) if ((this.graph.values.get(o)?.producer ?? -1) >= 0) out.add(o);
    return [...out];
  }

  /** A weight, or a value computed from weights only (folded by ORT at load). */
  private isStatic(name: string): boolean {
    const v = this.graph.values.get(name);
    return !v || v.kind === 'initializer' || (v.producer >= 0 && this.constant[v.producer] === 1);
  }

  /** Original nodes folded into the kernel that computes `values` (rule 2). */
  private walkBack(values: string[]): Set<number> {
    const covered = new Set<number>();
    const stack: number[] = [];
    for (const name of values) {
      const p = this.graph.values.get(name)?.producer ?? -1;
      if (p >= 0 && !covered.has(p)) {
        covered.add(p);
        stack.push(p);
      }
    }
    while (stack.length) {
      const n = stack.pop()!;
      for (const input of this.graph.nodes[n].info.inputs) {
        if (!input || this.isStatic(input) || this.available.has(input) || this.identityValues.has(input)) continue;
        const p = this.graph.values.get(input)?.producer ?? -1;
        if (p < 0 || covered.has(p)) continue;
        covered.add(p);
        stack.push(p);
      }
    }
    return covered;
  }

  /** The original nodes a kernel (ORT's node name) stands for, and how that was found. */
  target(ortName: string): KernelTarget {
    let t = this.cache.get(ortName);
    if (!t) {
      t = this.resolve(ortName);
      this.cache.set(ortName, t);
    }
    return t;
  }

  private own(ortName: string): KernelTarget | null {
    const plain = ortName.replace(/^fused /, '');
    const node = this.optimized?.get(plain) ?? this.optimized?.get(ortName);
    const named = this.nodeByName.get(plain);
    if (!this.optimized && named !== undefined) {
      const covered = plain !== ortName ? this.fusedChain(named) : new Set([named]);
      return { covered: orderCovered(this.graph, this.position, covered, this.macs), mapping: covered.size > 1 ? 'transformed' : 'node' };
    }
    const identity = this.identityOf(ortName, node);
    if (identity.length === 0) return null;
    const covered = this.walkBack(identity);
    if (named !== undefined) covered.add(named);
    if (covered.size === 0) return null;
    const ordered = orderCovered(this.graph, this.position, covered, this.macs);
    if (isAdded(node)) return { covered: ordered.slice(0, 1), mapping: 'neighbour' };
    const plainNode = named !== undefined && covered.size === 1 && plain === ortName;
    return { covered: ordered, mapping: plainNode ? 'node' : 'transformed' };
  }

  private resolve(ortName: string): KernelTarget {
    const own = this.own(ortName);
    if (own) return own;
    // Rule 4: follow values ORT invented (not in the original graph) to a kernel with an identity.
    const start = this.optimized?.get(ortName);
    if (start) {
      const seen = new Set<OptimizedNode>([start]);
      let frontier = [start];
      for (let hop = 0; hop < MAX_HOPS && frontier.length; hop++) {
        const next: OptimizedNode[] = [];
        for (const n of frontier) {
          const invented = (v: string) => v && !this.graph.values.has(v);
          for (const i of n.inputs.filter(invented)) { const p = this.producerOf.get(i); if (p && !seen.has(p)) { seen.add(p); next.push(p); } }
          for (const o of n.outputs.filter(invented)) for (const c of this.consumersOf.get(o) ?? []) if (!seen.has(c)) { seen.add(c); next.push(c); }
        }
        for (const n of next) {
          const hit = this.own(n.name);
          if (hit) return { covered: hit.covered.slice(0, 1), mapping: 'neighbour' };
        }
        frontier = next;
      }
    }
    return { covered: [], mapping: 'unmapped' };
  }

  /**
   * Names only (no optimised graph): ORT's "fused X" kernel also covers the single-consumer chain
   * after X whose inputs all come from the chain (Conv+Relu, Gemm+Relu), unless a node of that
   * chain has a kernel of its own.
   */
  private fusedChain(primary: number): Set<number> {
    const members = new Set([primary]);
    const produced = new Set(this.graph.nodes[primary].info.outputs);
    for (let current = primary; ;) {
      const consumers = new Set(this.graph.nodes[current].info.outputs.filter(Boolean).flatMap((o) => this.graph.values.get(o)?.consumers ?? []));
      if (consumers.size !== 1) break;
      const [next] = consumers;
      const node = this.graph.nodes[next];
      if (members.has(next) || this.kernelNames.has(node.name)) break;
      if (!node.info.inputs.every((i) => !i || produced.has(i) || this.isStatic(i))) break;
      members.add(next);
      for (const o of node.info.outputs) produced.add(o);
      current = next;
    }
    return members;
  }
}

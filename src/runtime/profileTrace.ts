/**
 * ORT's profiler output (Chrome trace JSON written by endProfiling) mapped back to the graph.
 *
 * ORT profiles the *optimised* graph: a kernel event `<name>_kernel_time` names an original node
 * when ORT kept it, "fused <name>" when it fused other nodes into it (FusedConv, FusedGemm, ...),
 * or a name ORT made up (layout transforms, inserted casts). Fused members are not listed in the
 * trace, so they are recovered from the graph: the original nodes downstream of the named one
 * that have no kernel of their own and whose inputs all come from the group. A kernel that maps to
 * nothing is kept, unmapped, so the times always add up.
 */
import type { Graph } from '../core/graph/types';
import type { ProfileEntry, ProfileResult, SessionOptionsSpec } from './types';

interface TraceEvent {
  cat?: string;
  name?: string;
  dur?: number;
  ph?: string;
  args?: { op_name?: string; provider?: string };
}

const KERNEL_SUFFIX = '_kernel_time';

/** A weight or a Constant node's output: fusions absorb these along with the nodes. */
function isStatic(graph: Graph, name: string): boolean {
  const v = graph.values.get(name);
  return !!v && (v.kind === 'initializer' || (v.producer >= 0 && graph.nodes[v.producer].opType === 'Constant'));
}

function fusedMembers(graph: Graph, primary: number, profiled: ReadonlySet<string>): number[] {
  const members = [primary];
  const inGroup = new Set(members);
  const produced = new Set(graph.nodes[primary].info.outputs);
  // Walk forward along single consumers: ORT's fusions (Conv+Act, Gemm+Act, MatMul+Add, ...) are chains.
  for (let current = primary; ;) {
    const outs = graph.nodes[current].info.outputs.filter(Boolean);
    const consumers = new Set(outs.flatMap((o) => graph.values.get(o)?.consumers ?? []));
    if (consumers.size !== 1) break;
    const [next] = consumers;
    const node = graph.nodes[next];
    if (inGroup.has(next) || profiled.has(node.name)) break;
    if (!node.info.inputs.every((i) => !i || produced.has(i) || isStatic(graph, i))) break;
    members.push(next);
    inGroup.add(next);
    for (const o of node.info.outputs) produced.add(o);
    current = next;
  }
  return members;
}

export function mapProfile(trace: unknown, graph: Graph, graphOptimization: SessionOptionsSpec['graphOptimization']): ProfileResult {
  const events = (Array.isArray(trace) ? trace : []) as TraceEvent[];
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const kernels = events.filter((e) => e.cat === 'Node' && e.name?.endsWith(KERNEL_SUFFIX) && typeof e.dur === 'number');
  const runCount = Math.max(1, runs.length);
  const byName = new Map<string, number>();
  graph.nodes.forEach((n) => byName.set(n.name, n.index));

  // Sum per ORT node, then average over runs.
  const totals = new Map<string, { us: number; opType: string; provider: string }>();
  for (const e of kernels) {
    const name = e.name!.slice(0, -KERNEL_SUFFIX.length);
    const t = totals.get(name) ?? { us: 0, opType: e.args?.op_name ?? '?', provider: (e.args?.provider ?? '').replace(/ExecutionProvider$/, '') };
    t.us += e.dur!;
    totals.set(name, t);
  }
  const profiled = new Set<string>();
  for (const name of totals.keys()) profiled.add(name.replace(/^fused /, ''));

  let kernelUs = 0;
  const entries: ProfileEntry[] = [];
  const nodeUs: Record<string, number> = {};
  for (const [ortName, t] of totals) {
    const meanUs = t.us / runCount;
    kernelUs += meanUs;
    const fusedName = ortName.startsWith('fused ') ? ortName.slice(6) : null;
    const primary = byName.get(fusedName ?? ortName);
    const nodes = primary === undefined ? [] : fusedName ? fusedMembers(graph, primary, profiled).map((i) => graph.nodes[i].name) : [graph.nodes[primary].name];
    for (const n of nodes) nodeUs[n] = (nodeUs[n] ?? 0) + meanUs;
    entries.push({ ortName, opType: t.opType, provider: t.provider, meanUs, share: 0, nodes, fused: fusedName !== null && nodes.length > 1 });
  }
  entries.sort((a, b) => b.meanUs - a.meanUs);
  for (const e of entries) e.share = kernelUs > 0 ? e.meanUs / kernelUs : 0;

  const ops = new Map<string, { meanUs: number; kernels: number }>();
  for (const e of entries) {
    const o = ops.get(e.opType) ?? { meanUs: 0, kernels: 0 };
    o.meanUs += e.meanUs;
    o.kernels++;
    ops.set(e.opType, o);
  }
  const byOpType = [...ops].map(([opType, o]) => ({ opType, ...o, share: kernelUs > 0 ? o.meanUs / kernelUs : 0 })).sort((a, b) => b.meanUs - a.meanUs);
  const runUs = runs.length ? runs.reduce((s, e) => s + (e.dur ?? 0), 0) / runs.length : kernelUs;
  return { runs: runs.length, runUs, kernelUs, entries, byOpType, nodeUs, graphOptimization };
}

/**
 * ORT's profiler output (Chrome trace JSON written by endProfiling) mapped back to the graph.
 *
 * Kernel events (`<name>_kernel_time`) are summed per ORT node and averaged over the runs; each
 * kernel is mapped to the original nodes it stands for by ProfileMapper (profileMapping.ts:
 * through the optimised graph the profiling session saved, or by names alone). A kernel's time
 * lands on its primary node only, so the per-node times add up to the kernel time; nodes folded
 * into a kernel are listed in `fusedInto`, and what maps to nothing is counted in `unmapped`.
 */
import type { Graph } from '../../core/graph/types';
import { ProfileMapper, type OptimizedGraph } from './profileMapping';
import type { ProfileEntry, ProfileResult, SessionOptionsSpec } from '../../shared/runtimeTypes';

interface TraceEvent {
  cat?: string;
  name?: string;
  dur?: number;
  ph?: string;
  args?: { op_name?: string; provider?: string };
}

const KERNEL_SUFFIX = '_kernel_time';

export interface ProfileGraphs {
  graph: Graph;
  /** ORT's optimised graph, when the session could save it. */
  optimized: OptimizedGraph | null;
  /** MACs per original node (0 when unknown): picks the primary node of a fused kernel. */
  macs?: (node: number) => number;
}

export function mapProfile(trace: unknown, graphs: ProfileGraphs, graphOptimization: SessionOptionsSpec['graphOptimization']): ProfileResult {
  const { graph } = graphs;
  const events = (Array.isArray(trace) ? trace : []) as TraceEvent[];
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const kernels = events.filter((e) => e.cat === 'Node' && e.name?.endsWith(KERNEL_SUFFIX) && typeof e.dur === 'number');
  const runCount = Math.max(1, runs.length);

  // Sum per ORT node, then average over runs.
  const totals = new Map<string, { us: number; opType: string; provider: string }>();
  for (const e of kernels) {
    const name = e.name!.slice(0, -KERNEL_SUFFIX.length);
    const t = totals.get(name) ?? { us: 0, opType: e.args?.op_name ?? '?', provider: (e.args?.provider ?? '').replace(/ExecutionProvider$/, '') };
    t.us += e.dur!;
    totals.set(name, t);
  }
  const kernelNames = new Set([...totals.keys()].map((n) => n.replace(/^fused /, '')));
  const mapper = new ProfileMapper(graph, graphs.optimized, graphs.macs ?? (() => 0), kernelNames);

  let kernelUs = 0;
  const entries: ProfileEntry[] = [];
  const nodeUs: Record<string, number> = {};
  const fusedInto: Record<string, string> = {};
  const unmapped = { kernels: 0, us: 0 };
  for (const [ortName, t] of totals) {
    const meanUs = t.us / runCount;
    kernelUs += meanUs;
    const target = mapper.target(ortName);
    const nodes = target.covered.map((i) => graph.nodes[i].name);
    if (nodes.length > 0) {
      nodeUs[nodes[0]] = (nodeUs[nodes[0]] ?? 0) + meanUs;
      for (const member of nodes.slice(1)) fusedInto[member] ??= nodes[0];
    } else {
      unmapped.kernels++;
      unmapped.us += meanUs;
    }
    entries.push({ ortName, opType: t.opType, provider: t.provider, meanUs, share: 0, nodes, fused: nodes.length > 1, mapping: target.mapping });
  }
  // A node that has a kernel of its own is not "fused into" another.
  for (const name of Object.keys(fusedInto)) if (nodeUs[name] !== undefined) delete fusedInto[name];
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
  return { runs: runs.length, runUs, kernelUs, entries, byOpType, nodeUs, fusedInto, unmapped, mappedThrough: graphs.optimized ? 'optimized-graph' : 'names', graphOptimization };
}

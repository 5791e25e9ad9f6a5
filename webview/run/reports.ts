/**
 * Benchmark and profile results as table rows: configuration labels, kernel rows with fused
 * groups named honestly ("FusedConv: conv1 + relu1"). Pure, unit-tested.
 */
import type { BenchConfig, ProfileEntry } from '../../src/shared/runtimeTypes';

/** "auto threads", "2 threads · batch 8". */
export function configLabel(config: BenchConfig): string {
  const threads = config.intraOpThreads === 0 ? 'auto threads' : `${config.intraOpThreads} thread${config.intraOpThreads === 1 ? '' : 's'}`;
  return config.batch === null ? threads : `${threads} · batch ${config.batch}`;
}

/**
 * What a kernel covers in the original graph. A fused kernel lists every node it stands for
 * ("FusedConv: conv1 + relu1"); a plain one its node; a reorder or copy ORT inserted names the
 * node its time is charged to; one that maps to nothing says so.
 */
export function kernelNodesLabel(entry: ProfileEntry, maxNodes = 6): string {
  if (entry.nodes.length === 0) return 'not mapped: added by onnxruntime, no graph node';
  if (entry.mapping === 'neighbour') return `charged to ${entry.nodes[0]} (added by onnxruntime beside it)`;
  const shown = entry.nodes.slice(0, maxNodes).join(' + ');
  const more = entry.nodes.length > maxNodes ? ` + ${entry.nodes.length - maxNodes} more` : '';
  return entry.fused || entry.nodes.length > 1 ? `${entry.opType}: ${shown}${more}` : shown;
}

/** The first original node of a kernel that exists in the graph (node names → index), or -1. */
export function firstGraphNode(nodes: readonly string[], nodeIndex: ReadonlyMap<string, number>): number {
  for (const name of nodes) {
    const n = nodeIndex.get(name);
    if (n !== undefined) return n;
  }
  return -1;
}

/** Small questions about a Graph that the summary, the graph payload and node details all ask. */
import type { Graph } from './types';

/** Visits every subgraph (If/Loop/Scan bodies, nested ones too), outermost first. */
export function eachSubgraph(g: Graph, visit: (sub: Graph) => void): void {
  for (const n of g.nodes) for (const s of n.subgraphs) {
    visit(s.graph);
    eachSubgraph(s.graph, visit);
  }
}

/** Nodes of a graph and all its nested subgraphs. */
export function totalNodeCount(g: Graph): number {
  let total = g.nodes.length;
  eachSubgraph(g, (s) => (total += s.nodes.length));
  return total;
}

/** How an op is named in op counts and the graph view: `domain:op` outside the default domain. */
export function opLabel(domain: string, opType: string): string {
  return domain === '' ? opType : `${domain}:${opType}`;
}

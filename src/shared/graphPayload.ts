/**
 * The model's main graph as the webview receives it: columnar, indices instead of object
 * references, typed arrays for everything numeric, so 100k nodes cross postMessage as a few
 * ArrayBuffers and a handful of string arrays (structured clone), not millions of objects.
 *
 * Built by the host (src/extension/graphPayload.ts) from the core Graph + InferenceResult;
 * read by the webview graph view (webview/graph/). Types only: imported by both bundles.
 */

export const enum ValueKind {
  Input = 0,
  Initializer = 1,
  Intermediate = 2,
  /** Read by a node but defined nowhere (dangling) — drawn with a problem marker. */
  Missing = 3,
}

export interface GraphPayload {
  /** Content hash of the model file (sha1 of size + mtime + first/last MiB is fine); keys the layout cache. */
  modelHash: string;
  fileName: string;

  // ---- nodes (main graph, index = position in the file) ----
  nodeCount: number;
  /** Node names (synthesized `OpType_<i>` when empty in the file). */
  nodeNames: string[];
  /** Distinct op labels; `domain:op` outside the default domain. */
  ops: string[];
  /** Index into `ops` per node. */
  nodeOp: Uint32Array;
  /** Innermost group (index into groups) per node; 0 is the root group. */
  nodeGroup: Uint32Array;
  /** Parameters read per node (from shape inference costs). */
  nodeParams: Float64Array;
  /** MACs per node, symbolic dims counted as 1; NaN when unknown or not counted. */
  nodeMacs: Float64Array;
  /** Topological position per node (layout layers follow it). */
  nodeOrder: Uint32Array;
  /** CSR: inputs of node i are valueIds nodeInputs[nodeInputStart[i] .. nodeInputStart[i+1]); -1 = omitted optional input. */
  nodeInputStart: Uint32Array;
  nodeInputs: Int32Array;
  nodeOutputStart: Uint32Array;
  nodeOutputs: Int32Array;
  /** Nodes that have subgraphs (If/Loop/Scan): node index → [attribute name, subgraph node count][]. */
  subgraphs: Record<number, [string, number][]>;

  // ---- values (edges) ----
  valueCount: number;
  valueNames: string[];
  valueKind: Uint8Array;
  /** Producing node, or -1 (graph input, initializer, missing). */
  valueProducer: Int32Array;
  /** Element type name per value ('float32', 'unknown', ...). */
  valueElemTypes: string[];
  /** Shape per value, ready to print: '[batch, 3, 224, 224]', '?' when unknown. */
  valueShapes: string[];
  /** Indices of graph inputs (not initializers) and outputs, in declaration order. */
  graphInputs: number[];
  graphOutputs: number[];

  // ---- groups (the scope tree; group 0 is the root, the whole graph) ----
  groupCount: number;
  /** Last scope segment ('layer.3'); '' for the root. */
  groupNames: string[];
  /** Parent group per group; -1 for the root. */
  groupParent: Int32Array;
  /** Nodes in the group's whole subtree, for "collapsed beyond a size budget" without a recount. */
  groupNodeCount: Uint32Array;

  /** Structural problems, located where possible (node or value index, -1 when not). */
  problems: { message: string; node: number; value: number }[];
}

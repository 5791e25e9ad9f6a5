/**
 * The in-memory graph: edges are values with identity (one producer, many consumers), as in
 * ONNX itself, so "who makes this tensor / who reads it" is a lookup, not a search.
 */
import type { AttributeInfo, NodeInfo, TensorInfo, TypeInfo } from '../onnx/types';

export type ValueKind = 'input' | 'initializer' | 'intermediate' | 'outer';

export interface Value {
  name: string;
  kind: ValueKind;
  /** Index into Graph.nodes of the node that produces it; -1 for inputs, initializers and outer-scope values. */
  producer: number;
  /** Indices into Graph.nodes of every node that reads it (a node reading it twice appears twice). */
  consumers: number[];
  /** Declared type from graph input/output/value_info, or the initializer's dtype and dims. */
  declared: TypeInfo | null;
  initializer: TensorInfo | null;
  isGraphOutput: boolean;
}

export interface GraphNode {
  index: number;
  /** The node's name, or a stable synthesized one (`OpType_<index>`) when the file leaves it empty. */
  name: string;
  opType: string;
  domain: string;
  info: NodeInfo;
  /** Name scope path, outermost first, e.g. ['encoder', 'layer.0', 'attention']. */
  scope: string[];
  /** Subgraphs of If/Loop/Scan (and any GRAPH/GRAPHS attribute), keyed by attribute name. */
  subgraphs: { attribute: string; graph: Graph }[];
  attributes: AttributeInfo[];
}

export type ProblemCode = 'cycle' | 'dangling-input' | 'duplicate-output' | 'missing-output' | 'bad-initializer';

export interface GraphProblem {
  code: ProblemCode;
  /** One sentence, for people. */
  message: string;
  node?: string;
  value?: string;
}

export interface Graph {
  name: string;
  nodes: GraphNode[];
  /** Every value name visible in this graph (including outer-scope ones that nodes here read). */
  values: Map<string, Value>;
  /** Graph inputs that are not initializers, in declaration order. */
  inputs: string[];
  outputs: string[];
  /** Node indices in a topological order (nodes on a cycle are appended last, in file order). */
  order: number[];
  parent: Graph | null;
  problems: GraphProblem[];
}

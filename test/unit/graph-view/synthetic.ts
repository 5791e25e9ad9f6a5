/**
 * Test helper: a GraphPayload written by hand — groups, nodes and value names — for scenes
 * whose every edge a test wants to predict. Nodes must be listed in topological order.
 */
import { ValueKind, type GraphPayload } from '../../../src/shared/graphPayload';

export interface SyntheticNode {
  op: string;
  name?: string;
  /** Innermost group index (0 = root). */
  group?: number;
  inputs: string[];
  outputs: string[];
}

export interface SyntheticSpec {
  /** Groups after the root (which is group 0): [name, parent]. */
  groups?: [string, number][];
  nodes: SyntheticNode[];
  inputs?: string[];
  outputs?: string[];
  initializers?: string[];
}

export function syntheticPayload(spec: SyntheticSpec): GraphPayload {
  const groups: [string, number][] = [['', -1], ...(spec.groups ?? [])];
  const valueIds = new Map<string, number>();
  const valueNames: string[] = [];
  const kinds: number[] = [];
  const producers: number[] = [];
  const value = (name: string, kind: ValueKind, producer: number) => {
    let id = valueIds.get(name);
    if (id === undefined) {
      id = valueNames.length;
      valueIds.set(name, id);
      valueNames.push(name);
      kinds.push(kind);
      producers.push(producer);
    }
    return id;
  };
  for (const name of spec.inputs ?? []) value(name, ValueKind.Input, -1);
  for (const name of spec.initializers ?? []) value(name, ValueKind.Initializer, -1);
  spec.nodes.forEach((n, i) => n.outputs.forEach((o) => value(o, ValueKind.Intermediate, i)));
  const nodeInputs: number[] = [];
  const nodeOutputs: number[] = [];
  const nodeInputStart = [0];
  const nodeOutputStart = [0];
  for (const n of spec.nodes) {
    for (const name of n.inputs) nodeInputs.push(name === '' ? -1 : value(name, ValueKind.Missing, -1));
    for (const name of n.outputs) nodeOutputs.push(valueIds.get(name)!);
    nodeInputStart.push(nodeInputs.length);
    nodeOutputStart.push(nodeOutputs.length);
  }
  const ops = [...new Set(spec.nodes.map((n) => n.op))];
  const count = new Uint32Array(groups.length);
  for (const n of spec.nodes) for (let g = n.group ?? 0; g >= 0; g = groups[g][1]) count[g]++;
  const N = spec.nodes.length;
  return {
    modelHash: 'synthetic',
    fileName: 'synthetic.onnx',
    nodeCount: N,
    nodeNames: spec.nodes.map((n, i) => n.name ?? `${n.op}_${i}`),
    ops,
    nodeOp: Uint32Array.from(spec.nodes, (n) => ops.indexOf(n.op)),
    nodeGroup: Uint32Array.from(spec.nodes, (n) => n.group ?? 0),
    nodeParams: new Float64Array(N),
    nodeMacs: new Float64Array(N).fill(NaN),
    nodeOrder: Uint32Array.from(spec.nodes, (_, i) => i),
    nodeInputStart: Uint32Array.from(nodeInputStart),
    nodeInputs: Int32Array.from(nodeInputs),
    nodeOutputStart: Uint32Array.from(nodeOutputStart),
    nodeOutputs: Int32Array.from(nodeOutputs),
    subgraphs: {},
    valueCount: valueNames.length,
    valueNames,
    valueKind: Uint8Array.from(kinds),
    valueProducer: Int32Array.from(producers),
    valueElemTypes: valueNames.map(() => 'float32'),
    valueShapes: valueNames.map(() => '[1, 8]'),
    graphInputs: (spec.inputs ?? []).map((n) => valueIds.get(n)!),
    graphOutputs: (spec.outputs ?? []).map((n) => valueIds.get(n)!),
    groupCount: groups.length,
    groupNames: groups.map((g) => g[0]),
    groupParent: Int32Array.from(groups, (g) => g[1]),
    groupNodeCount: count,
    problems: [],
  };
}

/** A chain of `n` nodes (MatMul, Add, Relu, …) with initializers, names without scopes. */
export function mlpPayload(n = 20): GraphPayload {
  const cycle = ['MatMul', 'Add', 'Relu'];
  const nodes: SyntheticNode[] = [];
  const initializers: string[] = [];
  let prev = 'x';
  for (let i = 0; i < n; i++) {
    const op = cycle[i % 3];
    const inputs = [prev];
    if (op !== 'Relu') {
      initializers.push(`w${i}`);
      inputs.push(`w${i}`);
    }
    nodes.push({ op, name: `${op.toLowerCase()}_${i}`, inputs, outputs: [`t${i}`] });
    prev = `t${i}`;
  }
  return syntheticPayload({ nodes, inputs: ['x'], outputs: [prev], initializers });
}

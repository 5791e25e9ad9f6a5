/**
 * A rewrite in progress over one model's main graph: each source node's slot holds what replaces
 * it (itself by default), new initializers and casts are added under unique names, and `finish()`
 * turns it into a ModelRewrite for the writer — dropping initializers nothing reads any more and
 * value_info of values whose type changed, and raising opset imports the new nodes need.
 */
import { buildGraph } from '../graph/build';
import type { Graph } from '../graph/types';
import { ElemType } from '../onnx/elemTypes';
import type { OnnxModel } from '../onnx/reader';
import type { GraphInfo, OpsetImport, TensorInfo } from '../onnx/types';
import { pushAll } from '../lists';
import {
  isSourceNode, type AttributeSpec, type ModelRewrite, type NewNode, type NewTensor, type NewValue, type NodeSpec, type SourceNode, type ValueSpec,
} from '../onnx/write/rewrite';

export const MS_DOMAIN = 'com.microsoft';

export class GraphRewriter {
  readonly graph: Graph;
  readonly info: GraphInfo;
  /** slots[i]: what replaces source node i, in order. */
  private readonly slots: NodeSpec[][];
  /** after[i]: nodes inserted right after whatever source node i became (casts, QDQ pairs of its outputs). */
  private readonly after: NodeSpec[][];
  /** Nodes placed before every source node (casts of graph inputs). */
  private readonly head: NodeSpec[] = [];
  private readonly newInitializers: NewTensor[] = [];
  /** Source initializers given new contents under the same name. */
  private readonly replacedInitializers = new Map<string, NewTensor>();
  private readonly names = new Set<string>();
  private readonly initializerByName = new Map<string, { index: number; tensor: TensorInfo }>();
  private readonly weights = new Map<string, Float32Array>();
  /** Values whose declared type the rewrite changed (their value_info is dropped, outputs re-declared). */
  private readonly retyped = new Map<string, number>();
  private readonly opsetNeeds = new Map<string, number>();
  private readonly metadata: { key: string; value: string }[] = [];
  irVersionNeeded = 0;
  /** Set when the default-domain opset import is raised. */
  private defaultOpset: number | undefined;

  constructor(readonly model: OnnxModel) {
    this.info = model.info.graph;
    this.graph = buildGraph(this.info);
    this.slots = this.info.nodes.map((_, source) => [{ source }]);
    this.after = this.info.nodes.map(() => []);
    this.info.initializers.forEach((tensor, index) => this.initializerByName.set(tensor.name, { index, tensor }));
    const collect = (g: GraphInfo) => {
      for (const t of g.initializers) this.names.add(t.name);
      for (const v of [...g.inputs, ...g.outputs, ...g.valueInfo]) this.names.add(v.name);
      for (const n of g.nodes) {
        if (n.name) this.names.add(n.name);
        for (const x of [...n.inputs, ...n.outputs]) this.names.add(x);
        for (const a of n.attributes) {
          if (a.g) collect(a.g);
          for (const sg of a.graphs ?? []) collect(sg);
        }
      }
    };
    collect(this.info);
  }

  /** The default-domain opset the model imports (1 when it imports none, as ONNX reads it). */
  get opset(): number {
    return this.defaultOpset ?? this.model.info.opsets.find((o) => o.domain === '')?.version ?? 1;
  }

  /** A name not used anywhere in the model (nor by anything added so far), based on `base`. */
  uniqueName(base: string): string {
    let name = base;
    for (let n = 1; this.names.has(name); n++) name = `${base}_${n}`;
    this.names.add(name);
    return name;
  }

  /**
   * The constant tensor of this name: a source initializer or the `value` of a main-graph Constant
   * node (exporters such as paddle2onnx keep every weight in Constant nodes); undefined otherwise.
   */
  initializer(name: string): TensorInfo | undefined {
    const init = this.initializerByName.get(name)?.tensor;
    if (init) return init;
    const producer = this.graph.values.get(name)?.producer ?? -1;
    if (producer < 0) return undefined;
    const n = this.info.nodes[producer];
    if (n.opType !== 'Constant' || n.domain !== '') return undefined;
    const value = n.attributes.find((a) => a.name === 'value')?.t;
    return value && value.data.kind !== 'strings' ? { ...value, name } : undefined;
  }

  /** The Constant node index producing `name`, or -1 (initializers and everything else). */
  private constantNode(name: string): number {
    if (this.initializerByName.has(name)) return -1;
    const producer = this.graph.values.get(name)?.producer ?? -1;
    return producer >= 0 && this.info.nodes[producer].opType === 'Constant' ? producer : -1;
  }

  /** A float32 constant's values (cached), or null when `name` is not a float32 constant. */
  floatWeight(name: string): Float32Array | null {
    const t = this.initializer(name);
    if (!t || t.elemType !== ElemType.FLOAT) return null;
    let w = this.weights.get(name);
    if (!w) {
      w = this.model.readTensor(t).values as Float32Array;
      this.weights.set(name, w);
    }
    return w;
  }

  /** True when the initializer is also a graph input (IR < 4 style): a caller may override it, so it is not a constant. */
  isOverridable(name: string): boolean {
    return this.info.inputs.some((i) => i.name === name);
  }

  /** Replaces source node `index` by `nodes` (at its place in the order). */
  replace(index: number, nodes: NodeSpec[]): void {
    this.slots[index] = nodes;
  }

  /** Inserts nodes right after whatever source node `index` became (kept if it is replaced later). */
  insertAfter(index: number, nodes: NodeSpec[]): void {
    pushAll(this.after[index], nodes);
  }

  /** Inserts nodes before every source node (for values that are graph inputs or initializers). */
  insertAtStart(nodes: NodeSpec[]): void {
    pushAll(this.head, nodes);
  }

  /** Whether source node `index` is still itself (possibly with edits), not replaced. */
  isUntouched(index: number): boolean {
    const s = this.slots[index];
    return s.length >= 1 && isSourceNode(s[0]) && s[0].source === index;
  }

  /** Edits source node `index` in place (it must not have been replaced). */
  editSource(index: number, edit: Omit<SourceNode, 'source'>): void {
    const s = this.slots[index][0];
    if (!isSourceNode(s) || s.source !== index) throw new Error(`node ${index} was replaced and cannot be edited`);
    this.slots[index][0] = { ...s, ...edit };
  }

  /** Current inputs of source node `index` (after edits). */
  sourceInputs(index: number): readonly string[] {
    const s = this.slots[index][0];
    return isSourceNode(s) && s.source === index && s.inputs ? s.inputs : this.info.nodes[index].inputs;
  }

  addInitializer(t: Omit<NewTensor, 'name'> & { name: string }, unique = true): string {
    const name = unique ? this.uniqueName(t.name) : t.name;
    this.names.add(name);
    this.newInitializers.push({ ...t, name });
    return name;
  }

  /** Element type of an initializer added by this rewrite, or undefined. */
  addedType(name: string): number | undefined {
    return this.newInitializers.find((t) => t.name === name)?.elemType;
  }

  /** New contents (and possibly type/shape) for a source initializer, keeping its name and place. */
  replaceInitializer(name: string, t: Omit<NewTensor, 'name'>): void {
    const constant = this.constantNode(name);
    if (constant >= 0) {
      this.editSource(constant, { setAttributes: [{ name: 'value', type: 'tensor', value: { ...t, name } }] });
      return;
    }
    if (!this.initializerByName.has(name)) throw new Error(`no initializer '${name}' to replace`);
    this.replacedInitializers.set(name, { ...t, name });
  }

  node(n: NewNode): NewNode {
    if (n.domain) this.needOpset(n.domain, 1);
    return { ...n, name: n.name ? this.uniqueName(n.name) : undefined };
  }

  needOpset(domain: string, version: number): void {
    this.opsetNeeds.set(domain, Math.max(version, this.opsetNeeds.get(domain) ?? 0));
  }

  /** Raises the default-domain opset (the caller checked that the model's ops mean the same there). */
  raiseDefaultOpset(version: number, irVersion: number): void {
    if (version > this.opset) this.defaultOpset = version;
    this.irVersionNeeded = Math.max(this.irVersionNeeded, irVersion);
  }

  retype(name: string, elemType: number): void {
    this.retyped.set(name, elemType);
  }

  setMetadata(key: string, value: string): void {
    this.metadata.push({ key, value });
  }

  /** Names read by every node in the result, subgraph bodies included (an over-approximation is safe). */
  private readNames(nodes: NodeSpec[]): Set<string> {
    const used = new Set<string>();
    const addGraph = (g: GraphInfo) => {
      for (const n of g.nodes) {
        for (const x of n.inputs) used.add(x);
        for (const a of n.attributes) {
          if (a.g) addGraph(a.g);
          for (const sg of a.graphs ?? []) addGraph(sg);
        }
      }
      for (const o of g.outputs) used.add(o.name);
    };
    for (const n of nodes) {
      if (isSourceNode(n)) {
        const info = this.info.nodes[n.source];
        for (const x of n.inputs ?? info.inputs) used.add(x);
        for (const a of info.attributes) {
          if (a.g) addGraph(a.g);
          for (const sg of a.graphs ?? []) addGraph(sg);
        }
      } else for (const x of n.inputs) used.add(x);
    }
    for (const o of this.info.outputs) used.add(o.name);
    return used;
  }

  finish(): ModelRewrite {
    let nodes = [...this.head, ...this.slots.flatMap((slot, i) => [...slot, ...this.after[i]])];
    let used = this.readNames(nodes);
    // Constant nodes whose value nothing reads any more (weights now stored quantized) go too.
    const deadConstant = (n: NodeSpec) => isSourceNode(n) && this.info.nodes[n.source].opType === 'Constant' && this.info.nodes[n.source].outputs.every((o) => !used.has(o));
    if (nodes.some(deadConstant)) {
      nodes = nodes.filter((n) => !deadConstant(n));
      used = this.readNames(nodes);
    }
    const initializers = [
      ...this.info.initializers.flatMap((t, source) => (used.has(t.name) ? [this.replacedInitializers.get(t.name) ?? { source }] : [])),
      ...this.newInitializers.filter((t) => used.has(t.name)),
    ];
    const dropped = new Set(this.info.initializers.filter((t) => !used.has(t.name)).map((t) => t.name));
    const produced = new Set(nodes.flatMap((n) => (isSourceNode(n) ? n.outputs ?? this.info.nodes[n.source].outputs : n.outputs)));
    const redeclare = (list: GraphInfo['inputs'], keep: (name: string) => boolean): ValueSpec[] =>
      list.flatMap((v, source): ValueSpec[] => {
        if (!keep(v.name)) return [];
        const t = this.retyped.get(v.name);
        if (t === undefined) return [{ source }];
        const shape = v.type.kind === 'tensor' ? v.type.shape : null;
        return [{ name: v.name, elemType: t, shape, docString: v.docString } satisfies NewValue];
      });
    const opsets: OpsetImport[] = this.model.info.opsets.map((o) => ({ ...o }));
    let opsetsChanged = false;
    const want = new Map(this.opsetNeeds);
    if (this.defaultOpset !== undefined) want.set('', this.defaultOpset);
    for (const [domain, version] of want) {
      const o = opsets.find((x) => x.domain === domain);
      if (!o) {
        opsets.push({ domain, version });
        opsetsChanged = true;
      } else if (o.version < version) {
        o.version = version;
        opsetsChanged = true;
      }
    }
    const irVersion = this.irVersionNeeded > this.model.info.irVersion ? this.irVersionNeeded : undefined;
    return {
      graph: {
        nodes,
        initializers,
        inputs: redeclare(this.info.inputs, (n) => !dropped.has(n)),
        outputs: redeclare(this.info.outputs, () => true),
        valueInfo: this.info.valueInfo.flatMap((v, source) => (this.retyped.has(v.name) || !(produced.has(v.name) || used.has(v.name)) ? [] : [{ source }])),
      },
      opsets: opsetsChanged ? opsets : undefined,
      irVersion,
      metadata: this.metadata.length ? this.metadata : undefined,
    };
  }
}

/** AttributeSpec shorthands. */
export const attrs = {
  int: (name: string, value: number): AttributeSpec => ({ name, type: 'int', value }),
  float: (name: string, value: number): AttributeSpec => ({ name, type: 'float', value }),
  ints: (name: string, value: readonly number[]): AttributeSpec => ({ name, type: 'ints', value }),
  string: (name: string, value: string): AttributeSpec => ({ name, type: 'string', value }),
};

export function float32Bytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * float16: float32 weights and computation turned into float16, node by node. A node runs in
 * float16 when every float32 input and output it has sits on a type parameter that admits
 * float16 in its schema, its op is not on the list of ops without float16 kernels in
 * onnxruntime's CPU provider, and it has no subgraphs. Casts go where float16 and float32 meet:
 *  - a float32 value read by a float16 node: a float16 copy of an initializer, else one Cast;
 *  - a float16 result read by a float32 node, a subgraph or a graph output that keeps float32:
 *    the node writes `<name>__fp16` and a Cast gives back `<name>` in float32, so everything
 *    outside keeps reading the name it always did.
 * The same pass serves mixed precision (a set of nodes) and the whole-model mode.
 */
import { float32ToFloat16Bits } from '../data/float16';
import { ElemType } from '../onnx/elemTypes';
import { resolveSchema, type OpSchema } from '../onnx/schemas';
import type { AttributeInfo, TensorInfo } from '../onnx/types';
import type { AttributeSpec, NodeSpec } from '../onnx/write/rewrite';
import { inferShapes } from '../shapes';
import { attrs, type GraphRewriter } from './graphRewriter';
import type { NodeChange } from '../../shared/quantizeSettings';

/**
 * Ops kept in float32: no float16 kernel in onnxruntime's CPU provider (it would insert Casts
 * itself) or float16 is numerically unsafe for them (index and range outputs). The list follows
 * onnxconverter-common's DEFAULT_OP_BLOCK_LIST, which onnxruntime's fp16 docs point to.
 */
export const FP16_BLOCKED_OPS: readonly string[] = [
  'ArrayFeatureExtractor', 'Binarizer', 'CastMap', 'CategoryMapper', 'DictVectorizer', 'FeatureVectorizer', 'Imputer',
  'LabelEncoder', 'LinearClassifier', 'LinearRegressor', 'Normalizer', 'OneHotEncoder', 'RandomUniformLike', 'SVMClassifier',
  'SVMRegressor', 'Scaler', 'TreeEnsembleClassifier', 'TreeEnsembleRegressor', 'ZipMap', 'NonMaxSuppression', 'TopK',
  'RoiAlign', 'Resize', 'Range', 'CumSum', 'Min', 'Max', 'Upsample',
  'RandomNormal', 'RandomUniform', 'RandomNormalLike', 'Multinomial', 'EyeLike', 'If', 'Loop', 'Scan',
];

/** Ops that read any element type and whose outputs do not depend on it being float32. */
const AS_IS_CONSUMERS = new Set(['Shape', 'Size', 'Cast', 'CastLike']);

const FP16_MAX = 65504;

export interface Fp16Options {
  /** Keep float32 graph inputs and outputs. */
  keepIoTypes: boolean;
  blockOps?: readonly string[];
  excludeNodes?: readonly string[];
  /** Only these source node indices may run in float16 (mixed precision); default all. */
  only?: ReadonlySet<number>;
}

export interface Fp16Result {
  changes: NodeChange[];
  warnings: string[];
}

function f16Bytes(values: ArrayLike<number>): { data: Uint8Array; clamped: number } {
  const out = new Uint16Array(values.length);
  let clamped = 0;
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    if (v > FP16_MAX || v < -FP16_MAX) {
      clamped++;
      v = v > 0 ? FP16_MAX : -FP16_MAX;
    }
    out[i] = float32ToFloat16Bits(v);
  }
  return { data: new Uint8Array(out.buffer), clamped };
}

/** The formal parameter at input/output position `i` (variadic last parameters repeat). */
function formal(list: OpSchema['inputs'], i: number): OpSchema['inputs'][number] | undefined {
  if (i < list.length) return list[i];
  const last = list[list.length - 1];
  return last?.option === 'variadic' ? last : undefined;
}

function admitsFloat16(schema: OpSchema, typeStr: string): boolean {
  const c = schema.typeConstraints.find((t) => t.typeParam === typeStr);
  return !!c && c.allowedTypes.includes('tensor(float16)');
}

export function fp16Convert(ed: GraphRewriter, o: Fp16Options): Fp16Result {
  const g = ed.graph;
  const info = ed.info;
  const opsets = ed.model.info.opsets;
  const inference = inferShapes(g, opsets, (t, max) => ed.model.tensorNumbers(t, max));
  const typeOf = (name: string): number => (name ? inference.types.get(name)?.elemType ?? g.values.get(name)?.initializer?.elemType ?? ed.addedType(name) ?? 0 : 0);
  const isFloat = (name: string) => typeOf(name) === ElemType.FLOAT;
  const blocked = new Set([...FP16_BLOCKED_OPS, ...(o.blockOps ?? [])]);
  const excluded = new Set(o.excludeNodes ?? []);
  const warnings: string[] = [];

  // 1. Which nodes run in float16.
  const fp16 = new Set<number>();
  for (const n of g.nodes) {
    if (o.only && !o.only.has(n.index)) continue;
    if (excluded.has(n.name) || blocked.has(n.opType) || n.subgraphs.length > 0) continue;
    if (n.domain !== '') continue;
    const schema = resolveSchema('', n.opType, ed.opset);
    if (!schema) continue;
    if (n.opType === 'Cast' || n.opType === 'CastLike') {
      if (n.opType === 'Cast' && n.attributes.find((a) => a.name === 'to')?.i === ElemType.FLOAT) fp16.add(n.index);
      continue;
    }
    const ins = n.info.inputs.map((x, i) => ({ x, p: formal(schema.inputs, i) })).filter((e) => e.x && isFloat(e.x));
    const outs = n.info.outputs.map((x, i) => ({ x, p: formal(schema.outputs, i) })).filter((e) => e.x && isFloat(e.x));
    if (ins.length + outs.length === 0) continue;
    if ([...ins, ...outs].every((e) => e.p && admitsFloat16(schema, e.p.typeStr))) fp16.add(n.index);
  }

  // 2. Which values are float16 in the result, and which of them must also exist as float32 under their own name.
  const half = new Set<string>();
  for (const i of fp16) for (const x of info.nodes[i].outputs) if (x && isFloat(x)) half.add(x);
  const graphOutputs = new Set(info.outputs.map((v) => v.name));
  const readsAsFloat32 = (consumer: number) => !fp16.has(consumer) && !AS_IS_CONSUMERS.has(info.nodes[consumer].opType);
  const renamed = new Map<string, string>();
  for (const v of half) {
    const value = g.values.get(v)!;
    const needs32 = value.consumers.some(readsAsFloat32) || (graphOutputs.has(v) && o.keepIoTypes);
    if (needs32) renamed.set(v, ed.uniqueName(`${v}__fp16`));
  }
  const halfInputs = new Map<string, string>(); // graph input → its float32 cast, when float16 at the edge
  if (!o.keepIoTypes) {
    for (const name of g.inputs) {
      if (!isFloat(name)) continue;
      const consumers = g.values.get(name)!.consumers;
      if (consumers.some((c) => info.nodes[c].attributes.some((a) => a.g || a.graphs))) continue; // read inside a subgraph: stays float32
      half.add(name);
      ed.retype(name, ElemType.FLOAT16);
      if (consumers.some(readsAsFloat32)) {
        const as32 = ed.uniqueName(`${name}__fp32`);
        halfInputs.set(name, as32);
        ed.insertAtStart([ed.node({ opType: 'Cast', name: `${name}_to_fp32`, inputs: [name], outputs: [as32], attributes: [attrs.int('to', ElemType.FLOAT)] })]);
      }
    }
    for (const out of graphOutputs) if (half.has(out) && !renamed.has(out)) ed.retype(out, ElemType.FLOAT16);
  }

  // 3. Float16 copies of float32 inputs: initializers converted once, other values cast once.
  const converted = new Map<string, string>();
  const initializerBytes = new Map<string, number>();
  const as16 = (v: string): string => {
    if (half.has(v)) return renamed.get(v) ?? v;
    let name = converted.get(v);
    if (name) return name;
    const t = ed.initializer(v);
    if (t && !ed.isOverridable(v)) {
      const { data, clamped } = f16Bytes(ed.floatWeight(v)!);
      if (clamped) warnings.push(`${clamped} value${clamped === 1 ? '' : 's'} of '${v}' exceed the float16 range and were clamped to ±${FP16_MAX}`);
      const onlyHalf = g.values.get(v)!.consumers.every((c) => fp16.has(c)) && !graphOutputs.has(v);
      if (onlyHalf) {
        ed.replaceInitializer(v, { elemType: ElemType.FLOAT16, dims: [...t.dims], data });
        name = v;
      } else name = ed.addInitializer({ name: `${v}__fp16`, elemType: ElemType.FLOAT16, dims: [...t.dims], data });
      initializerBytes.set(v, data.byteLength);
    } else {
      name = ed.uniqueName(`${v}__fp16`);
      const cast = ed.node({ opType: 'Cast', name: `${v}_to_fp16`, inputs: [v], outputs: [name], attributes: [attrs.int('to', ElemType.FLOAT16)] });
      const producer = g.values.get(v)?.producer ?? -1;
      if (producer >= 0) ed.insertAfter(producer, [cast]);
      else ed.insertAtStart([cast]);
    }
    converted.set(v, name);
    return name;
  };

  // 4. Edit the nodes.
  const changes: NodeChange[] = [];
  for (const n of g.nodes) {
    const i = n.index;
    if (fp16.has(i)) {
      const schema = resolveSchema('', n.opType, ed.opset)!;
      const isCast = n.opType === 'Cast';
      // Current inputs: an opset raise may have turned attributes into inputs already.
      const inputs = ed.sourceInputs(i).map((x, k) => (x && !isCast && isFloat(x) && formal(schema.inputs, k) ? as16(x) : x));
      const outputs = n.info.outputs.map((x) => renamed.get(x) ?? x);
      const setAttributes: AttributeSpec[] = [];
      if (isCast) setAttributes.push(attrs.int('to', ElemType.FLOAT16));
      const valueAttr = constantValue(ed, n.opType, n.attributes);
      if (valueAttr) setAttributes.push(valueAttr.spec);
      ed.editSource(i, { inputs, outputs, setAttributes, removeAttributes: valueAttr?.remove ?? [] });
      const back: NodeSpec[] = [];
      for (const x of n.info.outputs) {
        const r = renamed.get(x);
        if (r) back.push(ed.node({ opType: 'Cast', name: `${x}_to_fp32`, inputs: [r], outputs: [x], attributes: [attrs.int('to', ElemType.FLOAT)] }));
      }
      ed.insertAfter(i, back);
      const weights = n.info.inputs.filter((x) => x && ed.initializer(x) && isFloat(x));
      const before = weights.reduce((s, x) => s + 4 * elements(ed.initializer(x)!), 0);
      changes.push({
        node: n.name, opType: n.opType, precision: 'fp16', scheme: 'float16', weight: weights[0],
        bytesBefore: before, bytesAfter: before / 2, outputs: n.info.outputs.filter((x) => x && isFloat(x)),
      });
    } else if (halfInputs.size && !o.only) {
      const inputs = ed.sourceInputs(i);
      if (inputs.some((x) => halfInputs.has(x)) && readsAsFloat32(i)) ed.editSource(i, { inputs: inputs.map((x) => halfInputs.get(x) ?? x) });
    }
  }
  return { changes, warnings };
}

function elements(t: TensorInfo): number {
  return t.dims.reduce((a, b) => a * b, 1);
}

/** Constant / ConstantOfShape: their float32 value attribute as float16 (ConstantOfShape's default is a float32 0). */
function constantValue(ed: GraphRewriter, opType: string, attributes: AttributeInfo[]): { spec: AttributeSpec; remove: string[] } | null {
  if (opType !== 'Constant' && opType !== 'ConstantOfShape') return null;
  const value = attributes.find((a) => a.name === 'value' && a.t);
  if (value?.t) {
    if (value.t.elemType !== ElemType.FLOAT) return null;
    const values = ed.model.readTensor(value.t).values as Float32Array;
    return { spec: { name: 'value', type: 'tensor', value: { name: value.t.name, elemType: ElemType.FLOAT16, dims: [...value.t.dims], data: f16Bytes(values).data } }, remove: [] };
  }
  const vf = attributes.find((a) => a.name === 'value_float' || a.name === 'value_floats');
  if (vf) {
    const values = vf.name === 'value_float' ? [vf.f ?? 0] : vf.floats ?? [];
    const dims = vf.name === 'value_float' ? [] : [values.length];
    return { spec: { name: 'value', type: 'tensor', value: { name: 'value', elemType: ElemType.FLOAT16, dims, data: f16Bytes(values).data } }, remove: [vf.name] };
  }
  if (opType === 'ConstantOfShape') return { spec: { name: 'value', type: 'tensor', value: { name: 'value', elemType: ElemType.FLOAT16, dims: [1], data: f16Bytes([0]).data } }, remove: [] };
  return null;
}

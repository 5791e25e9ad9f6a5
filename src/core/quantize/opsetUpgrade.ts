/**
 * Raising a model's default-domain opset without changing what it computes — needed when a rewrite
 * uses newer ops (DynamicQuantizeLinear: 11, per-axis DequantizeLinear: 13, blocked
 * DequantizeLinear and int4: 21). Most op revisions only add types; the ones listed here change
 * meaning or spelling. Those in the main graph are rewritten to the new spelling (attributes that
 * became inputs, new explicit defaults); anywhere else (subgraphs, functions, which the writer copies
 * as they are), or without a known conversion, they make the raise unsafe and it is refused.
 * Revisions: https://github.com/onnx/onnx/blob/main/docs/Changelog.md
 */
import { ElemType } from '../onnx/elemTypes';
import type { AttributeInfo, GraphInfo, NodeInfo } from '../onnx/types';
import type { AttributeSpec } from '../onnx/write/rewrite';
import { inferShapes } from '../shapes';
import type { GraphRewriter } from './graphRewriter';

/** Oldest opset raised at all: below 9, BatchNormalization and friends changed too much. */
export const OPSET_UPGRADE_MIN = 9;

interface Edit {
  inputs?: string[];
  setAttributes?: AttributeSpec[];
  removeAttributes?: string[];
}

interface Ctx {
  ed: GraphRewriter;
  from: number;
  to: number;
  /** Rank of a value when known. */
  rank(name: string): number | null;
  elemType(name: string): number;
  int64s(name: string, values: readonly number[]): string;
  scalar(name: string, elemType: number, value: number): string;
}

/** A conversion returns the edit, null when nothing needs to change, or a string saying why it cannot convert. */
type Convert = (n: NodeInfo, c: Ctx) => Edit | null | string;

interface Revision {
  /** First opset where the old spelling stops meaning the same. */
  since: number;
  convert?: Convert;
}

const attr = (n: NodeInfo, name: string): AttributeInfo | undefined => n.attributes.find((a) => a.name === name);
const crosses = (c: Ctx, since: number) => c.from < since && c.to >= since;

/** An ints attribute that became an int64 input at `position` (optional inputs in between become ''). */
function attrToInput(name: string, position: number): Convert {
  return (n, c) => {
    const a = attr(n, name);
    if (!a) return null;
    const inputs = [...n.inputs];
    while (inputs.length < position) inputs.push('');
    inputs[position] = c.int64s(`${n.name || n.opType}_${name}`, a.ints ?? (a.i !== undefined ? [a.i] : []));
    return { inputs, removeAttributes: [name] };
  };
}

const REDUCE_18 = ['ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceProd', 'ReduceSumSquare'];

const softmaxLike: Convert = (n, c) => {
  // Before 13 the input is coerced to 2-D at `axis` (default 1); from 13 `axis` (default -1) is one
  // dimension. The same only when the axis is the last one.
  const rank = c.rank(n.inputs[0]);
  const axis = attr(n, 'axis')?.i ?? 1;
  if (rank === null) return 'the rank of its input is unknown';
  const a = axis < 0 ? axis + rank : axis;
  if (a !== rank - 1) return `its axis ${axis} is not the last of ${rank} dimensions`;
  return { setAttributes: [{ name: 'axis', type: 'int', value: -1 }] };
};

const REVISIONS: Record<string, Revision[]> = {
  Slice: [{ since: 10, convert: (n, c) => {
    const starts = attr(n, 'starts')?.ints;
    const ends = attr(n, 'ends')?.ints;
    if (!starts || !ends) return null;
    const base = n.name || 'Slice';
    const axes = attr(n, 'axes')?.ints;
    const inputs = [n.inputs[0], c.int64s(`${base}_starts`, starts), c.int64s(`${base}_ends`, ends), ...(axes ? [c.int64s(`${base}_axes`, axes)] : [])];
    return { inputs, removeAttributes: ['starts', 'ends', 'axes'] };
  } }],
  TopK: [{ since: 10, convert: attrToInput('k', 1) }],
  Clip: [{ since: 11, convert: (n, c) => {
    const type = c.elemType(n.inputs[0]);
    if (type !== ElemType.FLOAT) return 'its input is not known to be float32';
    const lo = attr(n, 'min')?.f;
    const hi = attr(n, 'max')?.f;
    const base = n.name || 'Clip';
    const inputs = [n.inputs[0], lo === undefined ? '' : c.scalar(`${base}_min`, type, lo), hi === undefined ? '' : c.scalar(`${base}_max`, type, hi)];
    while (inputs[inputs.length - 1] === '') inputs.pop();
    return { inputs, removeAttributes: ['min', 'max'] };
  } }],
  Pad: [{ since: 11, convert: (n, c) => {
    const pads = attr(n, 'pads')?.ints;
    if (!pads) return 'it has no pads';
    const type = c.elemType(n.inputs[0]);
    const value = attr(n, 'value')?.f ?? 0;
    if (value !== 0 && type !== ElemType.FLOAT) return 'its pad value is not for a float32 input';
    const base = n.name || 'Pad';
    const inputs = [n.inputs[0], c.int64s(`${base}_pads`, pads), ...(value !== 0 ? [c.scalar(`${base}_value`, type, value)] : [])];
    return { inputs, removeAttributes: ['pads', 'value'] };
  } }],
  Dropout: [{ since: 12, convert: (n) => (attr(n, 'ratio') ? { removeAttributes: ['ratio'] } : null) }], // inference: identity
  Upsample: [{ since: 10 }],
  Resize: [{ since: 11 }],
  Scatter: [{ since: 11 }],
  Softmax: [{ since: 13, convert: softmaxLike }],
  LogSoftmax: [{ since: 13, convert: softmaxLike }],
  Hardmax: [{ since: 13, convert: softmaxLike }],
  Squeeze: [{ since: 13, convert: attrToInput('axes', 1) }],
  Unsqueeze: [{ since: 13, convert: attrToInput('axes', 1) }],
  ReduceSum: [{ since: 13, convert: attrToInput('axes', 1) }],
  Split: [
    { since: 13, convert: attrToInput('split', 1) },
    { since: 18, convert: (n, c) => {
      const hasSplit = (n.inputs.length > 1 && n.inputs[1] !== '') || (attr(n, 'split') !== undefined && crosses(c, 13));
      return hasSplit || attr(n, 'num_outputs') ? null : { setAttributes: [{ name: 'num_outputs', type: 'int', value: n.outputs.length }] };
    } },
  ],
  RoiAlign: [{ since: 16, convert: (n) => (attr(n, 'coordinate_transformation_mode') ? null : { setAttributes: [{ name: 'coordinate_transformation_mode', type: 'string', value: 'output_half_pixel' }] }) }],
  DFT: [{ since: 20 }],
  GridSample: [{ since: 20 }],
  GroupNormalization: [{ since: 21 }],
  ...Object.fromEntries(REDUCE_18.map((op) => [op, [{ since: 18, convert: attrToInput('axes', 1) }]])),
};

function subgraphs(n: NodeInfo): GraphInfo[] {
  return n.attributes.flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]);
}

/** Revisions a node crosses between `from` and `to`. */
function crossed(n: NodeInfo, from: number, to: number): Revision[] {
  if (n.domain !== '') return [];
  return (REVISIONS[n.opType] ?? []).filter((r) => from < r.since && to >= r.since);
}

export interface OpsetPlan {
  edits: { index: number; edit: Edit }[];
}

/**
 * How to raise the default opset to `to`: the node edits, or the reason it cannot be done safely.
 * Nothing is changed until `applyOpsetUpgrade`.
 */
export function planOpsetUpgrade(ed: GraphRewriter, to: number): OpsetPlan | string {
  const from = ed.opset;
  if (from >= to) return { edits: [] };
  if (from < OPSET_UPGRADE_MIN) return `its opset ${from} is older than ${OPSET_UPGRADE_MIN}`;
  if (ed.model.info.functions.some((f) => f.opsets.some((o) => o.domain === ''))) return 'it has model-local functions on the default domain';
  const inSubgraph = (g: GraphInfo): NodeInfo | undefined => {
    for (const n of g.nodes) {
      if (crossed(n, from, to).length) return n;
      for (const sg of subgraphs(n)) {
        const hit = inSubgraph(sg);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  let types: Map<string, { elemType: number; shape: unknown[] | null }> | undefined;
  const typeOf = (name: string) => {
    types ??= inferShapes(ed.graph, ed.model.info.opsets, (t, max) => ed.model.tensorNumbers(t, max)).types as never;
    return types!.get(name);
  };
  const pending: { index: number; n: NodeInfo; revisions: Revision[] }[] = [];
  for (const [index, n] of ed.info.nodes.entries()) {
    for (const sg of subgraphs(n)) {
      const hit = inSubgraph(sg);
      if (hit) return `a subgraph uses ${hit.opType}, whose meaning changes by opset ${to}`;
    }
    const revisions = crossed(n, from, to);
    if (revisions.length) pending.push({ index, n, revisions });
  }
  const edits: OpsetPlan['edits'] = [];
  const ctx: Ctx = {
    ed, from, to,
    rank: (name) => (typeOf(name)?.shape?.length ?? null),
    elemType: (name) => typeOf(name)?.elemType ?? ed.initializer(name)?.elemType ?? 0,
    int64s: (name, values) => ed.addInitializer({ name, elemType: ElemType.INT64, dims: [values.length], data: new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer) }),
    scalar: (name, elemType, value) => ed.addInitializer({ name, elemType, dims: [], data: new Uint8Array(Float32Array.of(value).buffer) }),
  };
  for (const { index, n, revisions } of pending) {
    // Revisions apply in order, each to the node as the previous one left it.
    let node: NodeInfo = n;
    const merged: Edit = {};
    for (const r of revisions) {
      if (!r.convert) return `it uses ${n.opType} (node '${n.name}'), whose meaning changes at opset ${r.since}`;
      const edit = r.convert(node, ctx);
      if (typeof edit === 'string') return `${n.opType} node '${n.name}' cannot be carried to opset ${r.since}: ${edit}`;
      if (!edit) continue;
      if (edit.inputs) merged.inputs = edit.inputs;
      merged.setAttributes = [...(merged.setAttributes ?? []).filter((a) => !edit.setAttributes?.some((b) => b.name === a.name)), ...(edit.setAttributes ?? [])];
      merged.removeAttributes = [...(merged.removeAttributes ?? []), ...(edit.removeAttributes ?? [])];
      node = { ...node, inputs: edit.inputs ?? node.inputs, attributes: node.attributes.filter((a) => !edit.removeAttributes?.includes(a.name)) };
    }
    if (merged.inputs || merged.setAttributes?.length || merged.removeAttributes?.length) edits.push({ index, edit: merged });
  }
  return { edits };
}

/** IR version a default-domain opset needs (onnx/helper.py VERSION_TABLE). */
export function irVersionFor(opset: number): number {
  if (opset >= 21) return 10;
  if (opset >= 19) return 9;
  if (opset >= 15) return 8;
  if (opset >= 14) return 7;
  if (opset >= 12) return 7;
  if (opset >= 10) return 5;
  return 4;
}

/** Raises the opset to `to` if it is lower, or throws the reason it cannot (via `fail`). */
export function ensureOpset(ed: GraphRewriter, to: number, fail: (why: string) => Error): void {
  if (ed.opset >= to) return;
  const plan = planOpsetUpgrade(ed, to);
  if (typeof plan === 'string') throw fail(plan);
  for (const { index, edit } of plan.edits) ed.editSource(index, edit);
  ed.raiseDefaultOpset(to, irVersionFor(to));
}

/**
 * What changed in each matched node: its op, attributes (old → new), where its inputs come
 * from, the dtypes and inferred shapes of its outputs, and its weights (initializer inputs and
 * tensor attributes such as Constant's value, each compared once even when shared).
 */
import type { ModelAnalysis } from '../modelAnalysis';
import { valueTypeText } from '../graph/payload';
import type { GraphNode } from '../graph/types';
import { attributeText } from '../nodeDetails';
import type { TensorInfo } from '../onnx/types';
import { CHANGE_KINDS, type ChangedNode, type NodeChangeItem, type WeightDelta } from '../../shared/diffReport';
import type { Matching } from './match';
import { attributeKey, isTensorAttribute, opKey } from './nodeKeys';
import type { WeightRef } from './weights';

/** A weight input or tensor attribute of a matched pair, to be compared once. */
export interface WeightPair {
  key: string;
  a: WeightRef;
  b: WeightRef;
}

function ref(side: ModelAnalysis, t: TensorInfo): WeightRef {
  return { ctx: side.model.tensorContext, t };
}

function initializerOf(side: ModelAnalysis, name: string): TensorInfo | null {
  return name ? side.graph.values.get(name)?.initializer ?? null : null;
}

/** Every weight pair the matched nodes share, keyed `a-name→b-name` (an initializer used twice is one pair). */
export function weightPairs(a: ModelAnalysis, b: ModelAnalysis, m: Matching): Map<string, WeightPair> {
  const pairs = new Map<string, WeightPair>();
  const add = (ta: TensorInfo, tb: TensorInfo, key: string) => {
    if (!pairs.has(key)) pairs.set(key, { key, a: ref(a, ta), b: ref(b, tb) });
  };
  for (let x = 0; x < m.aToB.length; x++) {
    const y = m.aToB[x];
    if (y < 0) continue;
    const [nx, ny] = [a.graph.nodes[x], b.graph.nodes[y]];
    for (let k = 0; k < Math.min(nx.info.inputs.length, ny.info.inputs.length); k++) {
      const [ta, tb] = [initializerOf(a, nx.info.inputs[k]), initializerOf(b, ny.info.inputs[k])];
      if (ta && tb) add(ta, tb, `${ta.name}→${tb.name}`);
    }
    for (const attr of nx.attributes) {
      const other = ny.attributes.find((c) => c.name === attr.name);
      if (isTensorAttribute(attr) && other && isTensorAttribute(other)) add(attr.t!, other.t!, `${nx.name}.${attr.name}→${ny.name}.${attr.name}`);
    }
  }
  return pairs;
}

const SEVERITY = new Map(CHANGE_KINDS.map((k, i) => [k, i]));

export function nodeChanges(a: ModelAnalysis, b: ModelAnalysis, m: Matching, weights: ReadonlyMap<string, WeightDelta>): ChangedNode[] {
  const out: ChangedNode[] = [];
  for (let x = 0; x < m.aToB.length; x++) {
    const y = m.aToB[x];
    if (y < 0) continue;
    const [nx, ny] = [a.graph.nodes[x], b.graph.nodes[y]];
    const changes = [...opChange(nx, ny), ...attributeChanges(a, b, nx, ny, weights), ...inputChanges(a, b, nx, ny, m, weights), ...outputChanges(a, b, nx, ny)];
    if (changes.length === 0) continue;
    const worstWeight = Math.max(0, ...changes.map((c) => c.weight?.relativeL2 ?? 0).map((r) => (Number.isFinite(r) ? r : 1e9)));
    changes.sort((p, q) => SEVERITY.get(p.kind)! - SEVERITY.get(q.kind)!);
    out.push({ a: nx.name, b: ny.name, opType: ny.opType, changes, size: worstWeight || changes.length });
  }
  return out.sort((p, q) => SEVERITY.get(p.changes[0].kind)! - SEVERITY.get(q.changes[0].kind)! || q.size - p.size);
}

function opChange(nx: GraphNode, ny: GraphNode): NodeChangeItem[] {
  return opKey(nx) === opKey(ny) ? [] : [{ kind: 'op', name: ny.opType, before: opKey(nx), after: opKey(ny) }];
}

function attributeChanges(a: ModelAnalysis, b: ModelAnalysis, nx: GraphNode, ny: GraphNode, weights: ReadonlyMap<string, WeightDelta>): NodeChangeItem[] {
  const out: NodeChangeItem[] = [];
  const names = [...new Set([...nx.attributes.map((t) => t.name), ...ny.attributes.map((t) => t.name)])].sort();
  for (const name of names) {
    const [ax, by] = [nx.attributes.find((t) => t.name === name), ny.attributes.find((t) => t.name === name)];
    if (ax && by && isTensorAttribute(ax) && isTensorAttribute(by)) {
      const w = weights.get(`${nx.name}.${name}→${ny.name}.${name}`);
      if (w && !w.identical) out.push(weightChange(name, w));
      continue;
    }
    const [ka, kb] = [ax ? attributeKey(a.model, ax) : null, by ? attributeKey(b.model, by) : null];
    if (ka === kb) continue;
    let [before, after] = [ax ? attributeText(a.model, ax) : null, by ? attributeText(b.model, by) : null];
    // Long lists print their first elements only; say that the rest differs.
    if (before !== null && before === after) after = `${after} (differs further on)`;
    out.push({ kind: 'attribute', name, before, after });
  }
  return out;
}

function inputChanges(a: ModelAnalysis, b: ModelAnalysis, nx: GraphNode, ny: GraphNode, m: Matching, weights: ReadonlyMap<string, WeightDelta>): NodeChangeItem[] {
  const out: NodeChangeItem[] = [];
  const [ix, iy] = [nx.info.inputs, ny.info.inputs];
  if (ix.length !== iy.length) out.push({ kind: 'input', name: 'inputs', before: String(ix.length), after: String(iy.length) });
  for (let k = 0; k < Math.min(ix.length, iy.length); k++) {
    const [u, v] = [ix[k], iy[k]];
    const [ta, tb] = [initializerOf(a, u), initializerOf(b, v)];
    if (ta && tb) {
      const w = weights.get(`${ta.name}→${tb.name}`);
      if (w && !w.identical) out.push(weightChange(tb.name, w));
      continue;
    }
    if (u === '' && v === '') continue;
    // Inserted or removed nodes upstream leave the value unpaired: the input now comes from elsewhere.
    if (u === '' || v === '' || !!ta !== !!tb || rewired(a, b, m, u, v)) {
      out.push({ kind: 'input', name: `input ${k}`, before: u || null, after: v || null });
    }
  }
  return out;
}

/** Whether input value u (in a) and v (in b) come from different places: producers that are not each other's match. */
function rewired(a: ModelAnalysis, b: ModelAnalysis, m: Matching, u: string, v: string): boolean {
  const px = a.graph.values.get(u)?.producer ?? -1;
  const py = b.graph.values.get(v)?.producer ?? -1;
  if (px >= 0 && py >= 0) return m.aToB[px] !== py;
  if (px < 0 && py < 0) return m.values.get(u) !== v;
  return true;
}

function outputChanges(a: ModelAnalysis, b: ModelAnalysis, nx: GraphNode, ny: GraphNode): NodeChangeItem[] {
  const out: NodeChangeItem[] = [];
  const [ox, oy] = [nx.info.outputs, ny.info.outputs];
  for (let k = 0; k < Math.min(ox.length, oy.length); k++) {
    if (!ox[k] || !oy[k]) continue;
    const ta = valueTypeText(ox[k], a.graph.values.get(ox[k]), a.inference);
    const tb = valueTypeText(oy[k], b.graph.values.get(oy[k]), b.inference);
    if (ta.elemType !== tb.elemType) out.push({ kind: 'dtype', name: oy[k], before: ta.elemType, after: tb.elemType });
    if (ta.shape !== tb.shape) out.push({ kind: 'shape', name: oy[k], before: ta.shape, after: tb.shape });
  }
  if (ox.length !== oy.length) out.push({ kind: 'input', name: 'outputs', before: String(ox.length), after: String(oy.length) });
  return out;
}

function weightChange(name: string, w: WeightDelta): NodeChangeItem {
  const text = (t: string, s: number[]) => `${t}[${s.join(', ')}]`;
  return { kind: 'weight', name, before: text(w.elemType.a, w.shape.a), after: text(w.elemType.b, w.shape.b), weight: w };
}

/**
 * The model-level part of the diff, from the two summaries: inputs and outputs (by name: a
 * renamed input is one removed and one added), opsets by domain, IR version, producer,
 * metadata, and the totals (nodes, parameters, bytes, MACs).
 */
import type { ModelSummary, SummaryValue } from '../../shared/modelSummary';
import type { ListDiff, SignatureDiff, SignatureValue, Totals } from '../../shared/diffReport';

function keyedDiff<T>(a: readonly T[], b: readonly T[], key: (x: T) => string, same: (x: T, y: T) => boolean): ListDiff<T> {
  const inA = new Map(a.map((x) => [key(x), x]));
  const inB = new Map(b.map((x) => [key(x), x]));
  const out: ListDiff<T> = { added: [], removed: [], changed: [] };
  for (const [k, x] of inA) {
    const y = inB.get(k);
    if (y === undefined) out.removed.push(x);
    else if (!same(x, y)) out.changed.push({ name: k, before: x, after: y });
  }
  for (const [k, y] of inB) if (!inA.has(k)) out.added.push(y);
  return out;
}

const value = (v: SummaryValue): SignatureValue => ({ name: v.name, elemType: v.elemType, shape: v.shape });
const sameValue = (x: SignatureValue, y: SignatureValue) => x.elemType === y.elemType && JSON.stringify(x.shape) === JSON.stringify(y.shape);
const isEmpty = (d: ListDiff<unknown>) => d.added.length + d.removed.length + d.changed.length === 0;

export function signatureDiff(a: ModelSummary, b: ModelSummary): SignatureDiff {
  const entries = (r: Record<string, number>) => Object.entries(r).map(([domain, version]) => ({ domain, version }));
  const meta = (r: Record<string, string>) => Object.entries(r).map(([key, v]) => ({ key, value: v }));
  const producer = (s: ModelSummary) => [s.producer.name, s.producer.version].filter(Boolean).join(' ');
  const d = {
    inputs: keyedDiff(a.inputs.map(value), b.inputs.map(value), (v) => v.name, sameValue),
    outputs: keyedDiff(a.outputs.map(value), b.outputs.map(value), (v) => v.name, sameValue),
    opsets: keyedDiff(entries(a.opsets), entries(b.opsets), (o) => o.domain, (x, y) => x.version === y.version),
    irVersion: { a: a.irVersion, b: b.irVersion },
    producer: { a: producer(a), b: producer(b) },
    metadata: keyedDiff(meta(a.metadata), meta(b.metadata), (m) => m.key, (x, y) => x.value === y.value),
  };
  const same = isEmpty(d.inputs) && isEmpty(d.outputs) && isEmpty(d.opsets) && isEmpty(d.metadata) && d.irVersion.a === d.irVersion.b && d.producer.a === d.producer.b;
  return { ...d, same };
}

export function totals(a: ModelSummary, b: ModelSummary): Totals {
  return {
    parameters: { a: a.parameterCount, b: b.parameterCount },
    bytes: { a: a.parameterBytes, b: b.parameterBytes },
    macs: { a: a.macs, b: b.macs },
    nodes: { a: a.nodeCount, b: b.nodeCount },
  };
}

/** "opset 13 → 17", "input x: float32 [1, 3] → float16 [1, 3]", … : the signature's changes as short phrases. */
export function signaturePhrases(s: SignatureDiff): string[] {
  const out: string[] = [];
  const shape = (v: SignatureValue) => `${v.elemType} ${v.shape ? `[${v.shape.map((d) => d ?? '?').join(', ')}]` : '?'}`;
  for (const [what, d] of [['input', s.inputs], ['output', s.outputs]] as const) {
    for (const v of d.added) out.push(`${what} ${v.name} added`);
    for (const v of d.removed) out.push(`${what} ${v.name} removed`);
    for (const c of d.changed) out.push(`${what} ${c.name}: ${shape(c.before)} → ${shape(c.after)}`);
  }
  const domain = (x: string) => (x === '' ? 'opset' : `opset ${x}`);
  for (const o of s.opsets.changed) out.push(`${domain(o.name)} ${o.before.version} → ${o.after.version}`);
  for (const o of s.opsets.added) out.push(`${domain(o.domain)} ${o.version} added`);
  for (const o of s.opsets.removed) out.push(`${domain(o.domain)} ${o.version} removed`);
  if (s.irVersion.a !== s.irVersion.b) out.push(`IR version ${s.irVersion.a} → ${s.irVersion.b}`);
  if (s.producer.a !== s.producer.b) out.push(`producer ${s.producer.a || 'none'} → ${s.producer.b || 'none'}`);
  const m = s.metadata.added.length + s.metadata.removed.length + s.metadata.changed.length;
  if (m) out.push(`${m} metadata entr${m === 1 ? 'y' : 'ies'} changed`);
  return out;
}

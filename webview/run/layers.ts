/**
 * Captured activations as a walk along the network: the series the per-layer chart draws, where
 * each value comes from in the graph, what a "selection" captures, and the warnings worth a glance
 * (dead ReLUs, exploding or non-finite values). Pure, unit-tested.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { TensorSummary } from '../../src/shared/runtimeTypes';

export interface LayerSeries {
  names: string[];
  mean: number[];
  std: number[];
  /** Fraction of exact zeros, 0–1. */
  sparsity: number[];
}

/** One point per numeric activation, in the order captured (topological). */
export function layerSeries(activations: readonly TensorSummary[]): LayerSeries {
  const out: LayerSeries = { names: [], mean: [], std: [], sparsity: [] };
  for (const a of activations) {
    if (!a.numeric) continue;
    out.names.push(a.name);
    out.mean.push(a.numeric.mean);
    out.std.push(a.numeric.std);
    out.sparsity.push(a.numeric.zeros);
  }
  return out;
}

export type ActivationFlag = 'dead' | 'exploding' | 'non-finite';

/** A ReLU output is "dead" for this input at or above this fraction of zeros. */
export const DEAD_SPARSITY = 0.99;
/**
 * Magnitudes beyond this are unusual for activations in float32. Above the -10000 that BERT-style
 * attention masks add, which is a convention, not an explosion.
 */
export const EXPLODING_MAGNITUDE = 1e5;

/** Ops whose all-zero output means units that never fire (zeros from a Mul or a Sub mean nothing). */
const RELU_LIKE = /(^|:)(Relu|Clip|ThresholdedRelu|FusedConv)$/;

/** What is worth a warning about a captured value; `producerOp` is its node's op type. */
export function activationFlags(a: TensorSummary, producerOp: string | null): ActivationFlag[] {
  const n = a.numeric;
  if (!n || a.elements === 0) return [];
  const flags: ActivationFlag[] = [];
  if (n.nan > 0 || n.inf > 0) flags.push('non-finite');
  if (producerOp !== null && RELU_LIKE.test(producerOp) && n.zeros >= DEAD_SPARSITY) flags.push('dead');
  if (Math.max(Math.abs(n.min), Math.abs(n.max)) > EXPLODING_MAGNITUDE) flags.push('exploding');
  return flags;
}

export const FLAG_TEXT: Record<ActivationFlag, string> = {
  dead: 'almost all zeros: a dead ReLU for this input?',
  exploding: 'values beyond ±100,000: exploding?',
  'non-finite': 'holds NaN or Inf',
};

/** A value name as a shrinkable scope and a kept last segment: '/a/b/Relu_output_0' → ['/a/b', '/Relu_output_0']. */
export function splitName(name: string): [string, string] {
  const cut = name.lastIndexOf('/');
  return cut > 0 ? [name.slice(0, cut), name.slice(cut)] : ['', name];
}

/** value name → value index in the payload. */
export function valueIndex(p: GraphPayload): Map<string, number> {
  return new Map(p.valueNames.map((name, i) => [name, i]));
}

/** The node that produces a value, or -1 (graph input, initializer, unknown name). */
export function producerOf(p: GraphPayload, index: Map<string, number>, value: string): number {
  const v = index.get(value);
  return v === undefined ? -1 : p.valueProducer[v];
}

export function opOfNode(p: GraphPayload, node: number): string | null {
  return node >= 0 ? p.ops[p.nodeOp[node]] : null;
}

/** What "Capture activations of selection" asks for: a node's outputs, or the selected value itself. */
export function valuesOfSelection(p: GraphPayload, selection: { kind: string; index: number }): string[] {
  if (selection.kind === 'node' && selection.index >= 0 && selection.index < p.nodeCount) {
    const names: string[] = [];
    for (let i = p.nodeOutputStart[selection.index]; i < p.nodeOutputStart[selection.index + 1]; i++) {
      const v = p.nodeOutputs[i];
      if (v >= 0 && p.valueNames[v]) names.push(p.valueNames[v]);
    }
    return names;
  }
  if (selection.kind === 'value' && selection.index >= 0 && selection.index < p.valueCount) return [p.valueNames[selection.index]];
  return [];
}

/** A short name for the selection on the capture button: the node's name or the value's. */
export function selectionLabel(p: GraphPayload, selection: { kind: string; index: number }): string | null {
  if (selection.kind === 'node' && selection.index >= 0) return p.nodeNames[selection.index] ?? null;
  if (selection.kind === 'value' && selection.index >= 0) return p.valueNames[selection.index] ?? null;
  return null;
}

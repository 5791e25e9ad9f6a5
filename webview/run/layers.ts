/**
 * Captured activations as a walk along the network: the series the per-layer chart draws, where
 * each value comes from in the graph, what a "selection" captures, and the warnings worth a glance
 * (dead ReLUs, exploding or non-finite values). Pure, unit-tested.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { TensorSummary } from '../../src/runtime/types';

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

/** A value is almost all zeros at or above this fraction (a dead ReLU, for one input). */
export const DEAD_SPARSITY = 0.99;
/** Magnitudes beyond this are unusual for activations of a trained network in float32. */
export const EXPLODING_MAGNITUDE = 1e4;

export function activationFlags(a: TensorSummary): ActivationFlag[] {
  const n = a.numeric;
  if (!n || a.elements === 0) return [];
  const flags: ActivationFlag[] = [];
  if (n.nan > 0 || n.inf > 0) flags.push('non-finite');
  if (n.zeros >= DEAD_SPARSITY || (n.min === n.max && a.elements > 1 && n.zeros > 0)) flags.push('dead');
  if (Math.max(Math.abs(n.min), Math.abs(n.max)) > EXPLODING_MAGNITUDE) flags.push('exploding');
  return flags;
}

export const FLAG_TEXT: Record<ActivationFlag, string> = {
  dead: 'almost all zeros (a dead ReLU for this input?)',
  exploding: `values beyond ±${EXPLODING_MAGNITUDE.toExponential(0).replace('e+', 'e')}`,
  'non-finite': 'holds NaN or Inf',
};

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

/**
 * The inputs a model gets when the user has said nothing: seeded normal noise for float inputs,
 * zeros for integer and bool inputs (zeros are valid token ids, indices and flags; noise is not),
 * symbolic dims set to 1 unless a value is given by name (`batch=8`).
 */
import type { InputSource, InputSpec, IoSignature } from '../../shared/runtimeTypes';

const FLOAT_TYPES = new Set(['float32', 'float64', 'float16', 'bfloat16']);

export function defaultSource(elemType: string, seed = 0): InputSource {
  return FLOAT_TYPES.has(elemType) ? { kind: 'random', distribution: 'normal', seed } : { kind: 'zeros' };
}

/** Concrete dims: fixed dims as declared, symbolic ones from `dimValues` by name, else 1. */
export function concreteDims(dims: readonly (number | string)[], dimValues: Readonly<Record<string, number>> = {}): number[] {
  return dims.map((d) => (typeof d === 'number' && d >= 0 ? d : (dimValues[String(d)] ?? 1)));
}

export function defaultInputSpecs(inputs: readonly IoSignature[], dimValues: Readonly<Record<string, number>> = {}): InputSpec[] {
  return inputs.map((sig, i) => ({ name: sig.name, dims: concreteDims(sig.dims, dimValues), source: defaultSource(sig.elemType, i) }));
}

/**
 * Turns the user's input specs into tensors for a session: generated values (seeded), or a file
 * (.npy/.npz, JSON, image) checked against the input's declared type and shape. Every mistake is
 * one sentence that names the input.
 */
import * as path from 'node:path';
import { loadImageTensor } from '../../../core/data/image';
import { readJsonTensors } from '../../../core/data/jsonTensor';
import { arrayCtor, elementCount, isNumericDtype, type NdArray, type TensorArray } from '../../../core/data/ndarray';
import type { NumericDtype } from '../../../shared/tensorTypes';
import { readDataFile } from '../../../core/data/errors';
import { readNpzAny } from '../../../core/data/npz';
import { parseNpyAny, type AnyArray, type StringArray } from '../../../core/data/npyStrings';
import { OnnxLensError } from '../../../core/errors';
import { fillNormals, mulberry32 } from '../../../core/random';
import type { InputSource, InputSpec, IoSignature } from '../../../shared/runtimeTypes';
import { datasetRowInputs } from './datasetRow';

/** Above this an input is surely a mistake (4 GB of float64) rather than a real tensor. */
const MAX_ELEMENTS = 1 << 29;

/** An input that cannot be fed: `model.onnx: input 'x' expects [batch, 64], but x.npy is [3, 65]: ...` */
export class InputError extends OnnxLensError {
  constructor(model: string, input: string, reason: string) {
    super(path.basename(model), `input '${input}' ${reason}`);
  }
}

export const formatDims = (dims: readonly (number | string)[]) => `[${dims.join(', ')}]`;

function generatedValues(source: Extract<InputSource, { kind: 'random' | 'zeros' | 'ones' | 'constant' }>, n: number, integer: boolean): Float64Array {
  const out = new Float64Array(n);
  if (source.kind === 'zeros') return out;
  if (source.kind === 'ones' || source.kind === 'constant') return out.fill(source.kind === 'ones' ? 1 : source.value);
  const rand = mulberry32(source.seed);
  if (source.distribution === 'uniform') {
    const low = source.low ?? 0;
    const high = source.high ?? (integer ? 10 : 1);
    for (let i = 0; i < n; i++) out[i] = integer ? Math.floor(low + rand() * (high - low)) : low + rand() * (high - low);
    return out;
  }
  fillNormals(out, rand);
  if (integer) for (let i = 0; i < n; i++) out[i] = Math.round(out[i]);
  return out;
}

const isIntegerType = (t: NumericDtype) => t !== 'float16' && t !== 'float32' && t !== 'float64';

/** Converts elements to the input's dtype; a float file feeding an integer input must hold whole numbers. */
function convert(model: string, input: string, from: NdArray, to: NumericDtype, origin: string): TensorArray {
  if (from.dtype === to) return from.data;
  const n = from.data.length;
  const out = new (arrayCtor(to))(n);
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
  const src = from.data;
  for (let i = 0; i < n; i++) {
    const v = Number(src[i]);
    if (isIntegerType(to) && !Number.isInteger(v)) {
      throw new InputError(model, input, `is ${to}, but ${origin} holds ${from.dtype} value ${v} at element ${i}; convert the data to whole numbers.`);
    }
    (out as { [i: number]: number | bigint })[i] = big ? BigInt(v) : v;
  }
  return out;
}

function checkDims(model: string, input: string, sig: IoSignature, dims: readonly number[], origin: string): void {
  const declared = sig.dims;
  if (dims.length !== declared.length) {
    throw new InputError(model, input, `expects ${declared.length} dimensions ${formatDims(declared)}, but ${origin} has ${dims.length} ${formatDims(dims)}.`);
  }
  declared.forEach((d, i) => {
    if (typeof d === 'number' && d >= 0 && dims[i] !== d) {
      throw new InputError(model, input, `expects ${formatDims(declared)}, but ${origin} is ${formatDims(dims)}: dimension ${i} must be ${d}.`);
    }
  });
}

async function loadFile(model: string, input: string, source: Extract<InputSource, { kind: 'npy' | 'json' | 'image' }>): Promise<AnyArray> {
  const file = source.path;
  if (source.kind === 'image') {
    const img = await loadImageTensor(file, source.preprocess);
    return { dtype: 'float32', shape: img.dims, data: img.data };
  }
  if (source.kind === 'json') {
    const json = await readJsonTensors(file);
    if (json.kind === 'single') return json.tensor;
    return pick(model, input, file, json.tensors, source.key);
  }
  if (file.toLowerCase().endsWith('.npz')) return pick(model, input, file, await readNpzAny(file), source.key);
  return parseNpyAny(await readDataFile(file), file);
}

/** The named array of a file holding several: the key given, the only one, or the one named like the input. */
function pick(model: string, input: string, file: string, arrays: ReadonlyMap<string, AnyArray>, wantedKey: string | undefined): AnyArray {
  const key = wantedKey ?? (arrays.size === 1 ? [...arrays.keys()][0] : arrays.has(input) ? input : undefined);
  const arr = key === undefined ? undefined : arrays.get(key);
  if (!arr) throw new InputError(model, input, `cannot be taken from ${path.basename(file)}, which holds ${[...arrays.keys()].join(', ') || 'no arrays'}; name the one to use (none is called '${wantedKey ?? input}').`);
  return arr;
}

/** The input's values from a dataset row, checked against its declared shape. */
async function fromDatasetRow(model: string, sig: IoSignature, source: Extract<InputSource, { kind: 'dataset' }>, signature: readonly IoSignature[]): Promise<NdArray> {
  const origin = `row ${source.row} of ${path.basename(source.path)}`;
  const inputs = await datasetRowInputs(source.path, source.row, signature).catch((err: unknown) => {
    const why = err instanceof OnnxLensError ? err.message : `${path.basename(source.path)}: ${err instanceof Error ? err.message : String(err)}`;
    throw new InputError(model, sig.name, `cannot be taken from a dataset row: ${why.replace(/\.?$/, '.')}`);
  });
  const loaded = inputs.get(sig.name);
  if (!loaded) throw new InputError(model, sig.name, `is not fed by ${path.basename(source.path)}; it feeds ${[...inputs.keys()].join(', ')}.`);
  const shape = loaded.shape.length === sig.dims.length - 1 ? [1, ...loaded.shape] : loaded.shape;
  checkDims(model, sig.name, sig, shape, origin);
  return { dtype: sig.elemType, shape, data: convert(model, sig.name, loaded, sig.elemType as NumericDtype, origin) } as NdArray;
}

/** One input tensor, ready for ORT: numbers, or strings for a string input (`signature`: every input, which a dataset row is mapped onto). */
export async function materializeInput(model: string, spec: InputSpec, sig: IoSignature, signature: readonly IoSignature[] = [sig]): Promise<AnyArray> {
  const name = sig.name;
  const isString = sig.elemType === 'string';
  if (!isString && !isNumericDtype(sig.elemType)) throw new InputError(model, name, `has element type ${sig.elemType}, which cannot be fed from JavaScript.`);
  const { source } = spec;
  if (source.kind === 'dataset') return fromDatasetRow(model, sig, source, signature);
  if (source.kind === 'npy' || source.kind === 'json' || source.kind === 'image') {
    const loaded = await loadFile(model, name, source).catch((err: unknown) => {
      if (err instanceof InputError) throw err;
      // A data file's own sentence (DatasetError) already names it; anything else gets its name.
      const why = err instanceof OnnxLensError ? err.message : `${path.basename(source.path)}: ${err instanceof Error ? err.message : String(err)}`;
      throw new InputError(model, name, `cannot be loaded: ${why.replace(/\.?$/, '.')}`);
    });
    const origin = path.basename(source.path);
    // A file without the leading batch dimension is one sample: add the batch of 1.
    const shape = loaded.shape.length === sig.dims.length - 1 ? [1, ...loaded.shape] : loaded.shape;
    checkDims(model, name, sig, shape, origin);
    if (isString !== (loaded.dtype === 'string')) {
      throw new InputError(model, name, isString
        ? `is a string tensor, but ${origin} holds ${loaded.dtype} numbers; give it a .npy of strings or a JSON array of strings.`
        : `is ${sig.elemType}, but ${origin} holds strings.`);
    }
    if (loaded.dtype === 'string') return { dtype: 'string', shape, data: loaded.data };
    return { dtype: sig.elemType, shape, data: convert(model, name, loaded, sig.elemType as NumericDtype, origin) } as NdArray;
  }
  if (isString) return generatedStrings(model, name, sig, spec);
  const dtype = sig.elemType as NumericDtype;
  const dims = spec.dims;
  if (!dims.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new InputError(model, name, `needs a whole, non-negative size for every dimension of ${formatDims(sig.dims)}; got ${formatDims(dims)}.`);
  }
  checkDims(model, name, sig, dims, 'the shape given');
  const n = elementCount(dims);
  if (n > MAX_ELEMENTS) throw new InputError(model, name, `would have ${n.toLocaleString('en-US')} elements at ${formatDims(dims)}, more than the ${MAX_ELEMENTS.toLocaleString('en-US')} ONNX Lens will generate.`);
  const values = generatedValues(source, n, isIntegerType(dtype));
  if (dtype === 'bool') for (let i = 0; i < n; i++) values[i] = values[i] !== 0 ? 1 : 0;
  return { dtype, shape: [...dims], data: convert(model, name, { dtype: 'float64', shape: dims, data: values }, dtype, 'the generated data') } as NdArray;
}

/** A string input without a file: empty strings (zeros) or one text repeated (a constant). */
function generatedStrings(model: string, name: string, sig: IoSignature, spec: InputSpec): StringArray {
  const { source, dims } = spec;
  if (source.kind !== 'zeros' && source.kind !== 'constant') {
    throw new InputError(model, name, `is a string tensor; give it a .npy of strings, a JSON array of strings, zeros (empty strings) or a constant, not ${source.kind} numbers.`);
  }
  checkDims(model, name, sig, dims, 'the shape given');
  const n = elementCount(dims);
  if (n > MAX_ELEMENTS) throw new InputError(model, name, `would have ${n.toLocaleString('en-US')} elements at ${formatDims(dims)}, more than the ${MAX_ELEMENTS.toLocaleString('en-US')} ONNX Lens will generate.`);
  return { dtype: 'string', shape: [...dims], data: new Array<string>(n).fill(source.kind === 'constant' ? String(source.value) : '') };
}

export async function materializeInputs(model: string, specs: readonly InputSpec[], signature: readonly IoSignature[]): Promise<Map<string, AnyArray>> {
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const s of specs) {
    if (!signature.some((sig) => sig.name === s.name)) throw new InputError(model, s.name, `is not an input of the model; its inputs are ${signature.map((x) => x.name).join(', ')}.`);
  }
  const out = new Map<string, AnyArray>();
  for (const sig of signature) {
    const spec = byName.get(sig.name);
    if (!spec) throw new InputError(model, sig.name, 'has no value: give it one in the Run panel or with --input.');
    out.set(sig.name, await materializeInput(model, spec, sig, signature));
  }
  return out;
}

/**
 * Tensors written as JSON, for the Run panel's inputs. Three shapes of file are accepted:
 *
 *   [[1, 2], [3, 4]]                                  one tensor, shape from the nesting
 *   {"data": [1, 2, 3, 4], "shape": [2, 2]}           one tensor, flat (or nested) data; optional "dtype"
 *   {"input_ids": [[101, 7]], "mask": {"data": ...}}  several tensors, one per model input name
 *
 * Numbers become Float64Array; a "dtype" naming an integer type gives BigInt64Array (values must be
 * whole). JSON numbers are doubles, so integers beyond 2^53 cannot be represented exactly. Strings
 * (["a", "b"], or "dtype": "string") make a string tensor, for models with string inputs.
 */
import { DatasetError, readDataFile, type DatasetLocation } from './errors';
import { elementCount } from './ndarray';

export type JsonTensor =
  | { dtype: 'float64'; shape: number[]; data: Float64Array }
  | { dtype: 'int64'; shape: number[]; data: BigInt64Array }
  | { dtype: 'string'; shape: number[]; data: string[] };

export type JsonTensors =
  | { kind: 'single'; tensor: JsonTensor }
  | { kind: 'named'; tensors: Map<string, JsonTensor> };

const INT_DTYPES = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool']);
const FLOAT_DTYPES = new Set(['float16', 'float32', 'float64', 'bfloat16']);
const OBJECT_FORM_KEYS = new Set(['data', 'shape', 'dtype']);

/** Called with a reason and the path inside the value where it applies; must throw. */
export type NestedFailure = (reason: string, path: string) => never;

/** Shape of a nested array, read along its first elements (the fill checks every other element). */
export function nestedShape(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

/**
 * Writes the leaves of `value` (which must have exactly `shape`) to `out` from `offset`, row-major.
 * Returns the next offset. Ragged nesting, strings and nulls call `fail` with a path like `[3][1]`;
 * `reference` names where `shape` came from when not from `value` itself (e.g. 'row 1').
 */
export function fillNested(value: unknown, shape: readonly number[], out: { [i: number]: number }, offset: number, fail: NestedFailure, path = '', depth = 0, base = path, reference?: string, strings = false): number {
  if (depth === shape.length) {
    if (strings) {
      if (typeof value === 'string') (out as unknown as string[])[offset] = value;
      else fail(`${describeJson(value)} is not a string (the tensor holds strings)`, path);
    } else if (typeof value === 'number') out[offset] = value;
    else if (typeof value === 'boolean') out[offset] = value ? 1 : 0;
    else if (Array.isArray(value)) fail(`is an array where a number was expected (the nesting is ragged)`, path);
    else fail(`${describeJson(value)} is not a number`, path);
    return offset + 1;
  }
  if (!Array.isArray(value)) {
    return fail(`is ${describeJson(value)} where an array of ${shape[depth]} was expected (the nesting is ragged)`, path);
  }
  if (value.length !== shape[depth]) {
    // The expected length was read along first elements, so the reference is [0][0]… at this depth,
    // unless the shape came from elsewhere (JSON Lines: the first row).
    const other = reference ?? `${base}${'[0]'.repeat(depth)}`;
    fail(`has ${value.length} elements but ${other} has ${shape[depth]}${reference ? '' : ' (the nesting is ragged)'}`, path);
  }
  for (let i = 0; i < value.length; i++) offset = fillNested(value[i], shape, out, offset, fail, `${path}[${i}]`, depth + 1, base, reference, strings);
  return offset;
}

/** Parses the JSON text of a tensor file. */
export function parseJsonTensors(text: string, file: string): JsonTensors {
  if (text.trim() === '') throw new DatasetError(file, 'is empty, not a JSON tensor file');
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw new DatasetError(file, `is not valid JSON: ${(err as Error).message.replace(/\.$/, '')}`);
  }
  if (isObjectForm(root) || !isPlainObject(root)) return { kind: 'single', tensor: toJsonTensor(root, file, '') };
  const tensors = new Map<string, JsonTensor>();
  for (const [name, value] of Object.entries(root)) tensors.set(name, toJsonTensor(value, file, name));
  if (tensors.size === 0) throw new DatasetError(file, 'holds an empty object, no tensor');
  return { kind: 'named', tensors };
}

export async function readJsonTensors(file: string): Promise<JsonTensors> {
  return parseJsonTensors((await readDataFile(file)).toString('utf8'), file);
}

/** One tensor from a nested array, a number, or a {data, shape, dtype} object; `name` prefixes error paths. */
export function toJsonTensor(value: unknown, file: string, name: string, where: DatasetLocation = {}): JsonTensor {
  const fail: NestedFailure = (reason, path) => {
    throw new DatasetError(file, reason, { ...where, path: path || undefined });
  };
  let dtype: JsonTensor['dtype'] = 'float64';
  let data: unknown = value;
  let declared: number[] | undefined;
  if (isObjectForm(value)) {
    data = value.data;
    if (value.dtype !== undefined) {
      if (typeof value.dtype !== 'string' || !(INT_DTYPES.has(value.dtype) || FLOAT_DTYPES.has(value.dtype) || value.dtype === 'string')) {
        fail(`"dtype" ${describeJson(value.dtype)} is not a type name such as "float32", "int64" or "string"`, `${name}.dtype`);
      }
      if (INT_DTYPES.has(value.dtype as string)) dtype = 'int64';
      if (value.dtype === 'string') dtype = 'string';
    }
    if (value.shape !== undefined) {
      const s = value.shape;
      if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && (d as number) >= 0)) fail(`"shape" must be a list of whole numbers ≥ 0`, `${name}.shape`);
      declared = s as number[];
    }
    if (data === undefined) fail('has no "data"', name);
  } else if (isPlainObject(value)) {
    fail('is an object; a tensor is a (nested) array of numbers or {"data": ..., "shape": ...}', name);
  }

  const nested = nestedShape(data);
  // No "dtype": the first element decides between numbers and strings.
  if (declared === undefined && typeof firstLeaf(data, nested.length) === 'string') dtype = 'string';
  if (dtype === 'string') {
    const strings = new Array<string>(elementCount(nested));
    fillNested(data, nested, strings as unknown as number[], 0, fail, `${name}${declared ? '.data' : ''}`, 0, undefined, undefined, true);
    if (declared && elementCount(declared) !== strings.length) fail(`"data" has ${strings.length} strings but "shape" [${declared.join(', ')}] needs ${elementCount(declared)}`, name);
    return { dtype, shape: declared ?? nested, data: strings };
  }
  const values = new Float64Array(elementCount(nested));
  fillNested(data, nested, values, 0, fail, `${name}${declared ? '.data' : ''}`);
  if (declared && elementCount(declared) !== values.length) {
    fail(`"data" has ${values.length} values but "shape" [${declared.join(', ')}] needs ${elementCount(declared)}`, name);
  }
  const shape = declared ?? nested;
  if (dtype === 'float64') return { dtype, shape, data: values };
  const ints = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isInteger(values[i])) fail(`${values[i]} is not a whole number, but "dtype" is ${String((value as { dtype: unknown }).dtype)}`, `${name}.data[${i}]`);
    ints[i] = BigInt(values[i]);
  }
  return { dtype, shape, data: ints };
}

/** The element at [0][0]…, or undefined for an empty array. */
function firstLeaf(value: unknown, depth: number): unknown {
  let v = value;
  for (let d = 0; d < depth; d++) v = Array.isArray(v) ? v[0] : undefined;
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** {"data": ...} with only data/shape/dtype keys; anything else is a map of named tensors. */
function isObjectForm(v: unknown): v is { data?: unknown; shape?: unknown; dtype?: unknown } {
  return isPlainObject(v) && 'data' in v && Object.keys(v).every((k) => OBJECT_FORM_KEYS.has(k));
}

export function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

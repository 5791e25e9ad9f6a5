/**
 * Which dataset columns feed which model input. `autoMapping` decides when there is one sensible
 * answer; otherwise it says what is ambiguous. A mapping is plain JSON so the UI can show, edit and
 * save it; `checkMapping` re-validates a saved one against the dataset and model at hand.
 */
import type { Dim } from '../../shared/tensorTypes';
import { formatShape } from '../graph/payload';
import { DatasetError, listNames } from './errors';
import { elementCount, isNumericDtype } from './ndarray';
import type { DatasetColumn } from './types';
import type { DatasetMapping, InputBinding, ModelInput } from '../../shared/datasetTypes';

export type { DatasetMapping, InputBinding, ModelInput } from '../../shared/datasetTypes';

type ColumnLike = DatasetColumn | string;

/**
 * Model inputs as the summary lists them (`ModelSummary.inputs`). An input of unknown rank is taken
 * as [batch, ?]: one row of features per sample, the most common case for such models.
 */
export function modelInputs(values: readonly { name: string; elemType: string; shape: readonly Dim[] | null }[]): ModelInput[] {
  return values.map((v) => ({ name: v.name, elemType: v.elemType, dims: v.shape ?? ['batch', null] }));
}

/**
 * Maps dataset columns to model inputs, in this order of rules:
 *  1. a column named like an input feeds it (JSONL `{"input_ids": [...]}`, an .npz key);
 *  2. columns named `<input>_0, <input>_1, …` (or `.0`, `[0]`) feed that input, by index;
 *  3. if one input is left, all remaining columns feed it in file order (the common case: every
 *     non-label CSV column → the single input [N, F]).
 * Throws a DatasetError naming `file` when inputs are left over or sizes do not fit.
 */
export function autoMapping(columns: readonly ColumnLike[], inputs: readonly ModelInput[], labelColumn: string | null = 'label', file = 'dataset'): DatasetMapping {
  const cols = normalize(columns).filter((c) => c.name !== labelColumn);
  if (inputs.length === 0) throw new DatasetError(file, 'cannot be mapped: the model has no inputs');
  const assigned = new Map<string, DatasetColumn[]>();
  const used = new Set<string>();
  const take = (input: string, list: DatasetColumn[]) => {
    assigned.set(input, list);
    for (const c of list) used.add(c.name);
  };
  for (const input of inputs) {
    const exact = cols.find((c) => c.name === input.name);
    if (exact) take(input.name, [exact]);
  }
  for (const input of inputs) {
    if (assigned.has(input.name)) continue;
    const indexed = cols
      .map((c) => ({ c, i: indexIn(c.name, input.name) }))
      .filter((x): x is { c: DatasetColumn; i: number } => x.i !== undefined && !used.has(x.c.name))
      .sort((a, b) => a.i - b.i);
    if (indexed.length > 0) take(input.name, indexed.map((x) => x.c));
  }
  const left = inputs.filter((i) => !assigned.has(i.name));
  const rest = cols.filter((c) => !used.has(c.name));
  if (left.length === 1 && rest.length > 0) take(left[0].name, rest);
  else if (left.length > 0) {
    const what = left.map(describeInput).join(', ');
    const spare = rest.length > 0 ? `the columns ${listNames(rest.map((c) => c.name))} cannot be split between them automatically` : 'no columns are left for them';
    throw new DatasetError(file, `cannot be mapped automatically: the model inputs ${what} are not named by any column and ${spare}; name the columns <input>_0, <input>_1, … or edit the mapping`);
  } else if (rest.length > 0) {
    throw new DatasetError(file, `cannot be mapped automatically: the columns ${listNames(rest.map((c) => c.name))} feed no model input; remove them or edit the mapping`);
  }
  const bindings = inputs.map((input) => bindInput(input, assigned.get(input.name)!, file));
  checkBatchDims(bindings, file);
  return { version: 1, labelColumn, inputs: bindings };
}

/** Checks a mapping (e.g. loaded from JSON) against the dataset's columns and the model's inputs; returns it resolved afresh. */
export function checkMapping(mapping: unknown, columns: readonly ColumnLike[], inputs: readonly ModelInput[], file = 'dataset'): DatasetMapping {
  const bad = (why: string): never => {
    throw new DatasetError(file, `has a saved input mapping that does not fit: ${why}`);
  };
  const m = mapping as Partial<DatasetMapping> | null;
  if (!m || m.version !== 1 || !Array.isArray(m.inputs)) return bad('it is not a version 1 mapping');
  const cols = normalize(columns);
  const byName = new Map(cols.map((c) => [c.name, c]));
  const labelColumn = m.labelColumn ?? null;
  if (labelColumn !== null && typeof labelColumn !== 'string') return bad('its label column is not a name');
  const bindings: InputBinding[] = [];
  for (const input of inputs) {
    const saved = m.inputs.find((b) => b && b.input === input.name);
    if (!saved || !Array.isArray(saved.columns)) return bad(`model input '${input.name}' has no columns`);
    const list = saved.columns.map((name) => byName.get(name) ?? bad(`column '${String(name)}' is not in the dataset`));
    if (labelColumn !== null && saved.columns.includes(labelColumn)) bad(`the label column '${labelColumn}' also feeds input '${input.name}'`);
    bindings.push(bindInput(input, list, file));
  }
  const extra = m.inputs.find((b) => !inputs.some((i) => i.name === b?.input));
  if (extra) bad(`the model has no input '${String(extra.input)}'`);
  checkBatchDims(bindings, file);
  return { version: 1, labelColumn, inputs: bindings };
}

/** The batch size to read with: the model's fixed batch when it has one, else `requested`. */
export function batchSizeFor(mapping: DatasetMapping, requested: number): number {
  return fixedBatch(mapping) ?? requested;
}

/** The model's fixed batch size (1 for inputs without a batch dim), or null when it is free. */
export function fixedBatch(mapping: Pick<DatasetMapping, 'inputs'>): number | null {
  for (const b of mapping.inputs) {
    if (b.batchDim === null) return 1;
    if (typeof b.batchDim === 'number') return b.batchDim;
  }
  return null;
}

function checkBatchDims(bindings: readonly InputBinding[], file: string): void {
  const fixed = bindings.map((b) => (b.batchDim === null ? 1 : b.batchDim)).filter((d): d is number => typeof d === 'number');
  if (new Set(fixed).size > 1) {
    throw new DatasetError(file, `cannot be fed to this model: its inputs have different fixed batch sizes (${bindings.map((b) => `${b.input}: ${b.batchDim ?? 1}`).join(', ')})`);
  }
}

/** Resolves an input's per-sample dims against the values its columns provide. */
function bindInput(input: ModelInput, columns: DatasetColumn[], file: string): InputBinding {
  const elemType = input.elemType;
  if (!isNumericDtype(elemType)) throw new DatasetError(file, `cannot feed input '${input.name}': it takes ${elemType} values, and datasets hold numbers`);
  const size = columns.reduce((n, c) => n + c.size, 0);
  const dims = input.dims;
  const base = { input: input.name, columns: columns.map((c) => c.name), elemType };
  const fail = (needs: string): never => {
    const what = columns.length === 1 ? `column '${columns[0].name}' has ${size} value${size === 1 ? '' : 's'} per sample` : `has ${columns.length === size ? `${size} feature columns` : `${size} values per sample in ${columns.length} columns`} (${listNames(base.columns)})`;
    throw new DatasetError(file, `${what} but input '${input.name}' ${formatShape(dims)} needs ${needs}`);
  };
  if (dims.length === 0) throw new DatasetError(file, `cannot feed input '${input.name}': it is a scalar (shape []), not a batch of samples`);
  // All dims fixed and covering exactly one sample: the input takes one sample, no batch dim.
  if (dims.every((d) => typeof d === 'number') && elementCount(dims as number[]) === size && dims[0] !== 1) {
    return { ...base, sampleDims: [...(dims as number[])], batchDim: null };
  }
  const batchDim = typeof dims[0] === 'number' || typeof dims[0] === 'string' ? dims[0] : 'batch';
  const rest = dims.slice(1);
  const known = rest.filter((d): d is number => typeof d === 'number');
  const free = rest.length - known.length;
  const product = elementCount(known);
  if (free === 0) {
    if (product !== size) fail(`${product} per sample`);
    return { ...base, sampleDims: known, batchDim };
  }
  if (free === 1) {
    if (product === 0 || size % product !== 0) fail(`a multiple of ${product} per sample`);
    return { ...base, sampleDims: rest.map((d) => (typeof d === 'number' ? d : size / product)), batchDim };
  }
  // Several symbolic dims: only an array column of the same rank can say what they are.
  const shape = columns.length === 1 ? columns[0].shape : [];
  if (shape.length === rest.length && rest.every((d, i) => typeof d !== 'number' || d === shape[i])) return { ...base, sampleDims: [...shape], batchDim };
  return fail(`a shape that ${free} symbolic dims leave open; edit the mapping to set it`);
}

function normalize(columns: readonly ColumnLike[]): DatasetColumn[] {
  return columns.map((c) => (typeof c === 'string' ? { name: c, shape: [], size: 1 } : c));
}

/** 'x_3', 'x.3', 'x[3]' → 3 for input 'x'. */
function indexIn(column: string, input: string): number | undefined {
  if (!column.startsWith(input)) return undefined;
  const m = /^(?:_|\.|\[)(\d+)\]?$/.exec(column.slice(input.length));
  return m ? Number(m[1]) : undefined;
}

function describeInput(input: ModelInput): string {
  return `'${input.name}' ${formatShape(input.dims)}`;
}

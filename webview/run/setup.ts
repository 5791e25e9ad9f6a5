/**
 * The Run panel's input setup as data: where each input's values come from, the values given to
 * symbolic dims, and the session options; defaults guessed from the runtime signature; the
 * RunSetup sent to the host; the problems to fix before sending. Pure (no DOM), unit-tested.
 *
 * Symbolic dims are keyed by name, not by input: `batch` and `sequence` usually appear in several
 * inputs (input_ids and attention_mask), which must agree, so one field sets them all.
 */
import { defaultPreprocess, preprocessProblems } from '../../src/core/data/preprocess';
import { DEFAULT_SESSION_OPTIONS, type InputSource, type InputSpec, type IoSignature, type SessionOptionsSpec } from '../../src/shared/runtimeTypes';
import type { RunSetup } from '../../src/shared/protocol';
import { dimRole, guessDims, imageLayout, readableSymbol, type DimGuess } from '../../src/core/inputs/inputGuess';

export type Dim = number | string;

/** What the source select offers, one entry per kind the runtime reads. */
export type SourceChoice = 'normal' | 'uniform' | 'zeros' | 'ones' | 'constant' | 'npy' | 'json' | 'image' | 'dataset';

export const SOURCE_CHOICES: readonly { choice: SourceChoice; label: string }[] = [
  { choice: 'normal', label: 'Random normal' },
  { choice: 'uniform', label: 'Random uniform' },
  { choice: 'zeros', label: 'Zeros' },
  { choice: 'ones', label: 'Ones' },
  { choice: 'constant', label: 'Constant…' },
  { choice: 'npy', label: '.npy / .npz file' },
  { choice: 'json', label: 'JSON file' },
  { choice: 'image', label: 'Image…' },
  { choice: 'dataset', label: 'Row of a dataset…' },
];

export type FileKind = 'npy' | 'json' | 'image' | 'dataset';

export function isFileSource(source: InputSource): source is Extract<InputSource, { kind: FileKind }> {
  return source.kind === 'npy' || source.kind === 'json' || source.kind === 'image' || source.kind === 'dataset';
}

export function choiceOf(source: InputSource): SourceChoice {
  return source.kind === 'random' ? source.distribution : source.kind;
}

const FLOAT_TYPES = new Set(['float16', 'float32', 'float64', 'bfloat16']);

export function isIntegerType(elemType: string): boolean {
  return !FLOAT_TYPES.has(elemType) && elemType !== 'string' && elemType !== 'bool';
}

/**
 * A first guess that runs: floats get seeded normal noise; masks (and bools) ones, so attention
 * sees every token; other integers (token ids, indices) small non-negative values, since normal
 * noise rounded to integers would index below zero.
 */
export function defaultSource(sig: IoSignature): InputSource {
  if (sig.elemType === 'bool' || (isIntegerType(sig.elemType) && /mask/i.test(sig.name))) return { kind: 'ones' };
  if (isIntegerType(sig.elemType)) return { kind: 'random', distribution: 'uniform', seed: 0, low: 0, high: 10 };
  // Pixels live in [0, 1] (or 0–255 before scaling), never around a negative mean.
  if (imageLayout(sig)) return { kind: 'random', distribution: 'uniform', seed: 0, low: 0, high: 1 };
  return { kind: 'random', distribution: 'normal', seed: 0 };
}

/**
 * The source for a newly chosen kind, keeping what still applies from the previous one (the seed,
 * a file's path when switching between file kinds is not kept: a .npy is not an image).
 */
export function sourceFor(choice: SourceChoice, previous: InputSource, sig: IoSignature): InputSource {
  const seed = previous.kind === 'random' ? previous.seed : 0;
  const samePath = (kind: FileKind) => (previous.kind === kind ? previous.path : '');
  switch (choice) {
    case 'normal':
      return { kind: 'random', distribution: 'normal', seed };
    case 'uniform':
      return previous.kind === 'random' && previous.distribution === 'uniform'
        ? previous
        : { kind: 'random', distribution: 'uniform', seed, low: 0, high: isIntegerType(sig.elemType) ? 10 : 1 };
    case 'zeros':
      return { kind: 'zeros' };
    case 'ones':
      return { kind: 'ones' };
    case 'constant':
      return { kind: 'constant', value: previous.kind === 'constant' ? previous.value : 0 };
    case 'npy':
      return { kind: 'npy', path: samePath('npy') };
    case 'json':
      return { kind: 'json', path: samePath('json') };
    case 'image':
      return previous.kind === 'image' ? previous : { kind: 'image', path: '', preprocess: defaultPreprocess(sig.dims.map(asDim)) };
    case 'dataset':
      return previous.kind === 'dataset' ? previous : { kind: 'dataset', path: '', row: 0 };
  }
}

/** ORT reports a dynamic dim by name, or as -1 / 0 when it has none. */
export function isSymbolic(dim: Dim): boolean {
  return typeof dim === 'string' || !(dim > 0);
}

/** The key of a symbolic dim: its name, shared by every input that uses it; an unnamed one is per input and axis. */
export function symbolKey(input: string, axis: number, dim: Dim): string {
  return typeof dim === 'string' && dim.trim() !== '' ? dim : `${input}[${axis}]`;
}

/** What a symbolic dim is called in the panel: its role when known ("height"), else a readable form of its name. */
export function symbolLabel(sig: IoSignature, axis: number, dim: Dim): string {
  const role = dimRole(sig, axis);
  if (role) return role;
  return typeof dim === 'string' && dim.trim() !== '' ? readableSymbol(dim) : `dim ${axis}`;
}

/** Every symbolic dim of the inputs, in order of first appearance. */
export function symbolsOf(inputs: readonly IoSignature[]): string[] {
  const keys: string[] = [];
  for (const sig of inputs) sig.dims.forEach((d, axis) => {
    const key = symbolKey(sig.name, axis, d);
    if (isSymbolic(d) && !keys.includes(key)) keys.push(key);
  });
  return keys;
}

export function concreteDims(sig: IoSignature, symbols: Readonly<Record<string, number>>): number[] {
  return sig.dims.map((d, axis) => (isSymbolic(d) ? (symbols[symbolKey(sig.name, axis, d)] ?? 1) : (d as number)));
}

/** The editable state behind the inputs editor and the session options. */
export interface SetupState {
  sources: Record<string, InputSource>;
  /** Value per symbolic dim key. */
  symbols: Record<string, number>;
  /** Why each symbolic dim starts where it does (src/core/inputs/inputGuess.ts); `why: null` = asked for. */
  guesses: Record<string, DimGuess>;
  options: SessionOptionsSpec;
}

/**
 * The state to start from: the saved setup where it still fits the model (same input names and
 * ranks), defaults elsewhere. Symbolic dims start from the model's hints or their role (batch 1,
 * an image's height and width), else 1 and marked as asked; saved dims win over guesses.
 */
/** `hints`: sizes from the model's metadata; `defaults`: the session options from the settings, for a model without a saved setup. */
export function initialState(inputs: readonly IoSignature[], saved: RunSetup | null, hints: Readonly<Record<string, number>> = {}, defaults: SessionOptionsSpec = DEFAULT_SESSION_OPTIONS): SetupState {
  const guesses = guessDims(inputs, hints, symbolKey);
  const state: SetupState = { sources: {}, symbols: {}, guesses, options: { ...DEFAULT_SESSION_OPTIONS, ...defaults, ...saved?.options } };
  for (const key of symbolsOf(inputs)) state.symbols[key] = guesses[key]?.value ?? 1;
  for (const sig of inputs) {
    const spec = saved?.inputs.find((s) => s.name === sig.name);
    const fits = spec !== undefined && spec.dims.length === sig.dims.length;
    state.sources[sig.name] = fits ? spec.source : defaultSource(sig);
    if (!fits) continue;
    sig.dims.forEach((d, axis) => {
      const v = spec.dims[axis];
      if (isSymbolic(d) && Number.isInteger(v) && v > 0) state.symbols[symbolKey(sig.name, axis, d)] = v;
    });
  }
  return state;
}

export function toRunSetup(inputs: readonly IoSignature[], state: SetupState): RunSetup {
  const specs: InputSpec[] = inputs.map((sig) => ({ name: sig.name, source: state.sources[sig.name] ?? defaultSource(sig), dims: concreteDims(sig, state.symbols) }));
  return { inputs: specs, options: { ...state.options } };
}

/** Something to fix before a run, with the input it concerns (null: the session options). */
export interface SetupProblem {
  input: string | null;
  message: string;
}

/** The problems the panel can see without the host, each one sentence naming the input. */
export function setupProblems(inputs: readonly IoSignature[], state: SetupState): SetupProblem[] {
  const problems: SetupProblem[] = [];
  for (const sig of inputs) {
    const source = state.sources[sig.name];
    const say = (message: string) => problems.push({ input: sig.name, message: `Input '${sig.name}': ${message}` });
    if (!source) continue;
    if (isFileSource(source)) {
      if (!source.path) say(`choose a file first (${source.kind === 'image' ? 'an image' : source.kind === 'npy' ? 'a .npy or .npz file' : source.kind === 'dataset' ? 'a dataset: CSV, JSON Lines, .npy or .npz' : 'a JSON file'}).`);
      if (source.kind === 'dataset' && !(Number.isInteger(source.row) && source.row >= 0)) say('the row must be a whole number from 0.');
      if (source.kind === 'image') for (const p of preprocessProblems(source.preprocess)) say(`${p}.`);
      continue;
    }
    sig.dims.forEach((d, axis) => {
      const v = state.symbols[symbolKey(sig.name, axis, d)];
      if (isSymbolic(d) && !(Number.isInteger(v) && v > 0)) say(`${symbolLabel(sig, axis, d)} must be a whole number of at least 1.`);
    });
    if (source.kind === 'constant' && !Number.isFinite(source.value)) say('the constant must be a number.');
    if (source.kind === 'random' && source.distribution === 'uniform' && !((source.high ?? 1) > (source.low ?? 0))) say('the uniform range needs high greater than low.');
  }
  const { intraOpThreads, interOpThreads } = state.options;
  for (const [label, v] of [['intra-op threads', intraOpThreads], ['inter-op threads', interOpThreads]] as const) {
    if (!(Number.isInteger(v) && v >= 0 && v <= 1024)) problems.push({ input: null, message: `Session options: ${label} must be a whole number from 0 (automatic) to 1024.` });
  }
  return problems;
}

/** The first input's leading dim is symbolic: the benchmark may sweep batch sizes. */
export function hasSymbolicBatch(inputs: readonly IoSignature[]): boolean {
  return inputs.some((sig) => sig.dims.length > 0 && isSymbolic(sig.dims[0]));
}

/**
 * "1, 2, 8" → [1, 2, 8]. `auto` (or 0 when allowed) stands for ORT's automatic thread count.
 * Returns the reason when the text is not such a list.
 */
export function parseNumberList(text: string, opts: { min: number; max: number; what: string; allowAuto?: boolean }): { values: number[] } | { error: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const values: number[] = [];
  for (const part of parts) {
    const v = opts.allowAuto && /^auto$/i.test(part) ? 0 : Number(part);
    if (!Number.isInteger(v) || v < opts.min || v > opts.max) {
      return { error: `${opts.what}: '${part}' is not a whole number from ${opts.min} to ${opts.max}${opts.allowAuto ? ' (or auto)' : ''}.` };
    }
    if (!values.includes(v)) values.push(v);
  }
  return { values };
}

/** Comma-separated numbers (image mean/std); NaN marks a part that is not a number. */
export function parseFloats(text: string): number[] {
  return text.split(/[\s,;]+/).filter(Boolean).map(Number);
}

function asDim(d: Dim): number | string | null {
  return typeof d === 'number' && d <= 0 ? null : d;
}

/**
 * The input an error is about, so it can be shown in that input's row: the runtime names it
 * ("model.onnx: input 'x' expects …", or the panel's own "Input 'x': …"), or names its file.
 */
export function inputOfError(message: string, inputs: readonly IoSignature[], sources: Readonly<Record<string, InputSource>>): string | null {
  const named = /\binput '([^']+)'/i.exec(message)?.[1];
  if (named !== undefined && inputs.some((sig) => sig.name === named)) return named;
  for (const sig of inputs) {
    const source = sources[sig.name];
    const file = source && isFileSource(source) && source.path ? source.path.split(/[\\/]/).pop() : '';
    if (file && message.includes(file)) return sig.name;
  }
  return null;
}

/** A scale as typed: a number or a fraction such as "1/255"; NaN when it is neither. */
export function parseScale(text: string): number {
  const m = /^\s*([-+]?[\d.eE+-]+)\s*\/\s*([-+]?[\d.eE+-]+)\s*$/.exec(text);
  if (m) return Number(m[1]) / Number(m[2]);
  return text.trim() === '' ? NaN : Number(text);
}

/** A scale shown to the user: 1/255 as "1/255" (its usual spelling), others as numbers. */
export function formatScale(scale: number): string {
  for (const d of [255, 127.5, 256]) if (Math.abs(scale * d - 1) < 1e-9) return `1/${d}`;
  return String(scale);
}

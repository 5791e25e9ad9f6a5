/**
 * The sample an explanation is about: the inputs as the Run tab (or the CLI's --input) gives them,
 * or one row of a dataset; which input is explained and whether it is a table row or an image; and
 * for images the 8-bit picture the heatmap is drawn over (decoded by sharp from the image file at
 * the model's size, or the tensor itself rescaled to 0–255 when it came from elsewhere).
 */
import * as path from 'node:path';
import { decodeRgb } from '../../../core/data/image';
import type { AnyArray } from '../../../core/data/npyStrings';
import type { ImageLayout } from '../../../core/explain/maskers';
import { InputError, materializeInputs } from '../ort/inputs';
import { OnnxLensError } from '../../../core/errors';
import type { ExplainRequest } from '../../../shared/explainReport';
import type { IoSignature } from '../../../shared/runtimeTypes';
import type { NumericDtype } from '../../../shared/tensorTypes';
import { readDatasetTable, type DatasetTable } from './datasetTable';

export interface Sample {
  /** Every input at batch 1, the explained one as float32 (what the explainers perturb). */
  inputs: Map<string, AnyArray>;
  /** Every input at batch 1 in its own type (attention rollout feeds token ids as they are). */
  raw: Map<string, AnyArray>;
  input: IoSignature;
  kind: 'tabular' | 'image';
  /** Image inputs: the layout; tabular: null. */
  layout: ImageLayout | null;
  /** The dataset the row came from (read whole, for backgrounds and permutation). */
  table: DatasetTable | null;
  row: number | null;
  label: number | null;
  /** Image inputs: interleaved RGB (or gray) pixels in [0, 1] at the input's size. */
  pixels: { data: Float32Array; channels: 1 | 3 } | null;
  files: string[];
}

const FLOATS = new Set(['float32', 'float16', 'float64']);

/** The input explained: the first float input (the others are held at the sample's values). */
export function explainedInput(model: string, signature: readonly IoSignature[]): IoSignature {
  const input = signature.find((s) => FLOATS.has(s.elemType)) ?? signature.find((s) => s.elemType !== 'string' && s.elemType !== 'non-tensor');
  if (!input) throw new OnnxLensError(path.basename(model), 'has no numeric input to explain.');
  return input;
}

/** [C,H,W] / [H,W,C] with 1 or 3 channels, or [H,W] (one gray channel); null for anything else. */
export function imageLayout(sampleDims: readonly number[]): ImageLayout | null {
  if (sampleDims.length === 2) return { height: sampleDims[0], width: sampleDims[1], channels: 1, channelsLast: false };
  if (sampleDims.length !== 3) return null;
  const [a, b, c] = sampleDims;
  if (a === 1 || a === 3) return { height: b, width: c, channels: a, channelsLast: false };
  if (c === 1 || c === 3) return { height: a, width: b, channels: c, channelsLast: true };
  return null;
}

function firstSample(a: AnyArray): AnyArray {
  if (a.shape.length === 0 || a.shape[0] === 1) return a;
  const per = a.data.length / a.shape[0];
  return { ...a, shape: [1, ...a.shape.slice(1)], data: a.data.slice(0, per) } as AnyArray;
}

/** The tensor rescaled to [0, 1] (one range over all channels, so colours keep their balance), interleaved. */
function tensorPixels(data: ArrayLike<number>, layout: ImageLayout): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    lo = Math.min(lo, data[i]);
    hi = Math.max(hi, data[i]);
  }
  const pixels = layout.height * layout.width;
  const out = new Float32Array(pixels * layout.channels);
  const span = hi > lo ? hi - lo : 1;
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < layout.channels; c++) {
      const v = data[layout.channelsLast ? p * layout.channels + c : c * pixels + p];
      out[p * layout.channels + c] = (v - lo) / span;
    }
  }
  return out;
}

export async function loadSample(req: ExplainRequest, signature: readonly IoSignature[], signal?: AbortSignal): Promise<Sample> {
  const input = explainedInput(req.model, signature);
  let inputs: Map<string, AnyArray>;
  let table: DatasetTable | null = null;
  let row: number | null = null;
  let label: number | null = null;
  const files: string[] = [];
  const subject = req.subject;
  if (subject.kind === 'row') {
    table = await readDatasetTable(subject.data, subject.labelColumn, signature, signal);
    row = subject.row;
    if (!Number.isInteger(row) || row < 0 || row >= table.rows) {
      throw new OnnxLensError(path.basename(subject.data), `has no row ${row}: it has ${table.rows}${table.truncated ? '+' : ''} rows (0 to ${table.rows - 1}).`);
    }
    inputs = new Map();
    for (const sig of signature) {
      const values = table.inputs.get(sig.name);
      if (!values) throw new InputError(req.model, sig.name, `is not fed by ${path.basename(subject.data)}.`);
      const size = values.sampleDims.reduce((a, b) => a * b, 1);
      inputs.set(sig.name, { dtype: 'float32', shape: [1, ...values.sampleDims], data: values.data.slice(row * size, (row + 1) * size) });
    }
    label = table.labels ? table.labels[row] : null;
  } else {
    inputs = new Map([...(await materializeInputs(req.model, subject.inputs, signature))].map(([k, v]) => [k, firstSample(v)]));
    for (const s of subject.inputs) if ('path' in s.source) files.push(s.source.path);
  }
  const explained = inputs.get(input.name)!;
  if (explained.dtype === 'string') throw new InputError(req.model, input.name, 'holds strings, which cannot be perturbed.');
  const raw = new Map(inputs);
  // Every explainer perturbs float32 values; the box converts them back to the input's type.
  if (explained.dtype !== 'float32') inputs.set(input.name, { dtype: 'float32', shape: explained.shape, data: Float32Array.from(explained.data as ArrayLike<number>, Number) });
  const sampleDims = explained.shape.slice(1);
  const layout = sampleDims.length === 1 ? null : imageLayout(sampleDims);
  // Attention rollout reads the model's own attention maps: any input shape will do.
  if (sampleDims.length !== 1 && !layout && req.method !== 'rollout') {
    throw new InputError(req.model, input.name, `has shape [batch, ${sampleDims.join(', ')}], neither a row of features [batch, F] nor an image [batch, C, H, W] / [batch, H, W, C].`);
  }
  let pixels: Sample['pixels'] = null;
  if (layout) {
    const spec = subject.kind === 'inputs' ? subject.inputs.find((s) => s.name === input.name)?.source : undefined;
    if (spec?.kind === 'image' && layout.channels === 3) {
      const rgb = await decodeRgb(spec.path, spec.preprocess);
      pixels = { data: Float32Array.from(rgb, (v) => v / 255), channels: 3 };
    } else {
      pixels = { data: tensorPixels(inputs.get(input.name)!.data as Float32Array, layout), channels: layout.channels as 1 | 3 };
    }
  }
  return { inputs, raw, input: { ...input, elemType: input.elemType as NumericDtype }, kind: layout ? 'image' : 'tabular', layout, table, row, label, pixels, files };
}

/**
 * The explainers' black box (src/core/explain/blackBox.ts) on an onnxruntime session of the
 * runtime process: the explained input takes the batch of perturbed samples, every other input
 * keeps the sample's own value (tiled to the batch), and the explained output's scores come back
 * as float64. The batch is the model's own when its batch dim is fixed, else BATCH samples.
 */
import type * as ort from 'onnxruntime-node';
import type { BlackBox } from '../../../core/explain/blackBox';
import { fromFloat32 } from '../../../core/data/convert';
import type { AnyArray } from '../../../core/data/npyStrings';
import { OnnxLensError } from '../../../core/errors';
import type { NumericDtype } from '../../../shared/tensorTypes';
import { fromOrtTensor, tileBatch, toOrtTensor } from '../ort/feeds';
import { ortMessage } from '../ort/sessions';

/** Samples per run when the model lets us choose: enough to keep ORT's threads busy on small models, bounded in memory for images. */
export function batchFor(sampleSize: number): number {
  return Math.max(1, Math.min(256, Math.floor((16 << 20) / 4 / Math.max(1, sampleSize))));
}

export interface OrtBoxOptions {
  session: ort.InferenceSession;
  model: string;
  input: string;
  output: string;
  /** The sample's inputs (batch 1) by name. */
  inputs: ReadonlyMap<string, AnyArray>;
  /** The input's dims with the batch dim first; the batch dim is fixed when it is a number. */
  dims: readonly (number | string | null)[];
  elemType: NumericDtype;
}

export function ortBox(o: OrtBoxOptions): BlackBox {
  const sample = o.inputs.get(o.input)!;
  const sampleDims = sample.shape.slice(1);
  const sampleSize = sampleDims.reduce((a, b) => a * b, 1);
  const fixed = typeof o.dims[0] === 'number' && (o.dims[0] as number) > 0 ? (o.dims[0] as number) : null;
  const batchSize = fixed ?? batchFor(sampleSize);
  const others = new Map<number, Record<string, ort.Tensor>>();
  const othersFor = (count: number) => {
    let feeds = others.get(count);
    if (!feeds) {
      feeds = {};
      for (const [name, a] of o.inputs) if (name !== o.input) feeds[name] = toOrtTensor(tileBatch(a, count));
      others.set(count, feeds);
    }
    return feeds;
  };
  let outputs = 0;
  const box: BlackBox = {
    sampleSize,
    get outputs() {
      return outputs;
    },
    batchSize,
    async run(batch, count) {
      // A fixed batch is padded with copies of the last sample; only `count` rows are read back.
      const rows = fixed ?? count;
      let data = batch;
      if (rows !== count) {
        data = new Float32Array(rows * sampleSize);
        data.set(batch.subarray(0, count * sampleSize));
        for (let i = count; i < rows; i++) data.copyWithin(i * sampleSize, (count - 1) * sampleSize, count * sampleSize);
      }
      const feeds = { ...othersFor(rows), [o.input]: toOrtTensor({ dtype: o.elemType, shape: [rows, ...sampleDims], data: fromFloat32(data, o.elemType) } as AnyArray) };
      let result: ort.InferenceSession.ReturnType;
      try {
        result = await o.session.run(feeds, [o.output]);
      } catch (err) {
        throw new OnnxLensError(o.model, `failed to run: ${ortMessage(err)}`);
      }
      const t = fromOrtTensor(result[o.output]);
      const per = t.data.length / rows;
      outputs = per;
      const out = new Float64Array(count * per);
      for (let i = 0; i < count * per; i++) out[i] = Number(t.data[i]);
      result[o.output].dispose?.();
      return out;
    },
  };
  return box;
}

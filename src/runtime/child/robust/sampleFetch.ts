/**
 * Some samples of a dataset again, by index, as the model is fed them (every input's values,
 * preprocessed and mapped): what the attack starts from and what the drill-down draws. One pass
 * over the data (eval/batchSource.ts), stopping after the last sample wanted.
 */
import type { SampleLayout } from '../../../core/robustness/layout';
import { CancelledError } from '../../../shared/cancellation';
import type { SampleView } from '../../../shared/robustReport';
import { imageLayout, png, toPixels } from '../data/samples';
import { openBatches } from '../eval/batchSource';
import type { DatasetWorkerInit } from '../eval/workerMessages';
import { samplesIn } from './inputStats';

export interface FetchedSample {
  index: number;
  /** Every input's values for this sample (one sample's worth, float inputs as float32). */
  inputs: Map<string, Float32Array | ArrayLike<number>>;
}

export async function fetchSamples(init: DatasetWorkerInit, indices: readonly number[], signal: AbortSignal): Promise<Map<number, FetchedSample>> {
  const out = new Map<number, FetchedSample>();
  if (indices.length === 0) return out;
  const wanted = new Set(indices);
  const last = Math.max(...indices);
  const stream = await openBatches(init, signal);
  try {
    const meta = await stream.meta;
    const bindings = new Map(meta.mapping.inputs.map((b) => [b.input, b]));
    for (;;) {
      const batch = await stream.next();
      if (signal.aborted) throw new CancelledError('The robustness sweep was cancelled.');
      if (!batch) break;
      for (let i = 0; i < batch.count; i++) {
        const index = batch.rowIndex + i;
        if (!wanted.has(index)) continue;
        const inputs = new Map<string, Float32Array | ArrayLike<number>>();
        for (const a of batch.inputs) {
          const b = bindings.get(a.name)!;
          const size = b.sampleDims.reduce((x, y) => x * y, 1);
          const at = Math.min(i, samplesIn(a, b) - 1);
          const slice = (a.data as Float32Array).slice(at * size, (at + 1) * size);
          inputs.set(a.name, a.dtype === 'float32' || a.dtype === 'float16' || a.dtype === 'float64' ? Float32Array.from(slice as ArrayLike<number>) : slice);
        }
        out.set(index, { index, inputs });
      }
      stream.recycle(batch);
      if (batch.rowIndex + batch.count > last) break;
    }
    return out;
  } finally {
    await stream.close();
  }
}

/** Values listed for a vector sample; wider rows are cut. */
const MAX_VALUES = 256;

/** An image sample as a thumbnail over the dataset's range (so brightness shows), a vector as its values. */
export async function sampleView(values: Float32Array, layout: SampleLayout, range: { lo: number; hi: number }, names: readonly string[]): Promise<SampleView> {
  const shape = layout.kind === 'image' ? (layout.channelsFirst ? [layout.channels, layout.height, layout.width] : [layout.height, layout.width, layout.channels]) : [layout.size];
  const image = layout.kind === 'image' ? imageLayout(layout.channels === 1 ? [layout.height, layout.width] : shape) : null;
  const view: SampleView = {};
  if (image) view.thumbnail = await png(toPixels(values, image, range), image.width, image.height, image.channels);
  if (!image || layout.kind === 'vector' || values.length <= MAX_VALUES) {
    view.columns = names.slice(0, MAX_VALUES) as string[];
    view.values = Array.from(values.subarray(0, MAX_VALUES));
  }
  return view;
}

/**
 * The model as every explainer sees it: a black box that takes a batch of samples and returns
 * scores — ONNX inference only, no gradients. The runtime process implements it on a cached
 * onnxruntime session (src/runtime/child/explain/); the unit tests on plain functions. The
 * explainers never hold more than two batches of inputs at once: the next batch is built while
 * the model runs the current one, so a 224×224 saliency map costs the model's time, not ours.
 */
import { CancelledError } from '../../shared/cancellation';

export interface BlackBox {
  /** float32 values per sample (the product of the input's dims after the batch). */
  sampleSize: number;
  /** Scores per sample (the explained output's size after the batch). */
  outputs: number;
  /** The most samples one call may carry (the runtime's batch; 1 for a model with a fixed batch of 1). */
  batchSize: number;
  /** `count` samples laid out one after another in `batch` → count × outputs scores, row-major. */
  run(batch: Float32Array, count: number): Promise<Float64Array>;
}

export interface ExplainControl {
  signal?: AbortSignal;
  /** Model evaluations done and planned (samples, not calls). */
  onProgress?: (done: number, total: number) => void;
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('the explanation was cancelled');
}

/**
 * Runs `total` samples through the box in batches: `fill(buffer, first, count)` writes samples
 * first..first+count−1, `consume(scores, first, count)` reads their scores. Two buffers alternate,
 * so filling batch i+1 overlaps the model's run of batch i.
 */
export async function runBatched(
  box: BlackBox,
  total: number,
  fill: (buffer: Float32Array, first: number, count: number) => void,
  consume: (scores: Float64Array, first: number, count: number) => void,
  control: ExplainControl = {},
  progressOffset = 0,
  progressTotal = total,
): Promise<void> {
  const size = Math.max(1, Math.min(box.batchSize, total));
  const buffers = [new Float32Array(size * box.sampleSize), new Float32Array(size * box.sampleSize)];
  let pending: { run: Promise<Float64Array>; first: number; count: number } | undefined;
  let which = 0;
  for (let first = 0; first < total || pending; first += size) {
    throwIfCancelled(control.signal);
    let next: typeof pending;
    if (first < total) {
      const count = Math.min(size, total - first);
      const buffer = buffers[which];
      which ^= 1;
      fill(buffer, first, count);
      next = { run: box.run(count === size ? buffer : buffer.subarray(0, count * box.sampleSize), count), first, count };
    }
    if (pending) {
      const scores = await pending.run;
      consume(scores, pending.first, pending.count);
      control.onProgress?.(progressOffset + pending.first + pending.count, progressTotal);
    }
    pending = next;
    if (!next) break;
  }
}

/** Scores of the unchanged sample (one run). */
export async function scoresOf(box: BlackBox, sample: Float32Array): Promise<Float64Array> {
  return box.run(sample, 1);
}

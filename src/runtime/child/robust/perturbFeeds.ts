/**
 * One (perturbation, severity) of a sweep as a pass entry's feeds: every float input the
 * perturbation applies to is copied and perturbed sample by sample (padding rows of a fixed batch
 * left alone), the rest is fed as read. Each sample is seeded by its index in the dataset, so
 * the drill-down can perturb it again and show exactly what the model saw.
 */
import type * as ort from 'onnxruntime-node';
import { perturbSample, sampleSeed, unsupportedReason } from '../../../core/robustness/perturbations';
import type { PerturbationKind } from '../../../shared/robustReport';
import { toOrtTensor } from '../ort/feeds';
import type { FeedBatch } from '../eval/workerMessages';
import { samplesIn, type InputInfo } from './inputStats';

export interface SweepPoint {
  perturbation: PerturbationKind;
  /** Position of the perturbation in the request, and of the severity in its list: part of each sample's seed. */
  perturbationIndex: number;
  severityIndex: number;
  severity: number;
}

/** The inputs `kind` applies to (image-only perturbations skip vector inputs). */
export function targetsOf(kind: PerturbationKind, inputs: ReadonlyMap<string, InputInfo>): InputInfo[] {
  return [...inputs.values()].filter((i) => unsupportedReason(kind, i.layout) === null);
}

/** `x` of one sample under the point's perturbation. */
export function perturbOne(x: Float32Array, info: InputInfo, point: SweepPoint, seed: number, sample: number): Promise<Float32Array> {
  return perturbSample(x, info.layout, info.stats, point.perturbation, point.severity, sampleSeed(seed, point.perturbationIndex, point.severityIndex, sample));
}

export function perturbedFeeds(point: SweepPoint, inputs: ReadonlyMap<string, InputInfo>, seed: number, timing: { perturbMs: number }) {
  const targets = new Set(targetsOf(point.perturbation, inputs).map((i) => i.binding.input));
  return async (batch: FeedBatch, clean: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> => {
    const started = performance.now();
    const out: Record<string, ort.Tensor> = { ...clean };
    for (const a of batch.inputs) {
      if (!targets.has(a.name)) continue;
      const info = inputs.get(a.name)!;
      const data = Float32Array.from(a.data as Float32Array | Float64Array);
      const count = Math.min(batch.count, samplesIn(a, info.binding));
      for (let i = 0; i < count; i++) {
        const x = data.subarray(i * info.size, (i + 1) * info.size);
        data.set(await perturbOne(x, info, point, seed, batch.rowIndex + i), i * info.size);
      }
      const typed = a.dtype === 'float64' ? Float64Array.from(data) : data;
      out[a.name] = toOrtTensor({ name: a.name, dtype: a.dtype, shape: a.shape, data: typed } as never);
    }
    timing.perturbMs += performance.now() - started;
    return out;
  };
}

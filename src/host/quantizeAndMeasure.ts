/**
 * Quantize-and-measure: the one way a quantization is run, by the editor's Quantize tab and wizard
 * (src/host/quantization.ts) and by `onnx-lens quantize` (src/cli/quantize.ts) alike. The runtime
 * process writes the quantized model and compares both models per node (its `quantize` request),
 * then the runtime's benchmark and evaluation measure latency and accuracy (runtime/quantMeasure.ts),
 * then the caller keeps the report (saves it). Whatever fails or is cancelled after the output was
 * written removes it: a half-measured model is not left behind as if it were a result.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { QuantizeJob } from '../core/quantize/quantize';
import type { QuantReport } from '../shared/quantReport';
import { measureAccuracy, measureLatency } from '../runtime/client/quantMeasure';
import type { RuntimeRpc } from '../runtime/client/runtimeClient';
import { CancelledError } from '../shared/cancellation';
import type { SessionOptionsSpec } from '../shared/runtimeTypes';
import type { Work } from './ports';

/** Quantization reports progress by stage; silence this long means the runtime process is stuck. */
const SILENCE_TIMEOUT_MS = 5 * 60_000;
/** Bootstrap resamples for the interval of the accuracy change (`accuracy.deltaCi`). */
export const ACCURACY_BOOTSTRAP = 1000;

export interface MeasuredQuantization {
  /** What to write and compare; `compareData` (labelled) also measures accuracy before/after. */
  job: QuantizeJob;
  /** Session options of the latency and accuracy runs. */
  options: SessionOptionsSpec;
  /** Timed runs per model and round for the latency before/after; null skips it. */
  benchRuns: number | null;
}

/** The quantized model and its data file, gone (after the runtime let go of them). */
async function removeOutput(rpc: RuntimeRpc, report: QuantReport): Promise<void> {
  await rpc.request('release', { model: report.output.path }).catch(() => undefined);
  for (const f of [report.output.path, report.output.dataFile]) if (f) fs.rmSync(f, { force: true });
}

/**
 * Writes the quantized model, measures both models, and hands the report to `keep` (which saves
 * it where its caller saves reports). A failure or cancellation after the model was written —
 * measuring, or keeping the report — removes the model before the error goes on.
 */
export async function quantizeAndMeasure<K>(
  rpc: RuntimeRpc,
  request: MeasuredQuantization,
  work: Work,
  keep: (report: QuantReport) => K,
): Promise<{ report: QuantReport; kept: K }> {
  const { job, options, benchRuns } = request;
  const { signal, progress } = work;
  const report = await rpc.request('quantize', job, {
    signal, timeoutMs: SILENCE_TIMEOUT_MS, onProgress: progress && ((p) => progress(p.done, p.total, p.message)),
  });
  try {
    if (benchRuns !== null) {
      progress?.(0, 1, 'benchmarking both models');
      report.latency = await measureLatency(rpc, report.model.path, report.output.path, benchRuns, options, signal);
    }
    if (job.compareData) {
      progress?.(0, 1, 'evaluating both models');
      report.accuracy = await measureAccuracy(rpc, report.model.path, report.output.path, job.compareData, job.compareLabelColumn, options, {
        signal, bootstrap: ACCURACY_BOOTSTRAP, onProgress: progress && ((d, t) => progress(d, t, 'evaluating both models')),
      });
    }
    if (signal?.aborted) throw new CancelledError(`quantizing ${path.basename(job.input)} was cancelled.`);
    return { report, kept: keep(report) };
  } catch (error) {
    await removeOutput(rpc, report);
    throw error;
  }
}

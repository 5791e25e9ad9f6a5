/**
 * The runtime process's `diffBehaviour` request: both models on the same samples — seeded random
 * inputs, or a dataset in any format the evaluation reads (mapped onto a's inputs) — with the
 * matched values the host planned (core/diff/behaviour.ts) as extra outputs, compared through
 * core/diff/pairedRuns.ts, the same machinery as the quantization report's per-node error.
 */
import * as path from 'node:path';
import { summarizeRuns, type BehaviourResult } from '../../core/diff/behaviour';
import { runPaired } from '../../core/diff/pairedRuns';
import { loadSamples, randomSamples } from '../../core/quantize/samples';
import type { ReportProgress } from '../../rpc/childServer';
import type { DiffBehaviourParams } from '../methods';
import { modelFile } from './ort/modelFiles';
import { createModelRunner } from './ort/modelRunner';
import { checkSessionOptions } from './ort/sessionOptions';

export async function diffBehaviour(p: DiffBehaviourParams, signal: AbortSignal, progress: ReportProgress): Promise<BehaviourResult & { source: string }> {
  const a = modelFile(p.a);
  const samples = p.data
    ? await loadSamples(a.model, p.data, { maxSamples: p.samples, batchSize: p.batchSize ?? 32, labelColumn: p.labelColumn, signal })
    : randomSamples(a.model, p.samples, p.seed ?? 1);
  const runner = createModelRunner(checkSessionOptions(p.options, p.a));
  const runs = await runPaired(runner, p.a, p.b, samples, p.plan.values, p.plan.outputs, {
    signal, onBatch: (done, total) => progress({ done, total, message: `running both models: batch ${done} of ${total}` }),
  });
  return { source: p.data ? path.resolve(p.data) : 'random', ...summarizeRuns(p.plan, runs, p.toleranceDb) };
}

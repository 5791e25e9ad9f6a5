/**
 * The Square Attack (core/robustness/squareAttack.ts) against a model in onnxruntime: each
 * query is one session run over the candidates of every sample still being attacked, chunked to
 * the model's fixed batch (padded with the last candidate) or to one sample per run for inputs
 * without a batch dim. Scores become probabilities the way the clean pass made them, so the margin
 * the attack follows is the one the metrics read.
 */
import type * as ort from 'onnxruntime-node';
import { sigmoid, softmaxRows } from '../../../core/metrics/probabilities';
import { squareAttack, type AttackOutcome } from '../../../core/robustness/squareAttack';
import { sampleSeed } from '../../../core/robustness/perturbations';
import type { ProbabilitySource } from '../../../shared/metricTypes';
import { CancelledError } from '../../../shared/cancellation';
import { toOrtTensor } from '../ort/feeds';
import { outputRows } from '../eval/collect';
import type { Model } from '../eval/evalModel';
import type { InputInfo } from './inputStats';
import type { InputBinding } from '../../../core/data/mapping';
import type { FetchedSample } from './sampleFetch';

/** The attack's seeds live beside the perturbations', under an index no perturbation has. */
export const ATTACK_SEED_INDEX = 1000;

export interface AttackRun {
  model: Model;
  target: InputInfo;
  /** The bindings of the inputs the attack leaves as they are. */
  others: { binding: InputBinding }[];
  source: ProbabilitySource | 'one-hot';
  columns: number;
  k: number;
  eps: number;
  queries: number;
  seed: number;
  signal: AbortSignal;
  onQuery: (spent: number) => void;
}

function toProbabilities(scores: Float64Array, n: number, columns: number, source: ProbabilitySource | 'one-hot'): Float64Array {
  if (columns === 1) {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const p = source === 'sigmoid' ? sigmoid(scores[i]) : scores[i];
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  return source === 'softmax' ? softmaxRows(scores, n, columns) : scores;
}

export async function runAttack(samples: FetchedSample[], labels: number[], run: AttackRun): Promise<AttackOutcome[]> {
  const { model, target } = run;
  const name = model.choice.output.name;
  const batchDim = target.binding.batchDim;
  const chunk = batchDim === null ? 1 : typeof batchDim === 'number' ? batchDim : 64;
  let spent = 0;
  // `owners`: which sample each candidate stands for, so the other inputs come from the same sample.
  const query = async (candidates: Float32Array[], owners: number[]): Promise<Float64Array> => {
    if (run.signal.aborted) throw new CancelledError('The robustness sweep was cancelled.');
    const out = new Float64Array(candidates.length * run.k);
    for (let start = 0; start < candidates.length; start += chunk) {
      const part = candidates.slice(start, start + chunk);
      const rows = batchDim === null ? 1 : typeof batchDim === 'number' ? batchDim : part.length;
      const feeds: Record<string, ort.Tensor> = {};
      for (const b of model.signature.inputs) {
        const info = b.name === target.binding.input ? target : run.others.find((o) => o.binding.input === b.name);
        if (!info) continue;
        const size = info.binding.sampleDims.reduce((x, y) => x * y, 1);
        const data = new Float32Array(rows * size);
        for (let r = 0; r < rows; r++) {
          const j = Math.min(r, part.length - 1);
          data.set(b.name === target.binding.input ? part[j] : Float32Array.from(samples[owners[start + j]].inputs.get(b.name) as ArrayLike<number>), r * size);
        }
        const shape = batchDim === null ? info.binding.sampleDims : [rows, ...info.binding.sampleDims];
        const dtype = info.binding.elemType;
        const typed = dtype === 'float32' || dtype === 'float16' ? data : dtype === 'float64' ? Float64Array.from(data) : dtype === 'int64' ? BigInt64Array.from(data, (v) => BigInt(Math.round(v))) : Int32Array.from(data);
        feeds[b.name] = toOrtTensor({ name: b.name, dtype, shape, data: typed } as never);
      }
      const result = await model.cached.session.run(feeds, [name]);
      const got = outputRows(result[name] as never, rows);
      if (!got) throw new Error(`output '${name}' does not split into ${rows} samples`);
      const scores = Float64Array.from(got.values as ArrayLike<number>).subarray(0, part.length * got.columns);
      out.set(toProbabilities(scores, part.length, got.columns, run.source), start * run.k);
    }
    spent += candidates.length;
    run.onQuery(spent);
    return out;
  };
  const outcomes = await squareAttack(
    samples.map((s) => Float32Array.from(s.inputs.get(target.binding.input) as ArrayLike<number>)),
    labels,
    query,
    { eps: run.eps, queries: run.queries, lo: target.stats.lo, hi: target.stats.hi, layout: target.layout, k: run.k, seeds: samples.map((s) => sampleSeed(run.seed, ATTACK_SEED_INDEX, 0, s.index)), signal: run.signal },
  );
  if (run.signal.aborted) throw new CancelledError('The robustness sweep was cancelled.');
  return outcomes;
}

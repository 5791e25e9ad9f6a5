/**
 * The drill-down of a robustness report: for each point of a curve a few samples whose prediction
 * the perturbation changed (or, failing that, got wrong), and the attack's successful adversarial
 * examples, each drawn beside its original. Perturbed samples are made again from their seed, so
 * they are exactly what the model saw.
 */
import type { RobustExample } from '../../../shared/robustReport';
import type { AttackOutcome } from '../../../core/robustness/squareAttack';
import type { InputInfo } from './inputStats';
import { perturbOne, targetsOf, type SweepPoint } from './perturbFeeds';
import { sampleView, type FetchedSample } from './sampleFetch';

/** Per-sample predictions of one entry of the sweep. */
export interface Predictions {
  /** Predicted class, or the predicted value for a regression. */
  predicted: ArrayLike<number>;
  /** Classification: the predicted class's probability. */
  confidence: ArrayLike<number> | null;
}

export function columnNames(info: InputInfo): string[] {
  const cols = info.binding.columns;
  return cols.length === info.size ? cols : Array.from({ length: info.size }, (_, i) => `${info.binding.input}[${i}]`);
}

/** Up to `count` samples worth showing for a point: changed predictions first, then wrong ones, else the first. */
export function pickExamples(clean: Predictions, point: Predictions, yTrue: ArrayLike<number>, regression: boolean, count: number): number[] {
  const n = yTrue.length;
  if (regression) {
    return Array.from({ length: n }, (_, i) => i)
      .sort((a, b) => Math.abs(point.predicted[b] - clean.predicted[b]) - Math.abs(point.predicted[a] - clean.predicted[a]) || a - b)
      .slice(0, count);
  }
  const picked: number[] = [];
  for (const test of [(i: number) => point.predicted[i] !== clean.predicted[i], (i: number) => point.predicted[i] !== yTrue[i], () => true]) {
    for (let i = 0; i < n && picked.length < count; i++) if (!picked.includes(i) && test(i)) picked.push(i);
    if (picked.length >= count) break;
  }
  return picked;
}

export interface ExampleContext {
  inputs: ReadonlyMap<string, InputInfo>;
  fetched: ReadonlyMap<number, FetchedSample>;
  yTrue: ArrayLike<number>;
  clean: Predictions;
  sourceAt: (i: number) => number | string;
  seed: number;
}

export async function pointExamples(ctx: ExampleContext, point: SweepPoint, predictions: Predictions, indices: readonly number[]): Promise<RobustExample[]> {
  const target = targetsOf(point.perturbation, ctx.inputs)[0];
  const out: RobustExample[] = [];
  for (const i of indices) {
    const sample = ctx.fetched.get(i);
    if (!sample) continue;
    const x = Float32Array.from(sample.inputs.get(target.binding.input) as ArrayLike<number>);
    const perturbed = await perturbOne(x, target, point, ctx.seed, i);
    out.push({
      perturbation: point.perturbation, severity: point.severity, index: i, source: ctx.sourceAt(i), yTrue: ctx.yTrue[i],
      cleanPrediction: ctx.clean.predicted[i], perturbedPrediction: predictions.predicted[i],
      cleanConfidence: ctx.clean.confidence?.[i] ?? null, perturbedConfidence: predictions.confidence?.[i] ?? null,
      original: await sampleView(x, target.layout, target.stats, columnNames(target)),
      perturbed: await sampleView(perturbed, target.layout, target.stats, columnNames(target)),
    });
  }
  return out;
}

export async function attackExamples(ctx: ExampleContext, target: InputInfo, eps: number, attacked: readonly FetchedSample[], outcomes: readonly AttackOutcome[], count: number): Promise<RobustExample[]> {
  const out: RobustExample[] = [];
  for (const [j, o] of outcomes.entries()) {
    if (!o.success || out.length >= count) continue;
    const i = attacked[j].index;
    const x = Float32Array.from(attacked[j].inputs.get(target.binding.input) as ArrayLike<number>);
    out.push({
      perturbation: 'attack', severity: eps, index: i, source: ctx.sourceAt(i), yTrue: ctx.yTrue[i],
      cleanPrediction: ctx.clean.predicted[i], perturbedPrediction: o.predicted, cleanConfidence: ctx.clean.confidence?.[i] ?? null, perturbedConfidence: o.confidence,
      original: await sampleView(x, target.layout, target.stats, columnNames(target)),
      perturbed: await sampleView(o.adversarial, target.layout, target.stats, columnNames(target)),
    });
  }
  return out;
}

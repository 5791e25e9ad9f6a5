/**
 * The `robust` runtime method: a model's metric on its labelled data under perturbations of
 * growing severity, and under a black-box attack. Four steps, each through the dataset worker:
 * the data's statistics (value ranges, per-feature mean and std), one pass that runs the clean
 * batch and every (perturbation, severity) copy of it, the attack on the first samples, and the
 * few samples the drill-down draws. Metrics come from the evaluation's core, so severity 0 is
 * exactly the clean evaluation.
 */
import * as path from 'node:path';
import { OnnxLensError } from '../../../core/errors';
import { classificationPoint, defaultThreshold, flipRate, headlineName, metricBetter, regressionPoint, breakdowns } from '../../../core/robustness/curves';
import { PERTURBATIONS } from '../../../core/robustness/perturbations';
import type { ReportProgress } from '../../../rpc/childServer';
import { CancelledError } from '../../../shared/cancellation';
import type { HeadlineMetric } from '../../../shared/metricTypes';
import { ROBUST_REPORT_SCHEMA, type AttackResult, type RobustExample, type RobustPoint, type RobustReport } from '../../../shared/robustReport';
import { version as TOOL_VERSION } from '../../../../package.json';
import type { RobustParams } from '../../methods';
import { loadOnnxRuntime } from '../ort/onnxruntime';
import { checkSessionOptions } from '../ort/sessionOptions';
import { DEFAULT_EVAL_BATCH } from '../eval/evaluate';
import { dataInfo, inputsOf, loadModel, modelClasses, openOptions, outputInfo } from '../eval/evalModel';
import { runPass, type PassModel } from '../eval/pass';
import { scoreClassification, scoreRegression } from '../eval/score';
import type { DatasetWorkerInit } from '../eval/workerMessages';
import { runAttack } from './attackRunner';
import { attackExamples, pickExamples, pointExamples, type ExampleContext, type Predictions } from './examples';
import { FLOAT_DTYPES, inputStatistics } from './inputStats';
import { perturbedFeeds, targetsOf, type SweepPoint } from './perturbFeeds';
import { fetchSamples } from './sampleFetch';

const DEFAULT_ATTACK_SAMPLES = 100;
const DEFAULT_EXAMPLES = 4;

function check(p: RobustParams): void {
  const bad = (why: string): never => {
    throw new OnnxLensError(path.basename(p.model), `cannot be tested for robustness: ${why}`);
  };
  if (p.perturbations.length === 0 && !p.attack) bad('no perturbation and no attack were asked for.');
  for (const { perturbation, severities } of p.perturbations) {
    if (!(perturbation in PERTURBATIONS)) bad(`unknown perturbation '${perturbation}'.`);
    if (severities.length === 0 || severities.some((s) => !Number.isFinite(s) || s < 0)) bad(`${perturbation} needs severities that are numbers ≥ 0.`);
    if (perturbation === 'jpeg' && severities.some((q) => q < 1 || q > 100)) bad('JPEG qualities go from 1 to 100.');
  }
  if (p.metric !== undefined && !headlineName(p.metric)) bad(`unknown metric '${p.metric}'.`);
  const a = p.attack;
  if (a && (!(a.eps >= 0 && a.eps <= 1) || !Number.isInteger(a.queries) || a.queries < 1)) bad('the attack needs ε between 0 and 1 (a share of the value range) and a whole number of queries ≥ 1.');
  if (p.maxSamples !== undefined && (!Number.isInteger(p.maxSamples) || p.maxSamples < 1)) bad('the number of samples must be a whole number ≥ 1.');
}

export async function robust(p: RobustParams, signal: AbortSignal, progress: ReportProgress): Promise<RobustReport> {
  const started = performance.now();
  check(p);
  const options = checkSessionOptions(p.options, p.model);
  const model = await loadModel(p.model, options, p.task ?? 'auto', p.output);
  const inputs = inputsOf(model);
  const classes = modelClasses(model, p.options);
  const label = path.basename(p.data);
  const init: DatasetWorkerInit = {
    file: p.data, open: openOptions(p, model.choice, classes.numClasses, inputs), fallbackClassNames: classes.fallbackNames ?? undefined,
    inputs, mapping: p.mapping, batchSize: p.batchSize ?? DEFAULT_EVAL_BATCH, credits: 4, readAheadBytes: 8 << 20,
  };
  const stats = await inputStatistics(init, p.maxSamples, signal, (n) => progress({ done: n, total: p.maxSamples ?? 0, message: `${label}: statistics of ${n.toLocaleString('en-US')} samples` }));
  init.mapping = stats.mapping;
  if (stats.inputs.size === 0) throw new OnnxLensError(path.basename(model.path), 'has no float input to perturb or attack.');
  for (const { perturbation } of p.perturbations) {
    if (targetsOf(perturbation, stats.inputs).length === 0) throw new OnnxLensError(path.basename(model.path), `cannot be tested with ${perturbation}: ${[...stats.inputs.values()].map((i) => `input '${i.binding.input}'`).join(', ')} ${PERTURBATIONS[perturbation].imageOnly ? 'is not an image (channels × height × width)' : 'cannot take it'}.`);
  }

  const seed = p.seed ?? 0;
  const timing = { perturbMs: 0 };
  const points: SweepPoint[] = p.perturbations.flatMap((q, perturbationIndex) => q.severities.map((severity, severityIndex) => ({ perturbation: q.perturbation, perturbationIndex, severityIndex, severity })));
  const base = { model: model.path, session: model.cached.session, choice: model.choice };
  const entries: PassModel[] = [base, ...points.map((pt) => ({ ...base, feeds: perturbedFeeds(pt, stats.inputs, seed, timing) }))];
  const pass = await runPass({ data: p.data, open: init.open, fallbackClassNames: init.fallbackClassNames, inputs, mapping: stats.mapping, batchSize: init.batchSize, models: entries, label, maxSamples: p.maxSamples }, signal, (r) => progress({ ...r, message: `${r.message} under ${points.length} perturbation${points.length === 1 ? '' : 's'}` }));

  const warnings: string[] = [];
  const ctx = { model: model.path, choice: model.choice, numClasses: classes.numClasses, taskOption: p.task ?? 'auto' };
  const classification = model.choice.task === 'classification';
  const cleanScored = classification ? scoreClassification(pass, 0, ctx, warnings) : scoreRegression(pass, 0, ctx, warnings);
  const metric = headlineName(p.metric ?? (classification ? 'accuracy' : 'mae')) as HeadlineMetric;
  const better = metricBetter(metric);
  const bootstrap = p.bootstrap === undefined ? { resamples: 1000, seed: 0 } : p.bootstrap;
  const pointOptions = { metric, bootstrap };
  const yTrue = classification ? (cleanScored as ReturnType<typeof scoreClassification>).yTrue : (pass.labels as Float64Array);

  const predictions: Predictions[] = [];
  const values: { value: number | null; ci95: [number, number] | null }[] = [];
  for (let m = 0; m < entries.length; m++) {
    if (signal.aborted) throw new CancelledError('The robustness sweep was cancelled.');
    const out = pass.outputs[m];
    if (classification) {
      const r = classificationPoint(yTrue as Int32Array, out.values, out.columns, pointOptions);
      values.push(r);
      predictions.push({ predicted: r.yPred, confidence: Float64Array.from(r.yPred, (c, i) => r.probabilities[i * r.k + c]) });
    } else {
      values.push(regressionPoint(yTrue as Float64Array, out.values, pointOptions));
      predictions.push({ predicted: out.values, confidence: null });
    }
  }
  const clean = values[0];
  const curves: RobustPoint[] = [];
  for (const q of p.perturbations) {
    curves.push({ perturbation: q.perturbation, severity: 0, metric: clean.value, ci95: clean.ci95, flipRate: classification ? 0 : null });
    points.forEach((pt, j) => {
      if (pt.perturbation !== q.perturbation) return;
      const v = values[j + 1];
      curves.push({ perturbation: pt.perturbation, severity: pt.severity, metric: v.value, ci95: v.ci95, flipRate: classification ? flipRate(predictions[0].predicted as Int32Array, predictions[j + 1].predicted as Int32Array) : null });
    });
  }
  const threshold = p.threshold ?? defaultThreshold(clean.value, better);

  // The attack's samples and every example's sample come back in one more pass.
  const examplesPer = p.examples ?? DEFAULT_EXAMPLES;
  const picks = points.map((_, j) => pickExamples(predictions[0], predictions[j + 1], yTrue, !classification, examplesPer));
  const attackCount = p.attack ? Math.min(pass.n, p.attack.samples ?? DEFAULT_ATTACK_SAMPLES) : 0;
  if (p.attack && !classification) throw new OnnxLensError(path.basename(model.path), 'cannot be attacked: the attack changes a classifier\'s predicted class, and this model is a regression.');
  const wanted = new Set([...picks.flat(), ...Array.from({ length: attackCount }, (_, i) => i)]);
  const fetched = await fetchSamples(init, [...wanted], signal);
  const exampleCtx: ExampleContext = { inputs: stats.inputs, fetched, yTrue, clean: predictions[0], sourceAt: (i) => pass.sources.at(i), seed };
  const examples: RobustExample[] = [];
  for (const [j, pt] of points.entries()) examples.push(...(await pointExamples(exampleCtx, pt, predictions[j + 1], picks[j])));

  let attack: AttackResult | undefined;
  const attackStarted = performance.now();
  if (p.attack) {
    const target = [...stats.inputs.values()][0];
    const subset = Array.from({ length: attackCount }, (_, i) => fetched.get(i)!);
    const correct = subset.filter((s) => predictions[0].predicted[s.index] === yTrue[s.index]);
    const scored = cleanScored as ReturnType<typeof scoreClassification>;
    const budget = correct.length * p.attack.queries;
    const outcomes = await runAttack(correct, correct.map((s) => yTrue[s.index]), {
      model, target, others: model.signature.inputs.filter((i) => i.name !== target.binding.input).map((i) => ({ binding: stats.mapping.inputs.find((b) => b.input === i.name)! })),
      source: scored.probabilitySource, columns: scored.scoreColumns, k: scored.samples.k, eps: p.attack.eps * (target.stats.hi - target.stats.lo), queries: p.attack.queries, seed, signal,
      onQuery: (spent) => progress({ done: spent, total: budget, message: `attacking ${correct.length} samples: ${spent.toLocaleString('en-US')} queries` }),
    });
    const successes = outcomes.filter((o) => o.success);
    const queries = successes.map((o) => o.queries).sort((a, b) => a - b);
    const median = queries.length === 0 ? null : queries.length % 2 ? queries[(queries.length - 1) / 2] : (queries[queries.length / 2 - 1] + queries[queries.length / 2]) / 2;
    attack = {
      method: 'square', norm: 'linf', eps: p.attack.eps, epsAbsolute: p.attack.eps * (target.stats.hi - target.stats.lo), queries: p.attack.queries, seed,
      attacked: correct.length, alreadyWrong: subset.length - correct.length, successes: successes.length,
      successRate: correct.length ? successes.length / correct.length : null, medianQueries: median,
      robustAccuracy: subset.length ? (correct.length - successes.length) / subset.length : 0, input: target.binding.input,
    };
    examples.push(...(await attackExamples(exampleCtx, target, p.attack.eps, correct, outcomes, examplesPer)));
  }
  const attackMs = p.attack ? performance.now() - attackStarted : 0;

  return {
    schema: ROBUST_REPORT_SCHEMA, createdAt: new Date().toISOString(),
    tool: { name: 'onnx-lens', version: TOOL_VERSION, ortVersion: loadOnnxRuntime().env.versions.common },
    model: { path: model.path, bytes: model.cached.file.size, mtimeMs: model.cached.file.mtimeMs },
    data: dataInfo(pass, classes.fallbackNames, classification ? (cleanScored as ReturnType<typeof scoreClassification>).metrics.numClasses : null),
    output: outputInfo(model, cleanScored, pass.outputs[0].columns), task: model.choice.task, metricName: metric, better,
    settings: { seed, perturbations: p.perturbations, bootstrap, maxSamples: p.maxSamples ?? null },
    inputs: model.signature.inputs.map((s) => {
      const info = stats.inputs.get(s.name);
      const b = stats.mapping.inputs.find((x) => x.input === s.name);
      return { name: s.name, shape: b?.sampleDims ?? [], layout: info?.layout.kind ?? 'vector', lo: info?.stats.lo ?? 0, hi: info?.stats.hi ?? 0, perturbed: !!info && FLOAT_DTYPES.has(s.elemType) };
    }),
    clean: { metric: clean.value, ci95: clean.ci95 },
    curves, breakdown: threshold === null ? [] : breakdowns(curves, threshold, better),
    ...(attack ? { attack } : {}),
    examples,
    timing: { totalMs: performance.now() - started, inferenceMs: pass.inferenceMs, perturbMs: timing.perturbMs, attackMs, samples: pass.n },
    warnings,
  };
}

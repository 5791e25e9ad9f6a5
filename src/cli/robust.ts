/**
 * `onnx-lens robust <model> --data <file> [--perturb kind=s1,s2 …] [--attack square --eps e
 * --queries q] [--fail-under metric@kind=severity:limit …]`: the runtime process's robustness
 * sweep as a table (or `--json`), an onnx-lens.robust/1 report (`--report x.json`, or its
 * standalone page `x.html`), JUnit XML and gates for CI (exit 3). Nothing is written unless asked,
 * and never over the model or the data.
 */
import * as path from 'node:path';
import { renderRobustHtml } from '../core/report/trustHtml';
import { junitXml } from '../core/report/junit';
import { dataInputs, modelInputs } from '../core/files/commandInputs';
import { writeOutputFile, type CommandInput } from '../core/files/outputFile';
import { oneLine } from '../core/text/terminalText';
import type { RobustParams } from '../runtime/methods';
import type { RobustGate, RobustReport } from '../shared/robustReport';
import { table } from './format';
import { UsageError, wholeNumber } from './inputArgs';
import { reportOutputs } from './reportOutputs';
import { clearProgress, printJson, printText, progressLine } from './output';
import { checkGates, describeGate, parseGate, parsePerturb } from './robustGates';
import { parseThreads, sessionOptions, toJson, withRuntime } from './runtimeCli';

export interface RobustCliOptions {
  data?: string;
  label?: string;
  task?: string;
  output?: string;
  batch?: string;
  perturb: string[];
  attack?: string;
  eps?: string;
  queries?: string;
  attackSamples?: string;
  metric?: string;
  threshold?: string;
  failUnder: string[];
  bootstrap?: string;
  seed?: string;
  samples?: string;
  examples?: string;
  json?: boolean;
  report?: string;
  junit?: string;
  force?: boolean;
  threads?: string;
  optimization?: string;
  ep?: string;
}


function num(text: string | undefined, flag: string, lo: number, hi: number): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < lo || v > hi) throw new UsageError(`${flag} must be a number from ${lo} to ${hi}, not '${text}'`);
  return v;
}

export function robustParams(model: string, opts: RobustCliOptions): { params: RobustParams; gates: ReturnType<typeof parseGate>[] } {
  if (!opts.data) throw new UsageError('robust needs --data <file>: the labelled dataset to perturb');
  const task = opts.task ?? 'auto';
  if (!['auto', 'classification', 'regression'].includes(task)) throw new UsageError(`--task must be classification or regression, not '${task}'`);
  if (opts.attack !== undefined && opts.attack !== 'square') throw new UsageError(`--attack must be square (Square Attack, L∞), not '${opts.attack}'`);
  if (opts.attack === undefined && (opts.eps !== undefined || opts.queries !== undefined || opts.attackSamples !== undefined)) throw new UsageError('--eps, --queries and --attack-samples need --attack square');
  const gates = opts.failUnder.map(parseGate);
  const perturbations = opts.perturb.map(parsePerturb);
  // A gate on a point nobody asked for measures it: --fail-under accuracy@noise=0.1:0.9 alone sweeps noise at 0.1.
  for (const g of gates) {
    if (g.perturbation === 'attack') continue;
    const found = perturbations.find((p) => p.perturbation === g.perturbation);
    if (!found) perturbations.push({ perturbation: g.perturbation, severities: [g.severity] });
    else if (!found.severities.includes(g.severity)) found.severities = [...found.severities, g.severity].sort((a, b) => a - b);
  }
  if (perturbations.length === 0 && opts.attack === undefined) perturbations.push(parsePerturb('noise'));
  const metrics = new Set(gates.filter((g) => g.perturbation !== 'attack').map((g) => g.metric));
  if (opts.metric === undefined && metrics.size > 1) throw new UsageError(`--fail-under names ${[...metrics].join(' and ')}; the curves measure one metric (--metric)`);
  const resamples = wholeNumber(opts.bootstrap, '--bootstrap', 0);
  return {
    gates,
    params: {
      model: path.resolve(model),
      options: sessionOptions({ input: [], dim: [], optimization: opts.optimization, ep: opts.ep }, parseThreads(opts.threads)[0]),
      data: path.resolve(opts.data),
      ...(opts.label !== undefined ? { labelColumn: opts.label } : {}),
      task: task as RobustParams['task'],
      ...(opts.output ? { output: opts.output } : {}),
      ...(opts.batch !== undefined ? { batchSize: wholeNumber(opts.batch, '--batch', 1) } : {}),
      perturbations,
      ...(opts.metric ?? metrics.values().next().value ? { metric: opts.metric ?? (metrics.values().next().value as string) } : {}),
      ...(opts.threshold !== undefined ? { threshold: num(opts.threshold, '--threshold', -1e300, 1e300) } : {}),
      bootstrap: resamples === 0 ? null : { resamples: resamples ?? 1000, seed: 0 },
      seed: wholeNumber(opts.seed, '--seed', 0) ?? 0,
      ...(opts.samples !== undefined ? { maxSamples: wholeNumber(opts.samples, '--samples', 1) } : {}),
      ...(opts.examples !== undefined ? { examples: wholeNumber(opts.examples, '--examples', 0) } : {}),
      ...(opts.attack ? { attack: { eps: num(opts.eps ?? '0.03', '--eps', 0, 1)!, queries: wholeNumber(opts.queries ?? '1000', '--queries', 1)!, ...(opts.attackSamples ? { samples: wholeNumber(opts.attackSamples, '--attack-samples', 1) } : {}) } } : {}),
    },
  };
}

export async function robustCommand(cliDir: string, model: string, opts: RobustCliOptions): Promise<{ failed: RobustGate[] }> {
  const { params, gates } = robustParams(model, opts);
  const inputs: CommandInput[] = [...modelInputs(params.model), ...dataInputs(params.data)];
  const { reportFile, junitFile, script } = reportOutputs(cliDir, opts, inputs);

  const line = progressLine();
  const report = await withRuntime(cliDir, (rpc) => rpc.request('robust', params, { timeoutMs: 10 * 60_000, onProgress: line && ((p) => line(p.message)) }));
  clearProgress();
  const results = checkGates(report, gates);
  if (results.length) report.thresholds = results;
  const failed = results.filter((r) => !r.passed);

  if (reportFile) writeOutputFile(reportFile, script ? renderRobustHtml(report, script) : `${toJson(report)}\n`, { replace: opts.force });
  if (junitFile) writeOutputFile(junitFile, robustJunit(report, results), { replace: opts.force });
  if (opts.json) {
    printJson(toJson({
      model: report.model.path, data: report.data.path, metric: report.metricName, clean: report.clean,
      curves: report.curves, breakdown: report.breakdown,
      ...(report.attack ? { attack: { successRate: report.attack.successRate, medianQueries: report.attack.medianQueries, eps: report.attack.eps, robustAccuracy: report.attack.robustAccuracy, attacked: report.attack.attacked, successes: report.attack.successes } } : {}),
      passed: failed.length === 0, failed: failed.map(describeGate), thresholds: results, warnings: report.warnings, report,
    }));
  } else printText(renderRobust(report, results));
  return { failed };
}

export function robustJunit(report: RobustReport, results: readonly RobustGate[]): string {
  const classname = `onnx-lens.robust.${path.basename(report.model.path)}`;
  const time = report.timing.totalMs / 1000;
  const cases = results.length > 0
    ? results.map((r) => ({ name: `${r.metric}@${r.perturbation}=${r.severity} ${r.better === 'higher' ? '>=' : '<='} ${r.limit}`, classname, ...(r.passed ? {} : { failure: { message: describeGate(r), type: 'threshold', text: `${describeGate(r)} on ${report.data.path}` } }) }))
    : [{ name: `robustness on ${path.basename(report.data.path)}`, classname, time }];
  return junitXml({ name: `onnx-lens robust ${path.basename(report.model.path)}`, time, timestamp: report.createdAt, properties: { model: report.model.path, data: report.data.path, metric: report.metricName }, cases });
}

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(4));

export function renderRobust(report: RobustReport, results: readonly RobustGate[]): string {
  const lines = [
    oneLine(`${report.model.path} on ${report.data.path}: ${report.timing.samples} samples, ${report.metricName} (${report.better} is better)`),
    `  ${(report.timing.totalMs / 1000).toFixed(2)} s in all (inference ${(report.timing.inferenceMs / 1000).toFixed(2)} s, perturbing ${(report.timing.perturbMs / 1000).toFixed(2)} s${report.attack ? `, attack ${(report.timing.attackMs / 1000).toFixed(2)} s` : ''})`,
  ];
  const withCi = report.curves.some((p) => p.ci95);
  lines.push('', table([
    ['perturbation', 'severity', report.metricName, ...(withCi ? ['95% CI'] : []), 'flip rate'],
    ...report.curves.map((p) => [p.perturbation, p.severity === 0 ? '0 (clean)' : String(p.severity), fmt(p.metric), ...(withCi ? [p.ci95 ? `[${fmt(p.ci95[0])}, ${fmt(p.ci95[1])}]` : ''] : []), p.flipRate === null ? '—' : fmt(p.flipRate)]),
  ]));
  if (report.breakdown.length) {
    lines.push('', `Breakdown (first severity with ${report.metricName} ${report.better === 'higher' ? 'below' : 'above'} ${Number(report.breakdown[0].threshold.toPrecision(4))})`);
    for (const b of report.breakdown) lines.push(`  ${b.perturbation}: ${b.severity === null ? 'none of the severities tried' : b.severity}`);
  }
  const a = report.attack;
  if (a) {
    lines.push('', `Square Attack (L∞, ε = ${a.eps} of the range = ${Number(a.epsAbsolute.toPrecision(4))}, ${a.queries} queries): ${a.successes} of ${a.attacked} attacked samples flipped` +
      ` (success rate ${a.successRate === null ? '—' : fmt(a.successRate)}, median queries ${a.medianQueries ?? '—'}); accuracy under attack ${fmt(a.robustAccuracy)}${a.alreadyWrong ? ` (${a.alreadyWrong} already wrong)` : ''}`);
  }
  if (results.length > 0) lines.push('', 'Thresholds', table(results.map((r) => [r.passed ? 'pass' : 'FAIL', r.passed ? `${r.metric}@${r.perturbation}=${r.severity} ${fmt(r.value)} ${r.better === 'higher' ? '>=' : '<='} ${r.limit}` : describeGate(r)])));
  if (report.warnings.length > 0) lines.push('', 'Warnings', ...report.warnings.map((w) => `  - ${oneLine(w)}`));
  return lines.join('\n');
}

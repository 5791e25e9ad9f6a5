/**
 * `onnx-lens eval <model> --data <file>`: a model on a labelled dataset in the runtime process →
 * metrics as a table (or `--json`), an EvalReport (`--report x.json`) or its standalone HTML page
 * (`--report x.html`), JUnit XML (`--junit`) and
 * `--fail-under` checks for CI. Nothing is written unless asked, and never over the model or data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatasetMapping } from '../core/data/mapping';
import type { ClassificationMetrics, Interval } from '../core/metrics';
import { passNotes, type EvalReport, type ThresholdResult } from '../shared/evalReport';
import { renderEvalHtml, reportScriptPath } from '../core/report/evalHtml';
import { junitXml } from '../core/report/junit';
import { dataInputs, fileInput, modelInputs } from '../core/files/commandInputs';
import { checkOutput, writeOutputFile, type CommandInput } from '../core/files/outputFile';
import type { EvaluateParams } from '../runtime/methods';
import {
  canonicalMetric, checkThresholds, CLASSIFICATION_METRIC_NAMES, describeFailure, metricValues, REGRESSION_METRIC_NAMES, flatMetrics, type Limit,
} from './evalThresholds';
import { table } from './format';
import { clearProgress, printJson, printText, progressLine } from './output';
import { oneLine } from '../core/text/terminalText';
import { UsageError, wholeNumber } from './inputArgs';
import { parseThreads, sessionOptions, toJson, withRuntime } from './runtimeCli';
import { uncertaintyJson, uncertaintyLines, uncertaintyOptions, type UncertaintyCliOptions } from './uncertaintyCli';

export interface EvalCliOptions extends UncertaintyCliOptions {
  data?: string;
  label?: string;
  task?: string;
  output?: string;
  batch?: string;
  json?: boolean;
  report?: string;
  junit?: string;
  force?: boolean;
  failUnder: string[];
  compareData?: string;
  compareModel?: string;
  bootstrap?: string;
  seed?: string;
  positiveClass?: string;
  keepSamples?: string;
  inputKey?: string;
  labelsFile?: string;
  mapping?: string;
  threads?: string;
  optimization?: string;
  ep?: string;
}

/** The outcome the command line acts on: failed thresholds exit 1. */
export interface EvalCliResult {
  failed: ThresholdResult[];
}


export function parseFailUnder(arg: string): Limit {
  const at = arg.indexOf('=');
  const name = at > 0 ? arg.slice(0, at).trim() : '';
  const value = at > 0 ? Number(arg.slice(at + 1)) : NaN;
  if (!name || !Number.isFinite(value) || arg.slice(at + 1).trim() === '') {
    throw new UsageError(`--fail-under must look like metric=value, e.g. accuracy=0.9, not '${arg}'`);
  }
  if (!canonicalMetric(name)) {
    throw new UsageError(`--fail-under: unknown metric '${name}'; valid metrics are ${[...CLASSIFICATION_METRIC_NAMES, ...REGRESSION_METRIC_NAMES].join(', ')}`);
  }
  return { metric: name, limit: value };
}

function readMapping(file: string): DatasetMapping {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as DatasetMapping;
  } catch (err) {
    throw new UsageError(`--mapping ${file}: cannot be read as JSON (${(err as Error).message.split('\n')[0]})`);
  }
}

function evalParams(model: string, opts: EvalCliOptions): EvaluateParams {
  if (!opts.data) throw new UsageError("eval needs --data <file>: the labelled dataset to evaluate on");
  const task = opts.task ?? 'auto';
  if (!['auto', 'classification', 'regression'].includes(task)) throw new UsageError(`--task must be classification or regression, not '${task}'`);
  const resamples = wholeNumber(opts.bootstrap, '--bootstrap', 1);
  const uncertainty = uncertaintyOptions(opts);
  const labelsPath = opts.labelsFile ? path.resolve(opts.labelsFile) : undefined;
  const dataset = { ...(opts.inputKey ? { inputKey: opts.inputKey } : {}), ...(labelsPath ? { labelsPath } : {}) };
  return {
    model: path.resolve(model),
    options: sessionOptions({ input: [], dim: [], optimization: opts.optimization, ep: opts.ep }, parseThreads(opts.threads)[0]),
    data: path.resolve(opts.data),
    ...(opts.label !== undefined ? { labelColumn: opts.label } : {}),
    ...(opts.mapping ? { mapping: readMapping(opts.mapping) } : {}),
    task: task as EvaluateParams['task'],
    ...(opts.output ? { output: opts.output } : {}),
    ...(opts.batch !== undefined ? { batchSize: wholeNumber(opts.batch, '--batch', 1) } : {}),
    ...(opts.positiveClass !== undefined ? { positiveClass: wholeNumber(opts.positiveClass, '--positive-class', 0) } : {}),
    ...(resamples ? { bootstrap: { resamples, seed: wholeNumber(opts.seed, '--seed', 0) ?? 0 } } : {}),
    ...(opts.keepSamples !== undefined ? { keepSamples: wholeNumber(opts.keepSamples, '--keep-samples', 0) } : {}),
    ...(Object.keys(dataset).length ? { dataset } : {}),
    // The second dataset shares the inputs key, not the first one's labels file.
    ...(opts.compareData ? { compareData: { data: path.resolve(opts.compareData), dataset: opts.inputKey ? { inputKey: opts.inputKey } : {} } } : {}),
    ...(opts.compareModel ? { compareModel: { model: path.resolve(opts.compareModel) } } : {}),
    ...(uncertainty ? { uncertainty } : {}),
  };
}

export async function evalCommand(cliDir: string, model: string, opts: EvalCliOptions): Promise<EvalCliResult> {
  const limits = opts.failUnder.map(parseFailUnder);
  const params = evalParams(model, opts);
  // Checked before the evaluation runs (core/files/outputFile.ts): never an input, whatever the
  // spelling; an existing file only with --force.
  const inputs: CommandInput[] = [
    ...modelInputs(params.model), ...dataInputs(params.data),
    ...(opts.compareData ? dataInputs(opts.compareData, 'the dataset to compare with') : []),
    ...(opts.compareModel ? modelInputs(opts.compareModel, 'the model to compare with') : []),
    ...(opts.labelsFile ? [fileInput(opts.labelsFile, 'the labels file')] : []),
    ...(opts.mapping ? [fileInput(opts.mapping, 'the mapping')] : []),
  ];
  const reportFile = opts.report === undefined ? undefined : checkOutput({ file: opts.report, flag: '--report', replace: opts.force, inputs });
  const junitFile = opts.junit === undefined ? undefined : checkOutput({
    file: opts.junit, flag: '--junit', replace: opts.force, inputs: [...inputs, ...(reportFile ? [{ path: reportFile, role: 'the --report file' }] : [])],
  });
  const html = reportFile !== undefined && /\.html?$/i.test(reportFile);
  if (reportFile && !html && !/\.json$/i.test(reportFile)) throw new UsageError(`--report must name a .json or .html file, not '${opts.report}'`);
  const renderHtml = html ? loadHtmlRenderer(cliDir) : undefined;

  const line = progressLine();
  const report = await withRuntime(cliDir, (rpc) => rpc.request('evaluate', params, { onProgress: line && ((p) => line(p.message)) }));
  clearProgress();

  const flat = flatMetrics(report);
  const { results, unknown } = checkThresholds(flat, limits);
  if (unknown.length > 0) {
    const valid = [...metricValues(flat).keys()].join(', ');
    throw new UsageError(`--fail-under: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a metric of this ${report.task === 'classification' ? `${report.classification!.numClasses}-class classification` : 'regression'}; its metrics are ${valid}`);
  }
  if (limits.length > 0) report.thresholds = results;
  const failed = results.filter((r) => !r.passed);

  if (reportFile) writeOutputFile(reportFile, renderHtml ? renderHtml(report) : `${toJson(report)}\n`, { replace: opts.force });
  if (junitFile) writeOutputFile(junitFile, evalJunit(report, results), { replace: opts.force });
  if (opts.json) printJson(toJson({ model: report.model.path, data: report.data.path, ...flat, ...uncertaintyJson(report), passed: failed.length === 0, failed: failed.map(describeFailure), thresholds: results, warnings: report.warnings, report }));
  else printText(renderEval(report, results));
  return { failed };
}

/**
 * The standalone HTML page needs the bundled report script: beside dist/cli.js, or in dist/ when
 * the CLI runs from source. Read before evaluating, so a missing build costs nothing.
 */
/** The HTML reports' script (dist/report/report.js) next to the CLI bundle, or from the source tree's dist/. */
export function loadReportScript(cliDir: string): string {
  const candidates = [reportScriptPath(cliDir), reportScriptPath(path.join(cliDir, '..', 'dist'))];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new UsageError(`--report: an HTML report needs the report script (${candidates[0]}), which is missing; run \`npm run build\`, or write a .json report`);
  return fs.readFileSync(found, 'utf8');
}

function loadHtmlRenderer(cliDir: string): (report: EvalReport) => string {
  const script = loadReportScript(cliDir);
  return (report) => renderEvalHtml(report, script);
}

export function evalJunit(report: EvalReport, results: readonly ThresholdResult[]): string {
  const classname = `onnx-lens.eval.${path.basename(report.model.path)}`;
  const time = report.timing.totalMs / 1000;
  const cases = results.length > 0
    ? results.map((r) => ({
      name: `${r.metric} ${r.better === 'higher' ? '>=' : '<='} ${r.limit}`,
      classname,
      ...(r.passed ? {} : { failure: { message: describeFailure(r), type: 'threshold', text: `${describeFailure(r)} on ${report.data.path} (${report.data.samples} samples)` } }),
    }))
    : [{ name: `evaluate on ${path.basename(report.data.path)}`, classname, time }];
  return junitXml({
    name: `onnx-lens eval ${path.basename(report.model.path)}`,
    time,
    timestamp: report.createdAt,
    properties: { model: report.model.path, data: report.data.path, samples: String(report.data.samples), task: report.task },
    cases,
  });
}

// --- human output ---

/** A metric value: four decimals (so columns line up), exponents for the very large or small. */
const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toFixed(4));
const ci = (iv: Interval | null | undefined) => (iv ? `[${fmt(iv.low)}, ${fmt(iv.high)}]` : '');

function headlineRows(report: EvalReport): string[][] {
  const withCi = Object.values(report.headline).some((h) => h?.ci);
  const rows = [withCi ? ['metric', 'value', `${Math.round(100 * (Object.values(report.headline).find((h) => h?.ci)?.ci?.level ?? 0.95))}% CI`] : ['metric', 'value']];
  for (const [name, h] of Object.entries(report.headline)) rows.push(withCi ? [name, fmt(h?.value), ci(h?.ci)] : [name, fmt(h?.value)]);
  return rows;
}

function className(report: EvalReport, c: number): string {
  return report.data.classNames?.[c] ?? String(c);
}

function confusionRows(m: ClassificationMetrics, report: EvalReport): string[][] {
  const names = m.confusionMatrix.map((_, c) => className(report, c));
  return [['true \\ predicted', ...names], ...m.confusionMatrix.map((row, r) => [names[r], ...row.map(String)])];
}

function perClassRows(m: ClassificationMetrics, report: EvalReport): string[][] {
  return [
    ['class', 'precision', 'recall', 'f1', 'support', 'predicted', 'roc auc', 'avg precision'],
    ...m.perClass.map((r) => [className(report, r.label), fmt(r.precision), fmt(r.recall), fmt(r.f1), String(r.support), String(r.predicted), fmt(r.rocAuc), fmt(r.averagePrecision)]),
  ];
}

/** The largest errors of a regression, from the drill-down samples (which keep the largest first). */
function largestErrorRows(report: EvalReport, count = 5): string[][] {
  const d = report.drilldown;
  const where = d.sourceKind === 'line' ? 'line' : d.sourceKind === 'path' ? 'image' : 'sample';
  const order = d.index.map((_, j) => j).sort((a, b) => Math.abs(d.yTrue[b] - d.yPred[b]) - Math.abs(d.yTrue[a] - d.yPred[a])).slice(0, count);
  return [[where, 'true', 'predicted', 'error'], ...order.map((j) => [String(d.source[j]), fmt(d.yTrue[j]), fmt(d.yPred[j]), fmt(d.yTrue[j] - d.yPred[j])])];
}

export function renderEval(report: EvalReport, results: readonly ThresholdResult[]): string {
  const t = report.timing;
  const lines = [
    oneLine(`${report.model.path} on ${report.data.path}: ${report.data.samples} samples, ${report.task}` +
    `${report.classification ? ` (${report.classification.numClasses} classes, output '${report.output.name}', ${report.output.probabilitySource})` : ` (output '${report.output.name}')`}`),
    `  ${(t.totalMs / 1000).toFixed(2)} s in all, ${t.samplesPerSecond.toFixed(0)} samples/s, batch ${t.batchSize}${passNotes(t)}`,
    '', 'Metrics', table(headlineRows(report)),
  ];
  const m = report.classification;
  if (m) {
    if (m.topK && m.numClasses > 3) lines.push('', `Top-k accuracy: ${Object.entries(m.topK).map(([k, v]) => `top-${k} ${fmt(v)}`).join(', ')}`);
    lines.push('', 'Confusion matrix (rows: true class, columns: predicted)', table(confusionRows(m, report)));
    lines.push('', 'Per class', table(perClassRows(m, report)));
  } else if (report.regression) {
    lines.push('', 'Largest errors (true − predicted)', table(largestErrorRows(report)));
  }
  if (report.splits) {
    const s = report.splits;
    lines.push('', oneLine(`Splits: ${s.names[0]} vs ${s.names[1]} (${s.data.samples} samples)`), table([
      ['metric', s.names[0], s.names[1], 'gap', ''],
      ...s.comparison.gaps.map((g) => [g.metric, fmt(g.first), fmt(g.second), fmt(g.gap), g.flagged ? 'over-fitting?' : '']),
    ]));
  }
  if (report.comparison) {
    const c = report.comparison;
    const deltas = c.classification?.deltas ?? c.regression?.deltas ?? [];
    lines.push('', oneLine(`Compared with ${c.model.path} (b − a, paired bootstrap)`), table([
      ['metric', 'a', 'b', 'b − a', '95% CI', ''],
      ...deltas.map((d) => [d.metric, fmt(d.a), fmt(d.b), fmt(d.delta), ci(d.interval), d.significant ? 'significant' : '']),
    ]));
    if (c.classification) lines.push(`  predictions differ on ${c.classification.disagreement.count} samples (only a right: ${c.classification.disagreement.onlyACorrect}, only b right: ${c.classification.disagreement.onlyBCorrect})`);
  }
  lines.push(...uncertaintyLines(report));
  if (results.length > 0) {
    lines.push('', 'Thresholds', table(results.map((r) => [r.passed ? 'pass' : 'FAIL', r.passed ? `${r.metric} ${fmt(r.value)} ${r.better === 'higher' ? '>=' : '<='} ${r.limit}` : describeFailure(r)])));
  }
  if (report.warnings.length > 0) lines.push('', 'Warnings', ...report.warnings.map((w) => `  - ${oneLine(w)}`));
  return lines.join('\n');
}

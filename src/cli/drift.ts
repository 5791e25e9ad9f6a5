/**
 * `onnx-lens drift --reference train.csv --current new.csv [--model m.onnx] [--fail-if psi>0.2]`:
 * two datasets compared feature by feature (and the model's outputs on both), as a table sorted
 * by PSI (or `--json`), an onnx-lens.drift/1 report (`--report x.json`, or its page `x.html`),
 * JUnit XML and gates for CI (exit 3). Without --model everything runs in this process (no
 * onnxruntime needed); with one, the runtime process runs the model.
 */
import * as path from 'node:path';
import { driftReport } from '../core/drift/driftReport';
import { dataInputs, modelInputs } from '../core/files/commandInputs';
import { writeOutputFile, type CommandInput } from '../core/files/outputFile';
import { junitXml } from '../core/report/junit';
import { renderDriftHtml } from '../core/report/trustHtml';
import { oneLine } from '../core/text/terminalText';
import type { DriftParams } from '../runtime/methods';
import type { DriftFeature, DriftGate, DriftReport } from '../shared/driftReport';
import { checkDriftGates, describeDriftGate, parseDriftGate } from './driftGates';
import { table } from './format';
import { UsageError } from './inputArgs';
import { reportOutputs } from './reportOutputs';
import { clearProgress, printJson, printText, progressLine } from './output';
import { parseThreads, sessionOptions, toJson, withRuntime } from './runtimeCli';

export interface DriftCliOptions {
  reference?: string;
  current?: string;
  model?: string;
  label?: string;
  output?: string;
  task?: string;
  alpha?: string;
  categorical: string[];
  failIf: string[];
  json?: boolean;
  report?: string;
  junit?: string;
  force?: boolean;
  threads?: string;
  ep?: string;
}

export async function driftCommand(cliDir: string, opts: DriftCliOptions): Promise<{ failed: DriftGate[]; report: DriftReport }> {
  if (!opts.reference || !opts.current) throw new UsageError('drift needs --reference <file> and --current <file>: the data the model was made for, and the data to compare with it');
  const gates = opts.failIf.map(parseDriftGate);
  const alpha = opts.alpha === undefined ? undefined : Number(opts.alpha);
  if (alpha !== undefined && !(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha must be between 0 and 1, not '${opts.alpha}'`);
  const task = opts.task ?? 'auto';
  if (!['auto', 'classification', 'regression'].includes(task)) throw new UsageError(`--task must be classification or regression, not '${task}'`);
  const params: DriftParams = {
    reference: path.resolve(opts.reference), current: path.resolve(opts.current),
    ...(opts.model ? { model: path.resolve(opts.model) } : {}),
    options: sessionOptions({ input: [], dim: [], ep: opts.ep }, parseThreads(opts.threads)[0]),
    ...(opts.label !== undefined ? { labelColumn: opts.label } : {}),
    ...(opts.output ? { output: opts.output } : {}),
    task: task as DriftParams['task'],
    ...(alpha !== undefined ? { alpha } : {}),
    categorical: opts.categorical.flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean),
  };
  const inputs: CommandInput[] = [
    ...dataInputs(params.reference, 'the reference data'), ...dataInputs(params.current, 'the current data'),
    ...(params.model ? modelInputs(params.model) : []),
  ];
  const { reportFile, junitFile, script } = reportOutputs(cliDir, opts, inputs);

  const line = progressLine();
  const report = params.model
    ? await withRuntime(cliDir, (rpc) => rpc.request('drift', params, { timeoutMs: 10 * 60_000, onProgress: line && ((p) => line(p.message)) }))
    : await driftReport(params.reference, params.current, { alpha: params.alpha, categorical: params.categorical });
  clearProgress();
  const results = checkDriftGates(report, gates);
  if (results.length) report.thresholds = results;
  const failed = results.filter((r) => !r.passed);
  if (reportFile) writeOutputFile(reportFile, script ? renderDriftHtml(report, script) : `${toJson(report)}\n`, { replace: opts.force });
  if (junitFile) writeOutputFile(junitFile, driftJunit(report, results), { replace: opts.force });
  if (opts.json) {
    const brief = (f: DriftFeature) => ({ name: f.name, kind: f.kind, psi: f.psi, ks: f.ks, chiSquare: f.chiSquare, pValue: f.pValue, drifted: f.drifted });
    printJson(toJson({
      reference: report.reference.path, current: report.current.path, model: report.model?.path ?? null,
      features: report.features.map(brief), outputs: report.outputs.map(brief), drifted: report.drifted,
      passed: failed.length === 0, failed: failed.map((g) => describeDriftGate(g, report)), thresholds: results, warnings: report.warnings, report,
    }));
  } else printText(renderDrift(report, results));
  return { failed, report };
}

export function driftJunit(report: DriftReport, results: readonly DriftGate[]): string {
  const classname = `onnx-lens.drift.${path.basename(report.current.path)}`;
  const time = report.timing.totalMs / 1000;
  const cases = results.length > 0
    ? results.map((r) => ({ name: `not ${r.spec}`, classname, ...(r.passed ? {} : { failure: { message: describeDriftGate(r, report), type: 'threshold', text: `${describeDriftGate(r, report)} (${report.current.path} against ${report.reference.path})` } }) }))
    : [{ name: `drift of ${path.basename(report.current.path)}`, classname, time }];
  return junitXml({ name: `onnx-lens drift ${path.basename(report.current.path)}`, time, timestamp: report.createdAt, properties: { reference: report.reference.path, current: report.current.path }, cases });
}

const f3 = (x: number | null) => (x === null ? '—' : x < 1e-4 && x > 0 ? x.toExponential(2) : x.toFixed(4));

function featureRows(features: readonly DriftFeature[]): string[][] {
  return [['feature', 'kind', 'PSI', 'KS', 'chi²', 'p-value', ''], ...features.map((f) => [f.name, f.kind, f3(f.psi), f3(f.ks), f.chiSquare === null ? '—' : f.chiSquare.toFixed(2), f3(f.pValue), f.drifted ? 'DRIFTED' : ''])];
}

export function renderDrift(report: DriftReport, results: readonly DriftGate[]): string {
  const lines = [
    oneLine(`${report.current.path} (${report.current.rows} rows) against ${report.reference.path} (${report.reference.rows} rows)`),
    `  ${report.drifted.length} of ${report.features.length + report.outputs.length} drifted (test significant at α = ${report.settings.alpha} after Bonferroni, and PSI ≥ ${report.settings.psiDrift}); ${(report.timing.totalMs / 1000).toFixed(2)} s`,
    '', 'Features (largest PSI first)', table(featureRows(report.features)),
  ];
  if (report.outputs.length) lines.push('', oneLine(`Outputs of ${report.model?.path ?? 'the model'}`), table(featureRows(report.outputs)));
  if (results.length) lines.push('', 'Gates', table(results.map((r) => [r.passed ? 'pass' : 'FAIL', r.passed ? `no feature ${r.spec}` : describeDriftGate(r, report)])));
  if (report.warnings.length) lines.push('', 'Warnings', ...report.warnings.map((w) => `  - ${oneLine(w)}`));
  return lines.join('\n');
}

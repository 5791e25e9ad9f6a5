/**
 * `onnx-lens diff a.onnx b.onnx`: what changed between two versions of a model (structure,
 * weights, signature: in this process, core/diff/) and, with --data or --runs, how differently
 * they behave (the runtime process: src/runtime/client/diffBehaviour.ts). Text, `--json`, a
 * report file (.json or a standalone .html page), JUnit XML, and --fail-on gates for CI (exit 3).
 */
import * as path from 'node:path';
import { behaviourPlan, DEFAULT_TOLERANCE_DB } from '../core/diff/behaviour';
import { diffModels } from '../core/diff/diffModels';
import { describeError } from '../core/errors';
import { dataInputs, fileInput, modelInputs } from '../core/files/commandInputs';
import { checkOutput, writeOutputFile, type CommandInput } from '../core/files/outputFile';
import { analyzeModel, type ModelAnalysis } from '../core/modelAnalysis';
import { readModelFile, type OnnxModel } from '../core/onnx/reader';
import { renderDiffHtml } from '../core/report/diffHtml';
import { junitXml } from '../core/report/junit';
import { measureBehaviour } from '../runtime/client/diffBehaviour';
import type { DiffReport } from '../shared/diffReport';
import { checkGates, parseGate, type GateResult } from './diffGates';
import { renderDiff } from './diffText';
import { UsageError, wholeNumber } from './inputArgs';
import { clearProgress, printJson, printText, progressLine } from './output';
import { parseThreads, sessionOptions, toJson, withRuntime } from './runtimeCli';
import { version as VERSION } from '../../package.json';

export interface DiffCliOptions {
  json?: boolean;
  data?: string;
  label?: string;
  runs?: string;
  benchRuns?: string;
  bench?: boolean;
  tolerance?: string;
  failOn: string[];
  report?: string;
  junit?: string;
  force?: boolean;
  threads?: string;
  optimization?: string;
  ep?: string;
}

/** Random samples when only the outputs gate asks for a behaviour run. */
const DEFAULT_RUNS = 32;
const DEFAULT_DATA_ROWS = 1000;

/** The model could not be read: exit 1 with the one sentence (cli.ts turns OnnxLensError into that). */
export class DiffInputError extends Error {}


function open(file: string): { model: OnnxModel; analysis: ModelAnalysis } {
  let model: OnnxModel | undefined;
  try {
    model = readModelFile(file);
    return { model, analysis: analyzeModel(model, path.resolve(file)) };
  } catch (err) {
    model?.close();
    throw new DiffInputError(describeError(err, file));
  }
}

export async function diffCommand(cliDir: string, fileA: string, fileB: string, opts: DiffCliOptions): Promise<GateResult[]> {
  const gates = opts.failOn.map(parseGate);
  const runs = wholeNumber(opts.runs, '--runs', 1);
  const benchRuns = wholeNumber(opts.benchRuns, '--bench-runs', 1);
  const tolerance = opts.tolerance === undefined ? DEFAULT_TOLERANCE_DB : Number(opts.tolerance);
  if (!Number.isFinite(tolerance)) throw new UsageError(`--tolerance must be a number of dB, not '${opts.tolerance}'`);
  if (gates.some((g) => g.kind === 'accuracy-drop') && !opts.data) throw new UsageError('--fail-on accuracy-drop needs --data: labelled samples to score both models on');
  const behave = opts.data !== undefined || runs !== undefined || gates.some((g) => g.kind === 'outputs');
  const inputs: CommandInput[] = [...modelInputs(fileA, 'model a'), ...modelInputs(fileB, 'model b'), ...(opts.data ? dataInputs(opts.data) : [])];
  const reportFile = opts.report === undefined ? undefined : checkOutput({ file: opts.report, flag: '--report', replace: opts.force, inputs });
  if (reportFile && !/\.(json|html?)$/i.test(reportFile)) throw new UsageError(`--report must name a .json or .html file, not '${opts.report}'`);
  const junitFile = opts.junit === undefined ? undefined : checkOutput({
    file: opts.junit, flag: '--junit', replace: opts.force, inputs: [...inputs, ...(reportFile ? [fileInput(reportFile, 'the --report file')] : [])],
  });

  const a = open(fileA);
  let report: DiffReport;
  try {
    const b = open(fileB);
    try {
      const diff = diffModels(a.analysis, b.analysis, { version: VERSION, labels: [fileA, fileB] });
      report = diff.report;
      if (behave) {
        const plan = behaviourPlan(a.analysis, b.analysis, diff.matching);
        const line = progressLine();
        const behaviour = await withRuntime(cliDir, (rpc) => measureBehaviour(rpc, path.resolve(fileA), path.resolve(fileB), plan, {
          options: sessionOptions({ input: [], dim: [], optimization: opts.optimization, ep: opts.ep }, parseThreads(opts.threads)[0]),
          ...(opts.data ? { data: path.resolve(opts.data), labelColumn: opts.label } : {}),
          samples: runs ?? (opts.data ? DEFAULT_DATA_ROWS : DEFAULT_RUNS),
          toleranceDb: tolerance,
          benchRuns: opts.bench === false ? 0 : benchRuns ?? 100,
          onProgress: line,
        }));
        clearProgress();
        report = { ...report, behaviour, outputs: behaviour.outputs, firstDivergence: behaviour.firstDivergence, metrics: behaviour.metrics, latency: behaviour.latency };
      }
    } finally {
      b.model.close();
    }
  } finally {
    a.model.close();
  }

  const results = checkGates(report, gates);
  if (reportFile) writeOutputFile(reportFile, /\.html?$/i.test(reportFile) ? renderDiffHtml(report) : `${toJson(report)}\n`, { replace: opts.force });
  if (junitFile) writeOutputFile(junitFile, diffJunit(report, results), { replace: opts.force });
  const failed = results.filter((r) => !r.passed);
  if (opts.json) printJson(toJson({ ...report, passed: failed.length === 0, failed: failed.map((f) => `${f.gate}: ${f.detail}`), checks: results }));
  else printText(renderDiff(report, results));
  return failed;
}

export function diffJunit(report: DiffReport, results: readonly GateResult[]): string {
  const classname = `onnx-lens.diff.${path.basename(report.b)}`;
  const cases = results.length
    ? results.map((r) => ({ name: `diff ${r.gate}`, classname, ...(r.passed ? {} : { failure: { message: r.detail, type: 'diff', text: `${r.detail}\n${report.headline}` } }) }))
    : [{ name: `diff ${path.basename(report.a)} ${path.basename(report.b)}`, classname, time: report.timing.totalMs / 1000 }];
  return junitXml({
    name: `onnx-lens diff ${path.basename(report.a)} ${path.basename(report.b)}`,
    time: report.timing.totalMs / 1000, timestamp: report.createdAt,
    properties: { a: report.a, b: report.b, similarity: report.similarity.toFixed(4) },
    cases,
  });
}

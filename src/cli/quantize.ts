/**
 * `onnx-lens quantize <model> --mode … -o out.onnx`: a rewrite written next to nothing it must not
 * touch (never the input, an existing output only with --force, temp file + rename), then both
 * models measured — the editor's quantize-and-measure (src/host/quantizeAndMeasure.ts): output
 * agreement and per-node error, latency (bench) and accuracy on labelled data with the interval of
 * the change (evaluate), all in the runtime process, the same sessions and numbers as `onnx-lens
 * bench` and `onnx-lens eval`. A failure after the model was written removes it. `--report` writes
 * the onnx-lens.quant/1 report as JSON (.json) or as the standalone HTML page (.html;
 * docs/quant-report-schema.md).
 */
import * as path from 'node:path';
import { checkOutput, writeOutputFile } from '../core/files/outputFile';
import { checkQuantizeOutput, quantizeInputs } from '../core/quantize/quantize';
import type { QuantReport } from '../shared/quantReport';
import { PRECISIONS, QUANT_MODES, type CalibrationMethod, type Precision, type QuantMode, type QuantizeSettings } from '../shared/quantizeSettings';
import { renderQuantHtml } from '../core/report/quantHtml';
import { quantizeAndMeasure } from '../host/quantizeAndMeasure';
import { loadReportScript } from './eval';
import { formatBytes } from '../shared/format';
import { table } from './format';
import { clearProgress, printJson, printText, progressLine } from './output';
import { oneLine } from '../core/text/terminalText';
import { UsageError } from './inputArgs';
import { sessionOptions, toJson, withRuntime } from './runtimeCli';

export interface QuantizeCliOptions {
  mode?: string;
  output?: string;
  bits?: string;
  perChannel?: boolean;
  symmetric?: boolean;
  asymmetric?: boolean;
  reduceRange?: boolean;
  op: string[];
  excludeOp: string[];
  excludeNode: string[];
  depthwise?: boolean;
  weightType?: string;
  format?: string;
  weightFormat?: string;
  blockSize?: string;
  accuracyLevel?: string;
  calib?: string;
  calibMethod?: string;
  calibSamples?: string;
  percentile?: string;
  sparsity?: string;
  pruneScope?: string;
  fp16Io?: boolean;
  nodePrecision: string[];
  maxError?: string;
  maxAccuracyDrop?: string;
  evalBatch?: string;
  eval?: string;
  label?: string;
  bench?: boolean;
  benchRuns?: string;
  report?: string;
  force?: boolean;
  json?: boolean;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`${what} must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, not '${value}'`);
  return value as T;
}

function number(value: string | undefined, what: string, ok: (n: number) => boolean, expect: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new UsageError(`${what} must be ${expect}, not '${value}'`);
  return n;
}

const list = (values: string[]) => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

/** Command-line options → settings; every mistake is a UsageError (exit 2). */
export function settingsFromArgs(o: QuantizeCliOptions): QuantizeSettings {
  const mode = oneOf(o.mode, QUANT_MODES, '--mode') as QuantMode | undefined;
  if (!mode) throw new UsageError(`--mode is required: ${QUANT_MODES.join(', ')}`);
  if (o.symmetric && o.asymmetric) throw new UsageError('--symmetric and --asymmetric contradict each other');
  const bits = number(o.bits, '--bits', (n) => n === 8 || n === 4, '8 or 4') as 8 | 4 | undefined;
  if (bits === 4 && mode !== 'weight-only' && mode !== 'mixed') throw new UsageError(`--bits 4 is for weight-only and mixed modes; ${mode} quantization is 8-bit`);
  const method = oneOf(o.calibMethod, ['minmax', 'percentile', 'entropy'] as const, '--calib-method') as CalibrationMethod | undefined;
  if (method && !o.calib) throw new UsageError('--calib-method needs --calib <data>');
  const nodePrecision: Record<string, Precision> = {};
  for (const arg of o.nodePrecision) {
    const at = arg.lastIndexOf('=');
    const p = at > 0 ? (arg.slice(at + 1).trim() as Precision) : undefined;
    if (!p || !PRECISIONS.includes(p)) throw new UsageError(`--node-precision takes NODE=${PRECISIONS.join('|')}, not '${arg}'`);
    nodePrecision[arg.slice(0, at)] = p;
  }
  if (Object.keys(nodePrecision).length && mode !== 'mixed') throw new UsageError('--node-precision is for --mode mixed');
  const sparsity = number(o.sparsity, '--sparsity', (n) => n >= 0 && n < 1, 'a share between 0 and 1 (e.g. 0.5)');
  if (sparsity !== undefined && mode !== 'prune') throw new UsageError('--sparsity is for --mode prune');
  const settings: QuantizeSettings = {
    mode,
    bits,
    perChannel: o.perChannel,
    symmetric: o.symmetric ? true : o.asymmetric ? false : undefined,
    reduceRange: o.reduceRange,
    ops: o.op.length ? list(o.op) : undefined,
    excludeOps: list(o.excludeOp),
    excludeNodes: o.excludeNode,
    depthwise: o.depthwise,
    weightType: oneOf(o.weightType, ['int8', 'uint8'] as const, '--weight-type'),
    format: oneOf(o.format, ['integer', 'qdq'] as const, '--format'),
    weightOnlyFormat: oneOf(o.weightFormat, ['auto', 'dequantize', 'matmulnbits'] as const, '--weight-format'),
    accuracyLevel: number(o.accuracyLevel, '--accuracy-level', (n) => n === 0 || n === 4, '0 or 4') as 0 | 4 | undefined,
    blockSize: number(o.blockSize, '--block-size', (n) => Number.isInteger(n) && n >= 16 && (n & (n - 1)) === 0, 'a power of two of at least 16'),
    sparsity,
    pruneScope: oneOf(o.pruneScope, ['layer', 'global'] as const, '--prune-scope'),
    keepIoTypes: o.fp16Io ? false : undefined,
    nodePrecision: Object.keys(nodePrecision).length ? nodePrecision : undefined,
    maxError: number(o.maxError, '--max-error', (n) => n >= 0, 'a non-negative number (relative output error, e.g. 0.02)'),
    evalBatch: number(o.evalBatch, '--eval-batch', (n) => Number.isInteger(n) && n >= 1, 'a whole number of at least 1'),
    maxAccuracyDrop: number(o.maxAccuracyDrop, '--max-accuracy-drop', (n) => n >= 0 && n <= 1, 'a share between 0 and 1 (e.g. 0.01 for one point)'),
  };
  if (o.calib) {
    settings.calibration = {
      data: o.calib,
      method: method ?? 'minmax',
      maxSamples: number(o.calibSamples, '--calib-samples', (n) => Number.isInteger(n) && n >= 1, 'a whole number of at least 1'),
      percentile: number(o.percentile, '--percentile', (n) => n > 50 && n <= 100, 'a percentage between 50 and 100 (e.g. 99.99)'),
      labelColumn: o.label,
    };
  }
  if (mode === 'static' && !settings.calibration) throw new UsageError('--mode static needs calibration data: --calib <data>');
  if ((settings.maxError !== undefined || settings.maxAccuracyDrop !== undefined) && mode !== 'mixed') throw new UsageError('--max-error and --max-accuracy-drop are for --mode mixed');
  if ((settings.maxError !== undefined || settings.maxAccuracyDrop !== undefined) && !settings.calibration) throw new UsageError('a sensitivity scan (--max-error, --max-accuracy-drop) needs calibration data: --calib <data>');
  return settings;
}

/** Where the mixed-precision budget was checked and the errors there (one line; the report's sensitivity.check and .errors). */
export function budgetCheck(s: NonNullable<QuantReport['sensitivity']>): string {
  const on = s.check.source === 'eval' ? `${s.check.samples} held-out rows of ${path.basename(s.check.data ?? '')}`
    : s.check.source === 'calibration-split' ? `${s.check.samples} held-out calibration rows (the scan saw the rest)` : `the ${s.check.samples} calibration rows (too few to hold some out)`;
  const e = (x: number | null) => (x === null ? '-' : x.toPrecision(3));
  return `${e(s.errors.batch1)} at batch 1, ${e(s.errors.batch)} at batch ${s.check.batch} on ${on}; ${e(s.errors.scan)} on the rows scanned`;
}

const pct = (x: number | null | undefined, digits = 2) => (x === null || x === undefined || Number.isNaN(x) ? '-' : `${(100 * x).toFixed(digits)}%`);
const db = (x: number) => (x === Infinity ? 'exact' : `${x.toFixed(1)} dB`);

export function renderQuantReport(r: QuantReport, top = 15): string {
  const lines: string[] = [];
  const name = (p: string) => oneLine(path.basename(p));
  lines.push(`${name(r.model.path)} → ${name(r.output.path)}: ${r.settings.mode}, ${r.summary.rewritten} node${r.summary.rewritten === 1 ? '' : 's'} rewritten${r.summary.skipped ? `, ${r.summary.skipped} left as they were` : ''} in ${(r.timing.totalMs / 1000).toFixed(2)} s`);
  lines.push(`  size      ${formatBytes(r.size.before)} → ${formatBytes(r.size.after)} (${r.size.ratio.toFixed(3)}x)${r.output.dataFile ? `, data in ${name(r.output.dataFile)}` : ''}`);
  const c = r.comparison;
  if (c?.headline) {
    const h = c.headline;
    const on = c.source === 'random' ? `${c.samples} random samples` : `${c.samples} samples of ${name(c.data ?? '')}`;
    lines.push(h.kind === 'top1'
      ? `  agreement top-1 ${pct(h.top1)} on '${oneLine(h.output)}' (${h.rows} rows, ${on}); max abs error ${h.maxAbsError.toPrecision(3)}`
      : `  agreement '${oneLine(h.output)}': max abs error ${h.maxAbsError.toPrecision(3)}, mean ${h.meanAbsError.toPrecision(3)}, relative ${h.relativeError.toPrecision(3)} (${on})`);
  }
  if (r.accuracy) lines.push(`  accuracy  ${pct(r.accuracy.before)} → ${pct(r.accuracy.after)} (${r.accuracy.delta >= 0 ? '+' : ''}${(100 * r.accuracy.delta).toFixed(2)} points, ${r.accuracy.samples} samples of ${name(r.accuracy.data)})`);
  else if (c?.accuracy) lines.push(`  accuracy  ${pct(c.accuracy.before)} → ${pct(c.accuracy.after)} on the comparison samples`);
  if (r.latency) lines.push(`  latency   p50 ${r.latency.before.p50.toFixed(3)} ms → ${r.latency.after.p50.toFixed(3)} ms (${r.latency.ratio.toFixed(2)}x)`);
  if (r.sensitivity) {
    const s = r.sensitivity;
    lines.push(`  sensitivity: ${s.layers.length} layers scanned on the calibration data, ${s.kept} kept in float32 for ${s.metric} ≤ ${s.budget} (reached ${s.finalError.toPrecision(3)}${s.met ? '' : ', budget NOT met'})`);
    lines.push(`  budget    ${budgetCheck(s)}`);
  }
  for (const w of r.warnings) lines.push(`  warning: ${oneLine(w)}`);
  if (r.nodes.some((n) => n.sparsity)) {
    lines.push('', 'Sparsity per layer');
    lines.push(table([['node', 'op', 'before', 'after'], ...r.nodes.filter((n) => n.sparsity).map((n) => [n.node, n.opType, pct(n.sparsity!.before, 1), pct(n.sparsity!.after, 1)])]));
  }
  if (c?.nodes.length) {
    lines.push('', `Per-node error (worst ${Math.min(top, c.nodes.length)} of ${c.nodes.length})`);
    lines.push(table([['node', 'op', 'precision', 'SQNR', 'cosine', 'max abs error'], ...c.nodes.slice(0, top).map((n) => [n.node, n.opType, n.precision, db(n.sqnrDb), n.cosine.toFixed(5), n.maxAbsError.toPrecision(3)])]));
  }
  if (r.skipped.length) {
    lines.push('', `Left as they were (${r.skipped.length})`);
    lines.push(table(r.skipped.slice(0, top).map((s) => [s.node, s.opType, s.reason])));
    if (r.skipped.length > top) lines.push(`  … and ${r.skipped.length - top} more (see the report)`);
  }
  return lines.join('\n');
}

export async function quantizeCommand(cliDir: string, model: string, o: QuantizeCliOptions): Promise<QuantReport> {
  if (!o.output) throw new UsageError('give the output file with -o <out.onnx>');
  const settings = settingsFromArgs(o);
  // Refused before any work (core/files/outputFile.ts): an input of the command (the model, its
  // data, calibration or evaluation data, whatever the spelling) or an existing file without --force.
  const job = { input: model, output: o.output, settings, overwrite: o.force, compareData: o.eval, compareLabelColumn: o.label };
  const output = checkQuantizeOutput(job, '-o');
  const reportFile = o.report === undefined ? undefined : checkOutput({
    file: o.report, flag: '--report', replace: o.force,
    inputs: [...quantizeInputs(job), { path: output, role: 'the quantized model (-o)' }, { path: `${output}.data`, role: "the quantized model's data file" }],
  });
  const html = o.report !== undefined && /\.html?$/i.test(o.report);
  if (o.report && !html && !/\.json$/i.test(o.report)) throw new UsageError(`--report must name a .json or .html file, not '${o.report}'`);
  // Read before any work: a missing script is a usage error, not a failure after the model was written.
  const script = html ? loadReportScript(cliDir) : undefined;
  // Where onnxruntime cannot load, the runtime process refuses the request before anything is written.
  const runs = number(o.benchRuns, '--bench-runs', (n) => Number.isInteger(n) && n >= 1, 'a whole number of at least 1') ?? 200;
  const line = progressLine();
  const progress = line && ((done: number, total: number, message: string) => line(`${message}${total > 1 ? ` ${done}/${total}` : ''}…`));
  const { report } = await withRuntime(cliDir, (rpc) => quantizeAndMeasure(rpc, {
    job, options: sessionOptions({ input: [], dim: [] }), benchRuns: o.bench === false ? null : runs,
  }, { progress }, (measured) => {
    if (reportFile) writeOutputFile(reportFile, script !== undefined ? renderQuantHtml(measured, script) : `${toJson(measured)}\n`, { replace: o.force });
  }));
  clearProgress();
  if (o.json) printJson(toJson(report));
  else printText(renderQuantReport(report));
  return report;
}

/**
 * Running a quantization for the editor: the runtime process writes the quantized model and
 * compares both models per node (quantizeModelFile with its own onnxruntime runner), then the
 * runtime's benchmark and evaluation measure latency and accuracy the way `onnx-lens quantize`
 * does (runtime/quantMeasure.ts). The report is saved in the reports folder as JSON and as a
 * standalone HTML page side by side, and becomes the model's latest. Whatever fails or is cancelled after the output was written removes it:
 * a half-measured model is not left behind as if it were a result.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { datasetsBeside } from '../../core/data/beside';
import { overlayMessage } from '../nodeOverlay';
import type { QuantReport } from '../../shared/quantReport';
import type { QuantizeSettings } from '../../shared/quantizeSettings';
import { saveQuantization } from '../../core/report/quantHtml';
import { latestReport } from '../../core/report/reportFiles';
import { readReportScript } from '../../core/report/saveEval';
import { measureAccuracy, measureLatency } from '../../runtime/client/quantMeasure';
import type { GraphPayload } from '../../shared/graphPayload';
import type { OverlayMessage, QuantizationResult, QuantizeRequest } from '../../shared/protocol';
import type { LatestReports } from '../reports/latestReports';
import { reportsFolderFor } from '../reports/reportsFolder';
import { runtimeClient } from '../runtime/runtimeProcess';
import { runtimeOptions, settingsSessionOptions } from '../runtime/runtimeSettings';
import { CancelledError } from '../../shared/cancellation';

export interface QuantizationDeps {
  reports: LatestReports;
  /** The extension's folder (its dist/report/report.js makes the HTML report). */
  extensionPath: string;
}

/** Quantization reports progress by stage; silence this long means the runtime process is stuck. */
const SILENCE_TIMEOUT_MS = 5 * 60_000;
/** Timed runs per model and round for the latency before/after (the CLI's --bench-runs default is 200; the editor waits less). */
const BENCH_RUNS = 100;
/** Bootstrap resamples for the interval of the accuracy change. */
const BOOTSTRAP = 1000;

export type Progress = (done: number, total: number, message: string) => void;

/** A short tag for the output file name: 'int8', 'int4', 'fp16', 'pruned', 'mixed'. */
export function outputTag(s: QuantizeSettings): string {
  if (s.mode === 'fp16') return 'fp16';
  if (s.mode === 'prune') return 'pruned';
  if (s.mode === 'mixed') return 'mixed';
  return s.mode === 'weight-only' && (s.bits ?? 4) === 4 ? 'int4' : 'int8';
}

/** `<folder>/<stem>.<tag><suffix>.onnx` (folder: the reports folder, else the model's), numbered (-2, -3, …) past files that exist already. */
export function freeOutputPath(model: string, tag: string, folder = path.dirname(model)): string {
  const stem = path.join(folder, path.basename(model, path.extname(model)));
  for (let n = 1; ; n++) {
    const candidate = `${stem}.${tag}${n === 1 ? '' : `-${n}`}.onnx`;
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/** Refused before the runtime is asked: an output folder that is a file (or missing) is one sentence, not an ENOTDIR. */
function checkOutputFolder(output: string): void {
  const dir = path.dirname(output);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new Error(`${path.basename(output)} cannot be written: its folder ${dir} does not exist.`);
  }
  if (!stat.isDirectory()) throw new Error(`${path.basename(output)} cannot be written: ${dir} is a file, not a folder.`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new Error(`${path.basename(output)} cannot be written: the folder ${dir} is read-only.`);
  }
}

/** A dataset proposed first: the one beside the model, with what its labels are. */
export interface Proposal {
  path: string;
  detail: string;
}

/** The first dataset beside the model that has labels (Evaluate's own reading of it), or null. */
export async function labelledBeside(model: vscode.Uri): Promise<Proposal | null> {
  for (const data of datasetsBeside(model.fsPath).slice(0, 3)) {
    try {
      const info = await runtimeClient().request('datasetInfo', { model: model.fsPath, options: runtimeOptions(settingsSessionOptions(model), model), data });
      if (info.labelColumn && info.mapping) {
        const classes = info.classNames ? `, ${info.classNames.length} classes` : '';
        return { path: data, detail: `beside the model · labels in '${info.labelColumn}'${classes}${info.numSamples ? ` · ${info.numSamples} samples` : ''}` };
      }
    } catch {
      // Not a dataset this model reads: not proposed.
    }
  }
  return null;
}

function removeOutput(report: QuantReport): void {
  for (const f of [report.output.path, report.output.dataFile]) if (f) fs.rmSync(f, { force: true });
}

export async function runQuantization(
  deps: QuantizationDeps,
  model: vscode.Uri,
  request: QuantizeRequest,
  signal: AbortSignal,
  progress: Progress,
): Promise<QuantizationResult> {
  if (model.scheme !== 'file') throw new Error(`${path.basename(model.path)} is not on the local disk, so onnxruntime cannot open it.`);
  const reports = reportsFolderFor(model);
  if (!request.output && reports) fs.mkdirSync(reports, { recursive: true });
  const output = request.output ?? freeOutputPath(model.fsPath, outputTag(request.settings), reports ?? undefined);
  checkOutputFolder(output);
  // Evaluation data not chosen (the Quantize tab's button): the labelled dataset beside the model.
  if (request.evalData === undefined) request = { ...request, evalData: (await labelledBeside(model))?.path ?? null };
  const rpc = runtimeClient();
  const options = runtimeOptions(settingsSessionOptions(model), model);
  const report = await rpc.request('quantize', {
    input: model.fsPath,
    output,
    settings: request.settings,
    overwrite: request.overwrite,
    ...(request.evalData ? { compareData: request.evalData, compareLabelColumn: request.labelColumn ?? undefined } : {}),
  }, { signal, timeoutMs: SILENCE_TIMEOUT_MS, onProgress: (p) => progress(p.done, p.total, p.message) });
  let savedTo: QuantizationResult['savedTo'] = null;
  try {
    progress(0, 1, 'benchmarking both models');
    report.latency = await measureLatency(rpc, report.model.path, report.output.path, BENCH_RUNS, options, signal);
    if (request.evalData) {
      progress(0, 1, 'evaluating both models');
      report.accuracy = await measureAccuracy(rpc, report.model.path, report.output.path, request.evalData, request.labelColumn, options, {
        signal, bootstrap: BOOTSTRAP, onProgress: (d, t) => progress(d, t, 'evaluating both models'),
      });
    }
    if (signal.aborted) throw new CancelledError(`quantizing ${path.basename(model.fsPath)} was cancelled.`);
    const folder = reportsFolderFor(model);
    savedTo = folder ? saveQuantization(folder, report, readReportScript(path.join(deps.extensionPath, 'dist'))) : null;
  } catch (error) {
    await rpc.request('release', { model: report.output.path }).catch(() => undefined);
    removeOutput(report);
    throw error;
  }
  deps.reports.quantized(model, report);
  return { report, savedTo };
}

/** The newest saved quantization of the model. */
export function latestQuantization(model: vscode.Uri): QuantizationResult | null {
  const folder = reportsFolderFor(model);
  const found = folder ? latestReport<QuantReport>(folder, 'quant', model.fsPath) : null;
  return found ? { report: found.report, savedTo: { json: found.file, html: found.file.replace(/\.json$/, '.html') } } : null;
}

/**
 * The per-node error as a graph overlay on the ORIGINAL model (the quantized nodes keep their
 * names): the relative RMS error 100·10^(−SQNR/20) in percent, so hotter means worse on the overlay's log scale
 * (SQNR itself would colour the best nodes hottest). Exact nodes and nodes left alone have none.
 */
export function quantErrorOverlay(report: QuantReport, payload: GraphPayload): OverlayMessage {
  // JSON stores an exact node's +Infinity SQNR as null.
  const errors = (report.comparison?.nodes ?? []).flatMap((n) => (typeof n.sqnrDb === 'number' && Number.isFinite(n.sqnrDb) ? [[n.node, 100 * 10 ** (-n.sqnrDb / 20)] as const] : []));
  return overlayMessage(payload, 'quant-error', { label: 'Quantization error (relative RMS)', unit: '%', scale: 'log', aggregate: 'max', values: new Map(errors), notes: new Map() }).message;
}

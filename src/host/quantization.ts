/**
 * A quantization asked for by the editor (the Quantize tab, the wizard): the output is a fresh
 * `<model>.<tag>.onnx` in the reports folder unless the wizard chose one, evaluation data not
 * chosen is the labelled dataset beside the model, the work is quantizeAndMeasure, and the report
 * is saved in the reports folder as JSON and as a standalone HTML page side by side and becomes
 * the model's latest.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetsBeside } from '../core/data/beside';
import type { QuantReport } from '../shared/quantReport';
import type { QuantizeSettings } from '../shared/quantizeSettings';
import { saveQuantization } from '../core/report/quantHtml';
import { latestReport } from '../core/report/reportFiles';
import type { RuntimeRpc } from '../runtime/client/runtimeClient';
import type { QuantizationResult, QuantizeRequest } from '../shared/protocol';
import { pathOnDisk, type ModelPorts, type SessionSettings, type Work } from './ports';
import { quantizeAndMeasure } from './quantizeAndMeasure';

/** Timed runs per model and round for the latency before/after (the CLI's --bench-runs default is 200; the editor waits less). */
export const EDITOR_BENCH_RUNS = 100;

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
export async function labelledBeside(rpc: RuntimeRpc, model: string, settings: SessionSettings): Promise<Proposal | null> {
  for (const data of datasetsBeside(model).slice(0, 3)) {
    try {
      const info = await rpc.request('datasetInfo', { model, options: settings.complete(settings.defaults()), data });
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

export type QuantizationPorts = Pick<ModelPorts, 'model' | 'runtime' | 'settings' | 'reports' | 'listener'>;

export async function runQuantization(ports: QuantizationPorts, request: QuantizeRequest, work: Work): Promise<QuantizationResult> {
  const model = ports.model.path();
  const reports = ports.reports.folder();
  if (!request.output && reports) fs.mkdirSync(reports, { recursive: true });
  const output = request.output ?? freeOutputPath(model, outputTag(request.settings), reports ?? undefined);
  checkOutputFolder(output);
  const rpc = ports.runtime();
  // Evaluation data not chosen (the Quantize tab's button): the labelled dataset beside the model.
  const evalData = request.evalData === undefined ? (await labelledBeside(rpc, model, ports.settings))?.path ?? null : request.evalData;
  const { report, kept: savedTo } = await quantizeAndMeasure(rpc, {
    job: {
      input: model,
      output,
      settings: request.settings,
      overwrite: request.overwrite,
      ...(evalData ? { compareData: evalData, compareLabelColumn: request.labelColumn ?? undefined } : {}),
    },
    options: ports.settings.complete(ports.settings.defaults()),
    benchRuns: EDITOR_BENCH_RUNS,
  }, work, (measured) => {
    const folder = ports.reports.folder();
    return folder ? saveQuantization(folder, measured, ports.reports.script()) : null;
  });
  ports.listener.quantized(report);
  return { report, savedTo };
}

/** The newest saved quantization of the model. */
export function latestQuantization(ports: Pick<ModelPorts, 'model' | 'reports'>): QuantizationResult | null {
  const folder = ports.reports.folder();
  const model = pathOnDisk(ports.model);
  const found = folder && model ? latestReport<QuantReport>(folder, 'quant', model) : null;
  return found ? { report: found.report, savedTo: { json: found.file, html: found.file.replace(/\.json$/, '.html') } } : null;
}

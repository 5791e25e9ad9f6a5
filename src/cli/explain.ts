/**
 * `onnx-lens explain <model> --input name=file | --data d.csv --row N [--method …]`: one prediction
 * explained in the runtime process (or, with `--method permutation`, the model on a labelled
 * dataset) → a table of attributions or a map summary, `--json` (the onnx-lens.explain/1 report,
 * docs/explain-report-schema.md), `--report r.json|r.html`, and an image map as `.npy` with `--save`.
 * Nothing is written unless asked, never over the model or its data.
 */
import * as path from 'node:path';
import { encodeNpy } from '../core/data/npy';
import { dataInputs, modelInputs } from '../core/files/commandInputs';
import { checkOutput, writeOutputFile, type CommandInput } from '../core/files/outputFile';
import { renderExplainHtml } from '../core/report/explainHtml';
import { oneLine } from '../core/text/terminalText';
import { EXPLAIN_METHODS, METHOD_NAMES, type ExplainMethod, type ExplainReport, type ExplainRequest, type FeatureAttribution, type ImageAttributions } from '../shared/explainReport';
import { loadReportScript } from './eval';
import { table } from './format';
import { inputFileArgs, inputSpecsFromArgs, UsageError, wholeNumber } from './inputArgs';
import { clearProgress, printJson, printText, progressLine } from './output';
import { parseThreads, sessionOptions, toJson, withRuntime, type RuntimeCliOptions } from './runtimeCli';

export interface ExplainCliOptions extends RuntimeCliOptions {
  data?: string;
  label?: string;
  row?: string;
  method?: string;
  target?: string;
  samples?: string;
  background?: string;
  seed?: string;
  repeats?: string;
  metric?: string;
  segments?: string;
  window?: string;
  stride?: string;
  masks?: string;
  sanity?: boolean;
  report?: string;
  save?: string;
  force?: boolean;
}


function request(model: string, opts: ExplainCliOptions, signature: Parameters<typeof inputSpecsFromArgs>[0]): ExplainRequest {
  const method = (opts.method ?? 'kernelshap') as ExplainMethod;
  if (!EXPLAIN_METHODS.includes(method)) throw new UsageError(`--method must be one of ${EXPLAIN_METHODS.join(', ')}, not '${opts.method}'`);
  if (opts.data && opts.input.length) throw new UsageError('give either --data with --row, or --input, not both');
  if (opts.data && opts.row === undefined && method !== 'permutation') throw new UsageError('--data needs --row N: the row (from 0) to explain');
  const subject: ExplainRequest['subject'] = opts.data
    ? { kind: 'row', data: path.resolve(opts.data), row: wholeNumber(opts.row, '--row', 0) ?? 0, ...(opts.label !== undefined ? { labelColumn: opts.label } : {}) }
    : { kind: 'inputs', inputs: inputSpecsFromArgs(signature, opts.input, opts.dim) };
  if (!opts.data && opts.input.length === 0) throw new UsageError('explain needs the sample: --input name=file, or --data FILE --row N');
  return {
    model: path.resolve(model), options: sessionOptions(opts, parseThreads(opts.threads)[0]), subject, method,
    ...(opts.target !== undefined ? { target: wholeNumber(opts.target, '--target', 0) } : {}),
    ...(opts.samples !== undefined ? { samples: wholeNumber(opts.samples, '--samples', 2) } : {}),
    ...(opts.background ? { background: path.resolve(opts.background) } : {}),
    ...(opts.seed !== undefined ? { seed: wholeNumber(opts.seed, '--seed', 0) } : {}),
    ...(opts.repeats !== undefined ? { repeats: wholeNumber(opts.repeats, '--repeats', 1) } : {}),
    ...(opts.metric ? { metric: opts.metric } : {}),
    ...(opts.label !== undefined ? { labelColumn: opts.label } : {}),
    ...(opts.segments !== undefined ? { segments: wholeNumber(opts.segments, '--segments', 2) } : {}),
    ...(opts.window !== undefined ? { window: wholeNumber(opts.window, '--window', 1) } : {}),
    ...(opts.stride !== undefined ? { stride: wholeNumber(opts.stride, '--stride', 1) } : {}),
    ...(opts.masks !== undefined ? { masks: wholeNumber(opts.masks, '--masks', 1) } : {}),
    ...(opts.sanity === false ? { sanity: false } : {}),
  };
}

/** The `--json` object: the report, with an image map's values replaced by the .npy path when `--save` wrote them. */
function jsonOf(report: ExplainReport, saved: string | undefined): unknown {
  if (!saved || !report.attributions || Array.isArray(report.attributions)) return report;
  const { values: _v, ...map } = report.attributions;
  return { ...report, attributions: { ...map, npy: saved } };
}

export async function explainCommand(cliDir: string, model: string, opts: ExplainCliOptions): Promise<void> {
  const inputs: CommandInput[] = [
    ...modelInputs(path.resolve(model)), ...(opts.data ? dataInputs(opts.data) : []), ...(opts.background ? dataInputs(opts.background, 'the background data') : []),
    ...inputFileArgs(opts.input).map((f) => ({ path: f, role: 'an input file' })),
  ];
  const reportFile = opts.report === undefined ? undefined : checkOutput({ file: opts.report, flag: '--report', replace: opts.force, inputs });
  const html = reportFile !== undefined && /\.html?$/i.test(reportFile);
  if (reportFile && !html && !/\.json$/i.test(reportFile)) throw new UsageError(`--report must name a .json or .html file, not '${opts.report}'`);
  const saveFile = opts.save === undefined ? undefined : checkOutput({ file: opts.save, flag: '--save', replace: opts.force, inputs });
  if (saveFile && !/\.npy$/i.test(saveFile)) throw new UsageError(`--save must name a .npy file, not '${opts.save}'`);
  const script = html ? loadReportScript(cliDir) : undefined;
  const line = progressLine();
  const report = await withRuntime(cliDir, async (rpc) => {
    const signature = await rpc.request('signature', { model: path.resolve(model), options: sessionOptions(opts) });
    return rpc.request('explain', request(model, opts, signature.inputs), { onProgress: line && ((p) => line(p.message)), timeoutMs: 60 * 60_000 });
  });
  clearProgress();
  let saved: string | undefined;
  if (saveFile && report.attributions && !Array.isArray(report.attributions)) {
    const map = report.attributions as ImageAttributions;
    writeOutputFile(saveFile, encodeNpy({ dtype: 'float32', shape: map.shape, data: Float32Array.from(map.values) }), { replace: opts.force });
    saved = saveFile;
  }
  if (reportFile) writeOutputFile(reportFile, script ? renderExplainHtml(report, script) : `${toJson(report)}\n`, { replace: opts.force });
  if (opts.json) printJson(toJson(jsonOf(report, saved)));
  else printText(renderExplain(report));
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toFixed(4));

export function renderExplain(r: ExplainReport): string {
  const what = r.target === null ? `output '${r.output}'` : `class ${r.targetLabel ?? r.target} of '${r.output}'`;
  const lines = [oneLine(`${METHOD_NAMES[r.method]} of ${path.basename(r.model.path)}: ${what}${r.sample.row !== undefined ? `, row ${r.sample.row} of ${path.basename(r.sample.data ?? '')}` : ''}`)];
  lines.push(`  ${(r.timeMs / 1000).toFixed(2)} s, ${r.budget.evaluations.toLocaleString('en-US')} model evaluations, seed ${r.budget.seed}`);
  if (r.prediction !== null) lines.push(`  prediction ${fmt(r.prediction)}${r.expected !== null ? `, ${r.method === 'kernelshap' ? 'expected (background)' : 'intercept'} ${fmt(r.expected)}` : ''}`);
  if (r.efficiency) lines.push(`  efficiency: attributions sum to ${fmt(r.efficiency.sum)}, off by ${r.efficiency.gap.toExponential(1)} (${r.efficiency.exact ? 'exact' : 'sampled'})`);
  if (r.localModel) lines.push(`  local model R² ${fmt(r.localModel.score)}, its prediction ${fmt(r.localModel.prediction)}`);
  if (Array.isArray(r.attributions)) {
    const top = [...r.attributions].sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution)).slice(0, 15);
    lines.push('', 'Largest attributions', table([['feature', 'value', 'attribution', ...(top[0]?.error !== undefined ? ['± error'] : []), ...(top[0]?.condition ? ['condition'] : [])],
      ...top.map((a: FeatureAttribution) => [oneLine(a.feature), fmt(a.value), fmt(a.attribution), ...(a.error !== undefined ? [fmt(a.error)] : []), ...(a.condition ? [oneLine(a.condition)] : [])])]));
  } else if (r.attributions) {
    const v = r.attributions.values;
    lines.push(`  map ${r.attributions.shape.join(' × ')}: min ${fmt(Math.min(...v))}, max ${fmt(Math.max(...v))}${r.attributions.superpixels ? `, ${r.attributions.superpixels} superpixels` : ''}`);
  }
  if (r.importances) {
    const top = [...r.importances].sort((a, b) => b.mean - a.mean).slice(0, 15);
    lines.push(`  ${r.metric} on the unpermuted data: ${fmt(r.baseline)}`, '', 'Permutation importance (drop in score, mean ± std)', table([['feature', 'mean', 'std'], ...top.map((i) => [oneLine(i.feature), fmt(i.mean), fmt(i.std)])]));
  }
  if (r.sanity) lines.push('unavailable' in r.sanity ? `  ${r.sanity.unavailable}` : `  sanity check (last layer ${r.sanity.randomizedNode} randomised): rank correlation ${fmt(r.sanity.rankCorrelation)} (absolute values ${fmt(r.sanity.rankCorrelationAbs)})`);
  if (r.rollout) lines.push(`  attention rollout over ${r.rollout.layers.length} maps of ${r.rollout.tokens} tokens`);
  for (const note of r.notes) lines.push(`  ${oneLine(note)}`);
  return lines.join('\n');
}

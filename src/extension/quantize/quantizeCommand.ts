/**
 * "ONNX Lens: Quantize Model…": a QuickPick wizard (mode, weight bits, per-channel or per-tensor,
 * symmetric or asymmetric, calibration data and method, the mixed-precision budget, the pruning
 * sparsity and scope, evaluation data, op types and nodes to leave alone, output file) filling the
 * same QuantizeSettings as `onnx-lens quantize` (src/cli/quantize.ts settingsFromArgs), then a cancellable progress notification, then the report in the
 * model editor's Quantize tab with the per-node error on the original graph ('quant-error'
 * overlay). The model itself is never written: the output is a new file, an existing one only
 * replaced after asking.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { announceReport, reportCommandError } from '../reports/announce';
import type { CalibrationMethod, QuantMode, QuantizeSettings } from '../../core/quantize/types';
import type { QuantizeRequest } from '../../shared/protocol';
import { pickDataset } from '../eval/evalHandlers';
import type { ModelEditors } from '../modelEditors';
import { openModelEditor } from '../runtime/runtimeCommands';
import { trustGuard } from '../trust';
import { freeOutputPath, outputTag, quantErrorOverlay, runQuantization, type QuantizationDeps } from './quantization';

export const QUANTIZE_MODEL_COMMAND = 'onnxLens.quantizeModel';

const DATA_GLOB = '**/*.{csv,tsv,jsonl,ndjson,npy,npz,gz,idx1-ubyte,idx3-ubyte}';
const BROWSE = '$(folder-opened) Browse for a file or an image folder…';
/** The op types each mode rewrites by default (core/quantize DEFAULT_OPS). */
const MODE_OPS: Record<QuantMode, string[]> = {
  dynamic: ['MatMul', 'Gemm'],
  static: ['Conv', 'MatMul', 'Gemm'],
  'weight-only': ['MatMul', 'Gemm'],
  mixed: ['MatMul', 'Gemm', 'Conv'],
  prune: ['MatMul', 'Gemm', 'Conv'],
  fp16: [],
};

/** A number typed into an input box, checked like the CLI checks its option; undefined on Esc. */
async function askNumber(title: string, prompt: string, value: string, ok: (n: number) => boolean, expect: string): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title, prompt, value, ignoreFocusOut: true,
    validateInput: (v) => {
      const n = Number(v);
      return v.trim() !== '' && Number.isFinite(n) && ok(n) ? undefined : `Give ${expect}`;
    },
  });
  return text === undefined ? undefined : Number(text);
}

type Item<T> = vscode.QuickPickItem & { value: T };

/** One wizard step; undefined when the user backed out (Esc). */
async function pick<T>(title: string, items: Item<T>[], placeHolder?: string): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
  return chosen?.value;
}

async function pickMany<T>(title: string, items: Item<T>[], placeHolder: string): Promise<T[] | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, canPickMany: true, ignoreFocusOut: true });
  return chosen?.map((c) => c.value);
}

/** Workspace datasets (and Browse…), optionally after a first "none" item. */
async function chooseData(model: vscode.Uri, title: string, none?: Item<string | null>): Promise<string | null | undefined> {
  const found = await vscode.workspace.findFiles(DATA_GLOB, '**/{node_modules,.git,.onnx-lens}/**', 200);
  const items: Item<string | null>[] = [
    ...(none ? [none] : []),
    ...found.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), value: uri.fsPath })),
    { label: BROWSE, value: BROWSE },
  ];
  const chosen = await pick(title, items, 'CSV/TSV, JSON Lines, .npy/.npz, IDX, or an image folder');
  if (chosen === BROWSE) return (await pickDataset(model)) ?? undefined;
  return chosen;
}

/** Asks every question; undefined when the user backed out anywhere. */
async function askSettings(model: vscode.Uri, nodes: { name: string; opType: string }[]): Promise<QuantizeRequest | undefined> {
  const name = path.basename(model.fsPath);
  const step = (n: string) => `Quantize ${name}: ${n}`;
  const mode = await pick(step('mode'), [
    { label: 'Dynamic int8', description: 'default', detail: 'Weights int8 now, activations quantized at run time (MatMul, Gemm); no data needed', value: 'dynamic' as const },
    { label: 'Static int8', detail: 'Weights and activations int8 (QDQ), activation ranges calibrated on data', value: 'static' as const },
    { label: 'Weight-only', detail: 'Weights int4 or int8 in blocks, dequantized at run time (MatMul, Gemm)', value: 'weight-only' as const },
    { label: 'Mixed precision', detail: 'Each layer scanned on calibration data; the most sensitive stay float32 to meet an error or accuracy budget', value: 'mixed' as const },
    { label: 'Float16', detail: 'Every float32 weight and activation as float16', value: 'fp16' as const },
    { label: 'Magnitude pruning', detail: 'The smallest weights set to zero (still float32), per layer or over all layers', value: 'prune' as const },
  ]);
  if (!mode) return undefined;
  const settings: QuantizeSettings = { mode };
  if (mode === 'weight-only') {
    const bits = await pick(step('weight bit width'), [
      { label: '4 bits', description: 'default', value: 4 as const },
      { label: '8 bits', value: 8 as const },
    ]);
    if (!bits) return undefined;
    settings.bits = bits;
  }
  if (mode === 'mixed') {
    const bits = await pick(step('precision of the quantized layers'), [
      { label: 'int8', description: 'default', detail: 'Dynamic int8 layers', value: 8 as const },
      { label: 'int4', detail: 'Weight-only int4 layers; the scan first moves sensitive layers to int8', value: 4 as const },
    ]);
    if (!bits) return undefined;
    settings.bits = bits;
  }
  if (mode === 'prune') {
    const sparsity = await askNumber(step('sparsity'), 'The share of weights set to zero, between 0 and 1 (0.5: half of them)', '0.5', (n) => n >= 0 && n < 1, 'a share between 0 and 1, e.g. 0.5');
    if (sparsity === undefined) return undefined;
    settings.sparsity = sparsity;
    const scope = await pick(step('pruning scope'), [
      { label: 'Per layer', description: 'default', detail: 'Every layer loses the same share of its weights', value: 'layer' as const },
      { label: 'Global', detail: 'One magnitude threshold over all layers: layers with larger weights keep more', value: 'global' as const },
    ]);
    if (!scope) return undefined;
    settings.pruneScope = scope;
  }
  if (mode !== 'fp16' && mode !== 'prune') {
    const perChannel = await pick(step('weight scales'), [
      { label: 'Per channel', description: 'default', detail: 'One scale per output channel: smaller error for the same size', value: true },
      { label: 'Per tensor', detail: 'One scale per weight tensor', value: false },
    ]);
    if (perChannel === undefined) return undefined;
    settings.perChannel = perChannel;
    const symmetric = await pick(step('weight range'), [
      { label: 'Symmetric', description: 'default', detail: 'Zero point 0: the fastest integer kernels', value: true },
      { label: 'Asymmetric', detail: 'A zero point per scale: uses the whole range of skewed weights', value: false },
    ]);
    if (symmetric === undefined) return undefined;
    settings.symmetric = symmetric;
  }
  if (mode === 'static') {
    const data = await chooseData(model, step('calibration data'));
    if (!data) return undefined;
    const method = await pick<CalibrationMethod>(step('calibration method'), [
      { label: 'Min-max', description: 'default', detail: 'The full range seen on the data', value: 'minmax' },
      { label: 'Percentile', detail: 'Clips the rarest 0.001% of values', value: 'percentile' },
      { label: 'Entropy', detail: 'The range that keeps the histogram closest (KL divergence)', value: 'entropy' },
    ]);
    if (!method) return undefined;
    settings.calibration = { data, method };
  }
  if (mode === 'mixed') {
    const metric = await pick(step('budget'), [
      { label: 'Output error', description: 'default', detail: 'Largest relative output error (RMS error / RMS of the float32 outputs)', value: 'error' as const },
      { label: 'Accuracy drop', detail: 'Largest top-1 accuracy drop, measured on labelled calibration data', value: 'accuracy' as const },
    ]);
    if (!metric) return undefined;
    const budget = metric === 'error'
      ? await askNumber(step('output error budget'), 'Largest relative output error allowed (0.02: 2%)', '0.02', (n) => n >= 0, 'a non-negative number, e.g. 0.02')
      : await askNumber(step('accuracy budget'), 'Largest top-1 accuracy drop allowed, as a share (0.01: one point)', '0.01', (n) => n >= 0 && n <= 1, 'a share between 0 and 1, e.g. 0.01');
    if (budget === undefined) return undefined;
    if (metric === 'error') settings.maxError = budget;
    else settings.maxAccuracyDrop = budget;
    const data = await chooseData(model, step(metric === 'error' ? 'calibration data for the scan' : 'labelled calibration data for the scan'));
    if (!data) return undefined;
    settings.calibration = { data, method: 'minmax' };
  }
  const evalData = await chooseData(model, step('evaluation data (accuracy before and after)'), {
    label: '$(circle-slash) None', description: 'compare the two models on calibration data or random inputs', value: null,
  });
  if (evalData === undefined) return undefined;
  const ops = MODE_OPS[mode];
  if (ops.length) {
    const present = ops.filter((op) => nodes.length === 0 || nodes.some((n) => n.opType === op));
    const kept = await pickMany(step('op types to quantize'), present.map((op) => ({ label: op, picked: true, value: op })), 'Unpick the op types to leave in float32');
    if (!kept) return undefined;
    settings.ops = ops;
    settings.excludeOps = ops.filter((op) => !kept.includes(op));
    const candidates = nodes.filter((n) => kept.includes(n.opType));
    if (candidates.length) {
      const excluded = await pickMany(step('nodes to leave in float32'), candidates.map((n) => ({ label: n.name, description: n.opType, value: n.name })), 'Pick nodes to exclude (none: quantize them all)');
      if (!excluded) return undefined;
      settings.excludeNodes = excluded;
    }
  }
  const output = await vscode.window.showInputBox({
    title: step('output file'),
    prompt: 'The quantized model is written here; the model itself is never changed',
    value: freeOutputPath(model.fsPath, outputTag(settings)),
    ignoreFocusOut: true,
    validateInput: (value) => {
      const out = path.resolve(path.dirname(model.fsPath), value.trim());
      if (!value.trim().endsWith('.onnx')) return 'The output file name ends in .onnx';
      if (out === path.resolve(model.fsPath)) return 'That is the model itself, which is never overwritten';
      return undefined;
    },
  });
  if (!output) return undefined;
  const out = path.resolve(path.dirname(model.fsPath), output.trim());
  let overwrite = false;
  if (fs.existsSync(out)) {
    const replace = 'Replace';
    if ((await vscode.window.showWarningMessage(`${path.basename(out)} already exists. Replace it?`, { modal: true }, replace)) !== replace) return undefined;
    overwrite = true;
  }
  return { settings, output: out, overwrite, evalData };
}

/** The open editor's nodes (name, op type), waiting briefly for its model to load. */
async function modelNodes(editors: ModelEditors, model: vscode.Uri): Promise<{ name: string; opType: string }[]> {
  const editor = await openModelEditor(editors, model);
  for (let i = 0; i < 100 && editor && !editor.model; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const p = editor?.model?.payload;
  return p ? p.nodeNames.map((name, i) => ({ name, opType: p.ops[p.nodeOp[i]] })) : [];
}

async function quantizeModel(deps: QuantizationDeps, editors: ModelEditors, arg: unknown): Promise<boolean> {
  const model = arg instanceof vscode.Uri ? arg : editors.active?.uri;
  if (!model) {
    void vscode.window.showInformationMessage('ONNX Lens: open a model in the ONNX Lens editor first, or run this on an .onnx file in the explorer.');
    return false;
  }
  try {
    trustGuard('quantize'); // before the wizard: in Restricted Mode nothing would come of it
    const request = await askSettings(model, await modelNodes(editors, model));
    if (!request) return false;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Quantizing ${path.basename(model.fsPath)}`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return runQuantization(deps, model, request, abort.signal, (done, total, message) => progress.report({ message: total > 1 ? `${message} ${done}/${total}` : message }));
      },
    );
    const editor = await openModelEditor(editors, model);
    if (editor) {
      editors.pushToPage(editor, { type: 'quantization', result });
      const payload = editor.model?.payload;
      if (payload) editors.pushToPage(editor, quantErrorOverlay(result.report, payload));
      editors.pushToPage(editor, { type: 'showTab', tab: 'quantize' });
    }
    announceReport(model, deps.reports.quantization(model)?.detail ?? 'done', result.savedTo);
    return true;
  } catch (error) {
    reportCommandError(error);
    return false;
  }
}

export function registerQuantizeCommand(deps: QuantizationDeps, editors: ModelEditors): vscode.Disposable {
  return vscode.commands.registerCommand(QUANTIZE_MODEL_COMMAND, (arg: unknown) => quantizeModel(deps, editors, arg));
}

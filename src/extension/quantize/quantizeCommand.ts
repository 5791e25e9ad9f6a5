/**
 * "ONNX Lens: Quantize Model…": a QuickPick wizard with a step counter and Back (mode, weight bits, per-channel or per-tensor,
 * symmetric or asymmetric, calibration data and method, the mixed-precision budget, the pruning
 * sparsity and scope, evaluation data — a labelled dataset beside the model proposed — op types and
 * nodes to leave alone, output file in the reports folder) filling the
 * same QuantizeSettings as `onnx-lens quantize` (src/cli/quantize.ts settingsFromArgs), then a cancellable progress notification, then the report in the
 * model editor's Quantize tab with the per-node error on the original graph ('quant-error'
 * overlay). The model itself is never written: the output is a new file, an existing one only
 * replaced after asking.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { announceReport, reportCommandError } from '../reports/announce';
import type { CalibrationMethod, QuantMode, QuantizeSettings } from '../../shared/quantizeSettings';
import type { QuantizeRequest } from '../../shared/protocol';
import { datasetsBeside } from '../../core/data/beside';
import { quantErrorOverlay } from '../../host/overlays';
import { freeOutputPath, labelledBeside, outputTag, runQuantization, type Proposal } from '../../host/quantization';
import { pickDataset } from '../host/fileDialogs';
import { commandPorts, type ExtensionHost } from '../host/modelPorts';
import { BACK, inputStep, pickManyStep, pickStep, runWizard, type Answer, type StepPosition, type WizardItem, type WizardStep } from '../quickWizard';
import { reportsFolderFor } from '../reports/reportsFolder';
import type { ModelEditors } from '../modelEditors';
import { openModelEditor } from '../runtime/runtimeCommands';
import { trustGuard } from '../trust';

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

type Item<T> = WizardItem<T>;

interface WizardState {
  settings: QuantizeSettings;
  calibrationData?: string;
  method?: CalibrationMethod;
  metric?: 'error' | 'accuracy';
  evalData?: string | null;
  kept?: string[];
  output?: string;
}

/** A number typed into an input box, checked like the CLI checks its option. */
function numberStep(at: StepPosition, prompt: string, value: number, ok: (n: number) => boolean, expect: string): Promise<Answer<number>> {
  return inputStep(at, {
    prompt, value: String(value),
    validate: (v) => (v.trim() !== '' && Number.isFinite(Number(v)) && ok(Number(v)) ? undefined : `Give ${expect}`),
  }).then((a) => (typeof a === 'string' ? Number(a) : a));
}

/**
 * A dataset page: the datasets beside the model first (a labelled one proposed and selected), then
 * the workspace's, then Browse…; `none` adds a first "None" item. Browse that is cancelled stays here.
 */
async function dataStep(model: vscode.Uri, at: StepPosition, opts: { none?: Item<string | null>; proposal?: Proposal | null; current?: string | null }): Promise<Answer<string | null>> {
  const found = await vscode.workspace.findFiles(DATA_GLOB, '**/{node_modules,.git,.onnx-lens}/**', 200);
  const beside = new Set(datasetsBeside(model.fsPath));
  const proposal = opts.proposal ?? null;
  const others = found.map((u) => u.fsPath).filter((p) => p !== proposal?.path).sort((a, b) => Number(beside.has(b)) - Number(beside.has(a)) || a.localeCompare(b));
  const items: Item<string | null>[] = [
    ...(proposal ? [{ label: `$(star-full) ${path.basename(proposal.path)}`, description: 'proposed', detail: proposal.detail, value: proposal.path }] : []),
    ...(opts.none ? [opts.none] : []),
    ...others.map((p) => ({ label: path.basename(p), description: beside.has(p) ? 'beside the model' : vscode.workspace.asRelativePath(path.dirname(p)), value: p })),
    { label: BROWSE, value: BROWSE },
  ];
  for (;;) {
    const active = opts.current !== undefined ? opts.current : proposal?.path;
    const chosen = await pickStep(at, items, { placeHolder: 'CSV/TSV, JSON Lines, .npy/.npz, IDX, or an image folder', active });
    if (chosen !== BROWSE) return chosen;
    const browsed = await pickDataset(model);
    if (browsed) return browsed;
  }
}

const yes = 'next' as const;

/** The wizard's pages, in order; each applies to some modes only. */
function quantizeSteps(model: vscode.Uri, nodes: { name: string; opType: string }[], proposal: () => Promise<Proposal | null>): WizardStep<WizardState>[] {
  const mode = (s: WizardState) => s.settings.mode;
  const store = <T>(answer: Answer<T>, put: (v: T) => void): 'next' | typeof BACK | undefined => {
    if (answer === undefined) return undefined;
    if (answer === BACK) return BACK;
    put(answer as T);
    return yes;
  };
  return [
    { applies: () => true, ask: async (s, at) => store(await pickStep(at('mode'), [
      { label: 'Dynamic int8', description: 'default', detail: 'Weights int8 now, activations quantized at run time (MatMul, Gemm); no data needed', value: 'dynamic' as const },
      { label: 'Static int8', detail: 'Weights and activations int8 (QDQ), activation ranges calibrated on data', value: 'static' as const },
      { label: 'Weight-only', detail: 'Weights int4 or int8 in blocks, dequantized at run time (MatMul, Gemm)', value: 'weight-only' as const },
      { label: 'Mixed precision', detail: 'Each layer scanned on calibration data; the most sensitive stay float32 to meet an error or accuracy budget', value: 'mixed' as const },
      { label: 'Float16', detail: 'Every float32 weight and activation as float16', value: 'fp16' as const },
      { label: 'Magnitude pruning', detail: 'The smallest weights set to zero (still float32), per layer or over all layers', value: 'prune' as const },
    ], { active: s.settings.mode }), (m) => (s.settings = { mode: m })) },
    { applies: (s) => mode(s) === 'weight-only', ask: async (s, at) => store(await pickStep(at('weight bit width'), [
      { label: '4 bits', description: 'default', value: 4 as const },
      { label: '8 bits', value: 8 as const },
    ], { active: s.settings.bits }), (b) => (s.settings.bits = b)) },
    { applies: (s) => mode(s) === 'mixed', ask: async (s, at) => store(await pickStep(at('precision of the quantized layers'), [
      { label: 'int8', description: 'default', detail: 'Dynamic int8 layers', value: 8 as const },
      { label: 'int4', detail: 'Weight-only int4 layers; the scan first moves sensitive layers to int8', value: 4 as const },
    ], { active: s.settings.bits }), (b) => (s.settings.bits = b)) },
    { applies: (s) => mode(s) === 'prune', ask: async (s, at) => store(
      await numberStep(at('sparsity'), 'The share of weights set to zero, between 0 and 1 (0.5: half of them)', s.settings.sparsity ?? 0.5, (n) => n >= 0 && n < 1, 'a share between 0 and 1, e.g. 0.5'),
      (n) => (s.settings.sparsity = n)) },
    { applies: (s) => mode(s) === 'prune', ask: async (s, at) => store(await pickStep(at('pruning scope'), [
      { label: 'Per layer', description: 'default', detail: 'Every layer loses the same share of its weights', value: 'layer' as const },
      { label: 'Global', detail: 'One magnitude threshold over all layers: layers with larger weights keep more', value: 'global' as const },
    ], { active: s.settings.pruneScope }), (v) => (s.settings.pruneScope = v)) },
    { applies: (s) => mode(s) !== 'fp16' && mode(s) !== 'prune', ask: async (s, at) => store(await pickStep(at('weight scales'), [
      { label: 'Per channel', description: 'default', detail: 'One scale per output channel: smaller error for the same size', value: true },
      { label: 'Per tensor', detail: 'One scale per weight tensor', value: false },
    ], { active: s.settings.perChannel }), (v) => (s.settings.perChannel = v)) },
    { applies: (s) => mode(s) !== 'fp16' && mode(s) !== 'prune', ask: async (s, at) => store(await pickStep(at('weight range'), [
      { label: 'Symmetric', description: 'default', detail: 'Zero point 0: the fastest integer kernels', value: true },
      { label: 'Asymmetric', detail: 'A zero point per scale: uses the whole range of skewed weights', value: false },
    ], { active: s.settings.symmetric }), (v) => (s.settings.symmetric = v)) },
    { applies: (s) => mode(s) === 'static', ask: async (s, at) => store(
      await dataStep(model, at('calibration data'), { proposal: await proposal(), current: s.calibrationData }),
      (d) => (s.calibrationData = d ?? undefined)) },
    { applies: (s) => mode(s) === 'static', ask: async (s, at) => store(await pickStep<CalibrationMethod>(at('calibration method'), [
      { label: 'Min-max', description: 'default', detail: 'The full range seen on the data', value: 'minmax' },
      { label: 'Percentile', detail: 'Clips the rarest 0.001% of values', value: 'percentile' },
      { label: 'Entropy', detail: 'The range that keeps the histogram closest (KL divergence)', value: 'entropy' },
    ], { active: s.method }), (m) => (s.method = m)) },
    { applies: (s) => mode(s) === 'mixed', ask: async (s, at) => store(await pickStep(at('budget'), [
      { label: 'Output error', description: 'default', detail: 'Largest relative output error (RMS error / RMS of the float32 outputs)', value: 'error' as const },
      { label: 'Accuracy drop', detail: 'Largest top-1 accuracy drop, measured on labelled calibration data', value: 'accuracy' as const },
    ], { active: s.metric }), (m) => (s.metric = m)) },
    { applies: (s) => mode(s) === 'mixed', ask: async (s, at) => s.metric === 'accuracy'
      ? store(await numberStep(at('accuracy budget'), 'Largest top-1 accuracy drop allowed, as a share (0.01: one point)', s.settings.maxAccuracyDrop ?? 0.01, (n) => n >= 0 && n <= 1, 'a share between 0 and 1, e.g. 0.01'),
        (n) => { s.settings.maxAccuracyDrop = n; delete s.settings.maxError; })
      : store(await numberStep(at('output error budget'), 'Largest relative output error allowed (0.02: 2%)', s.settings.maxError ?? 0.02, (n) => n >= 0, 'a non-negative number, e.g. 0.02'),
        (n) => { s.settings.maxError = n; delete s.settings.maxAccuracyDrop; }) },
    { applies: (s) => mode(s) === 'mixed', ask: async (s, at) => store(
      await dataStep(model, at(s.metric === 'accuracy' ? 'labelled calibration data for the scan' : 'calibration data for the scan'), { proposal: await proposal(), current: s.calibrationData }),
      (d) => (s.calibrationData = d ?? undefined)) },
    { applies: () => true, ask: async (s, at) => store(await dataStep(model, at('evaluation data (accuracy before and after)'), {
      proposal: await proposal(),
      current: s.evalData,
      none: { label: '$(circle-slash) None', description: 'compare the two models on calibration data or random inputs: no accuracy', value: null },
    }), (d) => (s.evalData = d)) },
    { applies: (s) => MODE_OPS[mode(s)].length > 0, ask: async (s, at) => {
      const ops = MODE_OPS[mode(s)];
      const present = ops.filter((op) => nodes.length === 0 || nodes.some((n) => n.opType === op));
      const kept = await pickManyStep(at('op types to quantize'), present.map((op) => ({ label: op, picked: s.kept ? s.kept.includes(op) : true, value: op })), { placeHolder: 'Unpick the op types to leave in float32' });
      return store(kept, (k) => {
        s.kept = k;
        s.settings.ops = ops;
        s.settings.excludeOps = ops.filter((op) => !k.includes(op));
      });
    } },
    // Counted from the start (before the op types are chosen) so the step counter does not jump.
    { applies: (s) => MODE_OPS[mode(s)].length > 0 && nodes.some((n) => (s.kept ?? MODE_OPS[mode(s)]).includes(n.opType)), ask: async (s, at) => {
      const candidates = nodes.filter((n) => (s.kept ?? []).includes(n.opType));
      const excluded = await pickManyStep(at('nodes to leave in float32'), candidates.map((n) => ({ label: n.name, description: n.opType, value: n.name, picked: (s.settings.excludeNodes ?? []).includes(n.name) })), { placeHolder: 'Pick nodes to exclude (none: quantize them all)' });
      return store(excluded, (e) => (s.settings.excludeNodes = e));
    } },
    { applies: () => true, ask: async (s, at) => {
      const settings = s.settings;
      if (mode(s) === 'static' || mode(s) === 'mixed') settings.calibration = { data: s.calibrationData!, method: mode(s) === 'static' ? s.method ?? 'minmax' : 'minmax' };
      else delete settings.calibration;
      const answer = await inputStep(at('output file'), {
        prompt: 'The quantized model is written here (the reports folder by default); the model itself is never changed',
        value: s.output ?? freeOutputPath(model.fsPath, outputTag(settings), reportsFolderFor(model) ?? undefined),
        validate: (value) => {
          const out = path.resolve(path.dirname(model.fsPath), value.trim());
          if (!value.trim().endsWith('.onnx')) return 'The output file name ends in .onnx';
          if (out === path.resolve(model.fsPath)) return 'That is the model itself, which is never overwritten';
          return undefined;
        },
      });
      return store(answer, (o) => (s.output = path.resolve(path.dirname(model.fsPath), o.trim())));
    } },
  ];
}

/** Asks every question (with Back and a step counter); undefined when the user backed out. */
async function askSettings(host: ExtensionHost, model: vscode.Uri, nodes: { name: string; opType: string }[]): Promise<QuantizeRequest | undefined> {
  const name = path.basename(model.fsPath);
  let proposed: Promise<Proposal | null> | undefined;
  const ports = commandPorts(host, model);
  const proposal = () => (proposed ??= labelledBeside(ports.runtime(), model.fsPath, ports.settings));
  const state = await runWizard(quantizeSteps(model, nodes, proposal), { settings: { mode: 'dynamic' } } as WizardState, (step) => `Quantize ${name}: ${step}`);
  if (!state?.output) return undefined;
  let overwrite = false;
  if (fs.existsSync(state.output)) {
    const replace = 'Replace';
    if ((await vscode.window.showWarningMessage(`${path.basename(state.output)} already exists. Replace it?`, { modal: true }, replace)) !== replace) return undefined;
    overwrite = true;
  }
  const reports = reportsFolderFor(model);
  if (reports && path.dirname(state.output) === path.resolve(reports)) fs.mkdirSync(reports, { recursive: true });
  return { settings: state.settings, output: state.output, overwrite, evalData: state.evalData ?? null };
}

/** The open editor's nodes (name, op type), waiting briefly for its model to load. */
async function modelNodes(editors: ModelEditors, model: vscode.Uri): Promise<{ name: string; opType: string }[]> {
  const editor = await openModelEditor(editors, model);
  for (let i = 0; i < 100 && editor && !editor.model; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const p = editor?.model?.payload;
  return p ? p.nodeNames.map((name, i) => ({ name, opType: p.ops[p.nodeOp[i]] })) : [];
}

async function quantizeModel(host: ExtensionHost, editors: ModelEditors, arg: unknown): Promise<boolean> {
  const model = arg instanceof vscode.Uri ? arg : editors.active?.uri;
  if (!model) {
    void vscode.window.showInformationMessage('ONNX Lens: open a model in the ONNX Lens editor first, or run this on an .onnx file in the explorer.');
    return false;
  }
  try {
    trustGuard('quantize'); // before the wizard: in Restricted Mode nothing would come of it
    const request = await askSettings(host, model, await modelNodes(editors, model));
    if (!request) return false;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Quantizing ${path.basename(model.fsPath)}`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return runQuantization(commandPorts(host, model), request, {
          signal: abort.signal,
          progress: (done, total, message) => progress.report({ message: total > 1 ? `${message} ${done}/${total}` : message }),
        });
      },
    );
    const editor = await openModelEditor(editors, model);
    if (editor) {
      editors.pushToPage(editor, { type: 'quantization', result });
      const payload = editor.model?.payload;
      if (payload) editors.pushToPage(editor, quantErrorOverlay(result.report, payload));
      editors.pushToPage(editor, { type: 'showTab', tab: 'quantize' });
    }
    announceReport(model, host.reports.quantization(model)?.detail ?? 'done', result.savedTo);
    return true;
  } catch (error) {
    reportCommandError(error);
    return false;
  }
}

export function registerQuantizeCommand(host: ExtensionHost, editors: ModelEditors): vscode.Disposable {
  return vscode.commands.registerCommand(QUANTIZE_MODEL_COMMAND, (arg: unknown) => quantizeModel(host, editors, arg));
}

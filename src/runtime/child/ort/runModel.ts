/**
 * One run of a model in the runtime process: inputs built from the specs (and reused while they
 * are unchanged), `session.run`, summaries of what went in and came out, the tensors kept for paging.
 */
import * as fs from 'node:fs';
import type * as ort from 'onnxruntime-node';
import type { AnyArray } from '../../../core/data/npyStrings';
import { OnnxLensError } from '../../../core/errors';
import type { RunRequest } from '../../methods';
import type { IoSignature, RunResult, TensorSummary } from '../../../shared/runtimeTypes';
import { hasSymbolicBatch, toFeeds } from './feeds';
import { materializeInputs } from './inputs';
import { modelLabels, type ModelFile } from './modelFiles';
import { storeRun } from './runStore';
import { getSession, ortMessage, sessionSignature } from './sessions';
import { checkSessionOptions } from './sessionOptions';
import { summarizeTensor, type RuntimeTensor, type SummaryOptions } from './tensorSummary';

export async function runOnce(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, model: string): Promise<{ outputs: ort.InferenceSession.ReturnType; ms: number }> {
  const started = performance.now();
  try {
    const outputs = await session.run(feeds);
    return { outputs, ms: performance.now() - started };
  } catch (err) {
    throw new OnnxLensError(model, `failed to run: ${ortMessage(err)}`);
  }
}

export async function summaries(tensors: Map<string, RuntimeTensor>, names: readonly string[], options: SummaryOptions = {}): Promise<TensorSummary[]> {
  const out: TensorSummary[] = [];
  for (const name of names) out.push(await summarizeTensor(name, tensors.get(name)!, options));
  return out;
}

/** The inputs as fed: float16 as its half-precision bits (what ORT got), which numericView decodes. */
function inputTensors(inputs: Map<string, AnyArray>, feeds: Record<string, ort.Tensor>): Map<string, RuntimeTensor> {
  return new Map([...inputs].map(([name, a]) => [name, { type: a.dtype, dims: a.shape, data: a.dtype === 'float16' ? (feeds[name].data as Uint16Array) : a.data }]));
}

/** Samples per run: the leading dim of the first input whose batch is symbolic, else 1. */
export function samplesPerRun(inputs: Map<string, AnyArray>, signature: readonly IoSignature[]): number {
  const sig = signature.find(hasSymbolicBatch);
  return sig ? (inputs.get(sig.name)?.shape[0] ?? 1) : 1;
}

/**
 * The last inputs built, reused while the request and its files are unchanged: generating and
 * summarising a 224×224 image's worth of noise took longer than the Run panel's protocol itself.
 */
let lastInputs: { key: string; inputs: Map<string, AnyArray>; feeds: Record<string, ort.Tensor>; summaries: TensorSummary[] } | undefined;

function fileStamp(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.mtimeMs}/${st.size}`;
  } catch {
    return 'missing';
  }
}

/**
 * What the inputs depend on: the specs, the files they read, and the model's input signature —
 * which is the model file's (ModelFile is replaced when the file changes), so its version stands
 * for it instead of the signature itself (stringifying that on every run cost more than the run).
 */
function inputsKey(req: RunRequest, file: ModelFile): string {
  let key = `${file.path}|${file.mtimeMs}|${file.size}|${JSON.stringify(req.inputs)}`;
  for (const s of req.inputs) if ('path' in s.source) key += `|${fileStamp(s.source.path)}`;
  return key;
}

async function prepare(req: RunRequest, extraOutputs: readonly string[] = []) {
  checkSessionOptions(req.options, req.model);
  const { session, file, createdMs, provider, providerNote } = await getSession(req.model, req.options, extraOutputs);
  const signature = sessionSignature(session);
  const key = inputsKey(req, file);
  if (lastInputs?.key !== key) {
    const inputs = await materializeInputs(req.model, req.inputs, signature.inputs);
    const feeds = toFeeds(inputs);
    lastInputs = { key, inputs, feeds, summaries: await summaries(inputTensors(inputs, feeds), [...inputs.keys()]) };
  }
  return { session, file, createdMs, provider, providerNote, signature, ...lastInputs };
}

/** Runs once with `extraOutputs` added to the graph's outputs; the result keeps every tensor for paging. */
export async function runModel(req: RunRequest, extraOutputs: readonly string[]): Promise<RunResult & { tensors: Map<string, RuntimeTensor> }> {
  const p = await prepare(req, extraOutputs);
  const { outputs, ms } = await runOnce(p.session, p.feeds, req.model);
  const tensors = inputTensors(p.inputs, p.feeds);
  for (const [name, t] of Object.entries(outputs)) tensors.set(name, t as RuntimeTensor);
  // The session of an activation capture declares the captured values as outputs too.
  const extra = new Set(extraOutputs);
  const outputNames = p.signature.outputs.map((o) => o.name).filter((name) => !extra.has(name));
  return {
    runId: storeRun(p.file.path, tensors),
    runMs: ms,
    sessionMs: p.createdMs,
    inputs: p.summaries,
    outputs: await summaries(tensors, outputNames, { scores: true, labelsFor: (classes) => modelLabels(p.file, req.options, classes) }),
    provider: p.provider,
    ...(p.providerNote ? { providerNote: p.providerNote } : {}),
    tensors,
  };
}

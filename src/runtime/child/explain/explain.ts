/**
 * The `explain` request of the runtime process: loads the sample, runs the method on a cached
 * session through the black box (ortBox.ts), adds the sanity check for saliency maps, and answers
 * with an `onnx-lens.explain/1` report. Progress counts model evaluations; a cancel stops between
 * batches with a CancelledError.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnnxLensError } from '../../../core/errors';
import type { ExplainControl } from '../../../core/explain/blackBox';
import { randomizeLastLayer } from '../../../core/explain/randomizeLayer';
import { sanityFigures } from '../../../core/explain/rankCorrelation';
import type { ReportProgress } from '../../../rpc/childServer';
import {
  EXPLAIN_SCHEMA, IMAGE_METHODS, METHOD_NAMES, TABULAR_METHODS, type ExplainReport, type ExplainRequest, type SanityCheck,
} from '../../../shared/explainReport';
import type { NumericDtype } from '../../../shared/tensorTypes';
import { modelLabels } from '../ort/modelFiles';
import { checkSessionOptions } from '../ort/sessionOptions';
import { createSession, getSession, sessionSignature } from '../ort/sessions';
import { explainImage } from './image';
import { ortBox } from './ortBox';
import { explainRollout } from './rolloutRequest';
import { loadSample, type Sample } from './sample';
import { explainTabular, tabularData, type MethodOutcome } from './tabular';
import { loadOnnxRuntime } from '../ort/onnxruntime';
import { version as TOOL_VERSION } from '../../../../package.json';

const FLOAT_OUTPUTS = new Set(['float32', 'float64', 'float16']);

function pictureOf(sample: Sample): ExplainReport['picture'] {
  if (!sample.pixels || !sample.layout) return null;
  const { width, height } = sample.layout;
  const rgb = Buffer.alloc(width * height * 3);
  const { data, channels } = sample.pixels;
  for (let p = 0; p < width * height; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.round(255 * data[p * channels + (channels === 3 ? c : 0)]);
  return { width, height, rgbBase64: rgb.toString('base64') };
}

function checkMethod(req: ExplainRequest, sample: Sample): void {
  const allowed = sample.kind === 'tabular' ? TABULAR_METHODS : IMAGE_METHODS;
  if (req.method !== 'rollout' && !allowed.includes(req.method)) {
    const shape = `[batch, ${sample.inputs.get(sample.input.name)!.shape.slice(1).join(', ')}]`;
    throw new OnnxLensError(path.basename(req.model), `${METHOD_NAMES[req.method] ?? req.method} explains ${sample.kind === 'tabular' ? 'image' : 'tabular'} inputs, but input '${sample.input.name}' is ${sample.kind === 'tabular' ? 'a row of features' : 'an image'} ${shape}; use ${allowed.join(', ')}.`);
  }
}

export async function explain(req: ExplainRequest, signal: AbortSignal, progress: ReportProgress): Promise<ExplainReport> {
  const started = performance.now();
  const phases: { name: string; ms: number }[] = [];
  let mark = started;
  const phase = (name: string) => {
    const now = performance.now();
    phases.push({ name, ms: now - mark });
    mark = now;
  };
  const options = checkSessionOptions(req.options, req.model);
  const { session, file } = await getSession(req.model, options);
  const signature = sessionSignature(session);
  phase('session');
  const sample = await loadSample(req, signature.inputs, signal);
  checkMethod(req, sample);
  const table = sample.kind === 'tabular' && req.method !== 'rollout' ? await tabularData(req, sample, signature.inputs, signal) : null;
  phase('data');
  const output = req.output ?? signature.outputs.find((o) => FLOAT_OUTPUTS.has(o.elemType))?.name;
  const outSig = signature.outputs.find((o) => o.name === output);
  if (!outSig) throw new OnnxLensError(path.basename(req.model), output ? `has no output '${output}'; its outputs are ${signature.outputs.map((o) => o.name).join(', ')}.` : 'has no float output to explain.');
  const sig = sample.input;
  const boxFor = (s: typeof session) => ortBox({ session: s, model: path.basename(req.model), input: sig.name, output: outSig.name, inputs: sample.inputs, dims: sig.dims, elemType: sig.elemType as NumericDtype });
  const box = boxFor(session);
  const scores = await box.run(sample.inputs.get(sig.name)!.data as Float32Array, 1);
  let target = 0;
  if (req.target !== undefined && req.target !== null) target = req.target;
  else for (let k = 1; k < scores.length; k++) if (scores[k] > scores[target]) target = k;
  if (!Number.isInteger(target) || target < 0 || target >= scores.length) {
    throw new OnnxLensError(path.basename(req.model), `has no class ${req.target}: output '${outSig.name}' has ${scores.length} score${scores.length === 1 ? '' : 's'} (0 to ${scores.length - 1}).`);
  }
  const labels = scores.length > 1 ? modelLabels(file, options, scores.length).found?.labels ?? null : null;
  const methodName = METHOD_NAMES[req.method];
  const control = (what: string): ExplainControl => ({
    signal, onProgress: (done, total) => progress({ done, total, message: `${methodName}${what}: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} model evaluations` }),
  });
  let outcome: MethodOutcome;
  let sanity: ExplainReport['sanity'] = null;
  let rollout: ExplainReport['rollout'] = null;
  if (req.method === 'rollout') {
    const r = await explainRollout(req, options, sample);
    rollout = r.rollout;
    outcome = { prediction: scores[target], samples: 1, evaluations: 1, notes: r.notes };
  } else if (sample.kind === 'tabular') {
    outcome = await explainTabular(req, box, sample, table!, target, control(''));
  } else {
    const segments = {};
    const first = await explainImage(req, box, sample, target, scores[target], control(''), segments);
    outcome = first.outcome;
    phase('model evaluations');
    if (req.sanity !== false) sanity = await sanityCheck(req, sample, file.model, options, boxFor, first.map, target, control, segments);
  }
  phase(sanity ? 'sanity check' : 'model evaluations');
  const st = fs.statSync(file.path);
  return {
    schema: EXPLAIN_SCHEMA, tool: { name: 'onnx-lens', version: TOOL_VERSION, ortVersion: loadOnnxRuntime().env.versions.common }, createdAt: new Date().toISOString(), model: { path: file.path, bytes: st.size, mtimeMs: st.mtimeMs },
    method: req.method, kind: req.method === 'rollout' ? 'tokens' : sample.kind, input: sig.name, output: outSig.name,
    // Permutation importance is about the whole output, not one class.
    target: scores.length > 1 && req.method !== 'permutation' ? target : null, targetLabel: req.method === 'permutation' ? null : labels?.[target] ?? null,
    classes: scores.length > 1 ? Array.from({ length: scores.length }, (_, k) => labels?.[k] ?? String(k)) : [],
    prediction: outcome.prediction ?? null, expected: outcome.expected ?? null, attributions: outcome.attributions ?? null,
    efficiency: outcome.efficiency ?? null, localModel: outcome.localModel ?? null, importances: outcome.importances ?? null,
    metric: outcome.metric ?? null, baseline: outcome.baseline ?? null, sanity, rollout, picture: pictureOf(sample),
    sample: sample.table ? { data: sample.table.file, row: sample.row ?? undefined, label: sample.label } : { inputs: sample.files },
    budget: { samples: outcome.samples, evaluations: outcome.evaluations, seed: req.seed ?? 0 },
    settings: settingsOf(req), timeMs: performance.now() - started, phases, notes: outcome.notes ?? [],
  };
}

function settingsOf(req: ExplainRequest): ExplainReport['settings'] {
  const { model: _m, options: _o, subject: _s, ...settings } = req;
  return settings;
}

async function sanityCheck(
  req: ExplainRequest, sample: Sample, model: Parameters<typeof randomizeLastLayer>[0], options: ExplainRequest['options'],
  boxFor: (s: Awaited<ReturnType<typeof createSession>>['session']) => ReturnType<typeof ortBox>, original: Float64Array, target: number,
  control: (what: string) => ExplainControl, segments: object,
): Promise<ExplainReport['sanity']> {
  const randomized = randomizeLastLayer(model, req.seed ?? 0);
  if (typeof randomized === 'string') return { unavailable: `No sanity check: ${randomized}.` };
  const { session } = await createSession({ path: model.file, info: model.info }, options, [], {}, randomized.bytes);
  try {
    const box = boxFor(session);
    const scores = await box.run(sample.inputs.get(sample.input.name)!.data as Float32Array, 1);
    const again = await explainImage(req, box, sample, target, scores[target], control(' (sanity check, last layer randomised)'), segments);
    const figures = sanityFigures(original, again.map);
    return { ...figures, randomizedNode: randomized.node, randomizedValues: Array.from(again.map) } satisfies SanityCheck;
  } finally {
    await session.release();
  }
}

/**
 * The runtime process: onnxruntime-node sessions live here, never in the extension host, because
 * an ORT abort (an int4 output: docs/environment.md, "onnxruntime-node") kills every thread of its process.
 * Forked by src/runtime/client/runtimeClient.ts (the extension and the CLI); bundled to dist/ortChild.js.
 */
import * as path from 'node:path';
import { nativeUnavailable } from '../../core/nativeModules';
import { loadOnnxRuntime } from './ort/onnxruntime';
import { refuseAll, serveRequests, type Handlers } from '../../rpc/childServer';
import { datasetInfo } from './data/datasetInfo';
import { datasetSamples } from './data/samples';
import { evaluate } from './eval/evaluate';
import { stopLanes } from './eval/lanes';
import { forgetDecoded } from './eval/decodedCache';
import { robust } from './robust/robust';
import { drift } from './drift/drift';
import type { RuntimeMethods } from '../methods';
import { quantizeJob } from './quantizeJob';
import { explain } from './explain/explain';
import { diffBehaviour } from './diffBehaviour';
import { planActivations } from './ort/activationValues';
import { benchConfiguration } from './ort/benchConfig';
import { availableProviders } from './ort/executionProviders';
import { forgetModel, modelFile, modelLabels } from './ort/modelFiles';
import { profileModel } from './ort/profileModel';
import { runModel, summaries } from './ort/runModel';
import { classCountOf } from './ort/tensorSummary';
import { forgetRuns, histogramOf, pageOf, saveRun, slabOf } from './ort/runStore';
import { getSession, releaseSessions, sessionSignature } from './ort/sessions';
import { metadataDimHints } from '../../core/inputs/inputGuess';
import { checkSessionOptions } from './ort/sessionOptions';

const CONTEXT = 'the ONNX Lens runtime process';

const handlers: Handlers<RuntimeMethods> = {
  signature: async ({ model, options }) => {
    const { session, file, provider, providerNote } = await getSession(model, checkSessionOptions(options, model));
    const signature = sessionSignature(session);
    // The class count of the first classifier-like output decides whether a labels list fits.
    const classes = signature.outputs.map((o) => classCountOf(o.dims)).find((c) => c !== undefined);
    const lookup = modelLabels(file, options, classes);
    return {
      ...signature, ortVersion: loadOnnxRuntime().env.versions.common, labels: lookup.found?.labels ?? null, labelSource: lookup.found?.source ?? null, labelNote: lookup.note,
      providers: availableProviders(), provider, ...(providerNote ? { providerNote } : {}),
      dimHints: metadataDimHints(file.model.info.metadata),
    };
  },

  run: async (req) => {
    const { tensors: _t, ...result } = await runModel(req, []);
    return result;
  },

  activations: async (req) => {
    const file = modelFile(req.model);
    const plan = planActivations(file.graph, file.inference, req.values);
    const { tensors, ...result } = await runModel(req, plan.capture);
    const started = performance.now();
    const activations = await summaries(tensors, plan.report, { momentsOnly: true });
    return { ...result, activations, statsMs: performance.now() - started, skipped: plan.skipped };
  },

  page: ({ runId, name, offset, count }) => pageOf(runId, name, offset, count),
  histogram: ({ runId, name }) => histogramOf(runId, name),
  slab: ({ runId, name, leading }) => slabOf(runId, name, leading),
  bench: (req, signal) => benchConfiguration(req, signal),
  profile: (req) => profileModel(req),

  datasetInfo: async ({ model, options, data, labelColumn }) => {
    const { session } = await getSession(model, checkSessionOptions(options, model));
    return datasetInfo(data, labelColumn, sessionSignature(session).inputs);
  },

  datasetSamples: ({ data, samples }, signal) => datasetSamples(data, samples, signal),

  // Evaluation: the logic lives in src/runtime/eval/.
  evaluate: (params, signal, progress) => evaluate(params, signal, progress),

  quantize: (job, signal, progress) => quantizeJob(job, signal, progress),

  explain: (req, signal, progress) => explain(req, signal, progress),
  robust: (params, signal, progress) => robust(params, signal, progress),
  drift: (params, signal, progress) => drift(params, signal, progress),

  diffBehaviour: (params, signal, progress) => diffBehaviour(params, signal, progress),

  save: (params) => ({ files: saveRun(params) }),

  release: async ({ model }) => {
    forgetRuns(model);
    const released = await releaseSessions(model);
    stopLanes(model === undefined ? undefined : path.resolve(model));
    if (model === undefined) forgetDecoded();
    forgetModel(model);
    return { released };
  },
};

// onnxruntime is loaded once, here: where it cannot load (no build for this platform, a missing
// system library) every request gets the one sentence saying so, and the process stays up
// instead of dying on each request.
const unavailable = nativeUnavailable(loadOnnxRuntime);
serveRequests<RuntimeMethods>(unavailable ? refuseAll(handlers, unavailable) : handlers, CONTEXT);

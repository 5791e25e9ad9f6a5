/**
 * The one way the runtime process builds onnxruntime sessions — for run, activations, bench,
 * profile, evaluate and quantize — and the one cache that keeps them: by (path, mtime, size,
 * options, extra outputs, use). Creating one costs from milliseconds to seconds, so a second run,
 * a benchmark, an activation capture or an evaluation of the same model reuses it. The execution
 * provider asked for is used when it starts, the CPU otherwise (executionProviders.ts). The
 * model's external data is checked (core/onnx/externalData.ts) right before every session, cached
 * or not (docs/security.md). Sessions with extra outputs (activations, quantization's per-node
 * comparison) are built from the re-emitted model in memory, external data handed over as bytes;
 * so are sessions of a rewritten copy held in memory (the explainers' sanity check).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { OnnxLensError } from '../../../core/errors';
import { checkModelExternalData, readExternalFile, type ExternalFile } from '../../../core/onnx/externalData';
import { withExtraOutputs } from '../../../core/onnx/write/extraOutputs';
import { notifyParent } from '../../../rpc/childServer';
import type { ExecutionProvider, IoSignature, SessionOptionsSpec } from '../../../shared/runtimeTypes';
import { availableProviders, fallbackSentence, firstNotice, providerMissing } from './executionProviders';
import { modelFile, type ModelFile } from './modelFiles';
import { loadOnnxRuntime } from './onnxruntime';
import { EVAL_SESSION_EXTRA, optionsKey, ortSessionOptions } from './sessionOptions';
import type { ModelInfo } from '../../../core/onnx/types';

export interface CachedSession {
  session: ort.InferenceSession;
  file: ModelFile;
  /** Creation time when this call created it; 0 when it came from the cache. */
  createdMs: number;
  /** The execution provider the session runs on ('cpu' after a fallback). */
  provider: ExecutionProvider;
  /** Why it runs on the CPU instead of the provider asked for, if it does (one sentence). */
  providerNote?: string;
}

type Created = Pick<CachedSession, 'session' | 'provider' | 'providerNote'>;

export interface SessionSignature {
  inputs: IoSignature[];
  outputs: IoSignature[];
}

/** Per session, built once: a session's metadata never changes, and every run request reads it. */
const signatures = new WeakMap<ort.InferenceSession, SessionSignature>();

/** The inputs and outputs as the session declares them (symbolic dims as names). Shared: do not modify. */
export function sessionSignature(session: ort.InferenceSession): SessionSignature {
  let signature = signatures.get(session);
  if (!signature) {
    const io = (metadata: readonly ort.InferenceSession.ValueMetadata[]) =>
      metadata.map((m) => (m.isTensor ? { name: m.name, elemType: m.type, dims: [...m.shape] } : { name: m.name, elemType: 'non-tensor', dims: [] }));
    signature = { inputs: io(session.inputMetadata), outputs: io(session.outputMetadata) };
    signatures.set(session, signature);
  }
  return signature;
}

/**
 * What a session is for. 'evaluation' turns the thread pools' spinning off: ORT's pool threads
 * spin for a while after each run, waiting for the next one, and in an evaluation the dataset
 * worker needs that CPU between runs — on this project's 2-core machines a spinning pool made the
 * worker parse at a third of its speed (sample MLP on a 10k-row CSV: data pass 87 ms with
 * spinning, see bench/eval.bench.ts for the figure without). A bare inference loop loses nothing
 * measurable either way on models whose runs take milliseconds.
 * https://onnxruntime.ai/docs/performance/tune-performance/threading.html
 */
export type SessionUse = 'interactive' | 'evaluation';

const USE_OPTIONS: Record<SessionUse, ort.InferenceSession.SessionOptions> = { interactive: {}, evaluation: EVAL_SESSION_EXTRA };

/**
 * Sessions kept per use: a plain and an activations session of two models each; a model and its
 * comparison model for evaluation. Counted per use, so runs never evict the sessions an
 * evaluation is still running on (nor the other way round).
 */
const MAX_SESSIONS: Record<SessionUse, number> = { interactive: 4, evaluation: 2 };
const cache = new Map<string, Created & { path: string; use: SessionUse }>();

/** The model a session is built from: its file, and what the reader found in it (for the external-data check). */
export interface SessionModel {
  path: string;
  info: ModelInfo;
}

/**
 * ORT's messages carry C++ detail: an error-code prefix, "Non-zero status code returned while
 * running X node. Name:'n' Status Message: /onnxruntime_src/…/file.h:91 Class::Method(args) cond was
 * false. The sentence that matters." Keep the node and the sentence that matters.
 */
export function ortMessage(err: unknown): string {
  let text = String((err as Error)?.message ?? err).split('\n')[0].replace(/^\[ONNXRuntimeError\] : \d+ : \w+ : /, '').trim();
  const running = /^Non-zero status code returned while running (\S+) node\. Name:'([^']*)' Status Message: (.*)$/.exec(text);
  if (running) {
    const detail = running[3].replace(/^\S*onnxruntime\S*:\d+ .*?\)( const)? /, '').replace(/^.*? was false\. /, '');
    text = `${running[1]} node '${running[2]}': ${detail}`;
  }
  return text.replace(/^\S*onnxruntime\S*:\d+ .*?\)( const)? /, '');
}

async function createOn(file: SessionModel, externalFiles: Map<string, ExternalFile>, spec: SessionOptionsSpec, extraOutputs: readonly string[], extra: ort.InferenceSession.SessionOptions, provider: ExecutionProvider, rewritten?: Uint8Array): Promise<ort.InferenceSession> {
  const ortModule = loadOnnxRuntime();
  if (extraOutputs.length === 0 && !rewritten) return await ortModule.InferenceSession.create(file.path, ortSessionOptions(spec, extra, provider));
  const bytes = rewritten ?? withExtraOutputs(await fs.promises.readFile(file.path), extraOutputs, file.path);
  // onnxruntime-node takes external data for an in-memory model only as bytes (a path is refused).
  const externalData = [...externalFiles].map(([location, f]) => ({ path: location, data: readExternalFile(file.path, f) }));
  // Keeping every value alive defeats ORT's memory-pattern planning; without it a ResNet-50
  // capture of all values ran 2.4x the plain run instead of 2.8x (measured here).
  return await ortModule.InferenceSession.create(bytes, ortSessionOptions(spec, { enableMemPattern: false, ...extra, ...(externalData.length ? { externalData } : {}) }, provider));
}

/**
 * A session on the provider asked for, or on the CPU when this build lacks it or it fails to
 * start; the fallback's sentence is sent to the parent once (src/runtime/child/ort/executionProviders.ts).
 */
export async function createSession(file: SessionModel, spec: SessionOptionsSpec, extraOutputs: readonly string[], extra: ort.InferenceSession.SessionOptions, rewritten?: Uint8Array): Promise<Created> {
  // Checked again right before onnxruntime opens the model: it reads the same locations itself,
  // and a data file may have changed (say, into a link out of the folder) since the model was read.
  const externalFiles = checkModelExternalData(file.path, path.dirname(file.path), file.info);
  const asked = spec.executionProvider ?? 'cpu';
  const onCpu = async (providerNote?: string): Promise<Created> => {
    try {
      const session = await createOn(file, externalFiles, spec, extraOutputs, extra, 'cpu', rewritten);
      if (providerNote && firstNotice(providerNote)) notifyParent(providerNote);
      return { session, provider: 'cpu', ...(providerNote ? { providerNote } : {}) };
    } catch (err) {
      throw new OnnxLensError(file.path, `could not be loaded by onnxruntime: ${ortMessage(err)}`);
    }
  };
  if (asked === 'cpu') return onCpu();
  const missing = providerMissing(asked, availableProviders());
  if (missing) return onCpu(fallbackSentence(file.path, asked, missing));
  try {
    return { session: await createOn(file, externalFiles, spec, extraOutputs, extra, asked, rewritten), provider: asked };
  } catch (err) {
    return onCpu(fallbackSentence(file.path, asked, `failed to start (${ortMessage(err)})`));
  }
}

function sessionModel(file: ModelFile): SessionModel {
  return { path: file.path, info: file.model.info };
}

export async function getSession(modelPath: string, spec: SessionOptionsSpec, extraOutputs: readonly string[] = [], use: SessionUse = 'interactive'): Promise<CachedSession> {
  const file = modelFile(modelPath);
  const version = `${file.path}|${file.mtimeMs}|${file.size}|`;
  const key = `${version}${optionsKey(spec)}|${use}|${extraOutputs.join('\u0000')}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // re-insert: Map order is the LRU order
    cache.set(key, hit);
    return { session: hit.session, provider: hit.provider, ...(hit.providerNote ? { providerNote: hit.providerNote } : {}), file, createdMs: 0 };
  }
  // A changed file makes its older sessions of this use useless.
  for (const [k, old] of [...cache]) {
    if (old.path === file.path && old.use === use && !k.startsWith(version)) {
      cache.delete(k);
      void old.session.release();
    }
  }
  const started = performance.now();
  const created = await createSession(sessionModel(file), spec, extraOutputs, USE_OPTIONS[use]);
  const createdMs = performance.now() - started;
  cache.set(key, { ...created, path: file.path, use });
  const sameUse = [...cache].filter(([, s]) => s.use === use); // oldest first
  for (const [oldest, s] of sameUse.slice(0, Math.max(0, sameUse.length - MAX_SESSIONS[use]))) {
    cache.delete(oldest);
    void s.session.release();
  }
  return { ...created, file, createdMs };
}

/** A fresh, uncached session (profiling sessions end with endProfiling and cannot be reused). */
export async function freshSession(
  modelPath: string,
  spec: SessionOptionsSpec,
  extra: ort.InferenceSession.SessionOptions,
  /** Options that depend on the file (its size, its external data). */
  more: (file: ModelFile) => ort.InferenceSession.SessionOptions = () => ({}),
): Promise<CachedSession> {
  const file = modelFile(modelPath);
  const started = performance.now();
  const created = await createSession(sessionModel(file), spec, [], { ...extra, ...more(file) });
  return { ...created, file, createdMs: performance.now() - started };
}

/** Releases cached sessions of one model (or all); returns how many. */
export async function releaseSessions(modelPath?: string): Promise<number> {
  let released = 0;
  for (const [key, created] of [...cache]) {
    if (modelPath === undefined || created.path === path.resolve(modelPath)) {
      cache.delete(key);
      await created.session.release();
      released++;
    }
  }
  return released;
}

/**
 * ORT sessions cached by (path, mtime, size, options, extra outputs): creating one costs from
 * milliseconds to seconds, so a second run, a benchmark or an activation capture on the same
 * model reuses it. The execution provider asked for is used when it starts, the CPU otherwise
 * (executionProviders.ts). Sessions with extra outputs (activations) are built from the re-emitted model
 * in memory; external data is then handed to ORT by absolute path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { loadOnnxRuntime } from '../../core/nativeModules';
import { OnnxLensError } from '../../core/errors';
import { checkModelExternalData, readExternalFile, type ExternalFile } from '../../core/onnx/externalData';
import { withExtraOutputs } from '../../core/onnx/write/extraOutputs';
import { notifyParent } from '../../rpc/childServer';
import type { ExecutionProvider, IoSignature, SessionOptionsSpec } from '../../shared/runtimeTypes';
import { availableProviders, fallbackSentence, firstNotice, providerMissing } from './executionProviders';
import { modelFile, type ModelFile } from './modelFiles';
import { optionsKey, ortSessionOptions } from './sessionOptions';

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

/** Enough for a plain and an activations session of two models each. */
const MAX_SESSIONS = 4;
const cache = new Map<string, Created>();

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

async function createOn(file: ModelFile, externalFiles: Map<string, ExternalFile>, spec: SessionOptionsSpec, extraOutputs: readonly string[], extra: ort.InferenceSession.SessionOptions, provider: ExecutionProvider): Promise<ort.InferenceSession> {
  const ortModule = loadOnnxRuntime();
  if (extraOutputs.length === 0) return await ortModule.InferenceSession.create(file.path, ortSessionOptions(spec, extra, provider));
  const bytes = withExtraOutputs(await fs.promises.readFile(file.path), extraOutputs, file.path);
  // onnxruntime-node takes external data for an in-memory model only as bytes (a path is refused).
  const externalData = [...externalFiles].map(([location, f]) => ({ path: location, data: readExternalFile(file.path, f) }));
  // Keeping every value alive defeats ORT's memory-pattern planning; without it a ResNet-50
  // capture of all values ran 2.4x the plain run instead of 2.8x (measured here).
  return await ortModule.InferenceSession.create(bytes, ortSessionOptions(spec, { enableMemPattern: false, ...extra, ...(externalData.length ? { externalData } : {}) }, provider));
}

/**
 * A session on the provider asked for, or on the CPU when this build lacks it or it fails to
 * start; the fallback's sentence is sent to the parent once (src/runtime/ort/executionProviders.ts).
 */
async function create(file: ModelFile, spec: SessionOptionsSpec, extraOutputs: readonly string[], extra: ort.InferenceSession.SessionOptions): Promise<Created> {
  // Checked again right before onnxruntime opens the model: it reads the same locations itself,
  // and a data file may have changed (say, into a link out of the folder) since the model was read.
  const externalFiles = checkModelExternalData(file.path, path.dirname(file.path), file.model.info);
  const asked = spec.executionProvider ?? 'cpu';
  const onCpu = async (providerNote?: string): Promise<Created> => {
    try {
      const session = await createOn(file, externalFiles, spec, extraOutputs, extra, 'cpu');
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
    return { session: await createOn(file, externalFiles, spec, extraOutputs, extra, asked), provider: asked };
  } catch (err) {
    return onCpu(fallbackSentence(file.path, asked, `failed to start (${ortMessage(err)})`));
  }
}

export async function getSession(modelPath: string, spec: SessionOptionsSpec, extraOutputs: readonly string[] = []): Promise<CachedSession> {
  const file = modelFile(modelPath);
  const key = `${file.path}|${file.mtimeMs}|${file.size}|${optionsKey(spec)}|${extraOutputs.join('\u0000')}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // re-insert: Map order is the LRU order
    cache.set(key, hit);
    return { ...hit, file, createdMs: 0 };
  }
  const started = performance.now();
  const created = await create(file, spec, extraOutputs, {});
  const createdMs = performance.now() - started;
  cache.set(key, created);
  while (cache.size > MAX_SESSIONS) {
    const [oldest, s] = cache.entries().next().value as [string, Created];
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
  const created = await create(file, spec, [], { ...extra, ...more(file) });
  return { ...created, file, createdMs: performance.now() - started };
}

/** Releases cached sessions of one model (or all); returns how many. */
export async function releaseSessions(modelPath?: string): Promise<number> {
  let released = 0;
  for (const [key, created] of [...cache]) {
    if (modelPath === undefined || key.startsWith(`${path.resolve(modelPath)}|`)) {
      cache.delete(key);
      await created.session.release();
      released++;
    }
  }
  return released;
}

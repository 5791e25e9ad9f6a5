/**
 * ORT sessions for evaluation: like the runtime's cached sessions (same options spec, same
 * model-file checks), but with the intra-op thread pool's spinning turned off.
 *
 * Why: ORT's pool threads spin for a while after each run, waiting for the next one. In an
 * evaluation the dataset worker needs that CPU between runs; on this project's 2-core machines a
 * spinning pool made the worker parse at a third of its speed (sample MLP on a 10k-row CSV: data
 * pass 87 ms with spinning, see bench/eval.bench.ts for the figure without). A bare inference loop
 * loses nothing measurable either way on models whose runs take milliseconds.
 * https://onnxruntime.ai/docs/performance/tune-performance/threading.html
 */
import type * as ort from 'onnxruntime-node';
import { freshSession, type CachedSession } from '../ort/sessions';
import { modelFile } from '../ort/modelFiles';
import { optionsKey } from '../ort/sessionOptions';
import type { SessionOptionsSpec } from '../../shared/runtimeTypes';

/** The ORT config entries evaluation sessions add to the user's options. */
export const EVAL_SESSION_EXTRA: ort.InferenceSession.SessionOptions = {
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
};

/** A model and its comparison model. */
const MAX_SESSIONS = 2;
const cache = new Map<string, { path: string; session: ort.InferenceSession; provider: CachedSession['provider']; providerNote?: string }>();

export async function evalSession(model: string, spec: SessionOptionsSpec): Promise<CachedSession> {
  const file = modelFile(model);
  const key = `${file.path}|${file.mtimeMs}|${file.size}|${optionsKey(spec)}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // re-insert: Map order is the LRU order
    cache.set(key, hit);
    return { session: hit.session, file, createdMs: 0, provider: hit.provider, ...(hit.providerNote ? { providerNote: hit.providerNote } : {}) };
  }
  // A changed file makes its older sessions useless.
  for (const [k, v] of [...cache]) {
    if (v.path === file.path) {
      cache.delete(k);
      void v.session.release();
    }
  }
  const created = await freshSession(model, spec, EVAL_SESSION_EXTRA);
  cache.set(key, { path: file.path, session: created.session, provider: created.provider, providerNote: created.providerNote });
  while (cache.size > MAX_SESSIONS) {
    const [oldest, v] = cache.entries().next().value as [string, { session: ort.InferenceSession }];
    cache.delete(oldest);
    void v.session.release();
  }
  return created;
}

/** Releases evaluation sessions of one model (absolute path) or all; returns how many. */
export async function releaseEvalSessions(modelPath?: string): Promise<number> {
  let released = 0;
  for (const [k, v] of [...cache]) {
    if (modelPath === undefined || v.path === modelPath) {
      cache.delete(k);
      await v.session.release();
      released++;
    }
  }
  return released;
}

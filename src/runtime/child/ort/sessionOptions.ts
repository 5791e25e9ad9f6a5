/** SessionOptionsSpec → onnxruntime-node options, and the string that keys the session cache. */
import * as path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { OnnxLensError } from '../../../core/errors';
import { EXECUTION_PROVIDERS, ORT_LOG_LEVELS, type ExecutionProvider, type OrtLogLevel, type SessionOptionsSpec } from '../../../shared/runtimeTypes';

/** onnxruntime's severity numbers for its log levels (0 verbose … 4 fatal). */
const SEVERITY: Record<OrtLogLevel, 0 | 1 | 2 | 3 | 4> = { verbose: 0, info: 1, warning: 2, error: 3, fatal: 4 };

/** The options for a session on `provider` (the one asked for, or 'cpu' after a fallback). */
export function ortSessionOptions(spec: SessionOptionsSpec, extra: InferenceSession.SessionOptions = {}, provider: ExecutionProvider = 'cpu'): InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: spec.graphOptimization,
    executionMode: spec.executionMode,
    ...(spec.intraOpThreads > 0 ? { intraOpNumThreads: spec.intraOpThreads } : {}),
    ...(spec.interOpThreads > 0 ? { interOpNumThreads: spec.interOpThreads } : {}),
    // ORT's own log lines (warnings such as "Removing initializer ... not used", and errors it
    // also throws) go to stderr: quiet unless asked for (the editor asks when its log level is
    // Debug or Trace and shows them in its log); every error reaches the user through the thrown message.
    logSeverityLevel: SEVERITY[spec.ortLogLevel ?? 'fatal'],
    ...extra,
  };
}

/**
 * The ORT config entries evaluation sessions add to the user's options: pool threads that do not
 * spin between runs (why: `SessionUse` in sessions.ts). Here, not there, because the evaluation's
 * inference lanes (eval/laneWorker.ts) build their sessions with it too.
 */
export const EVAL_SESSION_EXTRA: InferenceSession.SessionOptions = {
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
};

export function optionsKey(spec: SessionOptionsSpec): string {
  return `${spec.intraOpThreads}/${spec.interOpThreads}/${spec.graphOptimization}/${spec.executionMode}/${spec.executionProvider ?? 'cpu'}/${spec.ortLogLevel ?? 'fatal'}`;
}

/** Validates options that came over IPC or from the CLI; throws one sentence naming the model on a bad value. */
export function checkSessionOptions(spec: SessionOptionsSpec, model: string): SessionOptionsSpec {
  const fail = (reason: string): never => {
    throw new OnnxLensError(path.basename(model), `cannot run with these session options: ${reason}`);
  };
  const threads = (n: number, what: string) => {
    if (!Number.isInteger(n) || n < 0 || n > 256) fail(`${what} must be a whole number from 0 (onnxruntime's choice) to 256, not ${n}.`);
  };
  threads(spec.intraOpThreads, 'intra-op threads');
  threads(spec.interOpThreads, 'inter-op threads');
  if (!['disabled', 'basic', 'extended', 'all'].includes(spec.graphOptimization)) fail(`unknown graph optimisation level '${spec.graphOptimization}'.`);
  if (!['sequential', 'parallel'].includes(spec.executionMode)) fail(`unknown execution mode '${spec.executionMode}'.`);
  if (spec.executionProvider !== undefined && !(EXECUTION_PROVIDERS as readonly string[]).includes(spec.executionProvider)) {
    fail(`unknown execution provider '${spec.executionProvider}' (known: ${EXECUTION_PROVIDERS.join(', ')}).`);
  }
  if (spec.ortLogLevel !== undefined && !(ORT_LOG_LEVELS as readonly string[]).includes(spec.ortLogLevel)) fail(`unknown log level '${spec.ortLogLevel}'.`);
  return spec;
}

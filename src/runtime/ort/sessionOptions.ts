/** SessionOptionsSpec → onnxruntime-node options, and the string that keys the session cache. */
import * as path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { OnnxLensError } from '../../core/errors';
import type { SessionOptionsSpec } from '../types';

export function ortSessionOptions(spec: SessionOptionsSpec, extra: InferenceSession.SessionOptions = {}): InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: spec.graphOptimization,
    executionMode: spec.executionMode,
    ...(spec.intraOpThreads > 0 ? { intraOpNumThreads: spec.intraOpThreads } : {}),
    ...(spec.interOpThreads > 0 ? { interOpNumThreads: spec.interOpThreads } : {}),
    // ORT's own log lines (warnings such as "Removing initializer ... not used", and errors it
    // also throws) would go to stderr; every error reaches the user through the thrown message.
    logSeverityLevel: 4,
    ...extra,
  };
}

export function optionsKey(spec: SessionOptionsSpec): string {
  return `${spec.intraOpThreads}/${spec.interOpThreads}/${spec.graphOptimization}/${spec.executionMode}`;
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
  return spec;
}

/**
 * The ModelRunner quantization measures through (calibration, the sensitivity scan, the per-node
 * comparison: src/core/quantize/runner.ts), on the runtime process's sessions (sessions.ts): the
 * same external-data checks, the same tensor conversions (feeds.ts). Sessions are not cached: a
 * mixed-precision scan opens a temporary model per candidate layer, and each is closed after use.
 * Only float values are ever asked for as extra outputs (the quantizer's choice): an int4 graph
 * output aborts onnxruntime's Node binding.
 */
import { readModelFile } from '../../../core/onnx/reader';
import type { Feeds, ModelRunner, RunnerSession } from '../../../core/quantize/runner';
import type { NdArray } from '../../../core/data/ndarray';
import { DEFAULT_SESSION_OPTIONS, type SessionOptionsSpec } from '../../../shared/runtimeTypes';
import { fromOrtTensor, toFeeds } from './feeds';
import { createSession, type SessionModel } from './sessions';

/** The model's graph outputs, and what the external-data check needs, read with the project's reader. */
function readSessionModel(file: string): SessionModel & { outputs: string[] } {
  const model = readModelFile(file);
  try {
    return { path: model.file, info: model.info, outputs: model.info.graph.outputs.map((o) => o.name) };
  } finally {
    model.close();
  }
}

export function createModelRunner(spec: SessionOptionsSpec = DEFAULT_SESSION_OPTIONS): ModelRunner {
  return {
    async open(file: string, extraOutputs: readonly string[] = []): Promise<RunnerSession> {
      const model = readSessionModel(file);
      const extra = [...new Set(extraOutputs)].filter((v) => !model.outputs.includes(v));
      const { session } = await createSession(model, spec, extra, {});
      return {
        graphOutputs: model.outputs,
        outputNames: session.outputNames,
        async run(feeds: Feeds) {
          const out = await session.run(toFeeds(feeds));
          const result = new Map<string, NdArray>();
          for (const [name, t] of Object.entries(out)) {
            result.set(name, fromOrtTensor(t));
            t.dispose?.();
          }
          return result;
        },
        close: () => session.release(),
      };
    },
  };
}

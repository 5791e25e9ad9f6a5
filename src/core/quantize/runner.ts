/**
 * What calibration, the sensitivity scan and the per-node comparison need from an inference
 * engine: open a model file with some extra values exposed as outputs, and run it on feeds. The
 * quantize core depends only on this interface; the runtime process implements it with its
 * onnxruntime sessions (src/runtime/child/ort/modelRunner.ts).
 */
import type { NdArray } from '../data/ndarray';

export type Feeds = Map<string, NdArray>;

export interface RunnerSession {
  /** The model's own graph outputs. */
  readonly graphOutputs: readonly string[];
  /** Graph outputs followed by the extra values asked for (those that are not graph outputs already). */
  readonly outputNames: readonly string[];
  run(feeds: Feeds): Promise<Map<string, NdArray>>;
  close(): Promise<void>;
}

export interface ModelRunner {
  /** Opens a model file; `extraOutputs` (intermediate values, never int4) are returned by `run` as well. */
  open(file: string, extraOutputs?: readonly string[]): Promise<RunnerSession>;
}

/** Float values of an output as numbers (float16 arrays are already decoded to Float32Array). */
export function floatData(a: NdArray): Float32Array | Float64Array | null {
  return a.data instanceof Float32Array || a.data instanceof Float64Array ? a.data : null;
}

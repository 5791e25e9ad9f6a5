/**
 * Messages between an evaluation pass (the runtime process's main thread) and one of its inference
 * lanes (laneWorker.ts): a worker_thread holding its own session of every model of the pass, which
 * runs whole batches beside the main thread's: the types, and the transfer list both sides send a
 * batch's arrays with. Why lanes: lanes.ts.
 */
import type { SessionOptionsSpec } from '../../../shared/runtimeTypes';
import type { RuntimeTensor } from '../ort/tensorSummary';
import type { FeedArray } from './workerMessages';

export interface LaneModel {
  /** Absolute path; the main thread has checked the file and its external data (sessions.ts). */
  path: string;
  options: SessionOptionsSpec;
  /** The output the pass reads. */
  fetch: string;
}

export type MainToLane =
  | { kind: 'open'; models: LaneModel[] }
  /** One batch for every model; the input buffers are transferred and come back with the answer. */
  | { kind: 'run'; seq: number; inputs: FeedArray[] };

export type LaneToMain =
  | { kind: 'ready' }
  | { kind: 'openFailed'; message: string }
  /** Per model, its output; `inputs`: the batch's arrays, handed back. */
  | { kind: 'ran'; seq: number; inputs: FeedArray[]; outputs: RuntimeTensor[] }
  /** `model`: the index of the model whose run failed; `message`: ORT's, as thrown. */
  | { kind: 'runFailed'; seq: number; inputs: FeedArray[]; model: number; message: string };

/** A batch's input buffers, each once (inputs may share one), to transfer with the message that carries them. */
export function inputBuffers(inputs: readonly FeedArray[]): ArrayBuffer[] {
  return [...new Set(inputs.map((i) => i.data.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/**
 * Messages between the analysis process's main thread (which answers the host) and its model
 * threads (src/analysisProcess/modelThread.ts), each of which holds one open model.
 */
import type { AnalysisMethods } from './methods';
import type { ModelSummary, ViewSummary } from '../shared/modelSummary';
import type { OpenTimeline } from '../shared/openTimeline';
import type { BinaryPage, NodeDetails, TensorStats } from '../shared/protocol';

/** Where a model comes from: a file (read lazily), or bytes the host read (a `git:` or virtual file). */
export type ModelSource =
  | { file: string }
  | { bytes: Uint8Array; name: string; displayPath: string };

/**
 * What a model thread does. `hostNow` is the host's clock as the main thread reckons it when it
 * hands the job over (src/shared/openTimeline.ts), so the thread's marks are on the host's clock.
 */
export type ThreadMethods = {
  /** Reads the model, builds its graph and structure (stored in the graph cache under `key`) and keeps it. */
  /** A model read now sends its first view laid out (src/core/graphLayout/firstView.ts's text) ahead of the answer. */
  open: { params: { source: ModelSource; name: string; key: string; hostNow: number }; result: { graphFile: string; timeline: OpenTimeline } };
  /** Keeps a model whose structure came from the graph cache; it is read on the first request that needs it. */
  adopt: { params: { source: ModelSource }; result: null };
  details: { params: { hostNow: number }; result: { summary: ViewSummary; details: Uint8Array; timeline: OpenTimeline } };
  nodeDetails: { params: { node: number }; result: NodeDetails };
  tensorStats: { params: { value: string }; result: TensorStats };
  tensorPage: { params: { value: string; offset: number; count: number }; result: BinaryPage };
  /** The structural diff of this thread's model (a) against `other` (b), read here for the purpose and closed after. */
  diff: { params: { other: ModelSource; labels: [string, string]; version: string; hashes: [string, string] }; result: AnalysisMethods['diff']['result'] };
  /** Forgets the model (the thread may serve another one). */
  close: { params: Record<string, never>; result: null };
  /** Reads, summarises and closes a model file, keeping nothing (hovers). */
  summarize: { params: { file: string }; result: ModelSummary };
};

export type ThreadMethod = keyof ThreadMethods;

export interface ThreadJob {
  job: number;
  method: ThreadMethod;
  params: unknown;
}

/** An error thrown in the thread, flat enough to cross it; an OnnxLensError keeps its file and reason. */
export interface ThreadError {
  message: string;
  file?: string;
  reason?: string;
}

/**
 * `keptLower`: the thread runs below its priority since shape inference and could not set it back
 * (src/rpc/threadPriority.ts); it must not serve another model's open.
 */
export type ThreadReply =
  | { job: number; result: unknown; keptLower?: true }
  | { job: number; error: ThreadError; keptLower?: true }
  /** Part of the answer, ahead of it (the job is still running). */
  | { job: number; ahead: string };

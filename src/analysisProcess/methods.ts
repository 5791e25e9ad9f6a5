/**
 * What the analysis process serves: models opened by file, then asked about by id. The graph
 * travels as encoded bytes (src/shared/payloadCodec.ts): its structure through a file, its
 * details as one Uint8Array (raw bytes on the pipe to the child: src/rpc/frameChannel.ts), never as millions of values.
 */
import type { ModelSummary, ViewSummary } from '../shared/modelSummary';
import type { OpenTimeline } from '../shared/openTimeline';
import type { BinaryPage, NodeDetails, TensorStats } from '../shared/protocol';
import type { EditorDiff } from '../core/diff/editorDiff';

export interface OpenResult {
  id: number;
  graphFile: string;
  timeline: OpenTimeline;
}

export type AnalysisMethods = {
  /**
   * Reads a model, builds its graph and keeps it open (lazily) under the returned id. Answers as
   * soon as the graph's structure is built, with the file that holds it encoded (encodeGraphPayload,
   * in the graph cache: src/analysisProcess/graphCache.ts); shape inference waits for `details`.
   * A model read now (not from the cache) sends its default first view laid out ahead of the
   * answer, as soon as it is (a progress report's `ahead`: src/core/graphLayout/firstView.ts's text).
   */
  open: { params: { file: string; name: string; hostNow?: number }; result: OpenResult };
  /** The summary and the payload's details (encodeGraphDetails) of an open model. */
  details: { params: { id: number }; result: { summary: ViewSummary; details: Uint8Array; timeline: OpenTimeline } };
  /**
   * The same for a model's bytes (a `git:` or virtual file the host read, src/extension/nonFileModel.ts);
   * `displayPath` names it in the summary. External data cannot be resolved: there is no folder.
   */
  openBytes: { params: { bytes: Uint8Array; name: string; displayPath: string; hostNow?: number }; result: OpenResult };
  nodeDetails: { params: { id: number; node: number }; result: NodeDetails };
  tensorStats: { params: { id: number; value: string }; result: TensorStats };
  tensorPage: { params: { id: number; value: string; offset: number; count: number }; result: BinaryPage };
  close: { params: { id: number }; result: { closed: boolean } };
  /**
   * The structural diff of two open models (core/diff/): the report, each node's state for the
   * diff editor's colours and the pairing; `plan` is what a behaviour run would compare;
   * `overlay` the union of both graphs (core/diff/union.ts) as an encoded graph payload.
   */
  diff: { params: { a: number; b: number; labels: [string, string]; version: string }; result: EditorDiff };
  /** Reads, summarises and closes a model (hovers). */
  summarize: { params: { file: string }; result: ModelSummary };
};

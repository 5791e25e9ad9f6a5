/**
 * What the analysis process serves: models opened by file, then asked about by id. Typed arrays
 * in the payload and pages cross the process boundary intact (advanced IPC serialization).
 */
import type { ModelSummary } from '../core/summary/types';
import type { GraphPayload } from '../shared/graphPayload';
import type { BinaryPage, NodeDetails, TensorStats } from '../shared/protocol';

export type AnalysisMethods = {
  /** Reads and analyses a model and keeps it open (lazily) under the returned id. */
  open: { params: { file: string; name: string }; result: { id: number; summary: ModelSummary; payload: GraphPayload } };
  /**
   * The same for a model's bytes (a `git:` or virtual file the host read, src/extension/nonFileModel.ts);
   * `displayPath` names it in the summary. External data cannot be resolved: there is no folder.
   */
  openBytes: { params: { bytes: Uint8Array; name: string; displayPath: string }; result: { id: number; summary: ModelSummary; payload: GraphPayload } };
  nodeDetails: { params: { id: number; node: number }; result: NodeDetails };
  tensorStats: { params: { id: number; value: string }; result: TensorStats };
  tensorPage: { params: { id: number; value: string; offset: number; count: number }; result: BinaryPage };
  close: { params: { id: number }; result: { closed: boolean } };
  /** Reads, summarises and closes a model (hovers). */
  summarize: { params: { file: string }; result: ModelSummary };
};

import type { ModelAnalysis } from '../core/analysis';
import { nodeDetails } from '../core/nodeDetails';
import { readStoredValues, storedTensorStats, tensorPage, type StoredValues } from '../core/tensorStats';
import type { ModelSummary } from '../core/summary/types';
import type { GraphPayload } from '../shared/graphPayload';
import type { BinaryPage, NodeDetails, TensorStats } from '../shared/protocol';

/**
 * A model kept open while editors show it: the analysis (lazy OnnxModel, Graph, inference) and
 * the graph payload, so node details and tensor values can be read on demand. `close()`
 * releases the file; the owning ModelDocument calls it on reload and dispose.
 */
export class LoadedModel {
  private readonly valueIds: ReadonlyMap<string, number>;
  /** The tensor paged last: a details panel pages one tensor at a time, so one entry is enough. */
  private lastTensor: StoredValues | undefined;
  private closed = false;

  constructor(
    readonly analysis: ModelAnalysis,
    readonly payload: GraphPayload,
  ) {
    this.valueIds = new Map(payload.valueNames.map((name, i) => [name, i]));
  }

  get summary(): ModelSummary {
    return this.analysis.summary;
  }

  nodeDetails(node: number): NodeDetails {
    this.checkOpen();
    return nodeDetails(this.analysis, node, this.valueIds);
  }

  tensorStats(value: string): Promise<TensorStats> {
    return storedTensorStats(this.stored(value));
  }

  tensorPage(value: string, offset: number, count: number): BinaryPage {
    return tensorPage(this.stored(value), offset, count);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lastTensor = undefined;
    this.analysis.model.close();
  }

  private stored(value: string): StoredValues {
    this.checkOpen();
    if (this.lastTensor?.name !== value) {
      this.lastTensor = undefined;
      this.lastTensor = readStoredValues(this.analysis.model, this.analysis.graph, value);
    }
    return this.lastTensor;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the model was reloaded or closed; ask again.');
  }
}

import { inferModelShapes, type ModelAnalysis } from '../core/modelAnalysis';
import { buildGraph } from '../core/graph/build';
import { graphDetails, payloadValueNames } from '../core/graph/payload';
import type { Graph } from '../core/graph/types';
import { nodeDetails } from '../core/nodeDetails';
import type { OnnxModel } from '../core/onnx/reader';
import { summarize } from '../core/summary/summarize';
import type { ViewSummary } from '../shared/modelSummary';
import { readStoredValues, storedTensorStats, tensorPage, type StoredValues } from '../core/tensorStats';
import { clockNow } from '../shared/openTimeline';
import { encodeGraphDetails } from '../shared/payloadCodec';
import type { BinaryPage, NodeDetails, TensorStats } from '../shared/protocol';

/** What shape inference adds once the graph is on screen: the summary and the payload's details, encoded. */
export interface ModelDetails {
  summary: ViewSummary;
  details: Uint8Array;
}

/**
 * A model kept open while editors show it: the lazily read model and its graph, from which the
 * structure payload was sent first; shape inference and the summary follow (`analysis()`, on the
 * first request that needs them: `details`, which the host sends once the graph is drawn). A model whose
 * structure came from the graph cache is read only then. Node details and tensor values are read
 * on demand. `close()` releases the file; the owning ModelDocument calls it on reload and dispose.
 */
export class LoadedModel {
  private opened: { model: OnnxModel; graph: Graph } | undefined;
  /** The payload's value order, by name: built when details or node details first need it, not before the first frame. */
  private values: { names: readonly string[]; ids: ReadonlyMap<string, number> } | undefined;
  private analysed: ModelAnalysis | undefined;
  private encodedDetails: ModelDetails | undefined;
  /** When the details were ready (shared clock, src/shared/openTimeline.ts). */
  detailsAt: number | undefined;
  /** The tensor paged last: a details panel pages one tensor at a time, so one entry is enough. */
  private lastTensor: StoredValues | undefined;
  private closed = false;

  /**
   * `label` names the model in errors, `displayPath` in the summary; `reopen` reads it (again);
   * `read`: the model and graph already built (a fresh open); without it they are read on first need.
   */
  constructor(
    readonly label: string,
    private readonly displayPath: string,
    private readonly reopen: () => OnnxModel,
    read?: { model: OnnxModel; graph: Graph },
  ) {
    this.opened = read;
  }

  private valueOrder(): NonNullable<LoadedModel['values']> {
    if (!this.values) {
      const names = payloadValueNames(this.read().graph);
      this.values = { names, ids: new Map(names.map((name, i) => [name, i])) };
    }
    return this.values;
  }

  private read(): NonNullable<LoadedModel['opened']> {
    this.checkOpen();
    if (!this.opened) {
      const model = this.reopen();
      try {
        this.opened = { model, graph: buildGraph(model.info.graph) };
      } catch (err) {
        model.close();
        throw err;
      }
    }
    return this.opened!;
  }

  /** Shape inference and summary, computed once. */
  analysis(): ModelAnalysis {
    const { model, graph } = this.read();
    if (!this.analysed) {
      const inference = inferModelShapes(model, graph);
      this.analysed = { model, graph, inference, summary: summarize(model, this.displayPath, graph, inference) };
    }
    return this.analysed;
  }

  /** The summary (without the per-value list: the details carry types and shapes) and the encoded details. */
  details(): ModelDetails {
    if (!this.encodedDetails) {
      const { graph, inference, summary } = this.analysis();
      const { values: _values, ...viewSummary } = summary;
      this.encodedDetails = { summary: viewSummary, details: new Uint8Array(encodeGraphDetails(graphDetails(graph, inference, this.valueOrder().names))) };
      this.detailsAt = clockNow();
    }
    return this.encodedDetails;
  }

  nodeDetails(node: number): NodeDetails {
    return nodeDetails(this.analysis(), node, this.valueOrder().ids);
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
    this.opened?.model.close();
  }

  private stored(value: string): StoredValues {
    this.checkOpen();
    if (this.lastTensor?.name !== value) {
      this.lastTensor = undefined;
      const { model, graph } = this.read();
      this.lastTensor = readStoredValues(model, graph, value);
    }
    return this.lastTensor;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the model was reloaded or closed; ask again.');
  }
}

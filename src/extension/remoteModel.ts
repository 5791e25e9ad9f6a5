/**
 * A model open in the analysis process, as the host sees it: the graph's structure came with the
 * open (packed bytes, forwarded to webviews untouched, unpacked and decoded here only when a command needs
 * node names); the summary and the graph's details follow from `details()`; node details,
 * statistics and tensor pages are asked for by id.
 */
import * as zlib from 'node:zlib';
import type { AnalysisMethods } from '../analysisProcess/methods';
import type { ViewSummary } from '../shared/modelSummary';
import type { ChildClient } from '../rpc/childClient';
import type { GraphPayload } from '../shared/graphPayload';
import type { OpenTimeline } from '../shared/openTimeline';
import { applyGraphDetails, decodeGraphDetails, decodeGraphPayload } from '../shared/payloadCodec';
import type { BinaryPage, NodeDetails, TensorStats } from '../shared/protocol';
import { ownBuffer } from '../host/ownBuffer';

export interface RemoteDetails {
  summary: ViewSummary;
  /** encodeGraphDetails bytes, for the webviews. */
  details: ArrayBuffer;
  timeline: OpenTimeline;
}

export class RemoteModel {
  private closed = false;
  private decoded: GraphPayload | undefined;
  private detailsRequest: Promise<RemoteDetails> | undefined;
  private received: RemoteDetails | undefined;

  constructor(
    private readonly client: ChildClient<AnalysisMethods>,
    readonly id: number,
    /** The analysis process this id belongs to; after a restart the id means nothing. */
    private readonly generation: number,
    /**
     * The graph's structure packed for the model's webviews (GraphMessage in src/shared/protocol.ts):
     * the host keeps only this, a fifth of the encodeGraphPayload bytes, and unpacks on demand.
     */
    readonly packedGraph: ArrayBuffer,
    /** When each step of reading and analysing this model ended (the host's and the analysis process's marks). */
    readonly timeline: OpenTimeline,
  ) {}

  /** The summary, once `details()` has answered. */
  get summary(): ViewSummary | undefined {
    return this.received?.summary;
  }

  /** The graph's structure, encodeGraphPayload bytes, inflated at each call (the diff page takes them unpacked). */
  unpackedGraph(): ArrayBuffer {
    return ownBuffer(zlib.inflateRawSync(this.packedGraph));
  }

  /** The graph payload, decoded on first use (with the details once they have arrived). */
  get payload(): GraphPayload {
    if (!this.decoded) {
      this.decoded = decodeGraphPayload(this.unpackedGraph());
      if (this.received) applyGraphDetails(this.decoded, decodeGraphDetails(this.received.details));
    }
    return this.decoded;
  }

  /** Shape inference and the summary, asked for once. */
  details(): Promise<RemoteDetails> {
    this.detailsRequest ??= this.client.request('details', { id: this.id }).then(({ summary, details, timeline }) => {
      this.received = { summary, details: ownBuffer(details), timeline };
      if (this.decoded) applyGraphDetails(this.decoded, decodeGraphDetails(this.received.details));
      return this.received;
    });
    return this.detailsRequest;
  }

  nodeDetails(node: number): Promise<NodeDetails> {
    return this.client.request('nodeDetails', { id: this.id, node });
  }

  tensorStats(value: string): Promise<TensorStats> {
    // Statistics of a large tensor take a while; allow for it.
    return this.client.request('tensorStats', { id: this.id, value }, { timeoutMs: 120_000 });
  }

  tensorPage(value: string, offset: number, count: number): Promise<BinaryPage> {
    return this.client.request('tensorPage', { id: this.id, value, offset, count });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.client.generation === this.generation) this.client.request('close', { id: this.id }).catch(() => undefined);
  }
}

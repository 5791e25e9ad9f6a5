/**
 * A model open in the analysis process, as the host sees it: the summary and graph payload came
 * with the open; details, statistics and tensor pages are asked for by id.
 */
import type { AnalysisMethods } from '../analysis/methods';
import type { ModelSummary } from '../core/summary/types';
import type { ChildClient } from '../runtime/childClient';
import type { GraphPayload } from '../shared/graphPayload';
import type { OpenTimeline } from '../shared/openTimeline';
import type { BinaryPage, NodeDetails, TensorStats } from '../shared/protocol';

export class RemoteModel {
  private closed = false;

  constructor(
    private readonly client: ChildClient<AnalysisMethods>,
    private readonly id: number,
    /** The analysis process this id belongs to; after a restart the id means nothing. */
    private readonly generation: number,
    readonly summary: ModelSummary,
    readonly payload: GraphPayload,
    /** When each step of reading and analysing this model ended (the host's and the analysis process's marks). */
    readonly timeline: OpenTimeline,
  ) {}

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

/**
 * The main thread's handle on the layout Web Worker.
 *
 * VS Code serves webview resources from a different origin than the page's, and a Worker must be
 * same-origin: the script is fetched as text and started from a Blob URL (CSP: `worker-src blob:`,
 * `connect-src <webview resource origin>`). Scenes come back with their buffers transferred.
 * The last few scenes stay here too, so collapsing back to a layout already seen is instant.
 */
import type { FromWorker, RestoredView, ToWorker } from './layoutProtocol';
import type { Scene } from '../../src/core/graphLayout/scene';

export interface LayoutResult {
  scene: Scene;
  ms: number;
  source: 'memory' | 'indexeddb' | 'computed' | 'analysis' | 'client';
  /** Started by the worker before it was asked for (the first view). */
  ahead: boolean;
}

const CLIENT_CACHE_SIZE = 8;

interface StartedWorker {
  worker: Worker;
  blobUrl: string;
}

declare global {
  interface Window {
    /** The layout worker the model page's boot script started (src/extension/webviewHtml.ts); the first LayoutClient takes it. */
    __onnxLensWorker?: Promise<StartedWorker>;
  }
}

/** The page's boot script does the same, inline (src/extension/webviewHtml.ts). */
async function startWorker(scriptUrl: string): Promise<StartedWorker> {
  const response = await fetch(scriptUrl);
  if (!response.ok) throw new Error(`The layout worker script could not be loaded (${response.status}).`);
  const blobUrl = URL.createObjectURL(new Blob([await response.text()], { type: 'text/javascript' }));
  return { worker: new Worker(blobUrl), blobUrl };
}

export class LayoutClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(r: LayoutResult): void; reject(e: Error): void }>();
  private readonly recent = new Map<string, Scene>();
  private blobUrl: string | null = null;
  private graph: ArrayBuffer | null = null;

  private constructor() {}

  static async start(scriptUrl: string): Promise<LayoutClient> {
    const client = new LayoutClient();
    const booted = window.__onnxLensWorker;
    window.__onnxLensWorker = undefined;
    const { worker, blobUrl } = await (booted ?? startWorker(scriptUrl));
    client.blobUrl = blobUrl;
    client.worker = worker;
    client.worker.onmessage = (event: MessageEvent<FromWorker>) => client.receive(event.data);
    client.worker.onerror = (event) => {
      const error = new Error(`The layout worker failed: ${event.message || 'unknown error'}.`);
      for (const p of client.pending.values()) p.reject(error);
      client.pending.clear();
    };
    return client;
  }

  /**
   * The model to lay out: encodeGraphPayload bytes, copied and the copy transferred to the worker,
   * which decodes it itself (a structured clone of the 9 MB of a 100k-node graph reached the worker
   * 50–70 ms later; a transferred copy at once). The same buffer again is a no-op (the page hands it
   * over as early as it can, the graph tab again). `restore`: the page's saved view, which the worker
   * then lays out first instead of the default one.
   */
  init(graph: ArrayBuffer, restore?: RestoredView, firstView?: string): void {
    if (graph === this.graph) return;
    this.graph = graph;
    this.recent.clear();
    const copy = graph.slice(0);
    this.post({ type: 'init', graph: copy, restore, firstView }, [copy]);
  }

  layout(expanded: ReadonlySet<number>): Promise<LayoutResult> {
    const list = [...expanded].sort((a, b) => a - b);
    const key = list.join(',');
    const hit = this.recent.get(key);
    if (hit) {
      this.recent.delete(key);
      this.recent.set(key, hit);
      return Promise.resolve({ scene: hit, ms: 0, source: 'client', ahead: false });
    }
    const requestId = this.nextId++;
    return new Promise<LayoutResult>((resolve, reject) => {
      this.pending.set(requestId, {
        resolve: (r) => {
          this.recent.set(key, r.scene);
          if (this.recent.size > CLIENT_CACHE_SIZE) this.recent.delete(this.recent.keys().next().value as string);
          resolve(r);
        },
        reject,
      });
      this.post({ type: 'layout', requestId, expanded: list });
    });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    for (const p of this.pending.values()) p.reject(new Error('The graph view was closed.'));
    this.pending.clear();
  }

  private post(message: ToWorker, transfer: Transferable[] = []): void {
    if (!this.worker) throw new Error('The layout worker is not running.');
    this.worker.postMessage(message, transfer);
  }

  private receive(message: FromWorker): void {
    const p = this.pending.get(message.requestId);
    if (!p) return;
    this.pending.delete(message.requestId);
    if (message.type === 'scene') p.resolve({ scene: message.scene, ms: message.ms, source: message.source, ahead: message.ahead });
    else p.reject(new Error(message.message));
  }
}

import {
  isHostToWebviewMessage,
  type ClockMessage,
  type GraphMessage,
  type HostMethod,
  type HostPushMessage,
  type ParamsOf,
  type ExportResultMessage,
  type ProgressMessage,
  type RenderedMessage,
  type SelectionMessage,
  type ResultOf,
  type WebviewToHostMessage,
} from '../../src/shared/protocol';
import { clockNow, HostClock, type OpenMarks } from '../../src/shared/openTimeline';
import type { VsCodeApi } from './vscodeApi';
import { replyError } from '../../src/shared/cancellation';

declare global {
  interface Window {
    /** Host messages that arrived before this module ran (the page's inline script keeps them). */
    __onnxLensEarly?: unknown[];
  }
}

/** A push as the page gets it: a graph comes with its open marks, the page's first among them. */
export type ReceivedPush = Exclude<HostPushMessage, GraphMessage | ClockMessage> | (GraphMessage & { marks: OpenMarks });

/** The host's clock in this page, for the marks of the open timeline (synced by the host's pushes). */
export const hostClock = new HostClock();

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
  onProgress?: (message: ProgressMessage) => void;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Long requests (benchmark, profile, evaluation, quantization, activations of big models): the host enforces its own limits. */
export const LONG_REQUEST_MS = 30 * 60_000;

function formatTimeout(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

/**
 * The webview's end of the protocol: pushes go to `onPush` (a request's `progress` to the request),
 * requests return promises that settle exactly once (the host's `result`, its `requestError`, or a
 * timeout).
 */
export class HostChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** When this page's script started, on its own clock (the timeline's `webviewReady`, converted once the host's clock is known). */
  private readonly startedAt = clockNow();
  /** The host has pushed something to this page (it posts as soon as it has a model, before `ready`). */
  private pushed = false;

  constructor(
    private readonly api: VsCodeApi<unknown>,
    private readonly onPush: (message: ReceivedPush) => void,
  ) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
    // What arrived before this script ran, kept by the page's first inline script (src/extension/webviewHtml.ts).
    const early = window.__onnxLensEarly;
    window.__onnxLensEarly = undefined;
    for (const data of early ?? []) this.receive(data);
  }

  /**
   * Tells the host this page is up, and whether its pushes got here. The host posts the model as
   * soon as it has it, before the page has loaded: VS Code holds those messages and hands them over
   * when the page has loaded (docs/opening-a-model.md). So `ready` waits for that: after the load
   * event, a message this page posts to itself is queued behind everything VS Code handed over, and
   * when it comes back, `pushed` is the truth (or at once, when the first inline script kept them).
   * A page that got nothing (it was reloaded, say after being hidden) is sent the model again.
   */
  ready(): void {
    // What came before this script ran is here already: no need to wait for the page's load.
    if (this.pushed) {
      this.post({ type: 'ready', pushed: true });
      return;
    }
    const marker = `onnx-lens-flushed:${Math.random()}`;
    const flushed = (event: MessageEvent<unknown>) => {
      if (event.data !== marker) return;
      window.removeEventListener('message', flushed);
      this.post({ type: 'ready', pushed: this.pushed });
    };
    window.addEventListener('message', flushed);
    const afterLoad = () => window.postMessage(marker, window.origin);
    if (document.readyState === 'complete') afterLoad();
    else window.addEventListener('load', afterLoad, { once: true });
  }

  rendered(report: Omit<RenderedMessage, 'type'>): void {
    this.post({ type: 'rendered', ...report });
  }

  /** A notification that needs no answer (`selection`, `exportResult`); `transfer` moves buffers. */
  notify(message: SelectionMessage | ExportResultMessage, transfer: Transferable[] = []): void {
    this.api.postMessage(message, transfer);
  }

  request<M extends HostMethod>(method: M, params: ParamsOf<M>, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<ResultOf<M>> {
    return this.requestWithId(method, params, timeoutMs).promise;
  }

  /**
   * A request whose id the caller keeps to cancel it ({@link cancel}): long requests (benchmark,
   * profile, activations, evaluation, quantization); the host's `progress` pushes for it go to
   * `onProgress` until it settles.
   */
  requestWithId<M extends HostMethod>(method: M, params: ParamsOf<M>, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS, onProgress?: (message: ProgressMessage) => void): { requestId: number; promise: Promise<ResultOf<M>> } {
    const requestId = this.nextId++;
    const promise = new Promise<ResultOf<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`The editor did not answer "${method}" within ${formatTimeout(timeoutMs)}.`));
      }, timeoutMs);
      this.pending.set(requestId, { resolve: resolve as (result: unknown) => void, reject, timer, onProgress });
      this.post({ type: 'request', requestId, method, params } as WebviewToHostMessage);
    });
    return { requestId, promise };
  }

  /** Asks the host to stop a running request; it still settles (with the host's `requestError`). */
  cancel(requestId: number): void {
    if (this.pending.has(requestId)) this.post({ type: 'cancel', requestId });
  }

  private post(message: WebviewToHostMessage): void {
    this.api.postMessage(message);
  }

  private receive(data: unknown): void {
    if (!isHostToWebviewMessage(data)) return;
    if (data.type !== 'result' && data.type !== 'requestError' && data.type !== 'progress' && data.type !== 'clock') this.pushed = true;
    switch (data.type) {
      case 'result':
      case 'requestError': {
        const pending = this.pending.get(data.requestId);
        if (!pending) return; // timed out already
        this.pending.delete(data.requestId);
        clearTimeout(pending.timer);
        if (data.type === 'result') pending.resolve(data.result);
        else pending.reject(replyError(data.message, data.code));
        return;
      }
      case 'progress':
        this.pending.get(data.requestId)?.onProgress?.(data);
        return;
      case 'clock':
        hostClock.sync(data.hostNow);
        return;
      case 'loading':
        hostClock.sync(data.hostNow);
        this.onPush(data);
        return;
      case 'graph': {
        // Stamped on arrival, before anything else runs: the end of the host → webview leg.
        const graphReceived = clockNow();
        hostClock.sync(data.hostNow);
        this.onPush({ ...data, marks: { host: data.timeline, page: { webviewReady: this.startedAt, graphReceived } } });
        return;
      }
      default:
        this.onPush(data);
    }
  }
}

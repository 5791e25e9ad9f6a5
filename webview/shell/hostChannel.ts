import {
  isHostToWebviewMessage,
  type HostMethod,
  type HostPushMessage,
  type ParamsOf,
  type ExportResultMessage,
  type FirstViewMessage,
  type ProgressMessage,
  type RenderedMessage,
  type SelectionMessage,
  type ResultOf,
  type WebviewToHostMessage,
} from '../../src/shared/protocol';
import { clockNow, HostClock } from '../../src/shared/openTimeline';
import type { VsCodeApi } from './vscodeApi';
import { replyError } from '../../src/shared/cancellation';

/** The host's clock in this page, for the marks of the open timeline (synced by the host's pushes). */
export const hostClock = new HostClock();

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
  onProgress?: (message: ProgressMessage) => void;
}

declare global {
  interface Window {
    /**
     * The host's messages that came before the page's script, each with when it came
     * (`clockNow()`), kept by the page's inline boot script (src/extension/webviewHtml.ts).
     */
    __onnxLensEarly?: [unknown, number][];
  }
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
 * timeout). Nothing is received before `listen`.
 */
export class HostChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** When `listen` was called (`clockNow()`): the page's script was up. */
  private listening = 0;

  constructor(
    private readonly api: VsCodeApi<unknown>,
    private readonly onPush: (message: HostPushMessage) => void,
  ) {}

  /**
   * Takes the host's messages: first those the page's boot script kept while this script loaded
   * (src/extension/webviewHtml.ts; it has said `ready`), then each as it comes. A page without
   * the boot script (the dev harness, scripts/webview-dev/harness.mjs) says `ready` here.
   */
  listen(): void {
    this.listening = clockNow();
    const early = window.__onnxLensEarly;
    window.__onnxLensEarly = undefined;
    for (const [data, arrived] of early ?? []) this.receive(data, arrived);
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data, clockNow()));
    if (!early) this.post({ type: 'ready' });
  }

  rendered(report: Omit<RenderedMessage, 'type'>): void {
    this.post({ type: 'rendered', ...report });
  }

  /** A notification that needs no answer (`selection`, `exportResult`, `firstView`); `transfer` moves buffers. */
  notify(message: SelectionMessage | ExportResultMessage | FirstViewMessage, transfer: Transferable[] = []): void {
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

  /** `arrived`: when the message came (`clockNow()`), read before anything else runs. */
  private receive(data: unknown, arrived: number): void {
    if (!isHostToWebviewMessage(data)) return;
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
      case 'loading':
      case 'firstLayout':
        hostClock.sync(data.hostNow, arrived);
        this.onPush(data);
        return;
      case 'graph': {
        // The arrival ends the host → webview leg. Put on the host's clock after this message's own
        // reading of it: an earlier message's reading may have come slowly, and with it the arrival
        // looked earlier than the host's post (seen in CI once the graph message had shrunk to 0.4 MB).
        hostClock.sync(data.hostNow, arrived);
        this.onPush({ ...data, timeline: { ...data.timeline, graphReceived: hostClock.at(arrived), pageScript: hostClock.at(this.listening) } });
        return;
      }
      default:
        this.onPush(data);
    }
  }
}

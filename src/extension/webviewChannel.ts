import * as vscode from 'vscode';
import {
  isWebviewToHostMessage,
  type HostPushMessage,
  type HostToWebviewMessage,
  type ExportResultMessage,
  type FirstViewMessage,
  type RenderedMessage,
  type RequestMessage,
  type SelectionMessage,
} from '../shared/protocol';
import { callHandler, type RequestContext, type RequestHandlers } from '../host/requestHandlers';
import { CANCELLED, isCancelled } from '../shared/cancellation';

export interface WebviewChannelEvents {
  onReady(): void;
  onRendered(message: RenderedMessage): void;
  onSelection(message: SelectionMessage): void;
  onExportResult(message: ExportResultMessage): void;
  /** The page's first frame as a picture, for the model's next page (src/extension/firstViews.ts). */
  onFirstView?(message: FirstViewMessage): void;
}

/**
 * Typed wrapper around one webview's `postMessage`/`onDidReceiveMessage`.
 * Every request gets exactly one reply: a handler that throws becomes a `requestError`,
 * and nothing thrown here escapes into the extension host.
 */
export class WebviewChannel implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private disposed = false;
  /** Requests still being answered, so `cancel` can abort them (and dispose aborts them all). */
  private readonly running = new Map<number, AbortController>();

  constructor(
    private readonly webview: vscode.Webview,
    private readonly handlers: RequestHandlers,
    private readonly events: WebviewChannelEvents,
    private readonly describeError: (error: unknown) => string,
  ) {
    this.subscription = webview.onDidReceiveMessage((message: unknown) => this.receive(message));
  }

  /** Pushes a message; resolves false when the webview is gone (disposed or hidden and torn down). */
  push(message: HostPushMessage): Promise<boolean> {
    return this.post(message);
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    for (const abort of this.running.values()) abort.abort();
    this.running.clear();
  }

  private async post(message: HostToWebviewMessage): Promise<boolean> {
    if (this.disposed) return false;
    try {
      return await this.webview.postMessage(message);
    } catch {
      // postMessage rejects once the panel is disposed; that is not an error worth reporting.
      return false;
    }
  }

  private receive(message: unknown): void {
    if (!isWebviewToHostMessage(message)) {
      console.warn('[onnx-lens] ignoring unknown webview message', message);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.events.onReady();
        return;
      case 'rendered':
        this.events.onRendered(message);
        return;
      case 'request':
        void this.answer(message);
        return;
      case 'selection':
        this.events.onSelection(message);
        return;
      case 'exportResult':
        this.events.onExportResult(message);
        return;
      case 'firstView':
        this.events.onFirstView?.(message);
        return;
      case 'cancel':
        this.running.get(message.requestId)?.abort();
        return;
    }
  }

  private async answer(request: RequestMessage): Promise<void> {
    const { requestId, method } = request;
    const abort = new AbortController();
    this.running.set(requestId, abort);
    const context: RequestContext = {
      signal: abort.signal,
      progress: (done, total, message) => void this.post({ type: 'progress', requestId, done, total, message }),
    };
    try {
      const result = await callHandler(this.handlers, method, request.params, context);
      await this.post({ type: 'result', requestId, method, result } as HostToWebviewMessage);
    } catch (error) {
      await this.post({ type: 'requestError', requestId, message: this.describeError(error), ...(isCancelled(error) ? { code: CANCELLED } : {}) });
    } finally {
      this.running.delete(requestId);
    }
  }
}

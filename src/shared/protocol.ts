/**
 * Every message between the extension host and a webview, both ways, in one place.
 *
 * Shape (after microsoft/vscode-hexeditor's shared/protocol.ts):
 *  - Webview → host *notifications* (`ready`, `rendered`) need no answer.
 *  - Webview → host *requests* carry a `requestId` and name a `method` from {@link HostMethods};
 *    the host answers each with exactly one `result` or `requestError`, never silence.
 *  - Host → webview *pushes* (`loading`, `summary`, `error`) are unsolicited: the model view is
 *    driven by them (after `ready`, and again whenever the file changes on disk).
 *
 * Later views (graph, runtime, evaluation) extend this by adding a method to {@link HostMethods}
 * or a member to a push/notification union; the channels on both sides stay as they are.
 *
 * Binary data: VS Code transfers an `ArrayBuffer` inside a posted message without JSON-encoding
 * it, so large payloads (tensor pages) travel as `ArrayBuffer` fields of a `result`, one page per
 * request, never as number arrays. {@link BinaryPage} is the shape such results use.
 *
 * This file is imported by both bundles: keep it free of runtime imports except types.
 */
import type { ModelSummary } from '../core/summary/types';

// ---------------------------------------------------------------------------------------------
// Requests (webview → host, each answered once)

/** A page of raw bytes, e.g. a slice of a tensor's data. `buffer` is transferred, not copied. */
export interface BinaryPage {
  buffer: ArrayBuffer;
  /** Byte offset of `buffer[0]` within the whole payload. */
  offset: number;
  /** Byte length of the whole payload, so the webview knows how many pages remain. */
  totalBytes: number;
}

/**
 * Request methods the host serves: method name → params and result.
 * Add a line here (and a handler in the host) to add a request.
 */
export interface HostMethods {
  /** Re-read the model from disk; every view of it then gets a fresh `loading` + `summary`/`error` push. */
  reload: { params: Record<string, never>; result: { reloaded: true } };
}

export type HostMethod = keyof HostMethods;
export type ParamsOf<M extends HostMethod> = HostMethods[M]['params'];
export type ResultOf<M extends HostMethod> = HostMethods[M]['result'];

export type RequestMessage = {
  [M in HostMethod]: { type: 'request'; requestId: number; method: M; params: ParamsOf<M> };
}[HostMethod];

export type ResultMessage = {
  [M in HostMethod]: { type: 'result'; requestId: number; method: M; result: ResultOf<M> };
}[HostMethod];

/** The one reply to a request that failed: `message` is a sentence fit to show the user. */
export interface RequestErrorMessage {
  type: 'requestError';
  requestId: number;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Webview → host notifications

/** The webview's script has started and its listener is installed: the host may now push. */
export interface ReadyMessage {
  type: 'ready';
}

/**
 * What the page now shows, sent after every render. The host uses it for the test API
 * (`OnnxLensApi.waitForModelView`) so integration tests can check the whole round trip.
 */
export interface RenderedMessage {
  type: 'rendered';
  state: 'ready' | 'error';
  /** Text of `[data-testid="model-name"]`. */
  modelName?: string;
  /** Text of `[data-testid="node-count"]` (main-graph nodes, a plain integer). */
  nodeCountText?: string;
  /** Text of `[data-testid="error"]`, when a load error is shown. */
  errorText?: string;
  /** How many `problems` banners are shown (errors and warnings found in a loaded model). */
  problemCount: number;
}

export type WebviewToHostMessage = ReadyMessage | RenderedMessage | RequestMessage;

// ---------------------------------------------------------------------------------------------
// Host → webview pushes

/** The model is being (re)read; show a loading state. */
export interface LoadingMessage {
  type: 'loading';
  fileName: string;
}

export interface SummaryMessage {
  type: 'summary';
  summary: ModelSummary;
}

/** The model could not be read. `message` is one sentence naming the file and the problem. */
export interface LoadErrorMessage {
  type: 'error';
  fileName: string;
  message: string;
}

export type HostPushMessage = LoadingMessage | SummaryMessage | LoadErrorMessage;

export type HostToWebviewMessage = HostPushMessage | ResultMessage | RequestErrorMessage;

// ---------------------------------------------------------------------------------------------
// Narrowing helpers shared by both channels (messages come in as `unknown`).

function hasType(value: unknown): value is { type: unknown } {
  return typeof value === 'object' && value !== null && 'type' in value;
}

const webviewTypes: ReadonlySet<string> = new Set<WebviewToHostMessage['type']>(['ready', 'rendered', 'request']);
const hostTypes: ReadonlySet<string> = new Set<HostToWebviewMessage['type']>([
  'loading', 'summary', 'error', 'result', 'requestError',
]);

export function isWebviewToHostMessage(value: unknown): value is WebviewToHostMessage {
  return hasType(value) && typeof value.type === 'string' && webviewTypes.has(value.type);
}

export function isHostToWebviewMessage(value: unknown): value is HostToWebviewMessage {
  return hasType(value) && typeof value.type === 'string' && hostTypes.has(value.type);
}

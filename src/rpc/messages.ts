/**
 * Messages between the extension host and a forked child process (analysis now, onnxruntime
 * later). A child, not a worker_thread: an ORT abort kills every thread of its process, and a
 * child's death is just an `exit` event for the parent (docs/environment.md, "onnxruntime-node").
 */
import { CANCELLED } from '../shared/cancellation';

/** Method name → params and result; each child declares its own map. */
export type MethodMap = Record<string, { params: unknown; result: unknown }>;

export interface RpcRequest {
  kind: 'request';
  id: number;
  method: string;
  params: unknown;
}

export interface RpcCancel {
  kind: 'cancel';
  id: number;
}

/** How far a long request has got; also proves the child is alive (it restarts the request's timeout). */
export interface RpcProgress {
  done: number;
  total: number;
  message: string;
  /** Part of the answer, sent ahead of it as text (the analysis process's `open`: the model's first view, src/analysisProcess/methods.ts). */
  ahead?: string;
}

/** A sentence from the child that belongs to no request (see childServer.ts notifyParent). */
export interface RpcNotice {
  kind: 'notice';
  message: string;
}

export type RpcReply =
  | { kind: 'result'; id: number; result: unknown }
  | ({ kind: 'progress'; id: number } & RpcProgress)
  /**
   * `message` is one sentence for the user (it names the file when there is one); `code`
   * 'native-unavailable': a native module cannot load on this machine (no file is at fault);
   * 'cancelled': the handler stopped because work it waited for was cancelled (src/shared/cancellation.ts).
   */
  | { kind: 'error'; id: number; message: string; code?: 'native-unavailable' | typeof CANCELLED }
  /** A cancelled request's handler has ended (or was not running): the child is free of it. */
  | { kind: 'cancelled'; id: number }
  | RpcNotice;

/**
 * Thrown by the client: the request failed in the child, timed out, was cancelled, or the child
 * died. A cancelled one carries CancelledError's code, so `isCancelled` knows it.
 */
export class RpcError extends Error {
  readonly code: typeof CANCELLED | undefined;
  constructor(
    message: string,
    /** 'unavailable': the child cannot do this on this machine (a native module cannot load). */
    readonly reason: 'failed' | 'timeout' | 'cancelled' | 'crashed' | 'unavailable',
  ) {
    super(message);
    this.name = 'RpcError';
    this.code = reason === 'cancelled' ? CANCELLED : undefined;
  }
}

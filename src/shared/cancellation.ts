/**
 * Cancellation as a type, not a sentence: whoever stops work on the user's request throws a
 * CancelledError, and whoever reports errors asks `isCancelled` (a cancellation is the user's
 * choice, not a failure to show). It crosses the process boundary as `code: 'cancelled'` on the
 * RPC's error reply (src/rpc/messages.ts) and on the webview's `requestError` (protocol.ts), and
 * is a CancelledError again on the other side.
 */

export const CANCELLED = 'cancelled';

export class CancelledError extends Error {
  readonly code = CANCELLED;
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/**
 * True for a CancelledError, any error carrying its code (an RpcError for a cancelled request),
 * and an AbortSignal's own reason (the platform's 'AbortError', which data readers rethrow).
 */
export function isCancelled(error: unknown): boolean {
  if (error instanceof CancelledError) return true;
  if (typeof error !== 'object' || error === null) return false;
  return (error as { code?: unknown }).code === CANCELLED || (error as { name?: unknown }).name === 'AbortError';
}

/** The error an error reply stands for on the receiving side: a CancelledError when it carries the cancelled code. */
export function replyError(message: string, code?: string): Error {
  return code === CANCELLED ? new CancelledError(message) : new Error(message);
}

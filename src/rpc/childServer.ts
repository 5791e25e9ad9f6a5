/**
 * The child side: dispatches requests from the parent to handlers and always answers, with a
 * result or one-sentence error. Handlers may be async; a cancelled request answers `cancelled`
 * once its handler has ended, which tells the parent the child is free again.
 */
import { describeError } from '../core/errors';
import { CANCELLED, isCancelled } from '../shared/cancellation';
import type { MethodMap, RpcCancel, RpcNotice, RpcProgress, RpcReply, RpcRequest } from './messages';

export type ReportProgress = (progress: RpcProgress) => void;

export type Handlers<M extends MethodMap> = {
  [K in keyof M]: (params: M[K]['params'], signal: AbortSignal, progress: ReportProgress) => Promise<M[K]['result']> | M[K]['result'];
};

export function serveRequests<M extends MethodMap>(handlers: Handlers<M>, contextName: string): void {
  if (!process.send) throw new Error('serveRequests must run in a forked child process');
  const running = new Map<number, AbortController>();
  const reply = (msg: RpcReply) => process.send?.(msg);
  process.on('message', async (raw: RpcRequest | RpcCancel) => {
    if (raw?.kind === 'cancel') {
      const abort = running.get(raw.id);
      // Not running (any more): nothing to stop; say so, so the parent stops waiting.
      if (abort) abort.abort();
      else reply({ kind: 'cancelled', id: raw.id });
      return;
    }
    if (raw?.kind !== 'request') return;
    const handler = (handlers as Record<string, Handlers<M>[keyof M]>)[raw.method];
    if (!handler) {
      reply({ kind: 'error', id: raw.id, message: `${contextName}: unknown request '${raw.method}'` });
      return;
    }
    const abort = new AbortController();
    running.set(raw.id, abort);
    try {
      const progress: ReportProgress = (p) => {
        if (!abort.signal.aborted) reply({ kind: 'progress', id: raw.id, ...p });
      };
      const result = await handler(raw.params as never, abort.signal, progress);
      reply(abort.signal.aborted ? { kind: 'cancelled', id: raw.id } : { kind: 'result', id: raw.id, result });
    } catch (err) {
      if (abort.signal.aborted) reply({ kind: 'cancelled', id: raw.id });
      else {
        const code = (err as { code?: unknown })?.code === 'native-unavailable' ? 'native-unavailable' as const : isCancelled(err) ? CANCELLED : undefined;
        reply({ kind: 'error', id: raw.id, message: describeError(err, contextName), ...(code ? { code } : {}) });
      }
    } finally {
      running.delete(raw.id);
    }
  });
  // The parent went away (extension host reload): nothing left to serve.
  process.on('disconnect', () => process.exit(0));
}

/**
 * A sentence for the parent that belongs to no one request (an execution provider fell back to
 * the CPU): the CLI prints it, the editor logs and shows it. Nothing happens outside a child.
 */
export function notifyParent(message: string): void {
  process.send?.({ kind: 'notice', message } satisfies RpcNotice);
}

/** Handlers that all fail with `error`: a child that cannot serve anything on this machine says why, every time. */
export function refuseAll<M extends MethodMap>(handlers: Handlers<M>, error: Error): Handlers<M> {
  return Object.fromEntries(Object.keys(handlers).map((method) => [method, () => {
    throw error;
  }])) as unknown as Handlers<M>;
}

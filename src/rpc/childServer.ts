/**
 * The child side: dispatches requests from the parent to handlers and always answers, with a
 * result or one-sentence error. Handlers may be async; a cancelled request answers `cancelled`
 * once its handler has ended, which tells the parent the child is free again.
 */
import { Socket } from 'node:net';
import { describeError } from '../core/errors';
import { CANCELLED, isCancelled } from '../shared/cancellation';
import { FRAME_FD, frameChannel, type FrameChannel } from './frameChannel';
import type { MethodMap, RpcCancel, RpcNotice, RpcProgress, RpcReply, RpcRequest } from './messages';

export type ReportProgress = (progress: RpcProgress) => void;

/**
 * A handler that declares no `signal` parameter cannot be stopped early, and gets a signal that
 * never aborts: an AbortController for every request cost ~15 µs of a `run` request of the sample
 * MLP in the child (CPU profile), a twentieth of what the whole request may add.
 */
export type Handlers<M extends MethodMap> = {
  [K in keyof M]: (params: M[K]['params'], signal: AbortSignal, progress: ReportProgress) => Promise<M[K]['result']> | M[K]['result'];
};

const NEVER = new AbortController().signal;

/** A request being served: told to stop, and its handler's signal when it takes one. */
interface Running {
  cancelled: boolean;
  abort: AbortController | undefined;
}

/** The frames to the parent, once serveRequests has opened them. */
let parent: FrameChannel | undefined;

export function serveRequests<M extends MethodMap>(handlers: Handlers<M>, contextName: string): void {
  if (!process.send) throw new Error('serveRequests must run in a forked child process');
  const running = new Map<number, Running>();
  const reply = (msg: RpcReply) => channel.send(msg);
  const pipe = new Socket({ fd: FRAME_FD, readable: true, writable: true });
  // The parent went away (extension host reload): nothing left to serve.
  pipe.on('end', () => process.exit(0));
  pipe.on('error', () => process.exit(0));
  const channel = frameChannel(pipe, async (message) => {
    const raw = message as RpcRequest | RpcCancel;
    if (raw?.kind === 'cancel') {
      const r = running.get(raw.id);
      // Not running (any more): nothing to stop; say so, so the parent stops waiting.
      if (!r) reply({ kind: 'cancelled', id: raw.id });
      else {
        r.cancelled = true;
        r.abort?.abort();
      }
      return;
    }
    if (raw?.kind !== 'request') return;
    const handler = (handlers as Record<string, Handlers<M>[keyof M]>)[raw.method];
    if (!handler) {
      reply({ kind: 'error', id: raw.id, message: `${contextName}: unknown request '${raw.method}'` });
      return;
    }
    const r: Running = { cancelled: false, abort: handler.length >= 2 ? new AbortController() : undefined };
    running.set(raw.id, r);
    try {
      const progress: ReportProgress = (p) => {
        if (!r.cancelled) reply({ kind: 'progress', id: raw.id, ...p });
      };
      const result = await handler(raw.params as never, r.abort?.signal ?? NEVER, progress);
      reply(r.cancelled ? { kind: 'cancelled', id: raw.id } : { kind: 'result', id: raw.id, result });
    } catch (err) {
      if (r.cancelled) reply({ kind: 'cancelled', id: raw.id });
      else {
        const code = (err as { code?: unknown })?.code === 'native-unavailable' ? 'native-unavailable' as const : isCancelled(err) ? CANCELLED : undefined;
        reply({ kind: 'error', id: raw.id, message: describeError(err, contextName), ...(code ? { code } : {}) });
      }
    } finally {
      running.delete(raw.id);
    }
  });
  parent = channel;
}

/**
 * A sentence for the parent that belongs to no one request (an execution provider fell back to
 * the CPU): the CLI prints it, the editor logs and shows it. Nothing happens outside a child.
 */
export function notifyParent(message: string): void {
  parent?.send({ kind: 'notice', message } satisfies RpcNotice);
}

/** Handlers that all fail with `error`: a child that cannot serve anything on this machine says why, every time. */
export function refuseAll<M extends MethodMap>(handlers: Handlers<M>, error: Error): Handlers<M> {
  return Object.fromEntries(Object.keys(handlers).map((method) => [method, () => {
    throw error;
  }])) as unknown as Handlers<M>;
}

/**
 * The parent side of a forked child: typed requests with ids, per-request timeouts and
 * cancellation, and a fresh child after a crash. A child that dies fails every pending request
 * with one clear sentence; the next request starts a new child.
 *
 * A request that times out or is cancelled is told to stop (`cancel`); the child acknowledges
 * when its handler has ended. A child that does not within `cancelGraceMs` is stuck (a
 * synchronous loop, a native call that never returns): it is killed, and requests made meanwhile
 * — held back instead of queueing behind the stuck one — go to a fresh child.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { FRAME_FD, frameChannel, type FrameChannel } from './frameChannel';
import { RpcError, type MethodMap, type RpcCancel, type RpcProgress, type RpcReply, type RpcRequest } from './messages';

export interface ChildClientOptions {
  /** Shown in messages: 'the analysis process'. */
  name: string;
  /** Script to fork (a bundled .js, or a .ts with execArgv that registers a loader). */
  script: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  defaultTimeoutMs: number;
  /**
   * Called before each request is sent; a throw refuses the request with that error (the
   * extension's Workspace Trust check: nothing reaches the child in Restricted Mode).
   */
  guard?: (method: string) => void;
  /** Drop the child's stderr (the CLI: an ORT abort prints a V8 stack trace there; the one sentence from the client is what the user needs). */
  quietStderr?: boolean;
  /** How long a cancelled or timed-out request may take to stop before the child is killed (default 10 s). */
  cancelGraceMs?: number;
}

const DEFAULT_CANCEL_GRACE_MS = 10_000;

interface Pending {
  resolve(v: unknown): void;
  reject(e: RpcError): void;
  timer: NodeJS.Timeout;
  onProgress(p: RpcProgress): void;
}

export class ChildClient<M extends MethodMap> {
  /** The current child and the frames to and from it (src/rpc/frameChannel.ts). */
  private child: { process: ChildProcess; channel: FrameChannel } | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests told to stop whose end the child has not acknowledged yet: id → what it was and its grace timer. */
  private readonly stopping = new Map<number, { method: string; timer: NodeJS.Timeout }>();
  /** Messages held back while a request is stopping, sent once the child is known to be free (or fresh). */
  private held: { msg: RpcRequest; id: number }[] = [];
  private disposed = false;
  /** Increments each time a child is started; lets callers notice that state held in the child is gone. */
  generation = 0;
  /** Called after a child died unexpectedly (not on dispose). */
  onCrash: ((description: string) => void) | undefined;
  /** Called with each notice the child sends (a sentence that belongs to no request). */
  onNotice: ((message: string) => void) | undefined;
  /** Called when a child process has started. */
  onStarted: ((pid: number) => void) | undefined;
  /** Called when a request ends: its time, and its error when it failed. */
  onSettled: ((method: string, ms: number, error?: RpcError) => void) | undefined;
  /**
   * Each line the child writes to stderr, when set before the child starts (the extension's log);
   * otherwise stderr is inherited (or dropped with `quietStderr`).
   */
  onStderr: ((line: string) => void) | undefined;

  constructor(private readonly opts: ChildClientOptions) {}

  /**
   * `timeoutMs` bounds the silence, not the whole request: every progress report from the child
   * restarts it, so a long evaluation that keeps reporting is never cut off.
   */
  request<K extends keyof M & string>(
    method: K,
    params: M[K]['params'],
    options: { timeoutMs?: number; signal?: AbortSignal; onProgress?: (p: RpcProgress) => void } = {},
  ): Promise<M[K]['result']> {
    if (this.disposed) return Promise.reject(new RpcError(`${this.opts.name} has been shut down`, 'cancelled'));
    try {
      this.opts.guard?.(method);
    } catch (error) {
      return Promise.reject(error);
    }
    const cancelled = () => new RpcError(`'${method}' was cancelled`, 'cancelled');
    if (options.signal?.aborted) return Promise.reject(cancelled());
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.opts.defaultTimeoutMs;
    const started = performance.now();
    return new Promise<M[K]['result']>((done, fail) => {
      // A job's signal spans many requests: each one's listener goes when it settles, or they pile
      // up on the signal (and keep every settled request's closure alive) until the job ends.
      const onAbort = () => {
        if (this.settle(id)) {
          pending.reject(cancelled());
          this.stop(id, method);
        }
      };
      const resolve = (value: M[K]['result']) => {
        options.signal?.removeEventListener('abort', onAbort);
        this.onSettled?.(method, performance.now() - started);
        done(value);
      };
      const reject = (error: RpcError) => {
        options.signal?.removeEventListener('abort', onAbort);
        this.onSettled?.(method, performance.now() - started, error);
        fail(error);
      };
      const expire = () => {
        this.settle(id)?.reject(new RpcError(`${this.opts.name} did not answer '${method}' within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`, 'timeout'));
        this.stop(id, method);
      };
      const pending: Pending = { resolve: resolve as (v: unknown) => void, reject, timer: setTimeout(expire, timeoutMs), onProgress: () => undefined };
      pending.onProgress = (p) => {
        clearTimeout(pending.timer);
        pending.timer = setTimeout(expire, timeoutMs);
        options.onProgress?.(p);
      };
      this.pending.set(id, pending);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const msg: RpcRequest = { kind: 'request', id, method, params };
      if (this.stopping.size > 0) this.held.push({ msg, id });
      else this.send(msg, id);
    });
  }

  private send(msg: RpcRequest, id: number): void {
    this.ensureChild().channel.send(msg, (err) => {
      if (err) this.settle(id)?.reject(new RpcError(`${this.opts.name} could not be reached: ${err.message}`, 'crashed'));
    });
  }

  /**
   * Tells the child to stop request `id` (already settled here) and waits for its acknowledgment;
   * a held-back request was never sent, so it is simply dropped.
   */
  private stop(id: number, method: string): void {
    const heldAt = this.held.findIndex((h) => h.id === id);
    if (heldAt >= 0) {
      this.held.splice(heldAt, 1);
      return;
    }
    const child = this.child;
    if (!child?.process.connected) return;
    child.channel.send({ kind: 'cancel', id } satisfies RpcCancel);
    const graceMs = this.opts.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
    const timer = setTimeout(() => {
      if (!this.stopping.has(id) || this.child !== child) return;
      const description = `${this.opts.name} was restarted: '${method}' did not stop within ${graceMs < 1000 ? `${graceMs} ms` : `${Math.round(graceMs / 1000)} s`} of being cancelled`;
      this.stopChild(new RpcError(description, 'crashed'), 'SIGKILL');
      this.onCrash?.(description);
      this.flushHeld();
    }, graceMs);
    this.stopping.set(id, { method, timer });
  }

  /** The child acknowledged (or answered) a request it was told to stop. */
  private stopped(id: number): void {
    const s = this.stopping.get(id);
    if (!s) return;
    clearTimeout(s.timer);
    this.stopping.delete(id);
    if (this.stopping.size === 0) this.flushHeld();
  }

  private flushHeld(): void {
    const held = this.held;
    this.held = [];
    for (const h of held) if (this.pending.has(h.id)) this.send(h.msg, h.id);
  }

  /** Kills the child (pending requests fail as cancelled); a later request starts a new one. */
  restart(): void {
    this.stopChild(new RpcError(`${this.opts.name} was restarted`, 'cancelled'));
    this.flushHeld();
  }

  dispose(): void {
    this.disposed = true;
    this.held = [];
    this.stopChild(new RpcError(`${this.opts.name} was shut down`, 'cancelled'));
    this.failAll(new RpcError(`${this.opts.name} was shut down`, 'cancelled'));
  }

  private ensureChild(): { process: ChildProcess; channel: FrameChannel } {
    if (this.child?.process.connected) return this.child;
    const child = fork(this.opts.script, [], {
      execArgv: this.opts.execArgv ?? [],
      env: this.opts.env ?? process.env,
      // Messages travel as frames on a pipe of their own (fd 3, FRAME_FD), not on the 'ipc' channel
      // that fork requires: src/rpc/frameChannel.ts says why. 'overlapped': on Windows a pipe
      // written and read from both ends needs overlapped I/O in the child (nodejs/node#43936).
      stdio: ['ignore', 'inherit', this.onStderr ? 'pipe' : this.opts.quietStderr ? 'ignore' : 'inherit', 'overlapped', 'ipc'],
    });
    this.generation++;
    const onLine = this.onStderr;
    if (onLine && child.stderr) {
      let rest = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      });
      child.stderr.on('end', () => rest && onLine(rest));
    }
    if (child.pid !== undefined) this.onStarted?.(child.pid);
    const pipe = child.stdio[FRAME_FD] as Socket;
    // A write to a child that has died fails in its callback, and 'exit' says why: nothing to add.
    pipe.on('error', () => undefined);
    const channel = frameChannel(pipe, (message) => {
      const msg = message as RpcReply;
      if (this.child?.process !== child) return;
      if (msg.kind === 'notice') {
        this.onNotice?.(msg.message);
        return;
      }
      if (msg.kind !== 'progress') this.stopped(msg.id);
      if (msg.kind === 'cancelled') return;
      if (msg.kind === 'progress') {
        const { kind: _k, id: _i, ...progress } = msg;
        this.pending.get(msg.id)?.onProgress(progress);
        return;
      }
      const p = this.settle(msg.id);
      if (!p) return;
      if (msg.kind === 'result') p.resolve(msg.result);
      else p.reject(new RpcError(msg.message, msg.code === 'native-unavailable' ? 'unavailable' : msg.code === 'cancelled' ? 'cancelled' : 'failed'));
    });
    child.on('exit', (code, signal) => {
      if (this.child?.process !== child) return;
      this.child = undefined;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const description = `${this.opts.name} stopped unexpectedly (it ${how}); it restarts on the next request`;
      this.failSent(new RpcError(description, 'crashed'));
      this.flushHeld();
      if (!this.disposed) this.onCrash?.(description);
    });
    child.on('error', () => {
      // 'exit' follows (or the send callback reports it); nothing to add here.
    });
    this.child = { process: child, channel };
    return this.child;
  }

  private stopChild(err: RpcError, signal: NodeJS.Signals = 'SIGTERM'): void {
    const child = this.child;
    this.child = undefined;
    this.failSent(err);
    child?.process.kill(signal);
  }

  /** Fails the requests sent to the current child; held-back ones were never sent and stay pending for the next. */
  private failSent(err: RpcError): void {
    for (const s of this.stopping.values()) clearTimeout(s.timer);
    this.stopping.clear();
    const held = new Set(this.held.map((h) => h.id));
    for (const id of [...this.pending.keys()]) if (!held.has(id)) this.settle(id)?.reject(err);
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(id);
    }
    return p;
  }

  private failAll(err: RpcError): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(err);
  }
}

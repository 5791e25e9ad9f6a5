/**
 * A long request run as the panel's current action (activations, benchmark, profile): its
 * `progress` pushes routed by request id, a cancel that ends it idle rather than as an error, and
 * the panel's state (body[data-run-state], the error banner) settled once.
 */
import type { HostMethod, ParamsOf, ProgressMessage, ResultOf } from '../../src/shared/protocol';
import { LONG_REQUEST_MS, type HostChannel } from './hostChannel';

export interface ActionHandlers<R> {
  /** Where an error is shown (unless it names an input: then in that input's row). */
  slot: HTMLElement;
  /** The action's status line: "Cancelled." after a cancel, cleared after a failure. */
  status: HTMLElement;
  progress?(message: ProgressMessage): void;
  done(result: R): void;
  /** After done, failure or cancel: restore the section's buttons. */
  settled(): void;
}

/** What an action needs from its panel (the Run tab's RunContext, or the Evaluate tab's own). */
export interface ActionContext {
  channel: HostChannel;
  /** The action ended: `error` (shown next to `slot`), done, or idle (cancelled). */
  end(outcome: { error: unknown; slot: HTMLElement } | 'done' | 'idle'): void;
}

export interface RunningAction {
  cancel(): void;
}

/** Sends the request; call only after `ctx.begin()` returned true. */
export function startAction<M extends HostMethod>(ctx: ActionContext, method: M, params: ParamsOf<M>, handlers: ActionHandlers<ResultOf<M>>): RunningAction {
  const { requestId, promise } = ctx.channel.requestWithId(method, params, LONG_REQUEST_MS, handlers.progress);
  let cancelled = false;
  promise.then(
    (result) => {
      handlers.done(result);
      ctx.end('done');
    },
    (error: unknown) => {
      handlers.status.textContent = cancelled ? 'Cancelled.' : '';
      ctx.end(cancelled ? 'idle' : { error, slot: handlers.slot });
    },
  ).finally(() => handlers.settled());
  return {
    cancel() {
      if (cancelled) return;
      cancelled = true;
      ctx.channel.cancel(requestId);
    },
  };
}

/**
 * A model view's requests as functions: one handler per method of the typed protocol
 * (src/shared/protocol.ts HostMethods), each given a cancellation signal and a progress callback.
 * The extension's WebviewChannel and the screenshot harness both answer requests through
 * `callHandler`, so the parameters are checked the same way wherever a request comes from.
 */
import type { HostMethod, ParamsOf, ResultOf } from '../shared/protocol';
import { checkRequest } from './requestSchemas';

/** What a long request may use: a signal the webview's `cancel` aborts, and progress pushes for it. */
export interface RequestContext {
  signal: AbortSignal;
  progress(done: number, total: number, message: string): void;
}

export type RequestHandler<M extends HostMethod> = (params: ParamsOf<M>, context: RequestContext) => Promise<ResultOf<M>> | ResultOf<M>;
export type RequestHandlers = { [M in HostMethod]: RequestHandler<M> };

/**
 * Runs the handler of `method` on parameters checked first (requestSchemas.ts): whatever the
 * webview sends is untrusted input. The test API's `request` comes through here too.
 */
export async function callHandler<M extends HostMethod>(handlers: Partial<RequestHandlers>, method: M, params: unknown, context: RequestContext): Promise<ResultOf<M>> {
  const handler = (Object.hasOwn(handlers, method) ? handlers[method] : undefined) as RequestHandler<M> | undefined;
  if (!handler) throw new Error(`unknown request method "${String(method).slice(0, 80)}"`);
  return handler(checkRequest(method, params), context);
}

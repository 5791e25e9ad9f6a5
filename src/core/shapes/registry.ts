/**
 * Shape functions keyed by (domain, op_type), each valid from an opset version on, so an op
 * whose signature changed (Squeeze axes → input at 13) can have one function per form or
 * one function that asks `ctx.opset`. Fold functions (constant evaluation of small tensors)
 * are a second table: they run after the shape function when the inputs are folded.
 */
import type { NodeContext } from './context';

export type ShapeFn = (ctx: NodeContext) => void;

interface Entry {
  since: number;
  fn: ShapeFn;
}

const shapeFns = new Map<string, Entry[]>();
const foldFns = new Map<string, ShapeFn>();

function key(domain: string, opType: string): string {
  return `${domain}\0${opType}`;
}

export function registerShape(domain: string, opTypes: readonly string[], fn: ShapeFn, since = 1): void {
  for (const op of opTypes) {
    const k = key(domain, op);
    const list = shapeFns.get(k) ?? [];
    list.push({ since, fn });
    list.sort((a, b) => a.since - b.since);
    shapeFns.set(k, list);
  }
}

export function registerFold(domain: string, opTypes: readonly string[], fn: ShapeFn): void {
  for (const op of opTypes) foldFns.set(key(domain, op), fn);
}

/**
 * The function for this opset. An opset older than every registered form still gets the
 * oldest one: a model declaring a too-old opset is wrong, but its shapes are usually fine.
 */
export function lookupShape(domain: string, opType: string, opset: number): ShapeFn | undefined {
  const list = shapeFns.get(key(domain, opType));
  if (!list || list.length === 0) return undefined;
  let found = list[0];
  for (const e of list) if (e.since <= opset) found = e;
  return found.fn;
}

export function lookupFold(domain: string, opType: string): ShapeFn | undefined {
  return foldFns.get(key(domain, opType));
}

export function registeredOps(): { domain: string; opType: string }[] {
  return [...shapeFns.keys()].map((k) => {
    const [domain, opType] = k.split('\0');
    return { domain, opType };
  });
}

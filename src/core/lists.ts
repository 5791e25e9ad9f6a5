/**
 * List helpers for model-sized data. `a.push(...b)`, `Math.max(...b)` and `String.fromCharCode(...b)`
 * pass every element as an argument and throw "Maximum call stack size exceeded" past ~100k
 * elements — a cycle through 200k nodes, a model with 1M inputs (issue 13). These loop instead.
 */

/** Appends every item of `items` to `target`; returns `target`. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const x of items) target.push(x);
  return target;
}

/** The largest value (`empty` when there is none); NaN is skipped. */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let best = -Infinity;
  for (const v of values) if (v > best) best = v;
  return best === -Infinity ? empty : best;
}

/** The smallest value (`empty` when there is none); NaN is skipped. */
export function minOf(values: Iterable<number>, empty = Infinity): number {
  let best = Infinity;
  for (const v of values) if (v < best) best = v;
  return best === Infinity ? empty : best;
}

/** Timing helpers the benchmarks share: medians of repeated runs after a warm-up (JIT, caches). */

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** The median time of `repeats` runs of `work` in ms, after `warmup` untimed ones. */
export async function timed(work: () => unknown, repeats: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  return median(times);
}

/**
 * `ours` against `base`, run alternately so that background load on a shared machine hits both
 * alike: the median time of each and the median of the per-round ratios.
 */
export async function pairedRatio(ours: () => unknown, base: () => unknown, rounds: number): Promise<{ ours: number; base: number; ratio: number }> {
  await ours();
  await base();
  const o: number[] = [];
  const b: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await ours();
    o.push(performance.now() - t);
    t = performance.now();
    await base();
    b.push(performance.now() - t);
    r.push(o[i] / b[i]);
  }
  return { ours: median(o), base: median(b), ratio: median(r) };
}

/** `--max-latency p95=20ms`: limits on benchmark statistics; any configuration over a limit fails the check. */
import type { BenchPoint, LatencyStats } from '../shared/runtimeTypes';
import { UsageError } from './inputArgs';

export type LatencyStat = 'mean' | 'p50' | 'p90' | 'p95' | 'p99' | 'max' | 'min';
const STATS: readonly LatencyStat[] = ['mean', 'p50', 'p90', 'p95', 'p99', 'max', 'min'];
const UNIT_MS: Record<string, number> = { us: 0.001, 'µs': 0.001, ms: 1, s: 1000, '': 1 };

export interface LatencyLimit {
  stat: LatencyStat;
  maxMs: number;
}

export function parseLatencyLimit(arg: string): LatencyLimit {
  const m = /^(\w+)=([0-9]*\.?[0-9]+)\s*(us|µs|ms|s)?$/.exec(arg.trim());
  if (!m || !(STATS as readonly string[]).includes(m[1])) {
    throw new UsageError(`--max-latency must look like p95=20ms (statistics: ${STATS.join(', ')}; units us, ms, s), not '${arg}'`);
  }
  return { stat: m[1] as LatencyStat, maxMs: Number(m[2]) * UNIT_MS[m[3] ?? ''] };
}

/** One line per broken limit, naming the configuration. */
export function brokenLimits(points: readonly BenchPoint[], limits: readonly LatencyLimit[]): string[] {
  const broken: string[] = [];
  for (const p of points) {
    for (const l of limits) {
      const value = (p.latency as LatencyStats)[l.stat];
      if (!(value <= l.maxMs)) {
        const threads = p.config.intraOpThreads;
        const where = `${threads === 0 ? 'default' : threads} thread${threads === 1 ? '' : 's'}${p.config.batch === null ? '' : `, batch ${p.config.batch}`}`;
        broken.push(`${l.stat} ${value.toFixed(3)} ms > ${l.maxMs} ms (${where})`);
      }
    }
  }
  return broken;
}

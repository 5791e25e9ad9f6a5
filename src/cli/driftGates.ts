/**
 * `drift --fail-if psi>0.2` (and ks, pValue, drifted): a gate that fails when any compared feature
 * — or model output — is past the limit; `drifted>0` fails on the count of drifted features. Pure.
 */
import type { DriftFeature, DriftGate, DriftReport } from '../shared/driftReport';
import { UsageError } from './inputArgs';

const OPS = ['>=', '<=', '>', '<'] as const;

export type DriftGateSpec = Pick<DriftGate, 'spec' | 'measure' | 'op' | 'limit'>;

export function parseDriftGate(arg: string): DriftGateSpec {
  const m = /^\s*(psi|ks|pValue|drifted)\s*(>=|<=|>|<)\s*([^\s]+)\s*$/.exec(arg);
  const limit = m ? Number(m[3]) : NaN;
  if (!m || !Number.isFinite(limit)) throw new UsageError(`--fail-if must look like psi>0.2, ks>0.1, pValue<0.01 or drifted>0, not '${arg}'`);
  return { spec: arg, measure: m[1] as DriftGate['measure'], op: m[2] as (typeof OPS)[number], limit };
}

function past(v: number | null, op: DriftGate['op'], limit: number): boolean {
  if (v === null) return false;
  return op === '>' ? v > limit : op === '>=' ? v >= limit : op === '<' ? v < limit : v <= limit;
}

export function checkDriftGates(report: DriftReport, gates: readonly DriftGateSpec[]): DriftGate[] {
  const all: [string, DriftFeature][] = [...report.features.map((f): [string, DriftFeature] => [f.name, f]), ...report.outputs.map((f): [string, DriftFeature] => [`output:${f.name}`, f])];
  return gates.map((g) => {
    if (g.measure === 'drifted') {
      const failing = past(report.drifted.length, g.op, g.limit);
      return { ...g, offenders: failing ? report.drifted : [], passed: !failing };
    }
    const measure = g.measure;
    const offenders = all.filter(([, f]) => past(f[measure], g.op, g.limit)).map(([n]) => n);
    return { ...g, offenders, passed: offenders.length === 0 };
  });
}

/** 'psi>0.2: pixel_3 (0.41), output:p(7) (0.25)'. */
export function describeDriftGate(g: DriftGate, report: DriftReport): string {
  if (g.measure === 'drifted') return `${g.spec}: ${report.drifted.length} drifted (${g.offenders.slice(0, 5).join(', ')}${g.offenders.length > 5 ? ', …' : ''})`;
  const value = (name: string) => {
    const f = name.startsWith('output:') ? report.outputs.find((o) => `output:${o.name}` === name) : report.features.find((x) => x.name === name);
    const v = f?.[g.measure as 'psi' | 'ks' | 'pValue'];
    return v === null || v === undefined ? '—' : Number(v.toPrecision(3));
  };
  return `${g.spec}: ${g.offenders.slice(0, 5).map((n) => `${n} (${value(n)})`).join(', ')}${g.offenders.length > 5 ? `, and ${g.offenders.length - 5} more` : ''}`;
}

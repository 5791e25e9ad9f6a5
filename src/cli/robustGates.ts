/**
 * `robust --perturb kind=s1,s2` and `--fail-under metric@kind=severity:limit` as data, and the
 * gates checked against a robustness report. Pure; shared by the CLI and its tests.
 *
 * A gate names a point of a curve: `accuracy@noise=0.1:0.9` fails when the accuracy on data with
 * noise σ = 0.1 is below 0.9 (above, for lower-is-better metrics such as mae);
 * `accuracy@attack=0.03:0.5` fails when the accuracy under the ε = 0.03 attack is below 0.5.
 */
import { headlineName, metricBetter, worseThan } from '../core/robustness/curves';
import { PERTURBATION_KINDS, PERTURBATIONS } from '../core/robustness/perturbations';
import type { PerturbationKind, RobustGate, RobustReport } from '../shared/robustReport';
import { UsageError } from './inputArgs';
import { shown } from './evalThresholds';

export interface GateSpec {
  spec: string;
  metric: string;
  perturbation: PerturbationKind | 'attack';
  severity: number;
  limit: number;
}

function numbers(text: string, flag: string): number[] {
  const list = text.split(',').map((s) => s.trim());
  const out = list.map(Number);
  if (list.some((s) => s === '') || out.some((v) => !Number.isFinite(v) || v < 0)) throw new UsageError(`${flag}: severities must be numbers ≥ 0, not '${text}'`);
  return out;
}

/** `noise=0.05,0.1` → { noise, [0.05, 0.1] }; `noise` alone → its default severities. */
export function parsePerturb(arg: string): { perturbation: PerturbationKind; severities: number[] } {
  const at = arg.indexOf('=');
  const kind = (at < 0 ? arg : arg.slice(0, at)).trim();
  if (!(PERTURBATION_KINDS as string[]).includes(kind)) throw new UsageError(`--perturb: unknown perturbation '${kind}'; valid ones are ${PERTURBATION_KINDS.join(', ')}`);
  const perturbation = kind as PerturbationKind;
  const severities = at < 0 ? PERTURBATIONS[perturbation].defaults : numbers(arg.slice(at + 1), `--perturb ${kind}`);
  if (perturbation === 'jpeg' && severities.some((q) => q < 1 || q > 100)) throw new UsageError('--perturb jpeg: qualities go from 1 to 100');
  return { perturbation, severities };
}

/** `accuracy@noise=0.1:0.9`. */
export function parseGate(arg: string): GateSpec {
  const m = /^([^@]+)@([a-z-]+)=([^:]+):(.+)$/.exec(arg.trim());
  const fail = (why: string): never => {
    throw new UsageError(`--fail-under must look like metric@perturbation=severity:limit, e.g. accuracy@noise=0.1:0.9 (${why}), not '${arg}'`);
  };
  if (!m) fail('the parts are missing');
  const [, metric, kind, sev, lim] = m!;
  if (!headlineName(metric)) fail(`unknown metric '${metric}'`);
  if (kind !== 'attack' && !(PERTURBATION_KINDS as string[]).includes(kind)) fail(`unknown perturbation '${kind}'`);
  const severity = Number(sev);
  const limit = Number(lim);
  if (!Number.isFinite(severity) || !Number.isFinite(limit)) fail('severity and limit must be numbers');
  return { spec: arg, metric, perturbation: kind as GateSpec['perturbation'], severity, limit };
}

/** Each gate's value in the report; a point the report does not have is a usage error (named, with what it has). */
export function checkGates(report: RobustReport, gates: readonly GateSpec[]): RobustGate[] {
  return gates.map((g) => {
    const name = headlineName(g.metric)!;
    const better = metricBetter(name);
    let value: number | null;
    if (g.perturbation === 'attack') {
      if (!report.attack) throw new UsageError(`--fail-under ${g.spec}: no attack was run; add --attack square --eps ${g.severity}`);
      if (report.attack.eps !== g.severity) throw new UsageError(`--fail-under ${g.spec}: the attack ran at ε = ${report.attack.eps}`);
      if (name !== 'accuracy') throw new UsageError(`--fail-under ${g.spec}: under attack only accuracy is measured`);
      value = report.attack.robustAccuracy;
    } else {
      if (name !== report.metricName) throw new UsageError(`--fail-under ${g.spec}: the curves measure ${report.metricName}; add --metric ${g.metric}`);
      const point = report.curves.find((p) => p.perturbation === g.perturbation && p.severity === g.severity);
      if (!point) {
        const have = report.curves.filter((p) => p.perturbation === g.perturbation).map((p) => p.severity);
        throw new UsageError(`--fail-under ${g.spec}: ${g.perturbation} was ${have.length ? `measured at ${have.join(', ')}` : 'not measured'}; add --perturb ${g.perturbation}=${g.severity}`);
      }
      value = point.metric;
    }
    return { spec: g.spec, metric: g.metric, perturbation: g.perturbation, severity: g.severity, limit: g.limit, value, better, passed: !worseThan(value, g.limit, better) };
  });
}

/** 'accuracy@noise=0.1 0.812 < 0.9'. */
export function describeGate(g: RobustGate): string {
  if (g.value === null) return `${g.metric}@${g.perturbation}=${g.severity} undefined (limit ${g.limit})`;
  return `${g.metric}@${g.perturbation}=${g.severity} ${shown(g.value, g.limit)} ${g.better === 'higher' ? '<' : '>'} ${g.limit}`;
}

/**
 * `onnx-lens eval --conformal α [--conformal-score lac|aps] [--calib-split f] [--temperature]`:
 * the options as the runtime's UncertaintyOptions, and what `eval --json` and the text output add
 * from the report's `uncertainty` (conformal coverage and set size, the fitted temperature, AURC).
 */
import type { EvalReport } from '../shared/evalReport';
import type { ConformalScore, UncertaintyOptions } from '../shared/uncertaintyTypes';
import { UsageError } from './inputArgs';

export interface UncertaintyCliOptions {
  conformal?: string;
  conformalScore?: string;
  calibSplit?: string;
  temperature?: boolean;
  seed?: string;
}

function fraction(text: string, flag: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0 || v >= 1) throw new UsageError(`${flag} must be a number between 0 and 1 (exclusive), not '${text}'`);
  return v;
}

export function uncertaintyOptions(opts: UncertaintyCliOptions): UncertaintyOptions | undefined {
  if (opts.conformalScore !== undefined && opts.conformal === undefined) throw new UsageError('--conformal-score needs --conformal <alpha>');
  if (opts.calibSplit !== undefined && opts.conformal === undefined && !opts.temperature) throw new UsageError('--calib-split needs --conformal or --temperature');
  if (opts.conformal === undefined && !opts.temperature) return undefined;
  const score = opts.conformalScore ?? 'lac';
  if (score !== 'lac' && score !== 'aps') throw new UsageError(`--conformal-score must be lac or aps, not '${score}'`);
  return {
    ...(opts.conformal !== undefined ? { conformal: { alpha: fraction(opts.conformal, '--conformal'), score: score as ConformalScore } } : {}),
    ...(opts.temperature ? { temperature: true } : {}),
    ...(opts.calibSplit !== undefined ? { calibrationFraction: fraction(opts.calibSplit, '--calib-split') } : {}),
    ...(opts.seed !== undefined && /^\d+$/.test(opts.seed) ? { seed: Number(opts.seed) } : {}),
  };
}

/** The `conformal` and `temperature` objects of `eval --json` (absent unless asked for). */
export function uncertaintyJson(report: EvalReport): Record<string, unknown> {
  const u = report.uncertainty;
  const out: Record<string, unknown> = {};
  if (u?.conformal) {
    const c = u.conformal;
    out.conformal = {
      alpha: c.alpha, score: c.score, coverage: c.coverage, coverageCi95: c.coverageCi95, guarantee: c.guarantee,
      ...('meanSetSize' in c ? { meanSetSize: c.meanSetSize } : { intervalWidth: c.intervalWidth }),
      calibrationSize: c.calibrationSize, testSize: c.testSize,
    };
  }
  if (u?.temperature) {
    const t = u.temperature;
    out.temperature = { T: t.T, eceBefore: t.eceBefore, eceAfter: t.eceAfter, nllBefore: t.nllBefore, nllAfter: t.nllAfter };
  }
  if (u?.selective) out.selective = { aurc: u.selective.aurc, eaurc: u.selective.eaurc };
  return out;
}

const f4 = (x: number) => x.toFixed(4);

/** Lines of the text output about trust; empty when the report has none to say. */
export function uncertaintyLines(report: EvalReport): string[] {
  const u = report.uncertainty;
  if (!u) return [];
  const lines: string[] = [];
  if (u.selective) lines.push(`  selective prediction: AURC ${f4(u.selective.aurc)} (E-AURC ${f4(u.selective.eaurc)}; error rate ${f4(u.selective.risk)} answering everything)`);
  if (u.temperature) {
    const t = u.temperature;
    lines.push(`  temperature scaling: T = ${t.T.toPrecision(4)}, ECE ${f4(t.eceBefore)} → ${f4(t.eceAfter)}, NLL ${f4(t.nllBefore)} → ${f4(t.nllAfter)} (fitted on ${t.calibrationSize} samples, measured on ${t.testSize})`);
  }
  if (u.conformal) {
    const c = u.conformal;
    const size = 'meanSetSize' in c ? `mean set size ${c.meanSetSize.toFixed(2)}` : `interval ±${c.qHat === null ? '∞' : c.qHat.toPrecision(4)}`;
    lines.push(`  conformal (${c.score.toUpperCase()}, α = ${c.alpha}): coverage ${f4(c.coverage)} [${f4(c.coverageCi95[0])}, ${f4(c.coverageCi95[1])}] on ${c.testSize} samples, guarantee [${f4(c.guarantee[0])}, ${f4(c.guarantee[1])}]; ${size}`);
  }
  return lines.length ? ['', 'Uncertainty', ...lines] : [];
}

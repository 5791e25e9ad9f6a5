/**
 * Two datasets compared column by column (drift tables, table.ts): numbers by the two-sample KS
 * test, categories by chi-square, both by PSI, each with the histogram its chart draws. A feature
 * has drifted when its test rejects at α after a Bonferroni correction over the features AND its
 * PSI is at least 0.1: with thousands of rows a test alone flags shifts too small to matter, and
 * PSI alone ignores how much data there is. Features come sorted by PSI, largest first.
 */
import { DatasetError } from '../data/errors';
import type { DriftFeature, DriftHistogram, DriftSide } from '../../shared/driftReport';
import { chiSquareHomogeneity } from './chiSquare';
import { asCategories, type DriftColumn } from './columns';
import { ks2Samp } from './ks';
import { numericPsi, psiFromCounts } from './psi';

export const DEFAULT_ALPHA = 0.05;
/** PSI from which a significant shift counts as drift ("moderate" on the usual scale). */
export const PSI_DRIFT = 0.1;
/** Whole-number columns with at most this many distinct values are categories. */
export const MAX_DISCRETE_VALUES = 20;
const HISTOGRAM_BINS = 20;
const MAX_CATEGORIES_SHOWN = 20;

function side(c: DriftColumn): DriftSide {
  if (c.kind === 'categorical') return { count: [...c.counts.values()].reduce((a, b) => a + b, 0), missing: c.missing, mean: null, std: null };
  const n = c.values.length;
  let s = 0;
  for (const v of c.values) s += v;
  const mean = n ? s / n : null;
  let q = 0;
  if (mean !== null) for (const v of c.values) q += (v - mean) ** 2;
  return { count: n, missing: c.missing, mean: mean !== null && Number.isFinite(mean) ? mean : null, std: n > 1 && Number.isFinite(q) ? Math.sqrt(q / (n - 1)) : null };
}

/** Whole numbers with few distinct values on both sides: compare them as categories. */
function isDiscrete(a: DriftColumn, b: DriftColumn): boolean {
  const distinct = new Set<number>();
  for (const c of [a, b]) {
    for (const v of c.values) {
      if (!Number.isInteger(v)) return false;
      distinct.add(v);
      if (distinct.size > MAX_DISCRETE_VALUES) return false;
    }
  }
  return distinct.size > 0;
}

const fmt = (x: number) => String(Number(x.toPrecision(3)));

function numericHistogram(a: Float64Array, b: Float64Array): DriftHistogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of [a, b]) for (const v of c) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!Number.isFinite(lo)) return { edges: [], labels: [], reference: [], current: [] };
  const bins = hi > lo ? HISTOGRAM_BINS : 1;
  const width = (hi - lo) / bins || 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const count = (c: Float64Array) => {
    const out = new Array<number>(bins).fill(0);
    for (const v of c) if (Number.isFinite(v)) out[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
    return out;
  };
  return { edges, labels: edges.slice(0, -1).map((e, i) => `${fmt(e)}–${fmt(edges[i + 1])}`), reference: count(a), current: count(b) };
}

/** Both count vectors over the union of categories, in a stable order (numbers numerically, then text). */
function alignedCounts(a: Map<string, number>, b: Map<string, number>): { names: string[]; ref: number[]; cur: number[] } {
  const names = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => {
    const nx = Number(x);
    const ny = Number(y);
    return Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
  });
  return { names, ref: names.map((n) => a.get(n) ?? 0), cur: names.map((n) => b.get(n) ?? 0) };
}

function categoryHistogram(names: string[], ref: number[], cur: number[]): DriftHistogram {
  if (names.length <= MAX_CATEGORIES_SHOWN + 1) return { edges: null, labels: names, reference: ref, current: cur };
  const order = names.map((_, i) => i).sort((i, j) => ref[j] + cur[j] - (ref[i] + cur[i]));
  const keep = order.slice(0, MAX_CATEGORIES_SHOWN).sort((i, j) => i - j);
  const rest = order.slice(MAX_CATEGORIES_SHOWN);
  const sum = (v: number[]) => rest.reduce((s, i) => s + v[i], 0);
  return { edges: null, labels: [...keep.map((i) => names[i]), `other (${rest.length})`], reference: [...keep.map((i) => ref[i]), sum(ref)], current: [...keep.map((i) => cur[i]), sum(cur)] };
}

/** One feature of both datasets; `tests` is the number of features sharing the Bonferroni correction. */
export function compareColumn(a: DriftColumn, b: DriftColumn, alpha: number, tests: number): DriftFeature {
  const categorical = a.kind === 'categorical' || b.kind === 'categorical' || isDiscrete(a, b);
  const reference = side(a);
  const current = side(b);
  const level = alpha / Math.max(1, tests);
  if (!categorical) {
    if (a.values.length === 0 || b.values.length === 0) {
      return { name: a.name, kind: 'numeric', test: 'ks', psi: 0, ks: null, chiSquare: null, dof: null, pValue: 1, drifted: false, reference, current, histogram: numericHistogram(a.values, b.values) };
    }
    const ks = ks2Samp(a.values, b.values);
    const psi = numericPsi(Float64Array.from(a.values).sort(), b.values).psi;
    return {
      name: a.name, kind: 'numeric', test: 'ks', psi, ks: ks.statistic, chiSquare: null, dof: null, pValue: ks.pValue,
      drifted: ks.pValue < level && psi >= PSI_DRIFT, reference, current, histogram: numericHistogram(a.values, b.values),
    };
  }
  const { names, ref, cur } = alignedCounts(asCategories(a).counts, asCategories(b).counts);
  const chi = chiSquareHomogeneity(ref, cur);
  const empty = ref.every((v) => v === 0) || cur.every((v) => v === 0);
  const psi = empty ? 0 : psiFromCounts(ref, cur);
  return {
    name: a.name, kind: 'categorical', test: 'chi-square', psi, ks: null, chiSquare: chi.statistic, dof: chi.dof, pValue: chi.pValue,
    drifted: chi.pValue < level && psi >= PSI_DRIFT, reference, current, histogram: categoryHistogram(names, ref, cur),
  };
}

/**
 * Every column of the reference against the same column of the current data (matched by name);
 * a column the current data lacks is an error naming it, one it adds is a warning.
 */
export function compareTables(reference: { file: string; columns: DriftColumn[] }, current: { file: string; columns: DriftColumn[] }, alpha: number, warnings: string[]): DriftFeature[] {
  const byName = new Map(current.columns.map((c) => [c.name, c]));
  const missing = reference.columns.find((c) => !byName.has(c.name));
  if (missing) throw new DatasetError(current.file, `has no column '${missing.name}', which the reference ${reference.file.split(/[\\/]/).pop()} has`, { column: missing.name });
  const extra = current.columns.filter((c) => !reference.columns.some((r) => r.name === c.name)).map((c) => c.name);
  if (extra.length) warnings.push(`${current.file.split(/[\\/]/).pop()} has column${extra.length === 1 ? '' : 's'} the reference does not (${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}); ${extra.length === 1 ? 'it was' : 'they were'} not compared.`);
  const features = reference.columns.map((c) => compareColumn(c, byName.get(c.name)!, alpha, reference.columns.length));
  return features.sort((x, y) => y.psi - x.psi || x.name.localeCompare(y.name));
}

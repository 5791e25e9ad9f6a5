/**
 * One column of a drift table, built value by value: numbers while every value parses as one,
 * categories (counts per distinct text) from the first value that does not — earlier numbers
 * then become their text. Missing values (empty, NaN, NA, null, None, ?, -) are counted, not
 * compared.
 */

export interface DriftColumn {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Numeric columns: the values present, in file order. */
  values: Float64Array;
  /** Categorical columns: how many times each category occurs. */
  counts: Map<string, number>;
  missing: number;
}

const MISSING = new Set(['', 'nan', 'na', 'n/a', 'null', 'none', '?', '-']);

export class ColumnBuilder {
  private numbers = new Float64Array(1024);
  private length = 0;
  private counts: Map<string, number> | null = null;
  private missing = 0;

  constructor(readonly name: string, categorical: boolean) {
    if (categorical) this.counts = new Map();
  }

  add(text: string): void {
    const t = text.trim();
    if (MISSING.has(t.toLowerCase())) {
      this.missing++;
      return;
    }
    if (!this.counts) {
      const v = t === '' ? NaN : Number(t);
      if (Number.isFinite(v) || /^[+-]?inf(inity)?$/i.test(t)) {
        this.push(Number.isFinite(v) ? v : t.startsWith('-') ? -Infinity : Infinity);
        return;
      }
      this.toCategories();
    }
    this.counts!.set(t, (this.counts!.get(t) ?? 0) + 1);
  }

  addNumber(v: number): void {
    if (Number.isNaN(v)) this.missing++;
    else if (this.counts) this.counts.set(String(v), (this.counts.get(String(v)) ?? 0) + 1);
    else this.push(v);
  }

  private push(v: number): void {
    if (this.length === this.numbers.length) {
      const next = new Float64Array(this.numbers.length * 2);
      next.set(this.numbers);
      this.numbers = next;
    }
    this.numbers[this.length++] = v;
  }

  private toCategories(): void {
    this.counts = new Map();
    for (let i = 0; i < this.length; i++) {
      const k = String(this.numbers[i]);
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    }
    this.length = 0;
  }

  finish(): DriftColumn {
    return this.counts
      ? { name: this.name, kind: 'categorical', values: new Float64Array(0), counts: this.counts, missing: this.missing }
      : { name: this.name, kind: 'numeric', values: this.numbers.slice(0, this.length), counts: new Map(), missing: this.missing };
  }
}

/** A numeric column as categories (when the other dataset's column is categorical). */
export function asCategories(c: DriftColumn): DriftColumn {
  if (c.kind === 'categorical') return c;
  const counts = new Map<string, number>();
  for (const v of c.values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  return { ...c, kind: 'categorical', values: new Float64Array(0), counts };
}

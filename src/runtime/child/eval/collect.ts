/**
 * Growing per-sample arrays for one evaluation pass: labels, model outputs and sources, appended
 * batch by batch (the sample count of a text file is known only at its end). Amortised doubling,
 * so 1M samples × 10 classes costs a few copies of 80 MB at most.
 */
import { numericView, type RuntimeTensor } from '../ort/tensorSummary';

type Growable = Float64Array | Int32Array;

export class Column<T extends Growable> {
  private data: T;
  length = 0;

  constructor(private readonly Ctor: { new (n: number): T }, initial = 1024) {
    this.data = new Ctor(Math.max(1, initial));
  }

  private reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.data.length) return;
    let size = this.data.length;
    while (size < need) size *= 2;
    const next = new this.Ctor(size);
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }

  /** Appends `count` values of `src` starting at `from`, converted to numbers. */
  append(src: ArrayLike<number> | BigInt64Array | BigUint64Array, from = 0, count = src.length - from): void {
    this.reserve(count);
    const d = this.data;
    let at = this.length;
    if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
      for (let i = 0; i < count; i++) d[at++] = Number(src[from + i]);
    } else if (ArrayBuffer.isView(src) && from === 0 && count === src.length) {
      d.set(src as never, at);
      at += count;
    } else if (ArrayBuffer.isView(src)) {
      d.set((src as Float32Array).subarray(from, from + count) as never, at);
      at += count;
    } else {
      for (let i = 0; i < count; i++) d[at++] = src[from + i];
    }
    this.length = at;
  }

  /** The values appended so far (a view; copy it before appending more). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/** Where samples came from: line numbers or paths, in sample order. */
export class Sources {
  private readonly numbers = new Column(Float64Array);
  private readonly paths: string[] = [];

  append(sources: Float64Array | string[] | null, count: number): void {
    if (sources instanceof Float64Array) this.numbers.append(sources, 0, count);
    else if (sources) for (let i = 0; i < count; i++) this.paths.push(sources[i]);
  }

  /** The source of sample `i`: its line or path; the sample index itself for array files. */
  at(i: number): number | string {
    if (this.paths.length > 0) return this.paths[i];
    if (this.numbers.length > 0) return this.numbers.view()[i];
    return i;
  }
}

/**
 * One batch's model output as values per sample: `rows` are the rows the model was fed (the fixed
 * batch, padding included); the first `count` are real samples.
 */
export function outputRows(t: RuntimeTensor, rows: number): { values: ArrayLike<number> | BigInt64Array | BigUint64Array; columns: number } | null {
  const values = numericView(t);
  if (!values || rows <= 0 || values.length % rows !== 0) return null;
  return { values, columns: values.length / rows };
}

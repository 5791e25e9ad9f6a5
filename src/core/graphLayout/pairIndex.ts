/**
 * Pairs of non-negative 32-bit integers numbered in the order they are first added, in an
 * open-addressing table of typed arrays. Written here because a `Map` keyed by `x * total + y` was
 * a large part of laying out a big model's first view: at 100k nodes its 180k keys pass 2^31, so
 * each is a heap number, hashed slowly and left as garbage (~75 ms of the worker's 120–190 ms for a
 * 37-item view, against ~45 ms for this table, measured in Node).
 */
export class PairIndex {
  private xs: Int32Array;
  private ys: Int32Array;
  private ids: Int32Array;
  private count = 0;

  /** `expected`: about how many pairs will be added (the table grows past it if need be). */
  constructor(expected: number) {
    let capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    this.xs = new Int32Array(capacity).fill(-1);
    this.ys = new Int32Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The number of (x, y): the one it got when first added, or `size` now (it is added). */
  add(x: number, y: number): number {
    const mask = this.xs.length - 1;
    for (let slot = hash(x, y) & mask; ; slot = (slot + 1) & mask) {
      if (this.xs[slot] === -1) {
        this.xs[slot] = x;
        this.ys[slot] = y;
        this.ids[slot] = this.count;
        if (++this.count * 2 > this.xs.length) this.grow();
        return this.count - 1;
      }
      if (this.xs[slot] === x && this.ys[slot] === y) return this.ids[slot];
    }
  }

  private grow(): void {
    const { xs, ys, ids } = this;
    this.xs = new Int32Array(xs.length * 2).fill(-1);
    this.ys = new Int32Array(xs.length * 2);
    this.ids = new Int32Array(xs.length * 2);
    const mask = this.xs.length - 1;
    for (let old = 0; old < xs.length; old++) {
      if (xs[old] === -1) continue;
      let slot = hash(xs[old], ys[old]) & mask;
      while (this.xs[slot] !== -1) slot = (slot + 1) & mask;
      this.xs[slot] = xs[old];
      this.ys[slot] = ys[old];
      this.ids[slot] = ids[old];
    }
  }
}

function hash(x: number, y: number): number {
  const h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y + 0x7f4a7c15, 0x85ebca77);
  return (h ^ (h >>> 15)) >>> 0;
}

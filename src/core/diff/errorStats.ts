/**
 * How far one array of numbers is from another, accumulated window by window: the statistics
 * both the weight diff and the behaviour comparison (per output, per node) report. SQNR in dB is
 * 10·log10(Σx² / Σ(x−y)²), the relative L2 change √(Σ(x−y)² / Σx²), cosine Σxy / √(Σx²·Σy²).
 * NaN pairs are skipped (a NaN in both is no difference; one NaN shows in the counts).
 */
export class ErrorStats {
  signal = 0;
  noise = 0;
  dot = 0;
  other = 0;
  maxAbs = 0;
  absSum = 0;
  count = 0;

  add(a: ArrayLike<number>, b: ArrayLike<number>): void {
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      const d = x - y;
      if (Number.isNaN(d)) continue;
      this.signal += x * x;
      this.noise += d * d;
      this.dot += x * y;
      this.other += y * y;
      const ad = Math.abs(d);
      if (ad > this.maxAbs) this.maxAbs = ad;
      this.absSum += ad;
      this.count++;
    }
  }

  get sqnr(): number {
    return this.noise === 0 ? Infinity : this.signal === 0 ? -Infinity : 10 * Math.log10(this.signal / this.noise);
  }

  get cosine(): number {
    if (this.signal === 0 && this.other === 0) return 1;
    if (this.signal === 0 || this.other === 0) return 0;
    return this.dot / Math.sqrt(this.signal * this.other);
  }

  get relativeL2(): number {
    return this.signal ? Math.sqrt(this.noise / this.signal) : this.noise ? Infinity : 0;
  }

  get meanAbs(): number {
    return this.count ? this.absSum / this.count : 0;
  }
}

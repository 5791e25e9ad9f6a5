/**
 * Seeded random numbers, the same on every machine: generated model inputs, calibration noise.
 * mulberry32 (a 32-bit state PRNG) for uniforms and Box–Muller for normals.
 */

/** Uniform numbers in (0, 1) — never exactly 0, so log() in Box–Muller stays finite. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/** Fills `out` with normal numbers (mean 0, standard deviation `std`) from `uniform`. */
export function fillNormals(out: { length: number; [i: number]: number }, uniform: () => number, std = 1): void {
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform())) * std;
    const theta = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(theta);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(theta);
  }
}

/**
 * Metrics core benchmark: `node_modules/.bin/tsx bench/metrics.bench.ts`.
 *
 * Generates seeded synthetic logits for 10 classes (true class boosted, so the model is decent
 * and the scores are continuous — the worst case for curve length) and times
 * `evaluateClassification` with every metric, at 100k and 1M samples. Curves are computed in full
 * (AUC/AP integrate every point) and thinned to the default 2000 points for the result. Linear-ithmic scaling means ratio ≈ 10–12; a quadratic step would show as ~100.
 * Also times a 1000-resample bootstrap at 10k samples (the size the intervals are meant for).
 *
 * Human lines on stderr; ONE JSON line on stdout:
 *   {"n1m_ms":…, "n100k_ms":…, "ratio":…, "bootstrap10k_ms":…}
 */
import { evaluateClassification } from '../src/core/metrics';

const K = 10;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const log = (s: string) => process.stderr.write(`${s}\n`);

/** mulberry32 + Box–Muller: the same data on every run. */
function synthetic(n: number, seed: number): { yTrue: Int32Array; scores: Float64Array } {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const yTrue = new Int32Array(n);
  const scores = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const y = Math.floor(uniform() * K);
    yTrue[i] = y;
    for (let c = 0; c < K; c++) scores[i * K + c] = normal() + (c === y ? 2 : 0);
  }
  return { yTrue, scores };
}

function median(xs: number[]): number {
  return [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
}

function time(n: number, repeats: number, bootstrap = false): number {
  const { yTrue, scores } = synthetic(n, 42);
  const runs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const m = evaluateClassification(yTrue, scores, K, bootstrap ? { bootstrap: { resamples: 1000 } } : {});
    runs.push(performance.now() - t0);
    if (r === 0) {
      const points = m.curves.roc.reduce((s, c) => s + c.pointCount, 0) + m.curves.pr.reduce((s, c) => s + c.pointCount, 0);
      log(`  n=${n}${bootstrap ? ' +bootstrap×1000' : ''}: accuracy ${m.accuracy.toFixed(4)}, macro AUC ${m.rocAuc.macro?.toFixed(4)}, ${points} curve points`);
    }
  }
  return median(runs);
}

log(`metrics core, ${K} classes, median of ${REPEATS}`);
time(20_000, 2); // warm-up: let V8 optimise the hot loops before measuring
const n100k = time(100_000, REPEATS);
const n1m = time(1_000_000, REPEATS);
const bootstrap10k = time(10_000, 1, true);
log(`  100k: ${n100k.toFixed(0)} ms   1M: ${n1m.toFixed(0)} ms   ratio ${(n1m / n100k).toFixed(1)}   bootstrap 10k×1000: ${bootstrap10k.toFixed(0)} ms`);
process.stdout.write(`${JSON.stringify({ n1m_ms: Math.round(n1m), n100k_ms: Math.round(n100k), ratio: Number((n1m / n100k).toFixed(2)), bootstrap10k_ms: Math.round(bootstrap10k) })}\n`);

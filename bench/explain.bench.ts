/**
 * Saliency maps at the model's speed (issue 17): occlusion and RISE of a 224×224 ResNet-like CNN
 * (bench/resnetLike.ts: the ResNet-18 layout, a free batch dim) through the runtime process's `explain` request vs a bare batched onnxruntime loop
 * in this process over the same masked images (the same masks, built here up front and not timed),
 * same session options and batch. The figure is throughput, images per second, ours over the bare
 * loop's, median of alternating rounds (target >= 0.8). The request also runs the unmasked image
 * (the score the map is relative to) and its mask making, IPC and accumulation: all counted as ours.
 * Prints one JSON line at the end: { results: [{ name, line, ok }] }.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { createRuntimeClient } from '../src/runtime/client/runtimeClient';
import { batchFor } from '../src/runtime/child/explain/ortBox';
import { riseMask } from '../src/core/explain/rise';
import { windowStarts } from '../src/core/explain/occlusion';
import { createRng } from '../src/core/metrics/rng';
import { encodeNpy } from '../src/core/data/npy';
import { DEFAULT_SESSION_OPTIONS as options } from '../src/shared/runtimeTypes';
import type { ExplainRequest } from '../src/shared/explainReport';
import { resnetLike } from './resnetLike';
import { median } from './timing';
import * as fs from 'node:fs';

const ROOT = path.resolve(__dirname, '..');
const ROUNDS = Number(process.env.BENCH_EXPLAIN_ROUNDS ?? 3);
const SIZE = 224;
const PIXELS = SIZE * SIZE;
const SAMPLE = 3 * PIXELS;
const BATCH = batchFor(SAMPLE);
/** Occlusion window and stride: an 8 × 8 grid of 28-pixel windows, 64 occluded images. */
const WINDOW = 28;
const log = (line: string) => process.stderr.write(`${line}\n`);
const results: { name: string; line: string; ok: boolean }[] = [];

function image(): Float32Array {
  const x = new Float32Array(SAMPLE);
  for (let i = 0; i < SAMPLE; i++) x[i] = Math.sin(i * 0.001) * 1.5;
  return x;
}

/** The masked images the request will make, in its order: RISE masks from the same seeded stream, or occlusion windows. */
function maskedImages(x: Float32Array, method: 'rise' | 'occlusion', count: number): Float32Array[] {
  const out: Float32Array[] = [];
  if (method === 'rise') {
    const rng = createRng(0);
    const mask = new Float32Array(PIXELS);
    for (let i = 0; i < count; i++) {
      riseMask(rng, SIZE, SIZE, 7, 0.5, mask);
      out.push(Float32Array.from(x, (v, e) => v * mask[e % PIXELS]));
    }
    return out;
  }
  const starts = windowStarts(SIZE, WINDOW, WINDOW);
  for (const y0 of starts) {
    for (const x0 of starts) {
      const m = Float32Array.from(x);
      for (let c = 0; c < 3; c++) for (let y = y0; y < y0 + WINDOW; y++) m.fill(0, c * PIXELS + y * SIZE + x0, c * PIXELS + y * SIZE + x0 + WINDOW);
      out.push(m);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-explain-bench-'));
  const rpc = createRuntimeClient(path.join(ROOT, 'src/runtime/child/ortChild.ts'), ['--import', 'tsx']);
  const RESNET = resnetLike(dir);
  const session = await ort.InferenceSession.create(RESNET, { logSeverityLevel: 3 });
  try {
    const x = image();
    const npy = path.join(dir, 'image.npy');
    fs.writeFileSync(npy, encodeNpy({ dtype: 'float32', shape: [1, 3, SIZE, SIZE], data: x }));
    const inputName = session.inputNames[0];
    const outputName = session.outputNames[0];
    for (const method of ['rise', 'occlusion'] as const) {
      const masks = method === 'rise' ? 2 * BATCH : (SIZE / WINDOW) ** 2;
      const images = maskedImages(x, method, masks);
      const batches: ort.Tensor[] = [];
      for (let i = 0; i < images.length; i += BATCH) {
        const part = images.slice(i, i + BATCH);
        const data = new Float32Array(part.length * SAMPLE);
        part.forEach((m, j) => data.set(m, j * SAMPLE));
        batches.push(new ort.Tensor('float32', data, [part.length, 3, SIZE, SIZE]));
      }
      const req: ExplainRequest = {
        model: RESNET, options, method, sanity: false, masks, window: WINDOW, stride: WINDOW, baseline: 0, seed: 0,
        subject: { kind: 'inputs', inputs: [{ name: inputName, dims: [1, 3, SIZE, SIZE], source: { kind: 'npy', path: npy } }] },
      };
      const bare = async () => {
        for (const b of batches) await session.run({ [inputName]: b }, [outputName]);
      };
      let evaluations = 0;
      const ours = async () => {
        const r = await rpc.request('explain', req, { timeoutMs: 30 * 60_000 });
        evaluations = r.budget.evaluations;
      };
      await ours();
      await bare();
      const ratios: number[] = [];
      const times: { ours: number; bare: number }[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        let t = performance.now();
        await ours();
        const o = performance.now() - t;
        t = performance.now();
        await bare();
        const b = performance.now() - t;
        times.push({ ours: o, bare: b });
        ratios.push((evaluations / o) / (masks / b));
      }
      const ratio = median(ratios);
      const oursMs = median(times.map((t) => t.ours));
      const bareMs = median(times.map((t) => t.bare));
      log(`  ${method}: request ${oursMs.toFixed(0)} ms for ${evaluations} images, bare loop ${bareMs.toFixed(0)} ms for ${masks} (batch ${BATCH}, load ${os.loadavg()[0].toFixed(1)})`);
      results.push({
        name: `explain ${method} throughput, ResNet-like CNN 224×224`,
        line: `${ratio.toFixed(2)}x a bare batched ORT loop over the same ${masks} masked images (${(evaluations / oursMs * 1000).toFixed(1)} vs ${(masks / bareMs * 1000).toFixed(1)} images/s; target >= 0.80)`,
        ok: ratio >= 0.8,
      });
    }
  } finally {
    rpc.dispose();
    await session.release();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ results })}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

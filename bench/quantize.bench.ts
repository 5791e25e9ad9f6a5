/**
 * Quantization (issue 8), every figure against a baseline measured in this same run:
 *  1. Dynamic int8 of the generated 6 MB digits MLP: size (≤ 0.27x), latency at batch 1 against the
 *     float model in the same process, alternating (not slower), top-1 agreement on its test data (≥ 99%).
 *  2. Weight-only int4 in blocks of 32 of the same MLP: size (≤ 0.18x).
 *  3. PP-OCRv4 recognition (npm), dynamic int8 with per-channel Conv: per-step top-1 agreement on
 *     rendered text lines (≥ 97%).
 *  4. The bundled sample: accuracy drop with dynamic int8 (≤ 1 point).
 *  5. Quantization time against model size: 10 MB and 100 MB MLPs (linear: ≤ 12x the time for 10x
 *     the size; 100 MB in under a minute).
 *  6. Every output of 1–4 passes onnx.checker (where python3-onnx's opset allows) and runs in onnxruntime.
 * Prints one JSON line at the end: { results: [{ name, line, ok }] }.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readModelFile } from '../src/core/onnx/reader';
import { writeModelFile } from '../src/core/onnx/write/writeModel';
import { rewriteModel } from '../src/core/quantize/rewriteModel';
import type { QuantizeSettings } from '../src/shared/quantizeSettings';
import { PP_OCR } from '../test/fixtures/npmModels';
import { oracle, oracleAvailable } from '../test/fixtures/oracle';
import { cachedDigitsMlp6mb, DIGITS_TEST, readDigits, SAMPLE } from '../test/unit/quantize/models';
import { renderTextLines, stepClasses } from '../test/unit/quantize/ocrData';
import { writeTimingMlp } from './quantizeModels';

const results: { name: string; line: string; ok: boolean }[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-quant-bench-'));
const written: string[] = [];

function quantize(input: string, name: string, settings: QuantizeSettings): { file: string; ratio: number; ms: number } {
  const t = performance.now();
  const model = readModelFile(input);
  const file = path.join(tmp, `${name}.onnx`);
  try {
    const w = writeModelFile(model, rewriteModel(model, settings).rewrite, file, { overwrite: true });
    written.push(file);
    return { file, ratio: (w.bytes + w.dataBytes) / fs.statSync(input).size, ms: performance.now() - t };
  } finally {
    model.close();
  }
}

async function session(file: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(file, { logSeverityLevel: 3, intraOpNumThreads: 1 });
}

function share<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** Median latency of both sessions at batch 1, alternating run by run so both see the same machine. */
async function alternate(a: ort.InferenceSession, b: ort.InferenceSession, feeds: Record<string, ort.Tensor>, runs: number): Promise<[number, number]> {
  for (let i = 0; i < 20; i++) {
    await a.run(feeds);
    await b.run(feeds);
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    await a.run(feeds);
    ta.push(performance.now() - t);
    t = performance.now();
    await b.run(feeds);
    tb.push(performance.now() - t);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
  return [median(ta), median(tb)];
}

async function main(): Promise<void> {
  const digits = readDigits(DIGITS_TEST);
  const all = { input: new ort.Tensor('float32', digits.x, [digits.count, 64]) };

  // 1–2. The 6 MB MLP.
  const mlp = cachedDigitsMlp6mb();
  const dyn = quantize(mlp, 'mlp-dynamic', { mode: 'dynamic' });
  results.push({ name: 'dynamic int8 size (6 MB MLP)', line: `${dyn.ratio.toFixed(3)}x of ${(fs.statSync(mlp).size / 1e6).toFixed(2)} MB (target <= 0.27x)`, ok: dyn.ratio <= 0.27 });
  const [s0, s1] = [await session(mlp), await session(dyn.file)];
  const one = { input: new ort.Tensor('float32', digits.x.subarray(0, 64), [1, 64]) };
  const [fp32Ms, int8Ms] = await alternate(s0, s1, one, Number(process.env.BENCH_QUANT_RUNS ?? 2000));
  log(`  6 MB MLP batch 1: fp32 ${fp32Ms.toFixed(4)} ms, int8 ${int8Ms.toFixed(4)} ms`);
  results.push({ name: 'dynamic int8 latency (6 MB MLP, batch 1, one thread)', line: `${(int8Ms / fp32Ms).toFixed(2)}x fp32 (${int8Ms.toFixed(3)} vs ${fp32Ms.toFixed(3)} ms median, same run; target <= 1x)`, ok: int8Ms <= fp32Ms });
  const agreement = share((await s0.run(all)).label.data as BigInt64Array, (await s1.run(all)).label.data as BigInt64Array);
  results.push({ name: 'dynamic int8 top-1 agreement (6 MB MLP, digits test)', line: `${(100 * agreement).toFixed(2)}% of ${digits.count} samples (target >= 99%)`, ok: agreement >= 0.99 });
  await s0.release();
  await s1.release();
  const int4 = quantize(mlp, 'mlp-int4', { mode: 'weight-only', bits: 4, blockSize: 32 });
  results.push({ name: 'weight-only int4 size (6 MB MLP, block 32)', line: `${int4.ratio.toFixed(3)}x (target <= 0.18x)`, ok: int4.ratio <= 0.18 });

  // 3. PP-OCRv4 recognition.
  const rec = PP_OCR.rec();
  const lines = await renderTextLines(48);
  const recFeeds = { x: new ort.Tensor('float32', lines.x, [lines.count, 3, 48, 320]) };
  const recQ = quantize(rec, 'rec-dynamic', { mode: 'dynamic', ops: ['MatMul', 'Gemm', 'Conv'] });
  const [r0, r1] = [await session(rec), await session(recQ.file)];
  const [o0, o1] = [(await r0.run(recFeeds))['softmax_11.tmp_0'], (await r1.run(recFeeds))['softmax_11.tmp_0']];
  const classes = o0.dims[2];
  const steps = share(stepClasses(o0.data as Float32Array, classes), stepClasses(o1.data as Float32Array, classes));
  results.push({ name: 'PP-OCRv4 rec dynamic int8, per-channel Conv: per-step top-1 agreement', line: `${(100 * steps).toFixed(2)}% of ${o0.dims[0] * o0.dims[1]} steps, size ${recQ.ratio.toFixed(3)}x (target >= 97%)`, ok: steps >= 0.97 });
  await r0.release();
  await r1.release();

  // 4. The sample's accuracy.
  const sampleQ = quantize(SAMPLE, 'sample-dynamic', { mode: 'dynamic' });
  const acc = async (file: string) => {
    const s = await session(file);
    const labels = (await s.run(all)).label.data as BigInt64Array;
    await s.release();
    return share(Array.from(labels, Number), digits.labels);
  };
  const [a0, a1] = [await acc(SAMPLE), await acc(sampleQ.file)];
  results.push({ name: 'sample model accuracy with dynamic int8', line: `${(100 * a0).toFixed(2)}% → ${(100 * a1).toFixed(2)}% (${(100 * (a1 - a0)).toFixed(2)} points; target >= -1)`, ok: a0 - a1 <= 0.01 });
  for (const [name, settings] of [['sample-fp16', { mode: 'fp16' }], ['sample-prune', { mode: 'prune', sparsity: 0.5 }], ['sample-int4', { mode: 'weight-only', bits: 4, blockSize: 16 }], ['sample-qdq', { mode: 'dynamic', format: 'qdq', perChannel: true }]] as const) {
    quantize(SAMPLE, name, settings as QuantizeSettings);
  }

  // 5. Time against size.
  const times: Record<number, number> = {};
  for (const mb of [10, 100]) {
    const file = path.join(tmp, `timing-${mb}.onnx`);
    writeTimingMlp(file, mb);
    times[mb] = quantize(file, `timing-${mb}-q`, { mode: 'dynamic' }).ms;
    written.pop();
    fs.rmSync(file, { force: true });
  }
  log(`  dynamic int8 time: 10 MB ${times[10].toFixed(0)} ms, 100 MB ${times[100].toFixed(0)} ms`);
  const ratio = times[100] / times[10];
  results.push({ name: 'quantization time vs size (dynamic int8, 10 MB → 100 MB)', line: `${ratio.toFixed(1)}x the time for 10x the size; 100 MB in ${(times[100] / 1000).toFixed(1)} s (targets <= 12x, < 60 s)`, ok: ratio <= 12 && times[100] < 60_000 });

  // 6. onnx.checker and onnxruntime on every output.
  const problems: string[] = [];
  let checked = 0;
  for (const file of written) {
    try {
      const s = await session(file);
      await s.release();
    } catch (err) {
      problems.push(`${path.basename(file)} does not load: ${(err as Error).message.split('\n')[0]}`);
    }
    const m = readModelFile(file);
    const opset = m.info.opsets.find((o) => o.domain === '')?.version ?? 0;
    m.close();
    if (oracleAvailable() && opset <= 17) {
      const c = await oracle('check', file);
      checked++;
      if (!c.ok) problems.push(`${path.basename(file)}: ${c.error}`);
    }
  }
  results.push({ name: 'outputs pass onnx.checker and load in onnxruntime', line: problems.length ? problems.join('; ') : `${written.length} models load; ${checked} checked by onnx.checker${oracleAvailable() ? '' : ' (python3-onnx missing)'}`, ok: problems.length === 0 });
}

main()
  .catch((err) => {
    results.push({ name: 'quantize bench', line: `crashed: ${(err as Error).stack ?? err}`, ok: false });
  })
  .finally(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    for (const r of results) log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}: ${r.line}`);
    process.stdout.write(`${JSON.stringify({ results })}\n`);
  });

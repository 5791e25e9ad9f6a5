#!/usr/bin/env node
/**
 * `npm run bench`: every figure is a ratio against a baseline measured in this same run,
 * because absolute times on these shared 2-core machines mean little.
 *
 * 1. Summarising a generated ~500 MB weight-heavy model vs a full protobuf decode of it
 *    (targets: >= 5x faster; RSS growth <= 10% of the file size).
 * 2. Parse + graph + shape inference on generated transformer-like graphs of 10k and 100k nodes
 *    (target: 10x the nodes in <= 12x the time).
 * 3. Graph view layout: our default hierarchical view vs a full flat dagre layout (>= 10x at 100k);
 *    the canvas hit test: the scene index vs a linear scan (>= 10x with every group of 100k open).
 * 4. Graph view in headless Chromium: first paint (vs the same run's dagre), frame p95, memory.
 * 5. Runtime (bench/runtime.bench.ts): runtime-process overhead vs in-process onnxruntime, capturing
 *    all activations vs a plain run, and the parent's event loop during a benchmark sweep.
 * 6. Evaluation (bench/eval.bench.ts, bench/metrics.bench.ts): evaluation throughput vs a bare ORT
 *    loop over the same batches (target >= 90%), and the metrics core's scaling (O(n log n)).
 * 8. End to end in VS Code (bench/openEndToEnd.bench.mjs): click → first graph frame for DenseNet-121,
 *    20k and 100k nodes, in phases, vs a flat d3-dag layout of the 100k graph; reopening; memory.
 *    bench/analysisQueue.bench.ts: an open during another model's shape inference vs alone.
 *    bench/analysisOpen.bench.ts: the analysis process's structure step (read, graph, payload,
 *    encode) in a fresh model thread vs the code before issue 19's rework (target at 100k: <= 0.5x).
 * 9. Fuzzing (bench/fuzz.bench.ts): 10,000 seeded mutations, 0 crashes, hangs or multi-line errors.
 * 11. Explanations (bench/explain.bench.ts): occlusion and RISE of a 224×224 ResNet-like CNN through
 *    the runtime process vs a bare batched ORT loop over the same masked images (target >= 0.8x).
 * 10. Hot paths (bench/hotPaths.bench.ts): graph payload, search, CSV reading and flat layout, each
 *    against a baseline of the same work done the plainest way in the same process.
 * 11. Model diff (bench/diff.bench.ts): 100k-node structural matching vs a name-only match,
 *    10k → 100k scaling, and the whole diff vs building both graphs.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = path.join(root, '.bench-tmp');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const WEIGHT_MB = Number(process.env.BENCH_WEIGHT_MB ?? 500);

function child(script, args) {
  const out = execFileSync(tsx, [path.join(root, 'bench', script), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop());
}

/** Median of REPEATS fresh-process runs (time) and the largest peak RSS growth seen. */
function measure(task, file) {
  const runs = Array.from({ length: REPEATS }, () => child('child.ts', [task, file]));
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  const rssGrowth = Math.max(...runs.map((r) => r.peakRssBytes - r.rssBeforeBytes));
  return { ms, rssGrowth, detail: runs[0].detail };
}

const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
const results = [];
function report(name, line, ok) {
  results.push({ name, ok });
  console.log(`${verdict(ok)}  ${name}: ${line}`);
}

fs.mkdirSync(tmp, { recursive: true });
console.log(`ONNX Lens benchmarks (${REPEATS} fresh processes per figure, median time)\n`);

console.log('Generating fixtures ...');
const generated = child('generate.ts', [tmp, String(WEIGHT_MB)]);
const heavy = generated.weightHeavy;
const fileBytes = fs.statSync(heavy).size;

const ours = measure('summary', heavy);
const base = measure('protobuf', heavy);
const speedup = base.ms / ours.ms;
console.log(`\nSummary of a ${mb(fileBytes)} weight-heavy model (${ours.detail.parameters.toLocaleString('en-US')} parameters)`);
console.log(`  onnx-lens summary      ${ours.ms.toFixed(1)} ms, peak RSS growth ${mb(ours.rssGrowth)}`);
console.log(`  protobufjs full decode ${base.ms.toFixed(1)} ms, peak RSS growth ${mb(base.rssGrowth)}`);
report('summary speed vs full decode', `${speedup.toFixed(1)}x faster (target >= 5x)`, speedup >= 5);
const rssShare = ours.rssGrowth / fileBytes;
report('summary RSS growth', `${(rssShare * 100).toFixed(2)}% of the file size (target <= 10%)`, rssShare <= 0.1);

const small = measure('analyze', generated.graph10k);
const large = measure('analyze', generated.graph100k);
const nodeRatio = large.detail.nodes / small.detail.nodes;
const timeRatio = large.ms / small.ms;
console.log(`\nParse + graph + shape inference`);
console.log(`  ${small.detail.nodes.toLocaleString('en-US')} nodes  ${small.ms.toFixed(0)} ms`);
console.log(`  ${large.detail.nodes.toLocaleString('en-US')} nodes  ${large.ms.toFixed(0)} ms`);
report('scaling', `${nodeRatio.toFixed(1)}x the nodes in ${timeRatio.toFixed(1)}x the time (target <= ${(nodeRatio * 1.2).toFixed(1)}x)`, timeRatio <= nodeRatio * 1.2);

// 3. Graph view layout (bench/layout.bench.ts): our default hierarchical view vs a full flat
//    dagre layout of the same graph (target at 100k nodes: >= 10x faster; dagre is capped).
console.log('\nGraph view layout (DenseNet-121, transformers of 20k and 100k nodes) ...');
const layout = child('layout.bench.ts', ['all']);
for (const r of layout.results) report(r.name, r.line, r.ok);
// The hit test behind every hover and click (bench/hitTest.bench.ts): the scene index vs a linear
// scan of every item, on the 100k graph's default view and with every group expanded.
console.log('\nGraph view hit test (100k nodes: scene index vs linear scan) ...');
for (const r of child('hitTest.bench.ts', []).results) report(r.name, r.line, r.ok);

// 4. Graph view in headless Chromium (bench/graphView.bench.mjs): first paint next to the flat
//    dagre layouts above, frame times while panning/zooming 100k nodes, and the webview's memory.
console.log('\nGraph view in headless Chromium (first paint, frame time, memory) ...');
execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'ignore' });
for (const r of child('graphView.bench.mjs', [JSON.stringify(layout.dagreMs)]).results) report(r.name, r.line, r.ok);

// 5. The runtime process (bench/runtime.bench.ts), against in-process onnxruntime in the same run.
console.log('\nRuntime (onnxruntime in the runtime process) ...');
for (const r of child('runtime.bench.ts', []).results) report(r.name, r.line, r.ok);

// 6. Evaluation (issue 6): bench/eval.bench.ts times `evaluate` in the runtime process (dataset
//    worker reading ahead, ORT on the main thread) against a bare ORT loop over the same batches;
//    bench/metrics.bench.ts times the metrics core at 100k and 1M samples × 10 classes.
console.log('\nEvaluation (dataset worker + onnxruntime vs a bare inference loop; metrics core) ...');
for (const r of child('eval.bench.ts', []).results) report(r.name, r.line, r.ok);
const metrics = child('metrics.bench.ts', []);
// O(n log n): 10x the samples costs 10 · log(1e6)/log(1e5) = 12x; a quarter more for noise.
const metricsLimit = 10 * (Math.log(1e6) / Math.log(1e5)) * 1.25;
report('metrics core scaling', `1M × 10 classes all metrics incl. curves: ${metrics.n1m_ms} ms; 10x the samples in ${metrics.ratio}x the time (target: O(n log n), <= ${metricsLimit.toFixed(0)}x); 1000-resample bootstrap of 10k samples: ${metrics.bootstrap10k_ms} ms`, metrics.ratio <= metricsLimit);

// 7. Quantization (bench/quantize.bench.ts): size ratios, agreement, accuracy and time vs model size.
console.log('\nQuantization ...');
for (const r of child('quantize.bench.ts', []).results) report(r.name, r.line, r.ok);
// Quantized models that are faster (bench/quantSpeed.bench.ts): static int8 and int4 against float32
// at batch 1 in the same process, and PP-OCRv4 rec's agreement per calibration method.
for (const r of child('quantSpeed.bench.ts', []).results) report(r.name, r.line, r.ok);

// 8. End to end (bench/openEndToEnd.bench.mjs): click in VS Code's Explorer → first frame of the
//    graph, in code-server + Chromium with the packaged extension, broken into phases, against a
//    flat d3-dag layout of the same 100k graph (capped) in the same run.
console.log('\nOpening a model in VS Code, click → first frame (code-server + Chromium, phases) ...');
const open = JSON.parse(execFileSync(process.execPath, [path.join(root, 'bench', 'openEndToEnd.bench.mjs')], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop());
for (const r of open.results) report(r.name, r.line, r.ok);
// The analysis process alone (bench/analysisQueue.bench.ts): an open during another model's shape
// inference vs alone, and a reopen from the graph cache, in the same process (model threads).
console.log('\nOpening during another model\'s shape inference (analysis process) ...');
for (const r of child('analysisQueue.bench.ts', []).results) report(r.name, r.line, r.ok);
// The structure step of an open (bench/analysisOpen.bench.ts), phase by phase, against a baseline commit.
console.log('\nThe analysis process\'s structure step in a fresh model thread vs before issue 19 ...');
for (const r of child('analysisOpen.bench.ts', []).results) report(r.name, r.line, r.ok);

// 9. Fuzzing (bench/fuzz.bench.ts, issue 13): 10,000 seeded mutations of real models through the
//    reader, graph, shapes, summary and payload, and every 100th through the CLI's inspect.
console.log('\nFuzzing (10,000 seeded mutations of real models) ...');
const fuzz = child('fuzz.bench.ts', []);
console.log(`  ${fuzz.cases} cases on ${fuzz.models} models in ${fuzz.seconds} s: ${fuzz.ok} read, ${fuzz.typedErrors} one-line errors; slowest ${fuzz.slowestMs.toFixed(0)} ms; ${fuzz.cliRuns} CLI runs`);
for (const f of fuzz.failures) console.log(`  ${f}`);
report('fuzz: no crash, hang, multi-line or stack-trace error', `${fuzz.crashes} crashes, ${fuzz.hangs} hangs, ${fuzz.multiLine} multi-line errors, ${fuzz.cliBad} bad CLI exits in ${fuzz.cases} cases (target: 0 of >= 10,000)`,
  fuzz.cases >= 10_000 && fuzz.crashes + fuzz.hangs + fuzz.multiLine + fuzz.cliBad === 0);

// 11. Model diff (bench/diff.bench.ts): 100k renamed vs name-only matching, scaling, whole diff.
console.log('\nModel diff ...');
for (const r of child('diff.bench.ts', []).results) report(r.name, r.line, r.ok);

// 10. Hot paths (bench/hotPaths.bench.ts): what unit tests once asserted in milliseconds, as ratios.
console.log('\nHot paths (graph payload, search, CSV reading, flat layout) ...');
for (const r of child('hotPaths.bench.ts', []).results) report(r.name, r.line, r.ok);

// 11. Explanations (issue 17): saliency maps at the model's own batched throughput.
console.log('\nExplanations: occlusion and RISE vs a bare batched ORT loop over the same masks ...');
for (const r of child('explain.bench.ts', []).results) report(r.name, r.line, r.ok);

const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
if (!process.env.BENCH_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;

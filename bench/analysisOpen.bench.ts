/**
 * The analysis process's part of opening a model (issue 19, docs/opening-a-model.md step 2–3):
 * file on disk → encoded structure written to the graph cache, in a fresh worker_thread (a cold
 * V8 isolate, as each model thread is), against the same step of a baseline commit in the same
 * run. bench/analysisOpenWorker.ts is bundled twice with esbuild: against this tree's src and
 * against `git archive <BENCH_OPEN_BASE>` of it (default: the commit before issue 19's rework).
 * Rounds alternate baseline and ours; the figure is the median of per-round ratios, and each
 * round checks that both wrote the same bytes. The CPU time (the thread and V8's GC helpers) is
 * printed too: on a loaded machine it says more than the wall time, which the target is about.
 *
 * Also "ours, warmed": the same thread first runs the step on a small generated model, as the
 * spare model thread could do while it waits (src/analysisProcess/modelThreadPool.ts).
 *
 * Models: generated BERT-like transformers of 20k and 100k nodes (bench/openModels.ts) and
 * DenseNet-121 from the ONNX light models (test/fixtures/prerequisites.ts).
 * Environment: BENCH_OPEN_BASE (a commit), BENCH_ANALYSIS_ROUNDS (default 5).
 * Prints one JSON line at the end: { results: [{ name, line, ok }] } (human lines on stderr).
 *
 *   npx tsx bench/analysisOpen.bench.ts
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { transformerLike } from '../test/fixtures/bigModels';
import { model } from '../test/fixtures/onnxBuilder';
import { lightModel } from '../test/fixtures/prerequisites';
import { median } from './timing';

const ROOT = path.resolve(__dirname, '..');
const TMP = path.join(ROOT, '.bench-tmp', 'analysisOpen');
const BASE = process.env.BENCH_OPEN_BASE ?? '6957620';
const ROUNDS = Number(process.env.BENCH_ANALYSIS_ROUNDS ?? 5);
const PHASES = ['read', 'graph', 'payload', 'encode', 'keep'] as const;
/** Issue 19's goal for this step at 100k nodes: at least twice as fast; smaller models must not get slower. */
const TARGETS: Record<string, number> = { transformer100k: 0.5, transformer20k: 1, densenet121: 1 };

type Phases = Record<(typeof PHASES)[number], number>;
interface Run extends Phases { cpu: number; sha1: string; size: number }

const log = (line: string) => process.stderr.write(`${line}\n`);

function bundle(entry: string, outfile: string): string {
  esbuild.buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', keepNames: true, logLevel: 'warning' });
  return outfile;
}

/** This tree's worker and the baseline commit's (its src, with this worker file copied in). */
function workers(): { ours: string; base: string } {
  const baseDir = path.join(TMP, `base-${BASE}`);
  if (!fs.existsSync(path.join(baseDir, 'src'))) {
    fs.mkdirSync(baseDir, { recursive: true });
    const tar = execFileSync('git', ['archive', BASE, 'src'], { cwd: ROOT, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', baseDir], { input: tar });
  }
  fs.mkdirSync(path.join(baseDir, 'bench'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'bench', 'analysisOpenWorker.ts'), path.join(baseDir, 'bench', 'analysisOpenWorker.ts'));
  return {
    ours: bundle(path.join(ROOT, 'bench', 'analysisOpenWorker.ts'), path.join(TMP, 'ours.js')),
    base: bundle(path.join(baseDir, 'bench', 'analysisOpenWorker.ts'), path.join(TMP, 'base.js')),
  };
}

function models(): Record<string, string> {
  fs.mkdirSync(TMP, { recursive: true });
  const out: Record<string, string> = { densenet121: lightModel('light_densenet121.onnx') };
  for (const [name, nodes] of [['warmup', 2_000], ['transformer20k', 20_000], ['transformer100k', 100_000]] as const) {
    const file = path.join(TMP, `${name}.onnx`);
    if (!fs.existsSync(file)) fs.writeFileSync(file, model(transformerLike({ nodes, shareWeights: true })));
    out[name] = file;
  }
  return out;
}

/** One open's structure step in a new thread; the thread has loaded its script before the clock starts, as a spare has. */
function run(script: string, files: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script);
    worker.once('online', () => worker.postMessage({ files, cacheDir: path.join(TMP, `cache-${path.basename(script, '.js')}`) }));
    worker.once('message', (r: Run) => {
      void worker.terminate();
      resolve(r);
    });
    worker.once('error', reject);
  });
}

const total = (r: Phases) => PHASES.reduce((s, p) => s + r[p], 0);
const describe = (runs: Run[]) => `${median(runs.map(total)).toFixed(0)} ms (${PHASES.map((p) => `${p} ${median(runs.map((r) => r[p])).toFixed(0)}`).join(', ')}), CPU ${median(runs.map((r) => r.cpu)).toFixed(0)} ms`;

async function main(): Promise<void> {
  const files = models();
  const script = workers();
  const results: { name: string; line: string; ok: boolean }[] = [];
  log(`Structure step of an open in a fresh model thread, ours vs ${BASE} (${ROUNDS} alternating rounds, medians)`);
  for (const name of ['densenet121', 'transformer20k', 'transformer100k']) {
    const file = files[name];
    const base: Run[] = [];
    const ours: Run[] = [];
    const warmed: Run[] = [];
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    let same = true;
    for (let i = 0; i < ROUNDS; i++) {
      base.push(await run(script.base, [file]));
      ours.push(await run(script.ours, [file]));
      warmed.push(await run(script.ours, [files.warmup, file]));
      ratios.push(total(ours[i]) / total(base[i]));
      cpuRatios.push(ours[i].cpu / base[i].cpu);
      same &&= ours[i].sha1 === base[i].sha1;
    }
    const ratio = median(ratios);
    log(`  ${name}: ${(ours[0].size / 1048576).toFixed(1)} MB encoded${same ? ', identical bytes' : ', BYTES DIFFER'}`);
    log(`    baseline      ${describe(base)}`);
    log(`    ours          ${describe(ours)}`);
    log(`    ours, warmed  ${describe(warmed)}`);
    const line = `${median(ours.map(total)).toFixed(0)} ms vs ${median(base.map(total)).toFixed(0)} ms, ${ratio.toFixed(2)}x (target <= ${TARGETS[name]}x), CPU ${median(cpuRatios).toFixed(2)}x; warmed thread ${median(warmed.map(total)).toFixed(0)} ms${same ? '' : '; payload bytes differ from the baseline'}`;
    results.push({ name: `analysis open ${name} vs ${BASE}`, line, ok: same && ratio <= TARGETS[name] });
  }
  process.stdout.write(`${JSON.stringify({ results })}\n`);
}

void main();

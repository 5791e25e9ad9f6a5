/**
 * Fuzzing (issue 13): seeded mutations of real models (the sample and the ONNX light models, test/fixtures/prerequisites.ts)
 * through the reader, graph, shape inference, summary and graph payload in this process, and a
 * seeded share of them through the CLI's `inspect` as a user runs it. Every case must end in a
 * result or one typed, one-line error naming the file, within a time bound; the CLI must exit
 * 0, 1 or 2 with at most one line on stderr and no stack trace. Prints one JSON line of results.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeModel } from '../src/core/modelAnalysis';
import { OnnxLensError } from '../src/core/errors';
import { buildGraphPayload } from '../src/core/graph/payload';
import { readModelBytes } from '../src/core/onnx/reader';
import { mulberry32 } from '../src/core/random';
import { MUTATIONS } from '../test/fixtures/mutations';
import { lightModel } from '../test/fixtures/prerequisites';

const ROOT = path.resolve(__dirname, '..');
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 10_000);
const CLI_EVERY = Number(process.env.FUZZ_CLI_EVERY ?? 100);
const MAX_MS = 5000;

const models = [path.join(ROOT, 'media/sample/digits-mlp.onnx'), ...['light_squeezenet.onnx', 'light_bvlc_alexnet.onnx', 'light_inception_v1.onnx', 'light_zfnet512.onnx', 'light_densenet121.onnx']
  .map(lightModel)];
const originals = models.map((f) => new Uint8Array(fs.readFileSync(f)));
const names = Object.keys(MUTATIONS);
const rnd = mulberry32(20261203);
const pick = (n: number) => Math.floor(rnd() * n);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-fuzz-bench-'));
const cli = fs.existsSync(path.join(ROOT, 'dist/cli.js')) ? [path.join(ROOT, 'dist/cli.js')] : ['--import', 'tsx', path.join(ROOT, 'src/cli.ts')];
const out = { cases: 0, ok: 0, typedErrors: 0, crashes: 0, hangs: 0, multiLine: 0, cliRuns: 0, cliBad: 0, slowestMs: 0, failures: [] as string[] };
const fail = (what: string) => {
  if (out.failures.length < 20) out.failures.push(what);
};
const started = performance.now();
try {
  for (let i = 0; i < ITERATIONS; i++) {
    const which = pick(originals.length);
    const mutation = names[pick(names.length)];
    const bytes = MUTATIONS[mutation](originals[which], rnd);
    const label = `case ${i} (${mutation} of ${path.basename(models[which])})`;
    const t0 = performance.now();
    out.cases++;
    try {
      const model = readModelBytes(bytes, 'fuzz.onnx', tmp);
      const a = analyzeModel(model, 'fuzz.onnx');
      buildGraphPayload(a, 'fuzz.onnx', 'fuzz');
      JSON.stringify(a.summary);
      out.ok++;
    } catch (err) {
      if (!(err instanceof OnnxLensError)) {
        out.crashes++;
        fail(`${label}: untyped ${(err as Error)?.name}: ${String((err as Error)?.message).split('\n')[0]}`);
      } else if (err.message.includes('\n') || !err.message.startsWith('fuzz.onnx: ')) {
        out.multiLine++;
        fail(`${label}: ${JSON.stringify(err.message)}`);
      } else out.typedErrors++;
    }
    const ms = performance.now() - t0;
    out.slowestMs = Math.max(out.slowestMs, ms);
    if (ms > MAX_MS) {
      out.hangs++;
      fail(`${label}: ${ms.toFixed(0)} ms`);
    }
    if (i % CLI_EVERY === 0) {
      const file = path.join(tmp, 'fuzz.onnx');
      fs.writeFileSync(file, bytes);
      const r = spawnSync(process.execPath, [...cli, 'inspect', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      out.cliRuns++;
      const lines = r.stderr.split('\n').filter(Boolean);
      const bad = r.status === null || ![0, 1, 2].includes(r.status) || lines.length > 1 || /\n\s+at |Error:/.test(r.stderr);
      if (bad) {
        out.cliBad++;
        fail(`${label}: onnx-lens inspect exit ${r.status}${r.signal ? ` (${r.signal})` : ''}: ${JSON.stringify(r.stderr.slice(0, 300))}`);
      }
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(JSON.stringify({ ...out, models: models.length, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) }));

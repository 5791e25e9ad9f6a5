/**
 * `onnx-lens run | bench | profile`: the runtime process from the command line. ORT runs in the
 * same forked child the extension uses, so an ORT abort is reported as one line, not a core dump.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileInput, modelInputs } from '../core/files/commandInputs';
import { checkOutput, inputAt, OutputRefusedError, writeOutputFile, type CommandInput } from '../core/files/outputFile';
import { tensorFileNames } from '../core/files/tensorFileNames';
import { DEFAULT_BENCH_SETTINGS, benchmarkModel, createRuntimeClient, type RuntimeRpc } from '../runtime/client/runtimeClient';
import { DEFAULT_SESSION_OPTIONS, EXECUTION_PROVIDERS, PROVIDER_NAMES, type BenchReport, type ExecutionProvider, type ProfileResult, type RunResult, type SessionOptionsSpec, type TensorSummary } from '../shared/runtimeTypes';
import { formatShape, table } from './format';
import { clearProgress, printJson, printText, progressLine } from './output';
import { oneLine } from '../core/text/terminalText';
import { inputFileArgs, inputSpecsFromArgs, UsageError } from './inputArgs';
import { brokenLimits, parseLatencyLimit } from './latencyLimits';

export interface RuntimeCliOptions {
  input: string[];
  dim: string[];
  threads?: string;
  optimization?: string;
  ep?: string;
  json?: boolean;
}

/** The runtime process script: the bundle next to dist/cli.js, or the source under tsx. */
export function runtimeScript(cliDir: string): { script: string; execArgv: string[] } {
  const bundled = path.join(cliDir, 'ortChild.js');
  if (fs.existsSync(bundled)) return { script: bundled, execArgv: [] };
  return { script: path.join(cliDir, 'runtime', 'child', 'ortChild.ts'), execArgv: ['--import', 'tsx'] };
}

export async function withRuntime<T>(cliDir: string, work: (rpc: RuntimeRpc) => Promise<T>): Promise<T> {
  const { script, execArgv } = runtimeScript(cliDir);
  // ONNX_LENS_DEBUG=1 keeps the runtime process's stderr (ORT's own diagnostics, V8's on an abort).
  const rpc = createRuntimeClient(script, execArgv, process.env.ONNX_LENS_DEBUG !== '1');
  // An execution provider that fell back to the CPU (--ep) is said on stderr, never silently.
  rpc.onNotice = (message) => process.stderr.write(`onnx-lens: ${message}\n`);
  try {
    return await work(rpc);
  } finally {
    rpc.dispose();
  }
}

export function parseThreads(text: string | undefined, what = '--threads'): number[] {
  if (text === undefined) return [0];
  const values = text.split(',').map((t) => Number(t.trim()));
  if (values.length === 0 || values.some((n) => !Number.isInteger(n) || n < 0 || n > 256)) {
    throw new UsageError(`${what} must be a comma-separated list of whole numbers (0 = onnxruntime's choice), not '${text}'`);
  }
  return values;
}

export function sessionOptions(opts: RuntimeCliOptions, intraOpThreads = 0): SessionOptionsSpec {
  const level = opts.optimization ?? 'all';
  if (!['disabled', 'basic', 'extended', 'all'].includes(level)) throw new UsageError(`--optimization must be disabled, basic, extended or all, not '${level}'`);
  const ep = opts.ep ?? 'cpu';
  if (!(EXECUTION_PROVIDERS as readonly string[]).includes(ep)) throw new UsageError(`--ep must be one of ${EXECUTION_PROVIDERS.join(', ')}, not '${ep}'`);
  return { ...DEFAULT_SESSION_OPTIONS, intraOpThreads, graphOptimization: level as SessionOptionsSpec['graphOptimization'], executionProvider: ep as ExecutionProvider };
}

/** NaN and ±Infinity are not JSON: they print as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v), 2);
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toFixed(4));

function tensorLines(t: TensorSummary): string[] {
  const lines = [`${oneLine(t.name)}  ${t.elemType} ${oneLine(formatShape(t.dims))}`];
  if (t.numeric) {
    const s = t.numeric;
    lines.push(`  min ${num(s.min)}  max ${num(s.max)}  mean ${num(s.mean)}  std ${num(s.std)}  zeros ${(100 * s.zeros).toFixed(1)}%${s.nan ? `  NaN ${s.nan}` : ''}${s.inf ? `  Inf ${s.inf}` : ''}`);
  }
  lines.push(`  first values: ${t.head.map((v) => (typeof v === 'number' ? num(v) : JSON.stringify(v))).join(', ')}${t.elements > t.head.length ? ', …' : ''}`);
  if (t.topK?.length) {
    lines.push(`  top ${t.topK.length}: ${t.topK.map((k) => `${oneLine(k.label ?? String(k.index))} (${num(k.score)})`).join(', ')}${t.labelSource ? ` (labels from ${oneLine(t.labelSource)})` : ''}`);
    if (t.labelNote) lines.push(`  class names not shown: ${oneLine(t.labelNote)}`);
  }
  return lines;
}

export interface RunCliOptions extends RuntimeCliOptions {
  /** A folder (one .npy per output) or a .npz file (all outputs). */
  save?: string;
  force?: boolean;
}

/**
 * `--save DIR` or `--save outputs.npz`: where each output goes, checked before the model runs
 * (core/files/outputFile.ts: never an input, an existing file only with --force).
 */
function savePlan(save: string, outputs: readonly string[], inputs: CommandInput[], force: boolean | undefined): { npz: string } | { dir: string; files: { name: string; file: string }[] } {
  if (/\.npz$/i.test(save)) return { npz: path.resolve(save) }; // checked before the runtime started
  const dir = path.resolve(save);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new OutputRefusedError(`--save ${save}`, 'is a file; give a folder (one .npy per output) or a .npz file');
  if (!fs.existsSync(dir) && !fs.existsSync(path.dirname(dir))) throw new OutputRefusedError(`--save ${save}`, `cannot be created: its folder ${path.dirname(dir)} does not exist`);
  const names = tensorFileNames(outputs, '.npy');
  const files = outputs.map((name, i) => ({ name, file: path.join(dir, names[i]) }));
  // A folder that does not exist yet holds nothing to overwrite; one that does is checked file by file.
  if (fs.existsSync(dir)) for (const f of files) checkOutput({ file: f.file, flag: '--save', replace: force, inputs });
  else if (inputAt(dir, inputs)) checkOutput({ file: dir, flag: '--save', inputs });
  return { dir, files };
}

export async function runCommand(cliDir: string, model: string, opts: RunCliOptions): Promise<void> {
  const inputs = [...modelInputs(model), ...inputFileArgs(opts.input).map((f) => fileInput(f, 'an --input file'))];
  if (opts.save !== undefined && /\.npz$/i.test(opts.save)) checkOutput({ file: opts.save, flag: '--save', replace: opts.force, inputs });
  const { result, saved } = await withRuntime(cliDir, async (rpc) => {
    const options = sessionOptions(opts, parseThreads(opts.threads)[0]);
    const sig = await rpc.request('signature', { model, options });
    const plan = opts.save === undefined ? undefined : savePlan(opts.save, sig.outputs.map((o) => o.name), inputs, opts.force);
    const specs = inputSpecsFromArgs(sig.inputs, opts.input, opts.dim);
    const run = await rpc.request('run', { model, options, inputs: specs });
    let files: string[] = [];
    if (plan && 'npz' in plan) files = (await rpc.request('save', { runId: run.runId, npz: plan.npz, names: sig.outputs.map((o) => o.name), replace: opts.force ?? false })).files;
    else if (plan) {
      fs.mkdirSync(plan.dir, { recursive: true });
      files = (await rpc.request('save', { runId: run.runId, files: plan.files, replace: opts.force ?? false })).files;
    }
    return { result: run, saved: files };
  });
  if (opts.json) printJson(toJson({ ...runJson(model, result), ...(opts.save !== undefined ? { saved } : {}) }));
  else printText(`${renderRun(model, result)}${saved.length ? `\n\nSaved\n${saved.map((f) => `  ${oneLine(f)}`).join('\n')}` : ''}`);
}

function runJson(model: string, r: RunResult) {
  return { model: path.resolve(model), runMs: r.runMs, sessionMs: r.sessionMs, provider: r.provider, ...(r.providerNote ? { providerNote: r.providerNote } : {}), inputs: r.inputs, outputs: r.outputs };
}

function renderRun(model: string, r: RunResult): string {
  return [
    `${oneLine(path.resolve(model))}: ran in ${r.runMs.toFixed(2)} ms on ${PROVIDER_NAMES[r.provider]} (session created in ${r.sessionMs.toFixed(0)} ms)`,
    '', 'Inputs', ...r.inputs.flatMap((t) => tensorLines(t).map((l) => `  ${l}`)),
    '', 'Outputs', ...r.outputs.flatMap((t) => tensorLines(t).map((l) => `  ${l}`)),
  ].join('\n');
}

export interface BenchCliOptions extends RuntimeCliOptions {
  runs?: string;
  warmup?: string;
  budget?: string;
  batch?: string;
  report?: string;
  force?: boolean;
  maxLatency: string[];
}

function wholeNumber(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${what} must be a whole number, not '${text}'`);
  return n;
}

function parseBudgetMs(text: string | undefined): number {
  if (text === undefined) return DEFAULT_BENCH_SETTINGS.budgetMs;
  const m = /^([0-9]*\.?[0-9]+)\s*(ms|s)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--budget must be a time such as 10s or 500ms, not '${text}'`);
  return Number(m[1]) * (m[2] === 'ms' ? 1 : 1000);
}

export async function benchCommand(cliDir: string, model: string, opts: BenchCliOptions): Promise<string[]> {
  const limits = opts.maxLatency.map(parseLatencyLimit);
  // Checked before the benchmark runs (core/files/outputFile.ts): never the model, its data or an input file.
  const reportFile = opts.report === undefined ? undefined : checkOutput({
    file: opts.report, flag: '--report', replace: opts.force,
    inputs: [...modelInputs(model), ...inputFileArgs(opts.input).map((f) => fileInput(f, 'an --input file'))],
  });
  const settings = {
    warmupRuns: wholeNumber(opts.warmup, DEFAULT_BENCH_SETTINGS.warmupRuns, '--warmup'),
    runs: Math.max(1, wholeNumber(opts.runs, DEFAULT_BENCH_SETTINGS.runs, '--runs')),
    budgetMs: parseBudgetMs(opts.budget),
    threads: parseThreads(opts.threads),
    batches: opts.batch === undefined ? [] : parseThreads(opts.batch, '--batch').map((b) => {
      if (b < 1) throw new UsageError('--batch sizes must be at least 1');
      return b;
    }),
  };
  const line = progressLine();
  const progress = line ? (p: { done: number; total: number }) => line(`benchmarking configuration ${Math.min(p.done + 1, p.total)} of ${p.total}…`) : undefined;
  const report = await withRuntime(cliDir, async (rpc) => {
    const options = sessionOptions(opts);
    const sig = await rpc.request('signature', { model, options });
    if (settings.batches.length && !sig.inputs.some((s) => s.dims.length > 0 && typeof s.dims[0] !== 'number')) {
      throw new UsageError(`--batch needs a model whose batch dimension is symbolic; ${path.basename(model)} has fixed input shapes`);
    }
    const inputs = inputSpecsFromArgs(sig.inputs, opts.input, opts.dim);
    return benchmarkModel(rpc, { model: path.resolve(model), options, inputs }, settings, progress);
  });
  clearProgress();
  if (reportFile) writeOutputFile(reportFile, `${toJson(report)}\n`, { replace: opts.force });
  const broken = brokenLimits(report.points, limits);
  const first = report.points[0].latency;
  if (opts.json) printJson(toJson({ model: report.model.path, mean: first.mean, p50: first.p50, p90: first.p90, p95: first.p95, p99: first.p99, min: first.min, max: first.max, throughput: first.throughput, runs: first.runs, passed: broken.length === 0, broken, report }));
  else printText(renderBench(report));
  return broken;
}

function renderBench(r: BenchReport): string {
  const rows = [['threads', 'batch', 'runs', 'mean', 'p50', 'p90', 'p99', 'min', 'max', 'samples/s', 'peak RSS +']];
  for (const p of r.points) {
    const l = p.latency;
    rows.push([
      p.config.intraOpThreads === 0 ? 'default' : String(p.config.intraOpThreads), p.config.batch === null ? '-' : String(p.config.batch), String(l.runs),
      ...[l.mean, l.p50, l.p90, l.p99, l.min, l.max].map((x) => `${x.toFixed(3)} ms`), l.throughput.toFixed(1), `${(p.peakRssDeltaBytes / 1048576).toFixed(1)} MiB`,
    ]);
  }
  return [`${oneLine(r.model.path)}: ${r.settings.warmupRuns} warm-up runs, then up to ${r.settings.runs} runs per configuration (budget ${r.settings.budgetMs / 1000} s); onnxruntime ${r.host.ort}, ${r.host.cpus} CPUs`, '', table(rows)].join('\n');
}

export async function profileCommand(cliDir: string, model: string, opts: RuntimeCliOptions & { runs?: string; top?: string }): Promise<void> {
  const runs = Math.max(1, wholeNumber(opts.runs, 20, '--runs'));
  const top = Math.max(1, wholeNumber(opts.top, 20, '--top'));
  const result = await withRuntime(cliDir, async (rpc) => {
    const options = sessionOptions(opts, parseThreads(opts.threads)[0]);
    const sig = await rpc.request('signature', { model, options });
    return rpc.request('profile', { model, options, inputs: inputSpecsFromArgs(sig.inputs, opts.input, opts.dim), runs });
  });
  if (opts.json) printJson(toJson({ model: path.resolve(model), ...result }));
  else printText(renderProfile(model, result, top));
}

function renderProfile(model: string, p: ProfileResult, top: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const kernels = p.entries.slice(0, top).map((e) => [
    `${e.meanUs.toFixed(1)} µs`, pct(e.share), e.opType,
    e.nodes.length === 0 ? `${e.ortName} (not mapped to a graph node)` : e.mapping === 'neighbour' ? `${e.nodes[0]} (${e.ortName}, added beside it)` : e.fused ? `${e.nodes.join(' + ')} (fused)` : e.nodes[0],
  ]);
  const unmapped = p.unmapped.kernels > 0 ? [`${p.unmapped.kernels} kernel${p.unmapped.kernels === 1 ? '' : 's'} (${(p.unmapped.us / 1000).toFixed(3)} ms) could not be mapped to a graph node.`] : [];
  const ops = p.byOpType.map((o) => [`${o.meanUs.toFixed(1)} µs`, pct(o.share), o.opType, `${o.kernels} kernel${o.kernels === 1 ? '' : 's'}`]);
  return [
    `${oneLine(path.resolve(model))}: ${p.runs} profiled runs, ${(p.runUs / 1000).toFixed(3)} ms per run, ${(p.kernelUs / 1000).toFixed(3)} ms in kernels (graph optimisation: ${p.graphOptimization})`,
    ...unmapped,
    '', `Slowest kernels (top ${Math.min(top, p.entries.length)} of ${p.entries.length})`, table(kernels),
    '', 'By operator type', table(ops),
  ].join('\n');
}

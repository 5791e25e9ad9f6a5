/**
 * The parent side of the runtime process, shared by the extension host and the CLI: a ChildClient
 * over src/runtime/child/ortChild.ts plus the benchmark sweep, which runs one request per configuration
 * so progress can be reported and the sweep cancelled between (and inside) configurations.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { ChildClient, type ChildClientOptions } from '../../rpc/childClient';
import type { RunRequest, RuntimeMethods } from '../methods';
import type { BenchConfig, BenchReport, BenchSettings } from '../../shared/runtimeTypes';

/** A run of a big model can take minutes on two cores; a hung one must still end. */
const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export const DEFAULT_BENCH_SETTINGS: BenchSettings = { warmupRuns: 5, runs: 100, budgetMs: 10_000, threads: [0], batches: [] };

export type RuntimeRpc = ChildClient<RuntimeMethods>;

export function createRuntimeClient(script: string, execArgv: string[] = [], quietStderr = false, more: Partial<ChildClientOptions> = {}): RuntimeRpc {
  return new ChildClient<RuntimeMethods>({ name: 'the ONNX Lens runtime process', script, execArgv, defaultTimeoutMs: DEFAULT_TIMEOUT_MS, quietStderr, ...more });
}

export function benchConfigs(settings: BenchSettings): BenchConfig[] {
  const threads = settings.threads.length ? settings.threads : [0];
  const batches: (number | null)[] = settings.batches.length ? settings.batches : [null];
  return threads.flatMap((intraOpThreads) => batches.map((batch) => ({ intraOpThreads, batch })));
}

export interface BenchProgress {
  done: number;
  total: number;
  config: BenchConfig;
}

export async function benchmarkModel(
  rpc: RuntimeRpc,
  req: RunRequest,
  settings: BenchSettings,
  onProgress: (p: BenchProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<BenchReport> {
  const configs = benchConfigs(settings);
  const signature = await rpc.request('signature', { model: req.model, options: req.options }, { signal });
  const points = [];
  for (const [i, config] of configs.entries()) {
    onProgress({ done: i, total: configs.length, config });
    // The budget bounds the timed runs; warm-up and session creation get a generous margin.
    const timeoutMs = Math.max(60_000, settings.budgetMs * 3 + 60_000);
    points.push(await rpc.request('bench', { ...req, config, warmupRuns: settings.warmupRuns, runs: settings.runs, budgetMs: settings.budgetMs }, { signal, timeoutMs }));
  }
  onProgress({ done: configs.length, total: configs.length, config: configs[configs.length - 1] });
  const st = fs.statSync(req.model);
  const cpus = os.cpus();
  return {
    schema: 'onnx-lens.bench/1',
    createdAt: new Date().toISOString(),
    model: { path: req.model, bytes: st.size, mtimeMs: st.mtimeMs },
    options: req.options,
    settings,
    inputs: req.inputs.map((s) => {
      const sig = signature.inputs.find((x) => x.name === s.name);
      return { name: s.name, elemType: sig?.elemType ?? '?', dims: s.dims, source: s.source.kind };
    }),
    points,
    host: { platform: process.platform, arch: process.arch, cpus: cpus.length, cpuModel: cpus[0]?.model ?? '', node: process.version, ort: signature.ortVersion },
  };
}

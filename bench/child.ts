/**
 * One measured task in a fresh process, so peak RSS belongs to that task alone.
 * Prints one JSON line: { ms, rssBeforeBytes, peakRssBytes, detail }.
 */
import * as fs from 'node:fs';
import { onnx } from 'onnx-proto';
import { inferModelShapes } from '../src/core/modelAnalysis';
import { buildGraph } from '../src/core/graph/build';
import { readModelFile } from '../src/core/onnx/reader';
import { summarizeModelFile } from '../src/core/modelAnalysis';

function procStatus(field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

const TASKS: Record<string, (file: string) => Promise<unknown> | unknown> = {
  /** ONNX Lens: what `inspect` does. */
  summary: async (file) => {
    const s = await summarizeModelFile(file);
    return { nodes: s.nodeCount, parameters: s.parameterCount };
  },
  /** Baseline: a full protobuf decode with protobufjs (onnx-proto), the usual way to read ONNX in JS. */
  protobuf: (file) => {
    const m = onnx.ModelProto.decode(fs.readFileSync(file));
    return { nodes: m.graph?.node?.length ?? 0 };
  },
  /** Parse + graph + static shape inference (the scaling benchmark). */
  analyze: (file) => {
    const model = readModelFile(file);
    const graph = buildGraph(model.info.graph);
    const inference = inferModelShapes(model, graph);
    model.close();
    return { nodes: graph.nodes.length, typed: inference.types.size };
  },
};

async function main(): Promise<void> {
  const [task, file] = process.argv.slice(2);
  const run = TASKS[task];
  if (!run || !file) throw new Error(`usage: child.ts ${Object.keys(TASKS).join('|')} <file>`);
  // Reset the high-water mark so startup (tsx, module loading) does not count as the task's peak.
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Older kernels: the peak then includes startup, which only makes the figure pessimistic.
  }
  const rssBeforeBytes = procStatus('VmRSS');
  const t0 = performance.now();
  const detail = await run(file);
  const ms = performance.now() - t0;
  process.stdout.write(`${JSON.stringify({ ms, rssBeforeBytes, peakRssBytes: procStatus('VmHWM'), detail })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exitCode = 1;
});

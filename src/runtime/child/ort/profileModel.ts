/**
 * onnxruntime's profiler over a few runs in a fresh session; the Chrome trace is read, mapped to
 * the graph and deleted. The same session saves the graph it optimised (`optimizedModelFilePath`)
 * into the same temporary folder: it is what the trace's kernel names refer to, so kernels map
 * back to original nodes structurally (src/runtime/child/profileMapping.ts), then it is deleted too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OnnxLensError } from '../../../core/errors';
import { readModelFile } from '../../../core/onnx/reader';
import type { RuntimeMethods } from '../../methods';
import type { OptimizedGraph } from '../profileMapping';
import { mapProfile } from '../profileTrace';
import type { ProfileResult } from '../../../shared/runtimeTypes';
import { toFeeds } from './feeds';
import { materializeInputs } from './inputs';
import type { ModelFile } from './modelFiles';
import { runOnce } from './runModel';
import { freshSession, sessionSignature } from './sessions';
import { checkSessionOptions } from './sessionOptions';
import { externalTensors } from '../../../core/onnx/externalData';

/** Above this the optimised copy costs more disk and time than names alone are worth. */
const MAX_OPTIMIZED_COPY_BYTES = 512 << 20;

/** Reads the node list of the optimised model ORT saved; null when it is missing or unreadable. */
export function readOptimizedGraph(file: string): OptimizedGraph | null {
  if (!fs.existsSync(file)) return null;
  try {
    const model = readModelFile(file);
    try {
      const g = model.info.graph;
      return {
        nodes: g.nodes.map((n) => ({ name: n.name, opType: n.opType, inputs: n.inputs, outputs: n.outputs })),
        sources: [...g.inputs.map((v) => v.name), ...g.initializers.map((t) => t.name)],
      };
    } finally {
      model.close();
    }
  } catch {
    return null;
  }
}

function canCopyOptimized(file: ModelFile): boolean {
  return externalTensors(file.model.info).length === 0 && file.size <= MAX_OPTIMIZED_COPY_BYTES;
}

export async function profileModel(req: RuntimeMethods['profile']['params']): Promise<ProfileResult> {
  checkSessionOptions(req.options, req.model);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-profile-'));
  try {
    const optimizedPath = path.join(dir, 'optimized.onnx');
    const { session, file } = await openProfilingSession(req, dir, optimizedPath);
    try {
      const feeds = toFeeds(await materializeInputs(req.model, req.inputs, sessionSignature(session).inputs));
      for (let i = 0; i < Math.max(1, req.runs); i++) await runOnce(session, feeds, req.model);
      session.endProfiling();
    } finally {
      await session.release();
    }
    const traceFile = fs.readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!traceFile) throw new OnnxLensError(req.model, 'was run, but onnxruntime wrote no profile.');
    const trace: unknown = JSON.parse(fs.readFileSync(path.join(dir, traceFile), 'utf8'));
    const macs = (n: number) => file.inference.costs[n]?.macsBatch1 ?? 0;
    return mapProfile(trace, { graph: file.graph, optimized: readOptimizedGraph(optimizedPath), macs }, req.options.graphOptimization);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A profiling session that also saves its optimised graph; without that copy when it cannot be written. */
async function openProfilingSession(req: RuntimeMethods['profile']['params'], dir: string, optimizedPath: string) {
  const profiling = { enableProfiling: true, profileFilePrefix: path.join(dir, 'profile') };
  const first = await freshSession(req.model, req.options, profiling, (file) => (canCopyOptimized(file) ? { optimizedModelFilePath: optimizedPath } : {}))
    .catch(() => null);
  return first ?? freshSession(req.model, req.options, profiling);
}

/** onnxruntime's profiler over a few runs in a fresh session; the Chrome trace is read, mapped to the graph and deleted. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OnnxLensError } from '../../core/errors';
import type { RuntimeMethods } from '../methods';
import { mapProfile } from '../profileTrace';
import type { ProfileResult } from '../types';
import { toFeeds } from './feeds';
import { materializeInputs } from './inputs';
import { runOnce } from './runModel';
import { freshSession, sessionSignature } from './sessions';
import { checkSessionOptions } from './sessionOptions';

export async function profileModel(req: RuntimeMethods['profile']['params']): Promise<ProfileResult> {
  checkSessionOptions(req.options, req.model);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-profile-'));
  try {
    const { session, file } = await freshSession(req.model, req.options, { enableProfiling: true, profileFilePrefix: path.join(dir, 'profile') });
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
    return mapProfile(trace, file.graph, req.options.graphOptimization);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

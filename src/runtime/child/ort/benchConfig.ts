/** One benchmark configuration in the runtime process: warm-up, timed runs until a count or a time budget, peak memory. */
import * as path from 'node:path';
import { latencyStats } from '../latencyStats';
import type { RuntimeMethods } from '../../methods';
import type { BenchPoint } from '../../../shared/runtimeTypes';
import { hasSymbolicBatch, tileBatch, toFeeds, withBatch } from './feeds';
import { materializeInputs } from './inputs';
import { runOnce, samplesPerRun } from './runModel';
import { getSession, sessionSignature } from './sessions';
import { checkSessionOptions } from './sessionOptions';
import { CancelledError } from '../../../shared/cancellation';

/** Yield to the event loop this often, so a cancel message gets through. */
const YIELD_MS = 50;

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function benchConfiguration(req: RuntimeMethods['bench']['params'], signal: AbortSignal): Promise<BenchPoint> {
  const options = checkSessionOptions({ ...req.options, intraOpThreads: req.config.intraOpThreads }, req.model);
  const rssBefore = process.memoryUsage.rss();
  const { session, createdMs } = await getSession(req.model, options);
  const signature = sessionSignature(session);
  const batch = req.config.batch;
  const specs = batch === null ? req.inputs : withBatch(req.inputs, signature.inputs, batch);
  let inputs = await materializeInputs(req.model, specs, signature.inputs);
  if (batch !== null) {
    // File inputs keep their own batch: repeat their samples up to this configuration's.
    inputs = new Map([...inputs].map(([name, a]) => {
      const sig = signature.inputs.find((s) => s.name === name)!;
      return [name, hasSymbolicBatch(sig) ? tileBatch(a, batch) : a];
    }));
  }
  const feeds = toFeeds(inputs);
  let peak = process.memoryUsage.rss();
  let lastYield = performance.now();
  const pause = async () => {
    if (performance.now() - lastYield < YIELD_MS) return;
    await yieldNow();
    lastYield = performance.now();
    if (signal.aborted) throw new CancelledError(`${path.basename(req.model)}: the benchmark was cancelled.`);
  };
  for (let i = 0; i < req.warmupRuns; i++) {
    await runOnce(session, feeds, req.model);
    await pause();
  }
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < req.runs && (req.budgetMs <= 0 || performance.now() - started < req.budgetMs || samples.length === 0)) {
    samples.push((await runOnce(session, feeds, req.model)).ms);
    peak = Math.max(peak, process.memoryUsage.rss());
    await pause();
  }
  return {
    config: req.config,
    latency: latencyStats(samples, samplesPerRun(inputs, signature.inputs)),
    warmupRuns: req.warmupRuns,
    sessionMs: createdMs,
    peakRssDeltaBytes: Math.max(0, peak - rssBefore),
  };
}

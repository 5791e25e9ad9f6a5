/**
 * The runtime process's `quantize` request: quantizeModelFile measured through this process's
 * sessions (ort/modelRunner.ts; the only process where ORT may run), progress by stage, and cancellation that leaves no
 * output behind (the caller has stopped waiting, so nobody would clean up after it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancelledError } from '../../shared/cancellation';
import { createModelRunner } from './ort/modelRunner';
import { quantizeModelFile, type QuantizeJob } from '../../core/quantize/quantize';
import type { QuantReport } from '../../shared/quantReport';
import type { ReportProgress } from '../../rpc/childServer';

export async function quantizeJob(job: QuantizeJob, signal: AbortSignal, progress: ReportProgress): Promise<QuantReport> {
  // An existing output is only ever replaced with `overwrite`; without it the job refuses before writing.
  const mayRemove = !fs.existsSync(job.output) || job.overwrite === true;
  const leftovers = () => {
    if (!mayRemove) return;
    for (const f of [job.output, `${job.output}.data`]) fs.rmSync(f, { force: true });
  };
  try {
    const report = await quantizeModelFile(job, { runner: createModelRunner(), signal, onProgress: (p) => progress({ done: p.done, total: p.total, message: p.message }) });
    if (signal.aborted) throw new CancelledError(`${path.basename(job.input)}: quantization was cancelled.`);
    return report;
  } catch (err) {
    if (signal.aborted) leftovers();
    throw err;
  }
}

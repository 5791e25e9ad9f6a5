/**
 * Threads whose work nobody is waiting on give way to those whose work someone is:
 * - The runtime process's dataset worker runs below onnxruntime (READER_NICENESS). ORT's intra-op
 *   pool splits each operator among its threads and waits for the slowest, so a reader thread
 *   taking a core from one of them for a time slice stalls the whole operator: on this project's
 *   2-core machines a thread using 10% of a core slowed a bare ORT loop by ~30%
 *   (bench/eval.bench.ts measures the evaluation's figure). At a lower priority the reader runs
 *   when a core would otherwise idle, and a waking ORT thread takes the core back at once; when ORT
 *   waits for data, the reader has the machine to itself.
 * - The analysis process's model thread runs a model's shape inference below the next model's
 *   open (BACKGROUND_NICENESS; src/analysisProcess/modelThread.ts).
 *
 * Linux only: there a thread id names one thread for setpriority(2), so only the calling thread
 * changes. Elsewhere (and where it is refused) nothing changes. Making a thread less nice again
 * needs a privilege most users lack (CAP_SYS_NICE, or RLIMIT_NICE, 0 by default), so a thread
 * lowered for one piece of work may stay lowered (`keptLower`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The reader's niceness: 10 measured best on a 10k × 784 CSV read ahead of a 784-2048-2048-10
 * MLP on 2 cores (data pass 88% of a bare ORT loop; 78% at 0, 85% at 19, where the reader starves
 * and inference waits for it).
 */
export const READER_NICENESS = 10;

/**
 * A model's shape inference while another model may be opening: with it at 10, DenseNet-121
 * opened during a 100k-node model's inference in 1.25x its time alone, against 1.50x at 0
 * (bench/openEndToEnd.bench.mjs, 2 cores).
 */
export const BACKGROUND_NICENESS = 10;

/** The calling thread's id, or null where there is none to give setpriority(2). */
export function threadId(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const tid = Number(path.basename(fs.readlinkSync('/proc/thread-self')));
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Makes the calling thread at least `niceness` nice (never less nice than it is); whether it now is. */
export function lowerThreadPriority(niceness: number): boolean {
  const tid = threadId();
  if (tid === null) return false;
  try {
    if (os.getPriority(tid) < niceness) os.setPriority(tid, niceness);
    return os.getPriority(tid) >= niceness;
  } catch {
    return false;
  }
}

/** The calling thread's priority before `inBackground` first lowered it (module state is per thread). */
let ownPriority: number | undefined;

/**
 * Runs `work` on the calling thread at `niceness` at least, then sets the thread's priority back
 * where the system allows it (`keptLower` says when it did not).
 */
export function inBackground<T>(niceness: number, work: () => T): T {
  const tid = threadId();
  const before = tid === null ? null : priorityOf(tid);
  if (tid === null || before === null || before >= niceness) return work();
  ownPriority ??= before;
  lowerThreadPriority(niceness);
  try {
    return work();
  } finally {
    try {
      os.setPriority(tid, before);
    } catch {
      // Refused (no privilege): the thread stays lower; keptLower() says so.
    }
  }
}

/** The calling thread runs below the priority it had before `inBackground`: it could not be set back. */
export function keptLower(): boolean {
  // Asked on every reply of a model thread: no /proc read until inBackground has lowered it once.
  if (ownPriority === undefined) return false;
  const tid = threadId();
  return tid !== null && (priorityOf(tid) ?? ownPriority) > ownPriority;
}

function priorityOf(tid: number): number | null {
  try {
    return os.getPriority(tid);
  } catch {
    return null;
  }
}

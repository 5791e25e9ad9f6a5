/**
 * The dataset worker gives way to onnxruntime. ORT's intra-op pool splits each operator among
 * its threads and waits for the slowest, so a reader thread taking a core from one of them for a
 * time slice stalls the whole operator: on this project's 2-core machines a thread using 10% of a
 * core slowed a bare ORT loop by ~30% (bench/eval.bench.ts measures the evaluation's figure). At a
 * lower priority the reader runs when a core would otherwise idle, and a waking ORT thread takes
 * the core back at once; when ORT waits for data, the reader has the machine to itself.
 *
 * Linux only: there a thread id names one thread for setpriority(2), so only the calling thread
 * changes. Elsewhere (and where it is refused) nothing changes.
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

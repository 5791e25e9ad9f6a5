/**
 * Decoded batches kept for the next pass over the same text dataset. Parsing is CPU that inference
 * wants: a 10k × 784 CSV costs ~140 ms of a core, which on a 2-core machine comes out of
 * onnxruntime's threads (docs/evaluation.md). The first evaluation of a file pays it; the next ones
 * of the unchanged file (another model, a quantized copy, other options, a robustness sweep after
 * its statistics pass) replay the feeds from memory.
 *
 * Only text formats (CSV, TSV, JSON Lines). An .npy or IDX file costs little to read (batchSource.ts)
 * and its arrays go back to the reader to be filled again: kept instead, the first pass would touch
 * fresh memory for every batch (docs/evaluation.md). An image folder can change inside without the
 * folder changing.
 *
 * A replay is valid when the file's size, mtime and inode are those it was read with, and a fresh
 * look at its header and class names (`openPass`, which reads no rows) describes it the same way
 * with the same reading options: what feeds a pass builds depends on nothing else. The batches are
 * the pass's own: they are kept instead of going back to the reader, so recording copies nothing.
 */
import * as fs from 'node:fs/promises';
import { openPass } from './datasetPass';
import type { BatchSource, DatasetMeta, FeedBatch, PassInit } from './workerMessages';

/** Decoded bytes kept in all; a dataset larger than this is read each time. */
export const MAX_DECODED_BYTES = 256 << 20;
/** Kept batches are let go after this long without a pass over them. */
const IDLE_MS = 10 * 60_000;

interface Entry {
  file: string;
  /** The file's identity when it was read: `stampOf`. */
  stamp: string;
  /** The stamp, reading options and description: `keyOf`. */
  key: string;
  batches: FeedBatch[];
  bytes: number;
  /** A replay has it: a lane may hold some of its arrays (transferred), so no second pass can read them. */
  busy: boolean;
}

/** Least recently used first. */
let entries: Entry[] = [];
let idleTimer: NodeJS.Timeout | undefined;

/** Size, mtime and inode: a rewritten or replaced file differs in one of them. */
async function stampOf(file: string): Promise<string | null> {
  try {
    const s = await fs.stat(file);
    return `${s.size}|${s.mtimeMs}|${s.ino}`;
  } catch {
    return null;
  }
}

/** Everything the batches depend on: the file as it is, how it is read, and how it is described. */
function keyOf(init: PassInit, stamp: string, meta: DatasetMeta): string {
  // Whether the mapping was saved or found does not change the feeds (a sweep's statistics pass
  // finds it, its evaluation pass gives the same one back).
  const { mappingSource: _, ...described } = meta;
  return JSON.stringify({ file: init.file, stamp, open: init.open, inputs: init.inputs, described });
}

function batchBytes(b: FeedBatch): number {
  let bytes = (b.labels?.byteLength ?? 0) + (b.sources instanceof Float64Array ? b.sources.byteLength : 0);
  for (const i of b.inputs) bytes += i.data.byteLength;
  return bytes;
}

/** Forgets every kept batch no pass is replaying (the runtime process was asked to free its memory, or sat idle). */
export function forgetDecoded(): void {
  entries = entries.filter((e) => e.busy);
}

/** Lets every kept batch go once nothing has used them for a while (the runtime process is long-lived). */
function touch(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(forgetDecoded, IDLE_MS);
  idleTimer.unref();
}

function drop(entry: Entry): void {
  entries = entries.filter((e) => e !== entry);
}

/** Whether passes over this format are kept and replayed. */
export function cachedFormat(format: string): boolean {
  return format === 'csv' || format === 'tsv' || format === 'jsonl';
}

/**
 * The kept batches of this pass, when its file is unchanged and read the same way; null otherwise
 * (then the caller reads the file, and `record` keeps what it reads).
 */
export async function replay(init: PassInit): Promise<BatchSource | null> {
  if (!entries.some((e) => e.file === init.file && !e.busy)) return null;
  const stamp = await stampOf(init.file);
  // Any problem with the file or its header is the reader's to report, with its own sentence.
  const meta = stamp === null ? null : await openPass(init).then((o) => o.meta, () => null);
  if (stamp === null || meta === null) return null;
  const key = keyOf(init, stamp, meta);
  const entry = entries.find((e) => e.key === key && !e.busy);
  if (!entry) {
    // A changed file: what was kept of it is stale.
    entries = entries.filter((e) => e.file !== init.file || e.busy || e.stamp === stamp);
    return null;
  }
  drop(entry);
  entries.push(entry);
  touch();
  return new Replay(entry, meta);
}

/** Replays kept batches in order; they stay kept if every one came back (`recycle`). */
export class Replay implements BatchSource {
  readonly meta: Promise<DatasetMeta>;
  readonly fromMemory = true;
  private at = 0;
  private outstanding = 0;

  constructor(private readonly entry: Entry, meta: DatasetMeta) {
    entry.busy = true;
    this.meta = Promise.resolve(meta);
  }

  async next(): Promise<FeedBatch | null> {
    const batch = this.entry.batches[this.at] ?? null;
    if (batch) {
      this.at++;
      this.outstanding++;
    }
    return batch;
  }

  recycle(): void {
    this.outstanding--;
  }

  async close(): Promise<void> {
    this.entry.busy = false;
    // A batch not handed back may still be in a lane that was stopped: its arrays are gone.
    if (this.outstanding !== 0) drop(this.entry);
  }
}

/**
 * Reads through the source `start` opens and keeps its batches for the next pass over the same
 * file: stored when the pass took every batch and handed each back, the file did not change
 * meanwhile, and they fit in MAX_DECODED_BYTES (older entries make room).
 */
export async function record(init: PassInit, start: () => BatchSource): Promise<BatchSource> {
  // Stamped before the reader starts: a file changed while it is read is stamped anew at the end and not kept.
  const stamp = await stampOf(init.file);
  return stamp === null ? start() : new Recording(init, stamp, start());
}

export class Recording implements BatchSource {
  readonly meta: Promise<DatasetMeta>;
  private kept: FeedBatch[] = [];
  private bytes = 0;
  private keeping = true;
  private taken = 0;
  private ended = false;

  constructor(private readonly init: PassInit, private readonly stamp: string, private readonly source: BatchSource) {
    this.meta = source.meta;
  }

  async next(): Promise<FeedBatch | null> {
    const batch = await this.source.next();
    if (batch) this.taken++;
    else this.ended = true;
    return batch;
  }

  recycle(batch: FeedBatch): void {
    if (this.keeping) {
      const bytes = batchBytes(batch);
      if (this.bytes + bytes <= MAX_DECODED_BYTES) {
        this.kept.push(batch);
        this.bytes += bytes;
        return;
      }
      // Too large to keep: the batches kept so far go to the garbage collector, the rest back to the reader.
      this.keeping = false;
      this.kept = [];
    }
    this.source.recycle(batch);
  }

  async close(): Promise<void> {
    await this.source.close();
    if (!this.keeping || !this.ended || this.kept.length !== this.taken) return;
    const meta = await this.meta;
    if ((await stampOf(this.init.file)) !== this.stamp) return;
    const entry: Entry = { file: this.init.file, stamp: this.stamp, key: keyOf(this.init, this.stamp, meta), batches: this.kept, bytes: this.bytes, busy: false };
    entries = entries.filter((e) => e.key !== entry.key);
    let total = entries.reduce((sum, e) => sum + e.bytes, 0);
    while (total + entry.bytes > MAX_DECODED_BYTES) {
      const oldest = entries.find((e) => !e.busy);
      if (!oldest) return;
      drop(oldest);
      total -= oldest.bytes;
    }
    entries.push(entry);
    touch();
  }
}

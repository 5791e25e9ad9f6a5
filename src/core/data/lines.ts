/**
 * Splitting a byte stream into lines without decoding it: text readers (CSV, JSON Lines) look at
 * each line's bytes in the chunk that holds it, so only a line straddling two chunks is copied.
 */
import * as fs from 'node:fs';
import type { BatchBuilder } from './batching';
import { fileError, throwIfAborted } from './errors';
import type { Batch } from './types';

/** Receives bytes [start, end) of `bytes` (no '\r\n'/'\n'); `line` is 1-based. */
export type LineHandler = (bytes: Uint8Array, start: number, end: number, line: number) => void;

export class LineSplitter {
  private rest: Uint8Array | null = null;
  private line = 0;

  constructor(private readonly onLine: LineHandler) {}

  push(chunk: Uint8Array): void {
    let pos = 0;
    if (this.line === 0 && this.rest === null && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) pos = 3; // UTF-8 BOM
    if (this.rest) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.rest = concat(this.rest, chunk);
        return;
      }
      const joined = concat(this.rest, chunk.subarray(0, nl));
      this.rest = null;
      this.emit(joined, 0, joined.length);
      pos = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) break;
      this.emit(chunk, pos, nl);
      pos = nl + 1;
    }
    if (pos < chunk.length) this.rest = new Uint8Array(chunk.subarray(pos)); // a copy: the chunk may be a pooled Buffer
  }

  /** Delivers a last line that has no newline after it. */
  end(): void {
    if (this.rest && this.rest.length > 0) this.emit(this.rest, 0, this.rest.length);
    this.rest = null;
  }

  private emit(bytes: Uint8Array, start: number, end: number): void {
    if (end > start && bytes[end - 1] === 13) end--;
    this.onLine(bytes, start, end, ++this.line);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** True when bytes [start, end) hold only spaces/tabs. */
export function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 32 && bytes[i] !== 9) return false;
  return true;
}

/**
 * Reads a file in chunks, calling `onChunk(chunk, bytesSoFar)` for each; a read error becomes a
 * DatasetError naming the file. 256 KiB chunks: larger ones did not read faster here.
 */
export async function* fileChunks(file: string, signal?: AbortSignal): AsyncGenerator<{ chunk: Uint8Array; bytesRead: number }> {
  const stream = fs.createReadStream(file, { highWaterMark: 256 << 10 });
  let bytesRead = 0;
  try {
    for await (const data of stream) {
      throwIfAborted(signal);
      const chunk = data as Buffer;
      bytesRead += chunk.length;
      yield { chunk: new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length), bytesRead };
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    if (err instanceof Error && 'code' in err) throw fileError(file, err);
    throw err;
  } finally {
    stream.destroy();
  }
}

/** How far a pass over a text file has read, for `Batch.bytesRead`. */
export interface ReadProgress {
  bytesRead: number;
}

/**
 * One pass of a text dataset: every line goes to `onLine`, which fills `builder`; the batches it
 * completes are yielded after each chunk. The caller closes the last, partial batch (`builder.end`).
 */
export async function* linesIntoBatches(file: string, builder: BatchBuilder, onLine: LineHandler, progress: ReadProgress, signal?: AbortSignal): AsyncGenerator<Batch> {
  const splitter = new LineSplitter(onLine);
  for await (const chunk of fileChunks(file, signal)) {
    progress.bytesRead = chunk.bytesRead;
    splitter.push(chunk.chunk);
    yield* builder.drain();
  }
  throwIfAborted(signal);
  splitter.end();
}

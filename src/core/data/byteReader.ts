/**
 * Sequential exact-size reads from a file, optionally through gunzip: what the binary dataset
 * readers (.npy, IDX) need to stream samples without holding the file in memory.
 */
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { DatasetError, fileError } from './errors';

export class ByteReader {
  /** Bytes read from the file itself (compressed bytes for .gz), for progress. */
  fileBytesRead = 0;
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly streams: Readable[];
  private ended = false;

  constructor(
    readonly file: string,
    options: { gzip?: boolean; start?: number } = {},
  ) {
    const raw = fs.createReadStream(file, { start: options.start, highWaterMark: 256 << 10 });
    raw.on('data', (chunk) => (this.fileBytesRead += chunk.length));
    const stream = options.gzip ? raw.pipe(zlib.createGunzip()) : raw;
    // A read error of the file surfaces through the gunzip stream's iterator.
    if (options.gzip) raw.on('error', (err) => stream.destroy(err));
    this.streams = options.gzip ? [raw, stream] : [raw];
    this.iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** The next `n` bytes; fewer only at the end of the data. */
  async read(n: number): Promise<Uint8Array> {
    while (this.buffered < n && !this.ended) {
      let next: IteratorResult<Buffer>;
      try {
        next = await this.iterator.next();
      } catch (err) {
        throw this.describe(err);
      }
      if (next.done) {
        this.ended = true;
        break;
      }
      this.chunks.push(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.length));
      this.buffered += next.value.length;
    }
    const take = Math.min(n, this.buffered);
    const out = new Uint8Array(take);
    let filled = 0;
    while (filled < take) {
      const head = this.chunks[0];
      const part = Math.min(head.length, take - filled);
      out.set(head.subarray(0, part), filled);
      filled += part;
      if (part === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(part);
    }
    this.buffered -= take;
    return out;
  }

  /** Like `read`, but a short read is a truncated file. */
  async readExact(n: number, what: string): Promise<Uint8Array> {
    const bytes = await this.read(n);
    if (bytes.length < n) throw new DatasetError(this.file, `is truncated: it ends inside ${what}`);
    return bytes;
  }

  close(): void {
    for (const s of this.streams) s.destroy();
  }

  private describe(err: unknown): Error {
    if (err instanceof DatasetError) return err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return new DatasetError(this.file, `is not valid gzip data: ${(err as Error).message.replace(/\.$/, '')}`);
    return fileError(this.file, err);
  }
}

/** gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

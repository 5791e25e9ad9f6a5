/**
 * Sequential exact-size reads from a file, optionally through gunzip: what the binary dataset
 * readers (.npy, IDX) need to stream samples without holding the file in memory.
 *
 * Bytes land in one window buffer, read into it directly from the file (a gzip stream's chunks
 * are copied in). A stream with a fresh 256 KB chunk per read cost more than the decoding: on
 * this project's 2-core VMs the first touch of fresh memory costs ~2.7 ms per MB (page faults),
 * ~21 ms per pass over a 7.8 MB IDX file (docs/evaluation.md).
 */
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { DatasetError, fileError } from './errors';

/**
 * Bytes asked of the file per read: 1 MB against 256 KB cut the time an evaluation waited for a
 * 7.8 MB IDX file from ~9 to ~6 ms (fewer round trips through libuv's pool).
 */
const READ_BYTES = 1 << 20;
/** The window while only headers are read (a probe reads a few bytes and closes). */
const HEADER_BYTES = 4 << 10;
/**
 * A closed reader's full-size window, for the next reader on this thread: the evaluation opens two
 * per pass (the header probe, then the pass), and a fresh 1 MB costs ~2.7 ms in page faults here.
 */
let spareWindow: Uint8Array | null = null;

export class ByteReader {
  /** Bytes read from the file itself (compressed bytes for .gz), for progress. */
  fileBytesRead = 0;
  /** The window: unread bytes are `buffer[start, end)`. */
  private buffer: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private ended = false;
  /** Raw files: the open handle (opened on the first read), and where the next read starts. */
  private handle: Promise<fs.promises.FileHandle> | null = null;
  private position = 0;
  /** Gzip files: the gunzip stream's chunks. */
  private readonly gunzip: { iterator: AsyncIterator<Buffer>; streams: Readable[] } | null = null;
  private closed = false;
  /** A read into the window is in flight. */
  private filling = false;

  constructor(
    readonly file: string,
    options: { gzip?: boolean } = {},
  ) {
    if (!options.gzip) return;
    const raw = fs.createReadStream(file, { highWaterMark: 256 << 10 });
    raw.on('data', (chunk) => (this.fileBytesRead += chunk.length));
    const stream = raw.pipe(zlib.createGunzip());
    // A read error of the file surfaces through the gunzip stream's iterator.
    raw.on('error', (err) => stream.destroy(err));
    this.gunzip = { iterator: stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>, streams: [raw, stream] };
  }

  /** The next `n` bytes, in an array of their own; fewer only at the end of the data. */
  async read(n: number): Promise<Uint8Array> {
    return (await this.readView(n)).slice();
  }

  /** Like `read`, but a short read is a truncated file. */
  async readExact(n: number, what: string): Promise<Uint8Array> {
    return (await this.readExactView(n, what)).slice();
  }

  /**
   * The next `n` bytes (fewer only at the end of the data) as a view of the window, valid until the
   * next read. The streaming readers convert each batch straight out of it.
   */
  async readView(n: number): Promise<Uint8Array> {
    if (this.end - this.start < n && !this.ended) await this.fill(n);
    const take = Math.min(n, this.end - this.start);
    const view = this.buffer.subarray(this.start, this.start + take);
    this.start += take;
    return view;
  }

  /** Like `readView`, but a short read is a truncated file. */
  async readExactView(n: number, what: string): Promise<Uint8Array> {
    const bytes = await this.readView(n);
    if (bytes.length < n) throw new DatasetError(this.file, `is truncated: it ends inside ${what}`);
    return bytes;
  }

  /** Ends the reading; every view it returned is invalid from here on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A read still in flight (the pass was aborted mid-read) writes into this window: not shared then.
    if (this.buffer.length === READ_BYTES && !this.filling) spareWindow = this.buffer;
    this.buffer = new Uint8Array(0);
    for (const s of this.gunzip?.streams ?? []) s.destroy();
    this.handle?.then((h) => h.close()).catch(() => undefined);
  }

  /** Moves the unread bytes to the front and reads until `n` are there or the data ends. */
  private async fill(n: number): Promise<void> {
    const unread = this.end - this.start;
    const size = n <= HEADER_BYTES && this.buffer.length === 0 ? HEADER_BYTES : Math.max(READ_BYTES, n);
    if (this.buffer.length < size) {
      const grown = size === READ_BYTES && spareWindow ? spareWindow : new Uint8Array(size);
      if (grown === spareWindow) spareWindow = null;
      grown.set(this.buffer.subarray(this.start, this.end));
      this.buffer = grown;
    } else {
      this.buffer.copyWithin(0, this.start, this.end);
    }
    this.start = 0;
    this.end = unread;
    this.filling = true;
    try {
      while (this.end < n && !this.ended && !this.closed) {
        const got = this.gunzip ? await this.pullGunzip() : await this.pullFile();
        if (got === 0) this.ended = true;
      }
    } finally {
      this.filling = false;
    }
  }

  /** One read from the file into the window's free space; 0 at the end. */
  private async pullFile(): Promise<number> {
    try {
      this.handle ??= fs.promises.open(this.file, 'r');
      const { bytesRead } = await (await this.handle).read(this.buffer, this.end, this.buffer.length - this.end, this.position);
      this.position += bytesRead;
      this.fileBytesRead += bytesRead;
      this.end += bytesRead;
      return bytesRead;
    } catch (err) {
      throw fileError(this.file, err);
    }
  }

  /** One chunk of the gunzip stream into the window (grown when the chunk does not fit); 0 at the end. */
  private async pullGunzip(): Promise<number> {
    let next: IteratorResult<Buffer>;
    try {
      next = await this.gunzip!.iterator.next();
    } catch (err) {
      throw this.describe(err);
    }
    if (next.done) return 0;
    const chunk = next.value;
    if (this.end + chunk.length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.end + chunk.length));
      grown.set(this.buffer.subarray(0, this.end));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
    return chunk.length;
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

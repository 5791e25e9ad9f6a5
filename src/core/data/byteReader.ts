/**
 * Sequential exact-size reads from a file, optionally through gunzip: what the binary dataset
 * readers (.npy, IDX) need to stream samples without holding the file in memory.
 *
 * A raw file is read in 1 MB chunks, the next one read ahead (libuv's pool) while this one is
 * consumed, into buffers kept for the next reader: fresh memory costs ~2.7 ms per MB in page faults
 * on this project's 2-core VMs, ~21 ms per pass over a 7.8 MB IDX file (docs/evaluation.md). A
 * gzip stream's chunks are copied into one window.
 */
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { DatasetError, fileError } from './errors';

/**
 * Bytes asked of a raw file per read: 1 MB against 256 KB cut the time an evaluation waited for a
 * 7.8 MB IDX file from ~9 to ~6 ms (fewer round trips through libuv's pool).
 */
const READ_BYTES = 1 << 20;
/** Chunk buffers of READ_BYTES kept from closed readers for the next ones on this thread (a reader holds two). */
const spareChunks: Uint8Array[] = [];
const MAX_SPARE_CHUNKS = 2;

export interface ByteReaderOptions {
  gzip?: boolean;
  /** Raw files: where reading starts (a header read already). */
  offset?: number;
}

export abstract class ByteReader {
  /** Bytes read from the file itself (compressed bytes for .gz), for progress. */
  fileBytesRead = 0;

  constructor(readonly file: string) {}

  /**
   * The next `n` bytes (fewer only at the end of the data) as a view of the reader's buffers, valid
   * until the next read. The streaming readers convert each batch straight out of it.
   */
  abstract readView(n: number): Promise<Uint8Array>;

  /** Ends the reading; every view it returned is invalid from here on. */
  abstract close(): void;

  /** The next `n` bytes, in an array of their own; fewer only at the end of the data. */
  async read(n: number): Promise<Uint8Array> {
    return (await this.readView(n)).slice();
  }

  /** Like `read`, but a short read is a truncated file. */
  async readExact(n: number, what: string): Promise<Uint8Array> {
    return (await this.readExactView(n, what)).slice();
  }

  /** Like `readView`, but a short read is a truncated file. */
  async readExactView(n: number, what: string): Promise<Uint8Array> {
    const bytes = await this.readView(n);
    if (bytes.length < n) throw new DatasetError(this.file, `is truncated: it ends inside ${what}`);
    return bytes;
  }
}

export function openByteReader(file: string, options: ByteReaderOptions = {}): ByteReader {
  return options.gzip ? new GunzipReader(file) : new FileReader(file, options.offset ?? 0);
}

/**
 * The first `n` bytes of a file (fewer when it is shorter), read synchronously: a few KB from the
 * page cache take microseconds, an async round trip through libuv's pool ~0.15 ms here, and a pass
 * over a dataset starts with several (bench/eval.bench.ts).
 */
export function readHeadSync(file: string, n: number): Uint8Array {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = new Uint8Array(n);
    return buf.subarray(0, readFully(fd, buf, 0));
  } catch (err) {
    throw fileError(file, err);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads into `buf` from `position` until it is full or the file ends; the bytes read. */
function readFully(fd: number, buf: Uint8Array, position: number): number {
  let got = 0;
  for (;;) {
    const n = fs.readSync(fd, buf, got, buf.length - got, position + got);
    got += n;
    if (n === 0 || got === buf.length) return got;
  }
}

function readFullyAsync(fd: number, buf: Uint8Array, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let got = 0;
    const step = () => fs.read(fd, buf, got, buf.length - got, position + got, (err, n) => {
      if (err) return reject(err);
      got += n;
      if (n === 0 || got === buf.length) resolve(got);
      else step();
    });
    step();
  });
}

function takeChunk(size: number): Uint8Array {
  return (size === READ_BYTES && spareChunks.pop()) || new Uint8Array(size);
}

function keepChunk(buf: Uint8Array): void {
  if (buf.length === READ_BYTES && spareChunks.length < MAX_SPARE_CHUNKS && !spareChunks.includes(buf)) spareChunks.push(buf);
}

interface Chunk {
  buffer: Uint8Array;
  /** Bytes of `buffer` read; fewer than its length at the end of the file. */
  read: Promise<number>;
}

/**
 * A raw file in chunks: the current one is consumed while the next is read. A request that
 * straddles two chunks is gathered into a buffer of its own (at most one batch's bytes per chunk).
 */
class FileReader extends ByteReader {
  private fd: number | null = null;
  /** The next byte of the file not yet asked for. */
  private position: number;
  private current: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;
  /** The chunk being read ahead. */
  private ahead: Chunk | null = null;
  /** The file's last byte has been read into a chunk. */
  private eof = false;
  private scratch: Uint8Array = new Uint8Array(0);
  private closed = false;

  constructor(file: string, offset: number) {
    super(file);
    this.position = offset;
    this.fileBytesRead = offset;
  }

  async readView(n: number): Promise<Uint8Array> {
    if (this.end - this.start >= n) return this.take(n);
    if (this.end === this.start) {
      await this.nextChunk(n);
      if (this.end - this.start >= n || this.eof) return this.take(Math.min(n, this.end - this.start));
    }
    if (this.scratch.length < n) this.scratch = new Uint8Array(n);
    let have = 0;
    while (have < n) {
      const part = this.take(Math.min(n - have, this.end - this.start));
      this.scratch.set(part, have);
      have += part.length;
      if (have < n && !(await this.nextChunk(n))) break;
    }
    return this.scratch.subarray(0, have);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    keepChunk(this.current);
    this.current = new Uint8Array(0);
    const fd = this.fd;
    const ahead = this.ahead;
    this.ahead = null;
    if (fd === null) return;
    // A read still in flight writes into its chunk and reads the descriptor: both wait for it.
    const closeFd = () => fs.close(fd, () => undefined);
    if (!ahead) return closeFd();
    ahead.read.then(() => keepChunk(ahead.buffer), () => undefined).finally(closeFd);
  }

  private take(n: number): Uint8Array {
    const view = this.current.subarray(this.start, this.start + n);
    this.start += n;
    return view;
  }

  /**
   * Makes the next chunk current and starts reading the one after; false at the end of the file.
   * The first chunk is read synchronously: nothing would overlap with its round trip.
   */
  private async nextChunk(n: number): Promise<boolean> {
    if (this.closed) return false;
    const size = Math.max(READ_BYTES, n);
    let chunk: Uint8Array;
    let got: number;
    try {
      if (this.ahead) {
        // Left in place while it is awaited, so a close meanwhile waits for the read.
        chunk = this.ahead.buffer;
        got = await this.ahead.read;
        if (this.closed) return false;
        this.ahead = null;
      } else if (this.eof) {
        got = 0;
        chunk = this.current;
      } else {
        this.fd ??= fs.openSync(this.file, 'r');
        chunk = takeChunk(size);
        got = readFully(this.fd, chunk, this.position);
        this.advance(chunk, got);
      }
    } catch (err) {
      throw fileError(this.file, err);
    }
    if (chunk !== this.current) keepChunk(this.current);
    this.current = chunk;
    this.start = 0;
    this.end = got;
    this.fileBytesRead += got;
    if (!this.eof) {
      const next = takeChunk(size);
      const read = readFullyAsync(this.fd!, next, this.position).then((m) => (this.advance(next, m), m));
      read.catch(() => undefined); // observed when the next chunk is needed
      this.ahead = { buffer: next, read };
    }
    return got > 0;
  }

  private advance(chunk: Uint8Array, got: number): void {
    this.position += got;
    if (got < chunk.length) this.eof = true;
  }
}

/** Gzip files: the gunzip stream's chunks, copied into one window. */
class GunzipReader extends ByteReader {
  /** The window: unread bytes are `buffer[start, end)`. */
  private buffer: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private ended = false;
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly streams: Readable[];
  private closed = false;

  constructor(file: string) {
    super(file);
    const raw = fs.createReadStream(file, { highWaterMark: 256 << 10 });
    raw.on('data', (chunk) => (this.fileBytesRead += chunk.length));
    const stream = raw.pipe(zlib.createGunzip());
    // A read error of the file surfaces through the gunzip stream's iterator.
    raw.on('error', (err) => stream.destroy(err));
    this.iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    this.streams = [raw, stream];
  }

  async readView(n: number): Promise<Uint8Array> {
    if (this.end - this.start < n && !this.ended) await this.fill(n);
    const take = Math.min(n, this.end - this.start);
    const view = this.buffer.subarray(this.start, this.start + take);
    this.start += take;
    return view;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer = new Uint8Array(0);
    for (const s of this.streams) s.destroy();
  }

  /** Moves the unread bytes to the front and appends chunks until `n` are there or the data ends. */
  private async fill(n: number): Promise<void> {
    this.buffer.copyWithin(0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    while (this.end < n && !this.ended && !this.closed) {
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
      const chunk = next.value;
      if (this.end + chunk.length > this.buffer.length) {
        const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.end + chunk.length));
        grown.set(this.buffer.subarray(0, this.end));
        this.buffer = grown;
      }
      this.buffer.set(chunk, this.end);
      this.end += chunk.length;
    }
  }

  private describe(err: unknown): Error {
    if (err instanceof DatasetError) return err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return new DatasetError(this.file, `is not valid gzip data: ${(err as Error).message.replace(/\.$/, '')}`);
    return fileError(this.file, err);
  }
}

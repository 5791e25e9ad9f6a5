/**
 * Positional byte access to a model: the whole file in memory, or a file read in windows.
 * The file-backed source is what lets a 500 MB model be summarised with a few MB of RSS.
 */
import * as fs from 'node:fs';

export interface ByteSource {
  readonly size: number;
  /** Bytes [offset, offset + length) — a view where possible; callers must not keep it beyond use. */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.byteLength;
  }
  read(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset, offset + length);
  }
  close(): void {}
}

export class FileSource implements ByteSource {
  private fd: number | undefined;
  constructor(
    readonly path: string,
    readonly size: number,
  ) {
    this.fd = fs.openSync(path, 'r');
  }
  read(offset: number, length: number): Uint8Array {
    if (this.fd === undefined) throw new Error(`${this.path} is closed`);
    const n = Math.max(0, Math.min(length, this.size - offset));
    const out = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      const got = fs.readSync(this.fd, out, done, n - done, offset + done);
      if (got === 0) break;
      done += got;
    }
    return done === n ? out : out.subarray(0, done);
  }
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

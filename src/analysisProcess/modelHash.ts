import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

const MIB = 1 << 20;

/**
 * A content key for a model file: sha1 over its size, mtime and first and last MiB.
 *
 * Not the whole file on purpose: models run to hundreds of MB (500 MB is common, GBs with
 * external data) and hashing them all would cost seconds on every open, while this key only
 * has to tell the layout cache "same file as last time". An exporter rewriting a model changes
 * its mtime, and almost always its size, header (producer, graph structure) or tail.
 */
export function modelFileHash(file: string): string {
  const stat = fs.statSync(file);
  const hash = createHash('sha1');
  hash.update(`${stat.size}:${stat.mtimeMs}:`);
  const fd = fs.openSync(file, 'r');
  try {
    const readAt = (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const read = fs.readSync(fd, buffer, 0, length, position);
      hash.update(buffer.subarray(0, read));
    };
    readAt(0, Math.min(MIB, stat.size));
    if (stat.size > MIB) readAt(Math.max(MIB, stat.size - MIB), Math.min(MIB, stat.size - MIB));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** The same kind of key for a model held in memory (read from a `git:` or virtual file): size and first and last MiB. */
export function modelBytesHash(bytes: Uint8Array): string {
  const hash = createHash('sha1');
  hash.update(`${bytes.byteLength}:mem:`);
  hash.update(bytes.subarray(0, Math.min(MIB, bytes.byteLength)));
  if (bytes.byteLength > MIB) hash.update(bytes.subarray(Math.max(MIB, bytes.byteLength - MIB)));
  return hash.digest('hex');
}

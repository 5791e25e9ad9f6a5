/**
 * The wire between a parent and its forked child: a pipe of its own (the child's fd 3) carrying
 * frames, each one line of JSON followed by the raw bytes of the binary values the message holds.
 *
 * Not process.send: with 'advanced' serialization (structured clone, which keeps typed arrays
 * typed) a `run` request of the sample MLP cost ~0.05–0.1 ms more per round trip than this, and
 * Node's JSON channel cannot carry bytes (bench/runtime.bench.ts; figures in the README,
 * Benchmarks). Here a message goes through the native JSON.stringify and JSON.parse;
 * a typed array is written from its own memory — no copy when sending, so do not modify one after
 * sending it — and read back as a view of the bytes received when they arrived in one piece
 * (aligned), else as one copy.
 *
 * What JSON cannot say travels as a marker object {"$rpc": kind, …}: NaN and ±Infinity (tensor
 * statistics have them), bigints, typed arrays, Buffers and ArrayBuffers. A line holding markers
 * starts with '$', so the common line without any is parsed without a reviver.
 */
import type { Duplex } from 'node:stream';

/** The child's file descriptor of the pipe (fork's stdio: 0–2, then this, then the 'ipc' channel fork requires). */
export const FRAME_FD = 3;

const MARK = '$rpc';
const NEWLINE = 10;

const VIEWS = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
} as const;
type ViewKind = keyof typeof VIEWS;
type BinaryKind = ViewKind | 'Buffer' | 'ArrayBuffer';

interface Marker {
  [MARK]: string;
  /** A bigint's digits. */
  v?: string;
  /** A binary value's byte length; its bytes follow the line, in the order the markers appear. */
  bytes?: number;
}

function binaryKind(value: object): BinaryKind | undefined {
  if (value instanceof ArrayBuffer) return 'ArrayBuffer';
  if (!ArrayBuffer.isView(value)) return undefined;
  if (Buffer.isBuffer(value)) return 'Buffer';
  const kind = (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag];
  if (kind && kind in VIEWS) return kind as ViewKind;
  throw new TypeError(`cannot send a ${value.constructor.name}`);
}

/**
 * True when JSON says `value` as it is. Walking first and then calling JSON.stringify without a
 * replacer costs less than a replacer, which V8 calls back for every value (measured: a `run`
 * reply of the sample MLP took ~3x as long to encode with one).
 */
function plainJson(value: object): boolean {
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Map || value instanceof Set) return false;
  const values = Array.isArray(value) ? value : Object.values(value);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // Numbers and strings inline: most of a message is arrays of numbers.
    if (typeof v === 'number' ? v - v !== 0 : typeof v === 'object' ? v !== null && !plainJson(v) : typeof v === 'bigint') return false;
  }
  return true;
}

/** The line (without its newline) and the bytes that follow it. */
export function encodeFrame(message: unknown): { line: string; binaries: Uint8Array[] } {
  const binaries: Uint8Array[] = [];
  if (typeof message === 'object' && message !== null && plainJson(message)) return { line: JSON.stringify(message), binaries };
  let marked = false;
  const json = JSON.stringify(message, function (this: Record<string, unknown>, key: string, value: unknown): unknown {
    if (typeof value === 'number') {
      // value - value is 0 for every finite number, NaN for NaN and ±Infinity.
      if (value - value === 0) return value;
      marked = true;
      return { [MARK]: String(value) };
    }
    if (typeof value === 'bigint') {
      marked = true;
      return { [MARK]: 'bigint', v: value.toString() };
    }
    if (typeof value !== 'object' || value === null) return value;
    // The value before toJSON (which turns a Buffer into {type, data}).
    const raw = this[key] as object;
    if (raw instanceof Map || raw instanceof Set) throw new TypeError(`cannot send a ${raw.constructor.name} ('${key}'); send an array or an object`);
    const kind = binaryKind(raw);
    if (!kind) return value;
    marked = true;
    const bytes = raw instanceof ArrayBuffer ? new Uint8Array(raw) : new Uint8Array((raw as ArrayBufferView).buffer, (raw as ArrayBufferView).byteOffset, (raw as ArrayBufferView).byteLength);
    binaries.push(bytes);
    return { [MARK]: kind, bytes: bytes.byteLength };
  });
  if (!marked) return { line: json, binaries };
  // Spaces (valid JSON) up to a multiple of 8 bytes, so that a frame read in one piece puts its
  // binaries where typed arrays can view them in place.
  const line = `$${json}`;
  const pad = binaries.length ? (8 - ((Buffer.byteLength(line) + 1) % 8)) % 8 : 0;
  return { line: line + ' '.repeat(pad), binaries };
}

/** Where a binary value goes once its bytes have arrived. */
interface Slot {
  holder: Record<string, unknown>;
  key: string;
  kind: BinaryKind;
  bytes: number;
}

function revive(kind: BinaryKind, bytes: Buffer): unknown {
  if (kind === 'Buffer') return bytes;
  if (kind === 'ArrayBuffer') {
    const whole = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;
    return whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }
  const View = VIEWS[kind];
  if (bytes.byteOffset % View.BYTES_PER_ELEMENT === 0) return new View(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / View.BYTES_PER_ELEMENT);
  const out = new View(bytes.byteLength / View.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Parses a line; the binary values' slots are returned to be filled when their bytes are read. */
function decodeLine(line: string): { message: unknown; slots: Slot[] } {
  const slots: Slot[] = [];
  if (line.charCodeAt(0) !== 0x24 /* $ */) return { message: JSON.parse(line), slots };
  const message = JSON.parse(line.slice(1), function (this: Record<string, unknown>, key: string, value: unknown): unknown {
    if (typeof value !== 'object' || value === null || !(MARK in value)) return value;
    const m = value as Marker;
    const kind = m[MARK];
    if (kind === 'bigint') return BigInt(m.v!);
    if (m.bytes === undefined) return Number(kind);
    slots.push({ holder: this, key, kind: kind as BinaryKind, bytes: m.bytes });
    return value;
  });
  return { message, slots };
}

/** Reassembles frames from the chunks a stream delivers. */
class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes of the first chunks already searched for a newline. */
  private scanned = 0;
  /** A parsed line waiting for the bytes of its binaries. */
  private waiting: { message: unknown; slots: Slot[]; bytes: number } | undefined;

  constructor(private readonly onMessage: (message: unknown) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (!this.waiting) {
        const line = this.nextLine();
        if (line === undefined) return;
        const { message, slots } = decodeLine(line);
        if (slots.length === 0) {
          this.onMessage(message);
          continue;
        }
        this.waiting = { message, slots, bytes: slots.reduce((n, s) => n + s.bytes, 0) };
      }
      if (this.buffered < this.waiting.bytes) return;
      const { message, slots } = this.waiting;
      this.waiting = undefined;
      for (const s of slots) s.holder[s.key] = revive(s.kind, this.take(s.bytes));
      this.onMessage(message);
    }
  }

  private nextLine(): string | undefined {
    let offset = 0;
    for (const chunk of this.chunks) {
      const from = Math.max(0, this.scanned - offset);
      const at = chunk.indexOf(NEWLINE, from);
      if (at >= 0) {
        this.scanned = 0;
        const line = this.take(offset + at + 1);
        return line.toString('utf8', 0, line.length - 1);
      }
      offset += chunk.length;
    }
    this.scanned = offset;
    return undefined;
  }

  /** The next `n` buffered bytes: a view when they lie in one chunk, else one copy. */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first && first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafeSlow(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0];
      const part = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, part);
      filled += part;
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    return out;
  }
}

export interface FrameChannel {
  /** `callback` gets the write's error (the other side has gone) or nothing once the frame is handed to the pipe. */
  send(message: unknown, callback?: (error?: Error | null) => void): void;
}

/** Frames over `stream` (the parent's `child.stdio[FRAME_FD]`, or the child's socket on that fd). */
export function frameChannel(stream: Duplex, onMessage: (message: unknown) => void): FrameChannel {
  const reader = new FrameReader(onMessage);
  stream.on('data', (chunk: Buffer) => reader.push(chunk));
  return {
    send(message, callback) {
      const { line, binaries } = encodeFrame(message);
      if (binaries.length === 0) {
        stream.write(`${line}\n`, callback);
        return;
      }
      // One writev for the line and every binary.
      stream.cork();
      stream.write(`${line}\n`);
      binaries.forEach((b, i) => stream.write(b, i === binaries.length - 1 ? callback : undefined));
      stream.uncork();
    },
  };
}

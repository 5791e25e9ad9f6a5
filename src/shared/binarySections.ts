/**
 * One ArrayBuffer holding a small JSON header and named sections (typed arrays and string lists),
 * so a large columnar message (the graph payload, src/shared/payloadCodec.ts) crosses every
 * process boundary as bytes: one memcpy through the analysis process's IPC, and through
 * `webview.postMessage` untouched (VS Code moves an ArrayBuffer as binary; anything else in a
 * message goes through JSON, element by element for arrays). Measured on a 100k-node model:
 * the JSON/structured-clone path took seconds on the host and in the workbench, this one tens of ms.
 *
 * Layout (little-endian): `u32 magic, u32 header byte length`, the header (UTF-8 JSON: the caller's
 * object plus the section table), then each section at an 8-byte aligned offset, so the decoder
 * returns typed arrays as views on the buffer without copying. A string list is front-coded: per
 * string, the length of the prefix it shares with the previous one (names in a graph share long
 * scope prefixes: a 100k-node transformer's 9.7 M characters of names shrink about fourfold), and
 * the rest, all joined by NUL in UTF-8; the decoder rebuilds the strings' bytes and decodes them
 * with one TextDecoder call per 64 KB, so the strings are slices of a few long ones. Every
 * {@link RESTART_EVERY}th string is stored whole and its text offset kept, so one string can be read
 * without decoding the list (`stringAt`: a graph's first view needs a few dozen of 200k names). A NUL inside
 * a string (legal in protobuf, never seen in a real model) becomes U+FFFD. For storage and
 * transport, {@link deltaCoded} stores each 32-bit integer section as differences (4x smaller
 * once deflated), which the decoder undoes.
 *
 * Pure and dependency-free: used by the analysis process, the host and the webview.
 */

const MAGIC = 0x4f4c4253; // 'OLBS'
/** The same message with its 32-bit integer sections delta-coded ({@link deltaCoded}). */
const MAGIC_DELTA = 0x4f4c4244; // 'OLBD'

export type NumericArray = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
type ArrayKind = 'u8' | 'u16' | 'i32' | 'u32' | 'f32' | 'f64' | 'str';
export type SectionValue = NumericArray | readonly string[];

const CONSTRUCTORS = { u8: Uint8Array, u16: Uint16Array, i32: Int32Array, u32: Uint32Array, f32: Float32Array, f64: Float64Array } as const;

interface SectionEntry {
  kind: ArrayKind;
  offset: number;
  bytes: number;
  /** Strings in a 'str' section. */
  count?: number;
  /** Bytes of the suffix text in a 'str' section; the shared-prefix lengths (u32 each) follow it, 4-byte aligned. */
  textBytes?: number;
  /**
   * In a 'str' section: every this many strings one shares no prefix, and the text offset of each
   * such string (u32 each) follows the prefix lengths. Absent in messages written before it existed.
   */
  restartEvery?: number;
}

/** Strings per restart block: reading one string decodes at most this many. */
export const RESTART_EVERY = 256;

function kindOf(value: SectionValue): ArrayKind {
  if (Array.isArray(value)) return 'str';
  if (value instanceof Uint8Array) return 'u8';
  if (value instanceof Uint16Array) return 'u16';
  if (value instanceof Int32Array) return 'i32';
  if (value instanceof Uint32Array) return 'u32';
  if (value instanceof Float32Array) return 'f32';
  if (value instanceof Float64Array) return 'f64';
  throw new TypeError('binarySections: unsupported section type');
}

const align8 = (n: number) => (n + 7) & ~7;

/**
 * Each string as the length of the prefix it shares with the previous one, and the rest; the rests
 * joined by NUL in UTF-8, written straight into bytes (ASCII a byte per character, anything else
 * through TextEncoder): joining 200k rests into one string and encoding that copied each twice.
 */
function frontCode(list: readonly string[], encoder: InstanceType<typeof TextEncoder>): { text: Uint8Array; shared: Uint32Array; restarts: Uint32Array } {
  const shared = new Uint32Array(list.length);
  const restarts = new Uint32Array(Math.ceil(list.length / RESTART_EVERY));
  let previous = '';
  let left = 0;
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    const max = i % RESTART_EVERY === 0 ? 0 : Math.min(s.length, previous.length);
    let k = 0;
    while (k < max && s.charCodeAt(k) === previous.charCodeAt(k)) k++;
    // Never split a surrogate pair: the halves would not survive UTF-8.
    if (k > 0 && k < s.length && (s.charCodeAt(k - 1) & 0xfc00) === 0xd800) k--;
    shared[i] = k;
    left += s.length - k;
    previous = s;
  }
  // Exact when everything is ASCII; grown (3 bytes per character at most) at the first that is not.
  let text = new Uint8Array(left + Math.max(0, list.length - 1));
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    if (i > 0) text[at++] = 0;
    if (i % RESTART_EVERY === 0) restarts[i / RESTART_EVERY] = at;
    const s = list[i];
    for (let j = shared[i]; j < s.length; j++) {
      const ch = s.charCodeAt(j);
      if (ch < 0x80) {
        text[at++] = ch;
        left--;
        continue;
      }
      const need = at + 3 * left + (list.length - 1 - i);
      if (need > text.length) {
        const grown = new Uint8Array(need);
        grown.set(text.subarray(0, at));
        text = grown;
      }
      const rest = s.slice(j);
      at += encoder.encodeInto(rest, text.subarray(at)).written ?? 0;
      left -= rest.length;
      break;
    }
  }
  return { text: text.subarray(0, at), shared, restarts };
}

/** Bytes of rebuilt strings decoded at a time (see frontDecode). */
const DECODE_CHUNK = 1 << 16;

/**
 * The strings of a front-coded section. Each string is rebuilt as UTF-8 bytes (its shared prefix
 * copied from the previous string's bytes, then its suffix) and they are decoded a chunk of
 * DECODE_CHUNK bytes at a time with one TextDecoder call each and split: the strings are slices of
 * a few long strings. Decoding every suffix and joining it to a slice of its predecessor made three
 * strings per entry, two of them garbage; rebuilding the whole list before decoding it held a
 * buffer of all its bytes until the next collection (at 100k node and 100k value names, each was
 * tens of MB on both sides that decode them: the page and its layout worker). Null when the
 * section is corrupt.
 */
function frontDecode(text: Uint8Array, shared: Uint32Array): string[] | null {
  const count = shared.length;
  const strings: string[] = [];
  if (count === 0) return strings;
  const decoder = new TextDecoder();
  // A shared prefix counts UTF-16 code units; in ASCII text that is its byte count.
  let ascii = true;
  for (let b = 0; b < text.length && ascii; b++) ascii = text[b] < 0x80;
  let out = new Uint8Array(2 * DECODE_CHUNK);
  /** Where the strings not decoded yet start, where the next one goes, where the last one starts. */
  let pending = 0;
  let at = 0;
  let previous = 0;
  let read = 0;
  for (let i = 0; i < count; i++) {
    const end = i === count - 1 ? text.length : text.indexOf(0, read);
    if (end < 0) return null;
    const prefixEnd = ascii ? previous + shared[i] : utf16Prefix(out, previous, shared[i]);
    if (prefixEnd > Math.max(previous, at - 1)) return null;
    const length = prefixEnd - previous + end - read;
    if (at + length + 1 > out.length) {
      const grown = new Uint8Array(2 * (at + length + 1));
      grown.set(out.subarray(0, at));
      out = grown;
    }
    out.copyWithin(at, previous, prefixEnd);
    // Byte by byte: a subarray per string to copy from was 60 bytes of garbage for 15 copied.
    const from = previous;
    previous = at;
    at += prefixEnd - from;
    for (let b = read; b < end; b++) out[at++] = text[b];
    out[at++] = 0;
    read = end + 1;
    if (at >= DECODE_CHUNK && i < count - 1) {
      for (const s of decoder.decode(out.subarray(pending, at - 1)).split('\0')) strings.push(s);
      // The last string's bytes move to the front, decoded already: the next one's prefix comes from them.
      out.copyWithin(0, previous, at);
      at -= previous;
      previous = 0;
      pending = at;
    }
  }
  for (const s of decoder.decode(out.subarray(pending, at - 1)).split('\0')) strings.push(s);
  return strings.length === count ? strings : null;
}

/** End of the first `units` UTF-16 code units of the UTF-8 string at `start` in `bytes`. */
function utf16Prefix(bytes: Uint8Array, start: number, units: number): number {
  let b = start;
  for (let u = 0; u < units; b++) {
    const c = bytes[b];
    if (c === 0 || b >= bytes.length) return Infinity;
    // A lead byte counts its character (four bytes: a surrogate pair); continuation bytes nothing.
    if (c < 0x80 || c >= 0xc0) u += c >= 0xf0 ? 2 : 1;
  }
  // Past the last counted character's continuation bytes.
  while (b < bytes.length && (bytes[b] & 0xc0) === 0x80) b++;
  return b;
}

/** Packs `header` (JSON-serialisable) and `sections` into one ArrayBuffer. */
export function encodeSections(header: object, sections: Record<string, SectionValue>): ArrayBuffer {
  const encoder = new TextEncoder();
  const table: Record<string, SectionEntry> = {};
  const bodies: Uint8Array[] = [];
  let offset = 0;
  for (const [name, value] of Object.entries(sections)) {
    const kind = kindOf(value);
    let body: Uint8Array;
    if (kind === 'str') {
      let list = value as readonly string[];
      if (list.some((s) => s.includes('\0'))) list = list.map((s) => s.replaceAll('\0', '\uFFFD'));
      const { text: textBytes, shared, restarts } = frontCode(list, encoder);
      const at = (textBytes.byteLength + 3) & ~3;
      body = new Uint8Array(at + shared.byteLength + restarts.byteLength);
      body.set(textBytes, 0);
      body.set(new Uint8Array(shared.buffer), at);
      body.set(new Uint8Array(restarts.buffer), at + shared.byteLength);
      table[name] = { kind, offset, bytes: body.byteLength, count: list.length, textBytes: textBytes.byteLength, restartEvery: RESTART_EVERY };
    } else {
      const array = value as NumericArray;
      body = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      table[name] = { kind, offset, bytes: body.byteLength };
    }
    bodies.push(body);
    offset = align8(offset + body.byteLength);
  }
  const headerBytes = encoder.encode(JSON.stringify({ header, sections: table }));
  const start = align8(8 + headerBytes.byteLength);
  const out = new Uint8Array(start + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, headerBytes.byteLength, true);
  out.set(headerBytes, 8);
  Object.values(table).forEach((entry, i) => out.set(bodies[i], start + entry.offset));
  return out.buffer;
}

export interface DecodedSections<H> {
  header: H;
  /**
   * Typed arrays are views on the decoded buffer (no copy); string lists are new arrays, decoded on
   * first read when asked to be lazy (a corrupt one throws then).
   */
  sections: Record<string, SectionValue>;
  /** How many strings each string section holds (known without decoding it). */
  stringCounts: Record<string, number>;
  /**
   * String i of each string section: from the decoded list once it is, else from its restart block
   * alone (the whole list for a message without restarts). Throws on a corrupt section.
   */
  stringAt: Record<string, (i: number) => string>;
}

/**
 * Unpacks what {@link encodeSections} packed, or its {@link deltaCoded} form (restored in `buffer`
 * itself first, so a second decode of the same buffer finds it plain); throws a plain sentence on
 * anything else. `lazyStrings`: string sections are decoded when first read, not now.
 */
export function decodeSections<H>(buffer: ArrayBuffer, { lazyStrings = false } = {}): DecodedSections<H> {
  if (buffer.byteLength < 8) throw new Error('binary message too short');
  const view = new DataView(buffer);
  const magic = view.getUint32(0, true);
  if (magic !== MAGIC && magic !== MAGIC_DELTA) throw new Error('not a binary sections message');
  const { header, table, start } = readTable<H>(buffer);
  if (magic === MAGIC_DELTA) {
    applyDeltas(buffer, table, start, 'undo');
    view.setUint32(0, MAGIC, true);
  }
  const sections: Record<string, SectionValue> = {};
  const stringCounts: Record<string, number> = {};
  const stringAt: Record<string, (i: number) => string> = {};
  for (const [name, entry] of Object.entries(table)) {
    const begin = start + entry.offset;
    if (entry.kind === 'str') {
      const count = entry.count ?? 0;
      const textBytes = entry.textBytes ?? 0;
      const every = entry.restartEvery ?? 0;
      const restartCount = every > 0 ? Math.ceil(count / every) : 0;
      const sharedAt = begin + ((textBytes + 3) & ~3);
      if (sharedAt - begin + (count + restartCount) * 4 > entry.bytes || !Number.isInteger(every) || every < 0) throw new Error(`binary message corrupt (section ${name})`);
      stringCounts[name] = count;
      const corrupt = () => new Error(`binary message corrupt (section ${name})`);
      const text = new Uint8Array(buffer, begin, textBytes);
      const shared = new Uint32Array(buffer, sharedAt, count);
      let strings: string[] | null = null;
      const decode = (): string[] => {
        strings ??= frontDecode(text, shared);
        if (!strings) throw corrupt();
        return strings;
      };
      if (lazyStrings) defineLazy(sections, name, decode);
      else sections[name] = decode();
      // Only a lazy list reads strings from their blocks; a decoded one answers from its array.
      const block = lazyStrings && every > 0 ? blockReader(text, shared, new Uint32Array(buffer, sharedAt + count * 4, restartCount), every) : null;
      stringAt[name] = (i) => {
        const s = strings ? strings[i] : block ? block(i) : decode()[i];
        if (s === undefined) throw i >= 0 && i < count ? corrupt() : new RangeError(`string ${i} of ${count} in section ${name}`);
        return s;
      };
    } else {
      const Ctor = CONSTRUCTORS[entry.kind];
      sections[name] = new Ctor(buffer, begin, entry.bytes / Ctor.BYTES_PER_ELEMENT);
    }
  }
  return { header, sections, stringCounts, stringAt };
}

/** Blocks decoded by one reader and kept (a view's labels come from a few). */
const BLOCKS_KEPT = 64;

/**
 * String i of a front-coded list with restart points, decoding only its block (undefined when the
 * block is corrupt). Blocks are kept, the oldest dropped first.
 */
function blockReader(text: Uint8Array, shared: Uint32Array, restarts: Uint32Array, every: number): (i: number) => string | undefined {
  const kept = new Map<number, string[] | null>();
  return (i) => {
    const b = Math.floor(i / every);
    let strings = kept.get(b);
    if (strings === undefined) {
      const first = b * every;
      const end = b + 1 < restarts.length ? restarts[b + 1] - 1 : text.length;
      const begin = restarts[b];
      strings = begin <= end && end <= text.length && shared[first] === 0
        ? frontDecode(text.subarray(begin, end), shared.subarray(first, Math.min(shared.length, first + every)))
        : null;
      if (kept.size >= BLOCKS_KEPT) kept.delete(kept.keys().next().value as number);
      kept.set(b, strings);
    }
    return strings?.[i - b * every];
  };
}

function readTable<H>(buffer: ArrayBuffer): { header: H; table: Record<string, SectionEntry>; start: number } {
  const headerLength = new DataView(buffer).getUint32(4, true);
  if (8 + headerLength > buffer.byteLength) throw new Error('binary message truncated (header)');
  const { header, sections: table } = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength))) as { header: H; sections: Record<string, SectionEntry> };
  const start = align8(8 + headerLength);
  for (const [name, entry] of Object.entries(table)) {
    if (start + entry.offset + entry.bytes > buffer.byteLength) throw new Error(`binary message truncated (section ${name})`);
  }
  return { header, table, start };
}

/**
 * Each element of every 32-bit integer section replaced by its difference from the one before
 * ('do'), or back ('undo'), in place, wrapping as int32 does (so the bits come back exactly).
 */
function applyDeltas(buffer: ArrayBuffer, table: Record<string, SectionEntry>, start: number, direction: 'do' | 'undo'): void {
  for (const entry of Object.values(table)) {
    if (entry.kind !== 'i32' && entry.kind !== 'u32') continue;
    const a = new Int32Array(buffer, start + entry.offset, entry.bytes / 4);
    if (direction === 'undo') {
      for (let i = 1; i < a.length; i++) a[i] = (a[i] + a[i - 1]) | 0;
    } else {
      for (let i = a.length - 1; i > 0; i--) a[i] = (a[i] - a[i - 1]) | 0;
    }
  }
}

/**
 * A copy of an {@link encodeSections} message for storage and transport: its 32-bit integer sections
 * delta-coded, which deflate packs far better (a graph's offsets, producers and parents mostly grow
 * by small steps: a 100k-node structure packs to 0.4 MB instead of 1.5 MB). {@link decodeSections}
 * takes it as it is, undoing the deltas in place first.
 */
export function deltaCoded(message: Uint8Array): Uint8Array {
  const copy = new Uint8Array(message).buffer;
  const view = new DataView(copy);
  if (copy.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('not a binary sections message');
  const { table, start } = readTable(copy);
  applyDeltas(copy, table, start, 'do');
  view.setUint32(0, MAGIC_DELTA, true);
  return new Uint8Array(copy);
}

/** `target[key]` computed by `compute` when first read, then a plain property. */
export function defineLazy<T extends object>(target: T, key: PropertyKey, compute: () => unknown): void {
  Object.defineProperty(target, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = compute();
      Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: true });
      return value;
    },
  });
}

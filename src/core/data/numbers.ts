/**
 * Decimal text → number straight from bytes, without making a string per cell. CSV evaluation
 * spends most of its time here: 10k rows × 64 columns is 640k cells, and `Number(string)` on
 * substrings (what papaparse + conversion does) costs about 3× this.
 *
 * Fast path (Clinger): a mantissa m ≤ 2^53 and a power of ten 10^k with |k| ≤ 22 are both exact
 * doubles, so m·10^k or m/10^k is one correctly rounded operation — the same double `Number` gives.
 * Longer mantissas (e.g. 17-digit `repr` floats) are accumulated inexactly (a few ulps); the
 * result is only used as float32, and it is accepted when nudging it by ±2^-48 (far above that
 * error) does not change the float32 it rounds to; otherwise, and for anything unusual
 * ('Infinity', hex, huge exponents), `Number` decides.
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const MAX_EXACT = 2 ** 53;
const NUDGE_UP = 1 + 2 ** -48;
const NUDGE_DOWN = 1 - 2 ** -48;

const latin1 = new TextDecoder('latin1');
const DECIMAL = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Infinity)$/;

/** Decimal number text as data files write it; `Number()` alone also takes '', '0x1F', '0b1'. */
export function parseDecimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}

/** The text of bytes [start, end), for error messages and the slow path. */
export function bytesText(bytes: Uint8Array, start: number, end: number): string {
  return latin1.decode(bytes.subarray(start, end));
}

/** Where `scanFloat32` stopped: the index of the delimiter (or the end), and whether it met a quote. */
export interface ScanCursor {
  end: number;
  quote: boolean;
}

/**
 * The value of bytes [start, end) as a float32-exact number (spaces around it allowed); NaN for an
 * empty or non-numeric cell. A cell reading 'NaN' also gives NaN: missing values are not data.
 */
export function parseFloat32Bytes(b: Uint8Array, start: number, end: number): number {
  return scanFloat32(b, start, end, -2, { end: 0, quote: false });
}

/**
 * Parses one field starting at `start` and ending at the first `delim` byte (or `end`), in a single
 * pass: a CSV row is scanned once, not split first and parsed after. Sets `cursor.end` to the
 * delimiter's index; sets `cursor.quote` (and returns NaN) when the field holds a '"'.
 */
export function scanFloat32(b: Uint8Array, start: number, end: number, delim: number, cursor: ScanCursor): number {
  // Kept small enough for V8 to inline into the row loop (measured 2× faster per cell than a
  // call): the common cell ('12', ' -0.25') is done here; exponents and the rest continue in
  // `finishScan` from where this stopped. c is the byte at i, or -1 past the end; reads stay in
  // bounds (an out-of-range typed-array read deoptimises V8).
  let i = start;
  let c = i < end ? b[i] : -1;
  while (c === 32) c = ++i < end ? b[i] : -1;
  const neg = c === 45;
  if (neg || c === 43) c = ++i < end ? b[i] : -1;
  let m = 0;
  let digits = 0;
  let frac = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    digits++;
    c = ++i < end ? b[i] : -1;
  }
  if (c === 46) {
    c = ++i < end ? b[i] : -1;
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      frac++;
      c = ++i < end ? b[i] : -1;
    }
  }
  // Under 16 digits the mantissa is exact.
  if ((c === delim || c === -1) && digits > 0 && digits < 16) {
    cursor.end = i;
    const v = frac === 0 ? m : m / POW10[frac];
    return neg ? -v : v;
  }
  return finishScan(b, start, end, delim, cursor, i, c, m, digits, -frac, neg);
}

/** The rest of a field after its mantissa: an exponent, trailing spaces, long mantissas, and handing odd cells to `Number`. */
function finishScan(b: Uint8Array, start: number, end: number, delim: number, cursor: ScanCursor, i: number, c: number, m: number, digits: number, exp: number, neg: boolean): number {
  if ((c === 101 || c === 69) && digits > 0) {
    c = ++i < end ? b[i] : -1;
    let eneg = false;
    if (c === 45 || c === 43) {
      eneg = c === 45;
      c = ++i < end ? b[i] : -1;
    }
    let ev = 0;
    let edigits = 0;
    while (c >= 48 && c <= 57) {
      if (ev < 1e6) ev = ev * 10 + (c - 48);
      edigits++;
      c = ++i < end ? b[i] : -1;
    }
    if (edigits === 0) digits = 0; // '1e' is not a number
    exp += eneg ? -ev : ev;
  }
  while (c === 32) c = ++i < end ? b[i] : -1;
  if (c !== -1 && c !== delim) return slowField(b, start, i, end, delim, cursor);
  cursor.end = i;
  if (digits === 0 || exp < -22 || exp > 22) {
    cursor.quote = false; // callers look at `quote` only when the result is NaN
    return slow(b, start, i);
  }
  const v = exp < 0 ? m / POW10[-exp] : m * POW10[exp];
  if (m > MAX_EXACT) {
    const f = Math.fround(v);
    if (Math.fround(v * NUDGE_UP) !== f || Math.fround(v * NUDGE_DOWN) !== f) return Math.fround(slow(b, start, i));
    return neg ? -f : f;
  }
  return neg ? -v : v;
}

/** The field did not read as a plain decimal: find its end, note a quote, and let `Number` decide. */
function slowField(b: Uint8Array, start: number, from: number, end: number, delim: number, cursor: ScanCursor): number {
  let i = from;
  let quote = false;
  while (i < end && b[i] !== delim) {
    if (b[i] === 34) quote = true;
    i++;
  }
  cursor.end = i;
  cursor.quote = quote;
  return quote ? NaN : slow(b, start, i);
}

function slow(b: Uint8Array, s: number, e: number): number {
  return parseDecimal(bytesText(b, s, e).trim());
}

/**
 * CSV/TSV datasets: a header row, then one sample per line; every column but the label is a
 * numeric feature. The header and any record holding a quote go through papaparse (quoting rules,
 * fields spanning lines); plain numeric lines — nearly all of a dataset — are scanned from bytes
 * (numbers.ts), which measured about 3× faster than papaparse plus Number() on 10k × 64 rows.
 * "row" in errors is the 1-based line of the file (the header is row 1).
 */
import * as fs from 'node:fs/promises';
import Papa from 'papaparse';
import { BatchBuilder, readAhead } from './batching';
import { DatasetError, fileError, listNames } from './errors';
import { defaultLabelKind, findClassNames, LabelDecoder, usableNames } from './labels';
import { isBlank, linesIntoBatches } from './lines';
import { bytesText, parseDecimal, scanFloat32, type ScanCursor } from './numbers';
import type { Batch, DatasetColumn, DatasetReader, OpenDatasetOptions } from './types';

const MAX_HEADER_BYTES = 1 << 20;
const HEADER_CHUNK = 64 << 10;
/**
 * A local binding for the hot loop: CommonJS output (tsx, esbuild) reads an imported function
 * through an export getter on every call, which profiled at a third of the CSV scan time.
 */
const scanCell = scanFloat32;
const utf8 = new TextDecoder();
const MISSING = new Set(['nan', 'na', 'n/a', 'null', 'none', '?', '-']);

interface Header {
  names: string[];
  delimiter: string;
  totalBytes: number;
}

export async function openCsv(file: string, options: OpenDatasetOptions, format: 'csv' | 'tsv'): Promise<DatasetReader> {
  const { names, delimiter, totalBytes } = await readHeader(file, format);
  const labelColumn = pickLabelColumn(file, names, options.labelColumn);
  const labelIndex = labelColumn === null ? -1 : names.indexOf(labelColumn);
  const columns: DatasetColumn[] = names.filter((_, i) => i !== labelIndex).map((name) => ({ name, shape: [], size: 1 }));
  const lookup = findClassNames(file, options.classNames, options.numClasses);
  const classes = usableNames(lookup);
  const numClasses = options.numClasses ?? classes?.names.length;
  const labelKind = options.labelKind ?? defaultLabelKind(numClasses);

  async function* pass(batchSize: number, signal?: AbortSignal): AsyncGenerator<Batch> {
    const builder = new BatchBuilder({ batchSize, featureCount: columns.length, labelKind: labelColumn === null ? null : labelKind, sources: true });
    const decoder = labelColumn === null ? undefined : new LabelDecoder(file, labelColumn, labelKind, numClasses, classes?.names, classes?.source);
    const progress = { bytesRead: 0 };
    const rows = new RowParser(file, names, delimiter, labelIndex, decoder, (label, line) => builder.commit(label, line, progress.bytesRead), () => builder);
    yield* linesIntoBatches(file, builder, (b, s, e, line) => rows.line(b, s, e, line), progress, signal);
    rows.end();
    if (builder.samples === 0) throw new DatasetError(file, 'has no data rows after its header');
    yield* builder.end(progress.bytesRead);
  }

  return {
    file, format, columns, featureCount: columns.length, labelColumn, labelKind, totalBytes,
    classNames: classes?.names, classNamesSource: classes?.source, classNamesNote: lookup?.note,
    batches: (batchSize, signal) => readAhead(pass(batchSize, signal), options.readAhead ?? 2, signal),
  };
}

/** Parses one data line into the builder's current sample. */
class RowParser {
  private readonly slot: Int32Array;
  private readonly delimiterByte: number;
  private readonly cursor: ScanCursor = { end: 0, quote: false };
  private pending: { text: string; line: number } | null = null;

  constructor(
    private readonly file: string,
    private readonly names: string[],
    private readonly delimiter: string,
    private readonly labelIndex: number,
    private readonly decoder: LabelDecoder | undefined,
    private readonly commit: (label: number, line: number) => void,
    private readonly builder: () => BatchBuilder,
  ) {
    // Field k goes to feature slot[k]; the label field has no slot.
    this.slot = Int32Array.from(names, (_, k) => (k === labelIndex ? -1 : k < labelIndex || labelIndex < 0 ? k : k - 1));
    this.delimiterByte = delimiter.charCodeAt(0);
  }

  line(b: Uint8Array, s: number, e: number, line: number): void {
    if (this.pending) {
      this.pending.text += `\n${bytesText(b, s, e)}`;
      if (countQuotes(this.pending.text) % 2 === 0) {
        const { text, line: first } = this.pending;
        this.pending = null;
        this.quoted(text, first);
      }
      return;
    }
    if (line === 1 || isBlank(b, s, e)) return;
    const out = this.builder().features;
    const o = this.builder().offset();
    const { slot, delimiterByte, cursor } = this;
    const fields = this.names.length;
    let label = 0;
    let k = 0;
    let f = s;
    for (;;) {
      const at = k < fields ? slot[k] : -1;
      let fieldEnd: number;
      if (at >= 0) {
        const v = scanCell(b, f, e, delimiterByte, cursor);
        if (v !== v) {
          if (cursor.quote) return this.startQuoted(utf8.decode(b.subarray(s, e)), line);
          this.badCell(bytesText(b, f, cursor.end), line, k);
        }
        out[o + at] = v;
        fieldEnd = cursor.end;
      } else {
        fieldEnd = f;
        while (fieldEnd < e && b[fieldEnd] !== delimiterByte) {
          if (b[fieldEnd] === 34) return this.startQuoted(utf8.decode(b.subarray(s, e)), line);
          fieldEnd++;
        }
        if (k === this.labelIndex && this.decoder) label = this.decoder.fromText(utf8.decode(b.subarray(f, fieldEnd)), line);
      }
      k++;
      if (fieldEnd >= e || k > fields) break;
      f = fieldEnd + 1;
    }
    this.finish(k, label, line);
  }

  /** A line with a quote: parsed whole by papaparse, once its quotes balance (a field may span lines). */
  private startQuoted(text: string, line: number): void {
    if (countQuotes(text) % 2 === 1) this.pending = { text, line };
    else this.quoted(text, line);
  }

  end(): void {
    if (this.pending) throw new DatasetError(this.file, 'has a quoted field that is never closed', { row: this.pending.line });
  }

  /** A record with quotes: papaparse splits it (quoted delimiters, doubled quotes, line breaks). */
  private quoted(text: string, line: number): void {
    const fields = Papa.parse<string[]>(text, { delimiter: this.delimiter }).data[0] ?? [];
    const out = this.builder().features;
    const o = this.builder().offset();
    let label = 0;
    const n = Math.min(fields.length, this.names.length);
    for (let k = 0; k < n; k++) {
      if (this.slot[k] >= 0) {
        const v = parseDecimal(fields[k].trim());
        if (Number.isNaN(v)) this.badCell(fields[k], line, k);
        out[o + this.slot[k]] = v;
      } else if (this.decoder) {
        label = this.decoder.fromText(fields[k], line);
      }
    }
    this.finish(fields.length, label, line);
  }

  private finish(fieldCount: number, label: number, line: number): void {
    if (fieldCount !== this.names.length) {
      const count = fieldCount > this.names.length ? `more than ${this.names.length}` : String(fieldCount);
      throw new DatasetError(this.file, `has ${count} fields but the header has ${this.names.length}`, { row: line });
    }
    this.commit(label, line);
  }

  private badCell(text: string, line: number, k: number): never {
    const t = text.trim();
    const reason =
      t === '' ? 'is empty; fill in missing values or drop the row'
      : MISSING.has(t.toLowerCase()) ? `'${t}' marks a missing value; fill in missing values or drop the row`
      : `'${t.length > 40 ? `${t.slice(0, 40)}…` : t}' is not a number`;
    throw new DatasetError(this.file, reason, { row: line, column: this.names[k] });
  }
}

export async function readHeader(file: string, format: 'csv' | 'tsv'): Promise<Header> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    throw fileError(file, err);
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new DatasetError(file, 'is empty (0 bytes)');
    // Read until the first newline, a chunk at a time: reading and decoding 1 MiB to find it took
    // 4–14 ms, most of opening a CSV (and of replaying one: eval/decodedCache.ts).
    const limit = Math.min(size, MAX_HEADER_BYTES);
    let buf = new Uint8Array(Math.min(limit, HEADER_CHUNK));
    let filled = 0;
    let nl = -1;
    while (nl < 0 && filled < limit) {
      if (filled === buf.length) {
        const grown = new Uint8Array(Math.min(limit, 2 * buf.length));
        grown.set(buf);
        buf = grown;
      }
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, filled);
      if (bytesRead === 0) break;
      nl = buf.subarray(0, filled + bytesRead).indexOf(10, filled);
      filled += bytesRead;
    }
    if (nl < 0 && size > MAX_HEADER_BYTES) throw new DatasetError(file, 'has a first line longer than 1 MiB; it does not look like a CSV header', { row: 1 });
    let text = utf8.decode(buf.subarray(0, nl < 0 ? filled : nl));
    text = text.replace(/^\uFEFF/, '').replace(/\r$/, '');
    if (text.trim() === '') throw new DatasetError(file, 'has an empty first line; a header row with column names is required', { row: 1 });
    const delimiter = format === 'tsv' ? '\t' : guessDelimiter(text);
    const names = (Papa.parse<string[]>(text, { delimiter }).data[0] ?? []).map((n) => n.trim());
    checkHeader(file, names);
    return { names, delimiter, totalBytes: size };
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    throw fileError(file, err);
  } finally {
    await handle.close();
  }
}

/** ',' unless the header has none and uses ';' or tabs (spreadsheets in some locales write ';'). */
function guessDelimiter(header: string): string {
  if (header.includes(',')) return ',';
  if (header.includes('\t')) return '\t';
  if (header.includes(';')) return ';';
  return ',';
}

function checkHeader(file: string, names: string[]): void {
  if (names.every((n) => !Number.isNaN(parseDecimal(n)))) {
    throw new DatasetError(file, 'has numbers in its first line; a header row with column names is required', { row: 1 });
  }
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (n === '') throw new DatasetError(file, `has no name for column ${i + 1} in its header`, { row: 1 });
    if (seen.has(n)) throw new DatasetError(file, `has two columns named '${n}' in its header`, { row: 1 });
    seen.add(n);
  });
}

function pickLabelColumn(file: string, names: string[], option: string | null | undefined): string | null {
  if (option === null) return null;
  const wanted = option ?? 'label';
  if (names.includes(wanted)) return wanted;
  const folded = names.find((n) => n.toLowerCase() === wanted.toLowerCase());
  if (folded) return folded;
  throw new DatasetError(file, `has no label column '${wanted}' (its columns are ${listNames(names)}); choose the label column`, { row: 1 });
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n;
}

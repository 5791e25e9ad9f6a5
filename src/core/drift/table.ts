/**
 * A dataset as the drift comparison reads it: every column (the label included) as numbers or as
 * categories, with its missing values counted. Text files (CSV/TSV, JSON Lines) keep string
 * columns as categories — the evaluation's readers accept numbers only; array files and image
 * folders go through the evaluation's readers (core/data), scalar features as numbers, an array
 * column (an image) as each sample's mean and standard deviation, integer labels as categories.
 *
 * Whole columns are held in memory (8 bytes per numeric cell): the KS test needs them sorted.
 */
import Papa from 'papaparse';
import { openDataset } from '../data/dataset';
import { readHeader } from '../data/csvDataset';
import { DatasetError } from '../data/errors';
import { fileChunks, isBlank, LineSplitter } from '../data/lines';
import { sniffDataset } from '../data/sniff';
import type { DatasetFormat } from '../../shared/datasetTypes';
import { ColumnBuilder, type DriftColumn } from './columns';

export type { DriftColumn } from './columns';

export interface DriftTable {
  file: string;
  format: DatasetFormat;
  rows: number;
  columns: DriftColumn[];
}

export interface TableOptions {
  /** Columns to read as categories even when they hold numbers. */
  categorical?: readonly string[];
  signal?: AbortSignal;
}

const utf8 = new TextDecoder();

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n;
}

async function readCsv(file: string, format: 'csv' | 'tsv', options: TableOptions): Promise<DriftTable> {
  const { names, delimiter } = await readHeader(file, format);
  const builders = names.map((n) => new ColumnBuilder(n, options.categorical?.includes(n) ?? false));
  let rows = 0;
  let pending: { text: string; line: number } | null = null;
  const record = (fields: string[], line: number) => {
    if (fields.length !== names.length) throw new DatasetError(file, `has ${fields.length} field${fields.length === 1 ? '' : 's'} where the header has ${names.length}`, { row: line });
    for (let k = 0; k < fields.length; k++) builders[k].add(fields[k]);
    rows++;
  };
  const splitter = new LineSplitter((b, s, e, line) => {
    if (pending) {
      pending.text += `\n${utf8.decode(b.subarray(s, e))}`;
      if (countQuotes(pending.text) % 2 === 0) {
        record(Papa.parse<string[]>(pending.text, { delimiter }).data[0] ?? [], pending.line);
        pending = null;
      }
      return;
    }
    if (line === 1 || isBlank(b, s, e)) return;
    const text = utf8.decode(b.subarray(s, e));
    if (!text.includes('"')) return record(text.split(delimiter), line);
    if (countQuotes(text) % 2 === 1) pending = { text, line };
    else record(Papa.parse<string[]>(text, { delimiter }).data[0] ?? [], line);
  });
  for await (const { chunk } of fileChunks(file, options.signal)) splitter.push(chunk);
  splitter.end();
  if (pending) throw new DatasetError(file, 'ends inside a quoted field', { row: (pending as { line: number }).line });
  if (rows === 0) throw new DatasetError(file, 'has no data rows after its header');
  return { file, format, rows, columns: builders.map((b) => b.finish()) };
}

async function readJsonl(file: string, options: TableOptions): Promise<DriftTable> {
  let builders: Map<string, ColumnBuilder> | null = null;
  let rows = 0;
  const splitter = new LineSplitter((b, s, e, line) => {
    if (isBlank(b, s, e)) return;
    let obj: unknown;
    try {
      obj = JSON.parse(utf8.decode(b.subarray(s, e)));
    } catch (err) {
      throw new DatasetError(file, `is not valid JSON (${(err as Error).message.split('\n')[0]})`, { row: line });
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new DatasetError(file, 'is not a JSON object', { row: line });
    const row = obj as Record<string, unknown>;
    if (!builders) builders = new Map(Object.keys(row).flatMap((k) => (Array.isArray(row[k]) ? [`${k}.mean`, `${k}.std`] : [k]).map((n) => [n, new ColumnBuilder(n, options.categorical?.includes(n) ?? false)])));
    for (const [name, builder] of builders) {
      const array = name.endsWith('.mean') || name.endsWith('.std') ? name.slice(0, name.lastIndexOf('.')) : null;
      const key = array !== null && Array.isArray(row[array]) ? array : name;
      const v = row[key];
      if (key !== name) builder.addNumber(summary((v as unknown[]).flat(Infinity) as unknown[], name.endsWith('.mean')));
      else if (v === undefined || v === null) builder.add('');
      else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') builder.add(String(v));
      else throw new DatasetError(file, `holds ${Array.isArray(v) ? 'an array' : 'an object'} where the first row has ${Array.isArray(row[key]) ? 'an array' : 'a single value'}`, { row: line, column: name });
    }
    rows++;
  });
  for await (const { chunk } of fileChunks(file, options.signal)) splitter.push(chunk);
  splitter.end();
  if (!builders || rows === 0) throw new DatasetError(file, 'has no rows');
  return { file, format: 'jsonl', rows, columns: [...(builders as Map<string, ColumnBuilder>).values()].map((b) => b.finish()) };
}

/** The mean (or standard deviation) of an array's numbers. */
function summary(values: ArrayLike<unknown>, mean: boolean): number {
  let s = 0;
  let q = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isFinite(v)) continue;
    s += v;
    q += v * v;
    n++;
  }
  if (n === 0) return NaN;
  const m = s / n;
  return mean ? m : Math.sqrt(Math.max(0, q / n - m * m));
}

async function readArrays(file: string, format: DatasetFormat, options: TableOptions): Promise<DriftTable> {
  const reader = await openDataset(file, { format }).catch(() => openDataset(file, { format, labelColumn: null }));
  const cols = reader.columns;
  const builders: ColumnBuilder[] = [];
  for (const c of cols) {
    if (c.size === 1) builders.push(new ColumnBuilder(c.name, options.categorical?.includes(c.name) ?? false));
    else builders.push(new ColumnBuilder(`${c.name}.mean`, false), new ColumnBuilder(`${c.name}.std`, false));
  }
  const label = reader.labelColumn === null ? null : new ColumnBuilder(reader.labelColumn, reader.labelKind === 'class');
  let rows = 0;
  for await (const batch of reader.batches(256, options.signal)) {
    for (let i = 0; i < batch.size; i++) {
      const row = batch.features.subarray(i * reader.featureCount, (i + 1) * reader.featureCount);
      let at = 0;
      let b = 0;
      for (const c of cols) {
        const values = row.subarray(at, at + c.size);
        if (c.size === 1) builders[b++].addNumber(values[0]);
        else {
          builders[b++].addNumber(summary(values, true));
          builders[b++].addNumber(summary(values, false));
        }
        at += c.size;
      }
      if (label && batch.labels) {
        const v = batch.labels[i];
        label.add(reader.labelKind === 'class' && reader.classNames?.[v] !== undefined ? reader.classNames[v] : String(v));
      }
    }
    rows += batch.size;
  }
  if (rows === 0) throw new DatasetError(file, 'has no samples');
  return { file, format, rows, columns: [...builders, ...(label ? [label] : [])].map((c) => c.finish()) };
}

export async function readDriftTable(file: string, options: TableOptions = {}): Promise<DriftTable> {
  const { format } = await sniffDataset(file);
  if (format === 'csv' || format === 'tsv') return readCsv(file, format, options);
  if (format === 'jsonl') return readJsonl(file, options);
  return readArrays(file, format, options);
}

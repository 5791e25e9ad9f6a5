/**
 * JSON Lines datasets: one object per line, either flat feature keys plus a label
 * (`{"f0": 0.1, "f1": 3, "label": 2}`) or array-valued keys (`{"input": [[...]], "label": 2}`).
 * The first row fixes the columns (key order) and each array column's shape; later rows must
 * match. Keys a row has beyond those are ignored. "row" in errors is the 1-based line.
 */
import { BatchBuilder, readAhead } from './batching';
import { dataFileSize, DatasetError } from './errors';
import { fillNested, nestedShape, type NestedFailure } from './jsonTensor';
import { defaultLabelKind, findClassNames, LabelDecoder, usableNames } from './labels';
import { fileChunks, isBlank, LineSplitter, linesIntoBatches } from './lines';
import { elementCount } from './ndarray';
import type { Batch, DatasetColumn, DatasetReader, OpenDatasetOptions } from './types';

const utf8 = new TextDecoder();

export async function openJsonl(file: string, options: OpenDatasetOptions): Promise<DatasetReader> {
  const { row, line, totalBytes } = await readFirstRow(file);
  const keys = Object.keys(row);
  const labelColumn = pickLabelKey(file, keys, options.labelColumn, line);
  const columns: DatasetColumn[] = [];
  for (const name of keys) {
    if (name === labelColumn) continue;
    const shape = columnShape(file, row[name], name, line);
    columns.push({ name, shape, size: elementCount(shape) });
  }
  if (columns.length === 0) throw new DatasetError(file, 'has no feature keys besides the label', { row: line });
  const shapeRow = `row ${line}`;
  const offsets = columns.map((_, i) => columns.slice(0, i).reduce((n, c) => n + c.size, 0));
  const featureCount = columns.reduce((n, c) => n + c.size, 0);
  const lookup = findClassNames(file, options.classNames, options.numClasses);
  const classes = usableNames(lookup);
  const numClasses = options.numClasses ?? classes?.names.length;
  const labelKind = options.labelKind ?? defaultLabelKind(numClasses);

  async function* pass(batchSize: number, signal?: AbortSignal): AsyncGenerator<Batch> {
    const builder = new BatchBuilder({ batchSize, featureCount, labelKind: labelColumn === null ? null : labelKind, sources: true });
    const decoder = labelColumn === null ? undefined : new LabelDecoder(file, labelColumn, labelKind, numClasses, classes?.names, classes?.source);
    const progress = { bytesRead: 0 };
    const onLine = (b: Uint8Array, s: number, e: number, lineNo: number) => {
      if (isBlank(b, s, e)) return;
      const obj = parseRow(file, utf8.decode(b.subarray(s, e)), lineNo);
      const out = builder.features;
      const o = builder.offset();
      for (let c = 0; c < columns.length; c++) {
        const { name, shape } = columns[c];
        const fail: NestedFailure = (reason, path) => {
          throw new DatasetError(file, reason, { row: lineNo, column: name, path: path || undefined });
        };
        const value = obj[name];
        if (value === undefined) fail('is missing', '');
        if (value === null) fail('is null; fill in missing values or drop the row', '');
        fillNested(value, shape, out, o + offsets[c], fail, '', 0, '', shapeRow);
      }
      let label = 0;
      if (decoder && labelColumn !== null) {
        const value = obj[labelColumn];
        if (value === undefined) throw new DatasetError(file, 'is missing', { row: lineNo, column: labelColumn });
        label = decoder.fromJson(value, lineNo);
      }
      builder.commit(label, lineNo, progress.bytesRead);
    };
    yield* linesIntoBatches(file, builder, onLine, progress, signal);
    yield* builder.end(progress.bytesRead);
  }

  return {
    file, format: 'jsonl', columns, featureCount, labelColumn, labelKind, totalBytes,
    classNames: classes?.names, classNamesSource: classes?.source, classNamesNote: lookup?.note,
    batches: (batchSize, signal) => readAhead(pass(batchSize, signal), options.readAhead ?? 2, signal),
  };
}

function parseRow(file: string, text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DatasetError(file, `is not valid JSON: ${(err as Error).message.replace(/\.$/, '')}`, { row: line });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DatasetError(file, `is ${Array.isArray(value) ? 'an array' : 'not an object'}; each line must be a JSON object of features and a label`, { row: line });
  }
  return value as Record<string, unknown>;
}

/** Shape of a column from its first-row value; strings and objects are not features. */
function columnShape(file: string, value: unknown, name: string, line: number): number[] {
  if (typeof value === 'number' || typeof value === 'boolean') return [];
  if (!Array.isArray(value)) {
    const what = value === null ? 'null' : typeof value === 'string' ? `the text ${JSON.stringify(value.slice(0, 40))}` : 'an object';
    throw new DatasetError(file, `is ${what}, not a number or an array of numbers`, { row: line, column: name });
  }
  const shape = nestedShape(value);
  // Validate the first row's array in full so a ragged one is reported here, not mid-pass.
  fillNested(value, shape, new Float32Array(elementCount(shape)), 0, (reason, path) => {
    throw new DatasetError(file, reason, { row: line, column: name, path: path || undefined });
  });
  return shape;
}

function pickLabelKey(file: string, keys: string[], option: string | null | undefined, line: number): string | null {
  if (option === null) return null;
  const wanted = option ?? 'label';
  const found = keys.find((k) => k === wanted) ?? keys.find((k) => k.toLowerCase() === wanted.toLowerCase());
  if (found !== undefined) return found;
  throw new DatasetError(file, `has no label key '${wanted}' (its keys are ${keys.join(', ')}); choose the label key`, { row: line });
}

/** The first non-blank line, parsed; also the file size. */
async function readFirstRow(file: string): Promise<{ row: Record<string, unknown>; line: number; totalBytes: number }> {
  const size = await dataFileSize(file);
  let first: { text: string; line: number } | undefined;
  const splitter = new LineSplitter((b, s, e, line) => {
    if (!first && !isBlank(b, s, e)) first = { text: utf8.decode(b.subarray(s, e)), line };
  });
  for await (const { chunk } of fileChunks(file)) {
    splitter.push(chunk);
    if (first) break;
  }
  splitter.end();
  if (!first) throw new DatasetError(file, size === 0 ? 'is empty (0 bytes)' : 'has no rows (only blank lines)');
  return { row: parseRow(file, first.text, first.line), line: first.line, totalBytes: size };
}

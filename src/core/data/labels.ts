/** Labels: deciding their kind, finding class names next to the data, and checking each value. */
import { findLabelFile } from '../modelLabels';
import { DatasetError } from './errors';
import { parseDecimal } from './numbers';
import type { LabelKind } from '../../shared/datasetTypes';

export interface ClassNames {
  names: readonly string[];
  /** 'labels.txt', 'options' or 'folder names'. */
  source: string;
  /** Why a labels file beside the data was not used (a count that does not fit the model, a refused file). */
  note?: string;
}

/**
 * Class names for a data file: given ones first, then the first of `<stem>.labels.txt`,
 * `<stem>.classes.txt`, `labels.txt`, `classes.txt`, `synset.txt` beside it (one name per line,
 * the same files and rules a model's labels follow: core/modelLabels.ts). A file whose count
 * differs from `numClasses` (when known) is not used; the result then has no names, only a note.
 */
export function findClassNames(dataPath: string, given?: readonly string[], numClasses?: number): ClassNames | undefined {
  if (given && given.length > 0) return { names: given, source: 'options' };
  const { found, note } = findLabelFile(dataPath, numClasses);
  if (found) return { names: found.labels, source: found.source, ...(note ? { note } : {}) };
  return note ? { names: [], source: '', note } : undefined;
}

/** Names that can be used (a lookup that only carries a note has none). */
export function usableNames(c: ClassNames | undefined): ClassNames | undefined {
  return c && c.names.length > 0 ? c : undefined;
}

/** The label kind when the caller did not force one: classes when their number is known. */
export function defaultLabelKind(numClasses: number | undefined, integerStorage = false): LabelKind {
  return numClasses !== undefined || integerStorage ? 'class' : 'value';
}

/**
 * Turns one label (a number, or a class name when names are known) into the number stored in a
 * batch, and rejects what cannot be a label with a sentence naming the file, row and column.
 */
export class LabelDecoder {
  private readonly index: Map<string, number> | undefined;

  constructor(
    private readonly file: string,
    private readonly column: string | undefined,
    readonly kind: LabelKind,
    private readonly numClasses: number | undefined,
    classNames: readonly string[] | undefined,
    private readonly namesSource = 'the class names',
  ) {
    this.index = classNames ? new Map(classNames.map((n, i) => [n, i])) : undefined;
  }

  /** A label cell read as text (CSV). */
  fromText(text: string, row: number): number {
    const trimmed = text.trim();
    if (trimmed === '') this.fail('is empty; every sample needs a label', row);
    const value = parseDecimal(trimmed);
    if (Number.isNaN(value)) return this.fromName(trimmed, row);
    return this.check(value, row);
  }

  /** A label from JSON (JSON Lines): a number, a boolean, or a class name. */
  fromJson(value: unknown, row: number): number {
    if (typeof value === 'number') return this.check(value, row);
    if (typeof value === 'boolean') return this.check(value ? 1 : 0, row);
    if (typeof value === 'string') return this.fromText(value, row);
    if (Array.isArray(value) && value.length === 1) return this.fromJson(value[0], row);
    return this.fail(`${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value} is not a label`, row);
  }

  /** A numeric label (array files, IDX). */
  check(value: number, row: number): number {
    if (!Number.isFinite(value)) this.fail(`${value} is not a usable label`, row);
    if (this.kind === 'value') return value;
    if (!Number.isInteger(value) || value < 0 || (this.numClasses !== undefined && value >= this.numClasses)) {
      const range = this.numClasses !== undefined ? `from 0 to ${this.numClasses - 1}` : '(a whole number ≥ 0)';
      this.fail(`${value} is not a class index ${range}`, row);
    }
    return value;
  }

  private fromName(name: string, row: number): number {
    const i = this.index?.get(name);
    if (i !== undefined) return i;
    if (this.index) this.fail(`'${name}' is neither a number nor one of the ${this.index.size} class names in ${this.namesSource}`, row);
    return this.fail(`'${name}' is not a number (to use class names as labels, list them one per line in labels.txt beside the data)`, row);
  }

  private fail(reason: string, row: number): never {
    throw new DatasetError(this.file, reason, { row, column: this.column });
  }
}

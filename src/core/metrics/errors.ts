/**
 * The inputs of a metric computation cannot be used (wrong lengths, a label outside the classes,
 * a non-finite score). Thrown by the metrics core; `message` is one sentence an edge can show
 * as-is, after naming the data file it read the inputs from.
 */
export class MetricsInputError extends Error {
  constructor(readonly reason: string) {
    super(reason.endsWith('.') ? reason : `${reason}.`);
    this.name = 'MetricsInputError';
  }
}

/** Throws unless `value` (when given) is an integer ≥ `min`, or Infinity where that means "no limit". */
export function checkCount(name: string, value: number | undefined, min: number, allowInfinity = false): void {
  if (value === undefined || (allowInfinity && value === Infinity)) return;
  if (!Number.isInteger(value) || value < min) throw new MetricsInputError(`${name} must be an integer of at least ${min}, got ${value}`);
}

/** Throws unless the bootstrap options (when given) are usable. */
export function checkBootstrap(options: { resamples?: number; level?: number } | undefined): void {
  if (!options) return;
  checkCount('bootstrap.resamples', options.resamples, 1);
  if (options.level !== undefined && !(options.level > 0 && options.level < 1)) {
    throw new MetricsInputError(`bootstrap.level must be between 0 and 1, got ${options.level}`);
  }
}

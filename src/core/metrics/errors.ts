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

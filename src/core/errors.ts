/**
 * Typed errors thrown by the core. Edges (CLI, extension, webview) show `message` as-is:
 * it is always one sentence that names the file and says what is wrong.
 */
export class OnnxLensError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = new.target.name;
  }
}

/** The bytes are not a readable ONNX model (bad protobuf, missing graph, impossible values). */
export class OnnxFormatError extends OnnxLensError {
  constructor(file: string, reason: string, readonly offset?: number) {
    super(file, offset === undefined ? reason : `${reason} (at byte ${offset})`);
  }
}

/** A tensor's data could not be read (external file missing, outside the model folder, size mismatch). */
export class TensorDataError extends OnnxLensError {}

/** Turns anything thrown into the one sentence an edge shows; unexpected errors keep their message. */
export function describeError(err: unknown, file: string): string {
  if (err instanceof OnnxLensError) return err.message;
  const text = err instanceof Error ? err.message : String(err);
  return `${file}: unexpected error: ${text.split('\n')[0]}`;
}

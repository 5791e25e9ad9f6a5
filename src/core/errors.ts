/**
 * Typed errors thrown by the core. Edges (CLI, extension, webview) show `message` as-is:
 * it is always one sentence that names the file and says what is wrong.
 */
import { oneLine } from './text/terminalText';
import { CancelledError } from '../shared/cancellation';

export class OnnxLensError extends Error {
  readonly reason: string;
  constructor(
    readonly file: string,
    reason: string,
  ) {
    // Reasons quote names from the model (tensors, nodes): a newline in one must not make two lines.
    const safe = oneLine(reason);
    super(`${oneLine(file)}: ${safe}`);
    this.reason = safe;
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

/**
 * A native module (onnxruntime-node, sharp) cannot load on this machine. The message is one
 * sentence saying what is unavailable and why (src/core/nativeModules.ts); it names no file
 * because no file is at fault.
 */
export class NativeModuleError extends Error {
  readonly code = 'native-unavailable';
  constructor(
    readonly module: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Turns anything thrown into the one sentence an edge shows; unexpected errors keep their message. */
export function describeError(err: unknown, file: string): string {
  if (err instanceof OnnxLensError || err instanceof NativeModuleError || err instanceof CancelledError) return err.message;
  const text = err instanceof Error ? err.message : String(err);
  return `${file}: unexpected error: ${text.split('\n')[0]}`;
}

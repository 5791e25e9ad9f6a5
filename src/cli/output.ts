/**
 * Everything the CLI prints goes through here: human-readable text with control characters
 * escaped (core/text/terminalText.ts — a model's strings never drive the terminal), JSON exactly
 * as built, one-line errors on stderr, progress on stderr only when it is a terminal, and a
 * closed stdout (`onnx-lens eval --json | head`) ending the command quietly instead of with an
 * EPIPE stack trace.
 */
import { oneLine, terminalSafe } from '../core/text/terminalText';

/** Text for a person: newlines are the layout, every other control character is shown escaped. */
export function printText(text: string): void {
  process.stdout.write(`${terminalSafe(text, true)}\n`);
}

/** A JSON document, exact (JSON escapes control characters itself). */
export function printJson(json: string): void {
  process.stdout.write(`${json}\n`);
}

/** The one line an error gets on stderr; `hint` is a second, fixed line of ours (usage errors). */
export function printError(sentence: string, hint?: string): void {
  process.stderr.write(`onnx-lens: ${oneLine(sentence)}\n${hint ? `${hint}\n` : ''}`);
}

/** A progress line rewritten in place on a terminal; nothing otherwise. Returns whether it shows. */
export function progressLine(): ((message: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (message) => process.stderr.write(`\r\x1b[K${oneLine(message)}`);
}

export function clearProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}

/**
 * How a write fails once the reader has gone: EPIPE on a pipe (`| head`), ECONNRESET on the socket
 * pair a Node parent's `spawn` gives as stdio (seen in CI: the reader closed while a write was in flight).
 */
const READER_GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

/**
 * A reader that closes our stdout (`| head`, `| grep -q`) is not an error: stop at once, with
 * the exit code already decided (0 unless a check failed), and print nothing more.
 */
export function endQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (READER_GONE.has(err.code ?? '')) process.exit(process.exitCode ?? 0);
    throw err;
  });
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (READER_GONE.has(err.code ?? '')) return;
    throw err;
  });
}

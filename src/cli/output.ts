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
 * A reader that closes our stdout (`| head`, `| grep -q`) is not an error: stop at once, with
 * the exit code already decided (0 unless a check failed), and print nothing more.
 */
export function endQuietlyOnClosedPipe(): void {
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(process.exitCode ?? 0);
    throw err;
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return;
    throw err;
  });
}

/**
 * Text from a model or a dataset (producer names, doc strings, node and value names, class
 * labels, file names) must not drive the terminal it is printed on: an escape sequence in a
 * producer name could set the clipboard (OSC 52), clear the screen or rewrite earlier lines (CR),
 * and a newline in a name would break the CLI's one-line error rule. Every human-readable line
 * the CLI prints goes through `terminalSafe` (docs/security.md); `--json` output stays exact.
 */

/**
 * C0 controls, DEL and C1 controls, and the Unicode controls that reorder or hide text (bidi
 * embeddings, overrides and isolates, zero-width joiners are left alone as they only join).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_KEEP_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character shown as an escape (`\e`, `\r`, `\x07`, `\u202e`); newlines too unless `keepNewlines`. */
export function terminalSafe(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? CONTROL_KEEP_NEWLINE : CONTROL, escapeOne);
}

/** One line for the terminal, whatever `text` holds. */
export const oneLine = (text: string): string => terminalSafe(text, false);

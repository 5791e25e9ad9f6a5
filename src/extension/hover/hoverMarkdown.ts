/**
 * The hover's markdown, built so that nothing from a model (value names, symbolic dims, opset
 * domains, producer strings, error sentences) or from a report file can become markdown: plain
 * text has ASCII punctuation backslash-escaped (no links, images, `command:`
 * URIs, emphasis or theme icons), and inline code gets a fence longer than any backtick run in
 * it (a name full of backticks cannot close it early). The MarkdownString is trusted only for
 * the project's own command (modelHover.ts). Pure (no `vscode`), so unit tests run in Node.
 */
import * as path from 'node:path';
import { formatBytes, formatCompact, formatOpsetsShort } from '../../shared/format';
import type { ModelSummary, SummaryValue } from '../../shared/modelSummary';
import { oneLine } from '../../core/text/terminalText';

/** One line of text: control characters (newlines included) become spaces. */
function flat(text: string): string {
  // eslint-disable-next-line no-control-regex
  return oneLine(text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' '));
}

/**
 * Plain text inside markdown: every ASCII punctuation character escaped but ':' (CommonMark allows
 * escaping any of them; an escaped '/' and '.' already keep `https://` and `www.` from autolinking).
 */
export function escapeMarkdown(text: string): string {
  return flat(text).replace(/[!-/;-@[-`{-~]/g, (c) => `\\${c}`);
}

/** The text markdown escaped with `escapeMarkdown` shows (for tests and the test API's readers). */
export function unescapeMarkdown(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Inline code that stays inline code whatever the text holds. */
export function inlineCode(text: string): string {
  const body = flat(text);
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // A space on each side keeps a leading or trailing backtick from joining the fence (CommonMark strips one).
  return longest > 0 ? `${fence} ${body} ${fence}` : `${fence}${body}${fence}`;
}

function signature(values: SummaryValue[]): string {
  if (values.length === 0) return '(none)';
  return values.map((v) => `${v.name}: ${v.elemType}${v.shape ? `[${v.shape.map((d) => d ?? '?').join(', ')}]` : ''}`).join(', ');
}

/** The hover's markdown for a readable model. */
export function summaryMarkdown(file: string, summary: ModelSummary): string {
  const macs = summary.macs === null ? 'MACs unknown' : `${formatCompact(summary.macs)} MACs${summary.macsSymbolicAsOne ? ' (symbolic dims = 1)' : ''}`;
  return [
    `**${escapeMarkdown(path.basename(file))}** · ONNX model`,
    '',
    `${inlineCode(signature(summary.inputs))} → ${inlineCode(signature(summary.outputs))}`,
    '',
    escapeMarkdown(`${formatOpsetsShort(summary.opsets)} · ${formatCompact(summary.parameterCount)} parameters · ${formatBytes(summary.fileBytes)} · ${macs} · ${summary.nodeCount} nodes`),
  ].join('\n');
}

/** The hover's markdown for a model that cannot be read: its one sentence, escaped. */
export function errorMarkdown(file: string, error: string): string {
  return `**${escapeMarkdown(path.basename(file))}** · ${escapeMarkdown(error)}`;
}

/** The link that opens the model in the ONNX Lens editor: our own command, its one argument a file URI. */
export function openLink(command: string, uri: unknown): string {
  // encodeURIComponent leaves ( ) ' ! * alone; a ')' in a path would end the link's destination.
  const args = encodeURIComponent(JSON.stringify([uri])).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[$(type-hierarchy) Open in ONNX Lens](command:${command}?${args} "Open the model in the ONNX Lens graph view")`;
}

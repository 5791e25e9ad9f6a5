import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes, formatCount } from '../../cli/format';
import { describeError } from '../../core/errors';
import type { ModelSummary, SummaryValue } from '../../core/summary/types';
import { MODEL_EDITOR_VIEW_TYPE } from '../modelEditorProvider';
import { findModelPathLiteral, resolveModelPath } from './findModelPath';
import { analysisClient } from '../analysisProcess';
import { RpcError } from '../../runtime/rpcTypes';
import { formatMs, type LatestReports } from '../reports/latestReports';

/** Summaries kept for hovers, keyed by file; an entry is valid while mtime and size match. */
const CACHE_ENTRIES = 32;

type CachedSummary = { mtimeMs: number; size: number; summary: ModelSummary } | { mtimeMs: number; size: number; error: string };

function signature(values: SummaryValue[]): string {
  if (values.length === 0) return '(none)';
  return values.map((v) => `${v.name}: ${v.elemType}${v.shape ? `[${v.shape.map((d) => d ?? '?').join(', ')}]` : ''}`).join(', ');
}

function opsetText(opsets: Record<string, number>): string {
  const entries = Object.entries(opsets);
  if (entries.length === 0) return 'no opset';
  return entries.map(([domain, version]) => (domain === '' ? `opset ${version}` : `${domain} ${version}`)).join(', ');
}

/** Inline code that stays inline code whatever the text holds. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.replace(/\n/g, ' ')}${fence}`;
}

/** The hover's markdown for a readable model. */
export function summaryMarkdown(file: string, summary: ModelSummary): string {
  const macs = summary.macs === null ? 'MACs unknown' : `${formatCount(summary.macs)} MACs${summary.macsSymbolicAsOne ? ' (symbolic dims = 1)' : ''}`;
  return [
    `**${path.basename(file)}** · ONNX model`,
    '',
    `${code(signature(summary.inputs))} → ${code(signature(summary.outputs))}`,
    '',
    `${opsetText(summary.opsets)} · ${formatCount(summary.parameterCount)} parameters · ${formatBytes(summary.fileBytes)} · ${macs} · ${summary.nodeCount} nodes`,
  ].join('\n');
}

/**
 * Hover over a string literal ending in `.onnx` in any file: signature, opsets, parameters,
 * size and MACs of the model it names, with a link that opens it in the ONNX Lens editor.
 * Never throws: an unreadable model shows its one-sentence error.
 */
export class ModelPathHoverProvider implements vscode.HoverProvider {
  private readonly cache = new Map<string, CachedSummary>();

  constructor(private readonly reports: LatestReports) {}

  static register(provider: ModelPathHoverProvider): vscode.Disposable {
    // Notebook cells (vscode-notebook-cell:) carry their notebook's path: paths resolve against its folder.
    return vscode.languages.registerHoverProvider([{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-notebook-cell' }], provider);
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    try {
      const markdown = await this.markdownAt(document, position);
      if (!markdown) return undefined;
      const md = new vscode.MarkdownString(markdown.text);
      // Only the link to our own editor may run a command.
      md.isTrusted = { enabledCommands: ['vscode.openWith'] };
      md.supportThemeIcons = true;
      return new vscode.Hover(md, markdown.range);
    } catch (error) {
      console.error('[onnx-lens] hover failed', error);
      return undefined;
    }
  }

  /** The hover text and range at a position (the test API calls this too). */
  async markdownAt(document: vscode.TextDocument, position: vscode.Position): Promise<{ text: string; range: vscode.Range } | undefined> {
    const line = document.lineAt(position.line).text;
    const literal = findModelPathLiteral(line, position.character);
    if (!literal) return undefined;
    const file = resolveModelPath(literal.path, {
      documentDir: document.uri.scheme === 'file' || document.uri.scheme === 'vscode-notebook-cell' ? path.dirname(document.uri.fsPath) : undefined,
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      homeDir: os.homedir(),
      isFile: (candidate) => {
        try {
          return fs.statSync(candidate).isFile();
        } catch {
          return false;
        }
      },
    });
    if (!file) return undefined;
    const range = new vscode.Range(position.line, literal.start, position.line, literal.end);
    const loaded = await this.summaryOf(file);
    const openArgs = encodeURIComponent(JSON.stringify([vscode.Uri.file(file).toJSON(), MODEL_EDITOR_VIEW_TYPE]));
    const link = `[$(type-hierarchy) Open in ONNX Lens](command:vscode.openWith?${openArgs} "Open the model in the ONNX Lens graph view")`;
    const body = 'summary' in loaded ? summaryMarkdown(file, loaded.summary) : `**${path.basename(file)}** · ${loaded.error}`;
    const uri = vscode.Uri.file(file);
    const latency = 'summary' in loaded ? this.reports.latency(uri) : undefined;
    const evaluation = 'summary' in loaded ? this.reports.evaluation(uri) : undefined;
    const quant = 'summary' in loaded ? this.reports.quantization(uri) : undefined;
    const measured = [
      quant && `$(package) Last quantization: ${quant.detail} (${quant.createdAt.slice(0, 10)})`,
      evaluation && `$(checklist) Last evaluation: ${evaluation.detail} (${evaluation.createdAt.slice(0, 10)})`,
      latency && `$(dashboard) Last benchmark: p50 ${formatMs(latency.p50)} · p90 ${formatMs(latency.p90)} (${latency.config}, ${latency.createdAt.slice(0, 10)})`,
    ].filter(Boolean).map((line) => `\n\n${line}`).join('');
    return { text: `${body}${measured}\n\n${link}`, range };
  }

  private async summaryOf(file: string): Promise<CachedSummary> {
    const stat = fs.statSync(file);
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
    let entry: CachedSummary;
    try {
      entry = { mtimeMs: stat.mtimeMs, size: stat.size, summary: await analysisClient().request('summarize', { file }) };
    } catch (error) {
      // The analysis process answers with one sentence naming the file already.
      entry = { mtimeMs: stat.mtimeMs, size: stat.size, error: error instanceof Error ? error.message : describeError(error, file) };
      // A crash or a timeout says nothing about the file: show it, but ask again next time.
      if (error instanceof RpcError && error.reason !== 'failed') return entry;
    }
    this.cache.delete(file);
    this.cache.set(file, entry);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    return entry;
  }
}

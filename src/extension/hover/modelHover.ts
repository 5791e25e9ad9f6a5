import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { ModelSummary } from '../../shared/modelSummary';
import { OPEN_MODEL_COMMAND } from '../openModelCommand';
import { errorMarkdown, escapeMarkdown, openLink, summaryMarkdown } from './hoverMarkdown';
import { findModelPathLiteral, resolveModelPath } from './findModelPath';
import { analysisClient } from '../analysisProcess';
import { RpcError } from '../../rpc/messages';
import { formatMs } from '../../shared/format';
import type { LatestReports } from '../reports/latestReports';

/** Summaries kept for hovers, keyed by file; an entry is valid while mtime and size match. */
const CACHE_ENTRIES = 32;

type CachedSummary = { mtimeMs: number; size: number; summary: ModelSummary } | { mtimeMs: number; size: number; error: string };

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
      // Only the link to our own editor may run a command; everything from the model is escaped (hoverMarkdown.ts).
      md.isTrusted = { enabledCommands: [OPEN_MODEL_COMMAND] };
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
    const link = openLink(OPEN_MODEL_COMMAND, vscode.Uri.file(file).toJSON());
    const body = 'summary' in loaded ? summaryMarkdown(file, loaded.summary) : errorMarkdown(file, loaded.error);
    const uri = vscode.Uri.file(file);
    const latency = 'summary' in loaded ? this.reports.latency(uri) : undefined;
    const evaluation = 'summary' in loaded ? this.reports.evaluation(uri) : undefined;
    const quant = 'summary' in loaded ? this.reports.quantization(uri) : undefined;
    // Report files are text anyone can edit: escaped like the model's strings.
    const measured = [
      quant && `$(package) ${escapeMarkdown(`Last quantization: ${quant.detail} (${String(quant.createdAt).slice(0, 10)})`)}`,
      evaluation && `$(checklist) ${escapeMarkdown(`Last evaluation: ${evaluation.detail} (${String(evaluation.createdAt).slice(0, 10)})`)}`,
      latency && `$(dashboard) ${escapeMarkdown(`Last benchmark: p50 ${formatMs(latency.p50)} · p90 ${formatMs(latency.p90)} (${latency.config}, ${String(latency.createdAt).slice(0, 10)})`)}`,
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

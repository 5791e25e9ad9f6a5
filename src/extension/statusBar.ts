import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes, formatCompact, formatInteger, formatMs, formatOpsets, formatOpsetsShort } from '../shared/format';
import type { ViewSummary } from '../shared/modelSummary';
import { REVEAL_NODE_COMMAND } from './graphCommands';
import type { ModelEditors } from './modelEditors';
import type { LatestReports } from './reports/latestReports';

/** `6.7 k params · 28.1 KiB · opset 17`: the status bar text for a model (icon added by the item), worded like the editor's header. */
export function statusText(summary: ViewSummary): string {
  return `${formatCompact(summary.parameterCount)} params · ${formatBytes(summary.fileBytes)} · ${formatOpsetsShort(summary.opsets)}`;
}

export function statusTooltip(summary: ViewSummary): string {
  const macs = summary.macs === null ? 'unknown' : `${formatCompact(summary.macs)}${summary.macsSymbolicAsOne ? ' (symbolic dims = 1)' : ''}`;
  const opsets = formatOpsets(summary.opsets).join(', ') || 'none';
  return [
    path.basename(summary.path),
    `Parameters: ${formatInteger(summary.parameterCount)} (${formatBytes(summary.parameterBytes)})`,
    `File size: ${formatBytes(summary.fileBytes)}`,
    `Opsets: ${opsets}`,
    `Nodes: ${formatInteger(summary.nodeCount)}${summary.nodeCountTotal > summary.nodeCount ? ` (${formatInteger(summary.nodeCountTotal)} with subgraphs)` : ''}`,
    `MACs: ${macs}`,
    `Producer: ${[summary.producer.name, summary.producer.version].filter(Boolean).join(' ') || 'unknown'}`,
  ].join('\n');
}

/** Status bar item shown while an ONNX Lens editor is active: parameters · size · opset. */
export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('onnxLens.model', vscode.StatusBarAlignment.Right, 100);
  private readonly subscription: vscode.Disposable;
  private shown: { text: string; tooltip: string } | undefined;

  constructor(
    private readonly editors: ModelEditors,
    private readonly reports: LatestReports,
  ) {
    this.item.name = 'ONNX Lens Model';
    this.subscription = vscode.Disposable.from(editors.onDidChange(() => this.update()), reports.onDidChange(() => this.update()));
    this.update();
  }

  /** What the item shows now, or undefined while it is hidden (for the test API). */
  get current(): { text: string; tooltip: string } | undefined {
    return this.shown;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private update(): void {
    const summary = this.editors.active?.model?.summary;
    if (!summary) {
      this.shown = undefined;
      this.item.hide();
      return;
    }
    const uri = this.editors.active!.uri;
    const latency = this.reports.latency(uri);
    const evaluation = this.reports.evaluation(uri);
    const quant = this.reports.quantization(uri);
    const parts = [statusText(summary), evaluation?.headline, latency && `p50 ${formatMs(latency.p50)}`].filter(Boolean);
    const notes = [
      evaluation && `Last evaluation: ${evaluation.detail} (${evaluation.createdAt.slice(0, 16).replace('T', ' ')})`,
      latency && `Last benchmark: p50 ${formatMs(latency.p50)}, p90 ${formatMs(latency.p90)} (${latency.config}, ${latency.createdAt.slice(0, 16).replace('T', ' ')})`,
      quant && `Last quantization: ${quant.detail} (${quant.createdAt.slice(0, 16).replace('T', ' ')})`,
    ].filter(Boolean);
    this.shown = { text: `$(type-hierarchy) ${parts.join(' · ')}`, tooltip: [statusTooltip(summary), ...notes].join('\n') };
    this.item.text = this.shown.text;
    this.item.tooltip = this.shown.tooltip;
    this.item.command = REVEAL_NODE_COMMAND;
    this.item.show();
  }
}

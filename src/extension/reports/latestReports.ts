/**
 * The last measured latency of each model, for the status bar and the model-path hover: the
 * newest benchmark report in the reports folder, cached and refreshed when a benchmark finishes.
 */
import * as vscode from 'vscode';
import { latestReport } from '../../core/report/reportFiles';
import type { BenchReport } from '../../runtime/types';
import { reportsFolderFor } from '../reports/reportsFolder';

export interface LatencyBrief {
  p50: number;
  p90: number;
  createdAt: string;
  /** Intra-op threads and batch of the point shown (the first configuration of the sweep). */
  config: string;
}

export function latencyBrief(report: BenchReport): LatencyBrief | undefined {
  const point = report.points[0];
  if (!point) return undefined;
  const threads = point.config.intraOpThreads === 0 ? 'default threads' : `${point.config.intraOpThreads} thread${point.config.intraOpThreads === 1 ? '' : 's'}`;
  return { p50: point.latency.p50, p90: point.latency.p90, createdAt: report.createdAt, config: point.config.batch === null ? threads : `${threads}, batch ${point.config.batch}` };
}

export class LatestBenchmarks implements vscode.Disposable {
  private readonly cache = new Map<string, LatencyBrief | null>();
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  get(modelUri: vscode.Uri): LatencyBrief | undefined {
    const key = modelUri.fsPath;
    if (!this.cache.has(key)) {
      const folder = reportsFolderFor(modelUri);
      const found = folder ? latestReport<BenchReport>(folder, 'bench', key) : null;
      this.cache.set(key, (found && latencyBrief(found.report)) ?? null);
    }
    return this.cache.get(key) ?? undefined;
  }

  recorded(modelUri: vscode.Uri, report: BenchReport): void {
    this.cache.set(modelUri.fsPath, latencyBrief(report) ?? null);
    this.changed.fire(modelUri.fsPath);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

/**
 * The newest benchmark and evaluation of each model, for the status bar and the model-path hover:
 * (and the newest quantization)
 * read from the reports folder once, cached, and replaced when a benchmark or evaluation finishes.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EvalReport } from '../../shared/evalReport';
import type { QuantReport } from '../../shared/quantReport';
import { latestReport } from '../../core/report/reportFiles';
import type { BenchReport } from '../../shared/runtimeTypes';
import { formatBytes } from '../../shared/format';
import { reportsFolderFor } from './reportsFolder';

export interface LatencyBrief {
  p50: number;
  p90: number;
  createdAt: string;
  /** Intra-op threads and batch of the point shown (the first configuration of the sweep). */
  config: string;
}

export interface EvalBrief {
  /** e.g. 'accuracy 96.7%' or 'R² 0.912'. */
  headline: string;
  /** 'accuracy 96.7% · macro F1 0.966 · 450 samples of digits-test.csv'. */
  detail: string;
  createdAt: string;
}

export interface QuantBrief {
  /** e.g. '0.27× size'. */
  headline: string;
  /** 'dynamic → digits-mlp.int8.onnx: 0.27× size (21.3 KiB → 5.8 KiB) · top-1 agreement 99.8% · accuracy 96.7% → 96.4%'. */
  detail: string;
  createdAt: string;
}

export function quantBrief(report: QuantReport): QuantBrief {
  const kb = formatBytes;
  const headline = `${report.size.ratio.toFixed(2)}× size`;
  const h = report.comparison?.headline;
  const agreement = h ? (h.kind === 'top1' ? `top-1 agreement ${percent(h.top1)}` : `max abs error ${h.maxAbsError.toPrecision(3)}`) : undefined;
  const a = report.accuracy;
  const accuracy = a ? `accuracy ${percent(a.before)} → ${percent(a.after)}` : undefined;
  const parts = [`${headline} (${kb(report.size.before)} → ${kb(report.size.after)})`, agreement, accuracy].filter(Boolean);
  return { headline, detail: `${report.settings.mode} → ${path.basename(report.output.path)}: ${parts.join(' · ')}`, createdAt: report.createdAt };
}

export function latencyBrief(report: BenchReport): LatencyBrief | undefined {
  const point = report.points[0];
  if (!point) return undefined;
  const threads = point.config.intraOpThreads === 0 ? 'default threads' : `${point.config.intraOpThreads} thread${point.config.intraOpThreads === 1 ? '' : 's'}`;
  return { p50: point.latency.p50, p90: point.latency.p90, createdAt: report.createdAt, config: point.config.batch === null ? threads : `${threads}, batch ${point.config.batch}` };
}

const percent = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const fixed = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? 'n/a' : x.toFixed(digits));

export function evalBrief(report: EvalReport): EvalBrief {
  const of = `${report.data.samples.toLocaleString('en-US')} samples of ${path.basename(report.data.path)}`;
  const c = report.classification;
  if (c) {
    const headline = `accuracy ${percent(c.accuracy)}`;
    return { headline, detail: `${headline} · macro F1 ${fixed(c.f1.macro)} · ${of}`, createdAt: report.createdAt };
  }
  const r = report.regression;
  const headline = `R² ${fixed(r?.r2)}`;
  return { headline, detail: `${headline} · RMSE ${fixed(r?.rmse, 4)} · MAE ${fixed(r?.mae, 4)} · ${of}`, createdAt: report.createdAt };
}

interface Cached {
  bench: LatencyBrief | null;
  eval: EvalBrief | null;
  quant: QuantBrief | null;
}

export class LatestReports implements vscode.Disposable {
  private readonly cache = new Map<string, Cached>();
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  private entry(modelUri: vscode.Uri): Cached {
    const key = modelUri.fsPath;
    let entry = this.cache.get(key);
    if (!entry) {
      const folder = reportsFolderFor(modelUri);
      const bench = folder ? latestReport<BenchReport>(folder, 'bench', key) : null;
      const evaluation = folder ? latestReport<EvalReport>(folder, 'eval', key) : null;
      const quant = folder ? latestReport<QuantReport>(folder, 'quant', key) : null;
      entry = { bench: (bench && latencyBrief(bench.report)) ?? null, eval: evaluation ? evalBrief(evaluation.report) : null, quant: quant ? quantBrief(quant.report) : null };
      this.cache.set(key, entry);
    }
    return entry;
  }

  latency(modelUri: vscode.Uri): LatencyBrief | undefined {
    return this.entry(modelUri).bench ?? undefined;
  }

  evaluation(modelUri: vscode.Uri): EvalBrief | undefined {
    return this.entry(modelUri).eval ?? undefined;
  }

  quantization(modelUri: vscode.Uri): QuantBrief | undefined {
    return this.entry(modelUri).quant ?? undefined;
  }

  quantized(modelUri: vscode.Uri, report: QuantReport): void {
    this.entry(modelUri).quant = quantBrief(report);
    this.changed.fire(modelUri.fsPath);
  }

  benchmarked(modelUri: vscode.Uri, report: BenchReport): void {
    this.entry(modelUri).bench = latencyBrief(report) ?? null;
    this.changed.fire(modelUri.fsPath);
  }

  evaluated(modelUri: vscode.Uri, report: EvalReport): void {
    this.entry(modelUri).eval = evalBrief(report);
    this.changed.fire(modelUri.fsPath);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

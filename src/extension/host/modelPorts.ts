/**
 * The host layer's ports (src/host/ports.ts) for one model in VS Code: its URI, the workspace's
 * Memento, the reports folder of its workspace folder, the status bar's latest reports, the
 * extension's runtime process (Workspace Trust checked on every request), and the dialogs.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { readReportScript } from '../../core/report/saveEval';
import type { AnalysedModel, ModelPorts, ModelRef, ReportListener, ReportsPort } from '../../host/ports';
import type { GraphPayload } from '../../shared/graphPayload';
import type { HostPushMessage } from '../../shared/protocol';
import type { LatestReports } from '../reports/latestReports';
import { reportsFolderFor } from '../reports/reportsFolder';
import { runtimeClient } from '../runtime/runtimeProcess';
import { sessionSettings } from '../runtime/runtimeSettings';
import { trustGuard } from '../trust';
import { filePicker, viewer } from './fileDialogs';

/** What every model's ports share: the extension's own files and state. */
export interface ExtensionHost {
  /** The extension's folder (its dist/report/report.js makes the HTML reports). */
  extensionPath: string;
  workspaceState: vscode.Memento;
  reports: LatestReports;
}

export function modelRef(uri: vscode.Uri): ModelRef {
  const name = path.basename(uri.path);
  return {
    key: uri.toString(),
    name,
    path: () => {
      if (uri.scheme !== 'file') throw new Error(`${name} is not on the local disk, so onnxruntime cannot open it.`);
      return uri.fsPath;
    },
  };
}

export function reportsPort(uri: vscode.Uri, extensionPath: string): ReportsPort {
  return { folder: () => reportsFolderFor(uri), script: () => readReportScript(path.join(extensionPath, 'dist')) };
}

export function reportListener(reports: LatestReports, uri: vscode.Uri): ReportListener {
  return {
    benchmarked: (report) => reports.benchmarked(uri, report),
    evaluated: (report) => reports.evaluated(uri, report),
    quantized: (report) => reports.quantized(uri, report),
  };
}

/** The ports of a model without a view (commands run from the palette or the explorer). */
export function commandPorts(host: ExtensionHost, uri: vscode.Uri): Omit<ModelPorts, 'analysed' | 'payload' | 'push'> {
  return {
    model: modelRef(uri),
    runtime: runtimeClient,
    guard: trustGuard,
    settings: sessionSettings(uri),
    store: host.workspaceState,
    reports: reportsPort(uri, host.extensionPath),
    listener: reportListener(host.reports, uri),
    files: filePicker(uri),
    viewer,
  };
}

/** The ports of a model shown in an editor: its analysed model, the graph it shows and its webview. */
export function modelPorts(
  host: ExtensionHost,
  uri: vscode.Uri,
  view: { analysed(): Promise<AnalysedModel>; payload(): GraphPayload | undefined; push(message: HostPushMessage): void },
): ModelPorts {
  return { ...commandPorts(host, uri), ...view };
}

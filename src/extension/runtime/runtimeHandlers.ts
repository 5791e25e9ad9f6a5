/**
 * The model editor's runtime requests (Run panel): forwarded to the runtime process with the
 * model's path, progress and cancellation wired through, the run setup remembered per model,
 * benchmark reports saved, and the profile pushed to the graph as the 'time' overlay.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { datasetsBeside } from '../../core/data/beside';
import { modelInputs } from '../../core/files/commandInputs';
import { checkOutput } from '../../core/files/outputFile';
import { tensorFileNames } from '../../core/files/tensorFileNames';
import { saveReport } from '../../core/report/reportFiles';
import { benchmarkModel } from '../../runtime/client/runtimeClient';
import type { GraphPayload } from '../../shared/graphPayload';
import type { HostPushMessage, RunSetup } from '../../shared/protocol';
import { reportsFolderFor } from '../reports/reportsFolder';
import type { RequestHandlers } from '../webviewChannel';
import { timeOverlay } from '../nodeOverlay';
import type { LatestReports } from '../reports/latestReports';
import { runtimeClient } from './runtimeProcess';
import { runtimeOptions, settingsSessionOptions } from './runtimeSettings';

export type RuntimeMethodName =
  | 'runtimeSignature' | 'runModel' | 'captureActivations' | 'runTensorPage' | 'runTensorHistogram' | 'runTensorSlab'
  | 'saveTensor' | 'benchmark' | 'profile' | 'pickInputFile' | 'saveRunSetup';

export interface RuntimeHandlerDeps {
  uri: vscode.Uri;
  workspaceState: vscode.Memento;
  reports: LatestReports;
  /** The graph payload the view shows (for the overlay), if loaded. */
  payload(): GraphPayload | undefined;
  push(message: HostPushMessage): void;
}

const setupKey = (uri: vscode.Uri) => `onnxLens.runSetup:${uri.toString()}`;

function modelPath(uri: vscode.Uri): string {
  if (uri.scheme !== 'file') throw new Error(`${path.basename(uri.path)} is not on the local disk, so onnxruntime cannot open it.`);
  return uri.fsPath;
}

export function runtimeHandlers(deps: RuntimeHandlerDeps): Pick<RequestHandlers, RuntimeMethodName> {
  const rpc = () => runtimeClient();
  const model = () => modelPath(deps.uri);
  // Every request carries the settings' provider (unless the Run tab chose one), labels and log level.
  const withSettings = <T extends RunSetup>(setup: T): T => ({ ...setup, options: runtimeOptions(setup.options, deps.uri) });
  return {
    runtimeSignature: async () => {
      const saved = deps.workspaceState.get<RunSetup>(setupKey(deps.uri)) ?? null;
      const defaults = settingsSessionOptions(deps.uri);
      const sig = await rpc().request('signature', { model: model(), options: runtimeOptions(saved?.options ?? defaults, deps.uri) });
      return { ...sig, saved, defaults, datasets: datasetsBeside(model()) };
    },
    runModel: (setup, { signal }) => rpc().request('run', { model: model(), ...withSettings(setup) }, { signal }),
    captureActivations: ({ values, ...setup }, { signal }) => rpc().request('activations', { model: model(), ...withSettings(setup), values }, { signal }),
    runTensorPage: (params) => rpc().request('page', params),
    runTensorHistogram: (params) => rpc().request('histogram', params),
    runTensorSlab: async (params) => {
      const { dims, data } = await rpc().request('slab', params);
      return { dims, buffer: data.buffer as ArrayBuffer };
    },
    benchmark: async ({ settings, ...setup }, { signal, progress }) => {
      const report = await benchmarkModel(rpc(), { model: model(), ...withSettings(setup) }, settings, (p) => {
        const c = p.config;
        progress(p.done, p.total, p.done === p.total ? 'Done' : `Configuration ${p.done + 1} of ${p.total}: ${c.intraOpThreads || 'default'} threads${c.batch === null ? '' : `, batch ${c.batch}`}`);
      }, signal);
      const folder = reportsFolderFor(deps.uri);
      const savedTo = folder ? saveReport(folder, 'bench', report) : null;
      deps.reports.benchmarked(deps.uri, report);
      return { report, savedTo };
    },
    profile: async ({ runs, ...setup }, { signal }) => {
      const result = await rpc().request('profile', { model: model(), ...withSettings(setup), runs }, { signal });
      const payload = deps.payload();
      if (payload) deps.push(timeOverlay(result, payload));
      return result;
    },
    saveTensor: async ({ runId, name }) => {
      // The host's own save dialog decides where (the webview never names a file to write); the
      // dialog asks before replacing a file, and core/files/outputFile.ts refuses the model's own files.
      const file = model();
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(path.dirname(file), tensorFileNames([name], '.npy')[0])),
        filters: { 'NumPy array': ['npy'] },
        saveLabel: 'Save',
        title: `Save '${name}' of ${path.basename(file)} as .npy`,
      });
      if (!target) return { savedTo: null };
      if (target.scheme !== 'file') throw new Error(`${target.toString()} is not on the local disk; choose a local file.`);
      const out = checkOutput({ file: target.fsPath, replace: true, inputs: modelInputs(file) });
      await rpc().request('save', { runId, files: [{ name, file: out }], replace: true });
      return { savedTo: out };
    },
    pickInputFile: async ({ input, kind }) => {
      const filters: Record<typeof kind, Record<string, string[]>> = {
        npy: { 'NumPy arrays': ['npy', 'npz'] },
        json: { JSON: ['json'] },
        image: { Images: ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'tif', 'tiff'] },
        dataset: { Datasets: ['csv', 'tsv', 'jsonl', 'ndjson', 'npy', 'npz', 'gz'] },
      };
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: `Use for '${input}'`,
        filters: filters[kind],
        defaultUri: vscode.Uri.joinPath(deps.uri, '..'),
      });
      return { path: picked?.[0]?.fsPath ?? null };
    },
    saveRunSetup: async (setup) => {
      await deps.workspaceState.update(setupKey(deps.uri), setup);
      return { saved: true };
    },
  };
}

/**
 * The Run tab's requests: forwarded to the runtime process with the model's path and the settings'
 * options, progress and cancellation wired through, the run setup remembered per model, benchmark
 * reports saved in the reports folder, and the profile pushed to the graph as the 'time' overlay.
 */
import * as path from 'node:path';
import { datasetsBeside } from '../core/data/beside';
import { modelInputs } from '../core/files/commandInputs';
import { checkOutput } from '../core/files/outputFile';
import { tensorFileNames } from '../core/files/tensorFileNames';
import { saveReport } from '../core/report/reportFiles';
import { benchmarkModel } from '../runtime/client/runtimeClient';
import type { BenchConfig } from '../shared/runtimeTypes';
import type { RunSetup } from '../shared/protocol';
import { timeOverlay } from './overlays';
import type { ModelPorts } from './ports';
import type { RequestHandlers } from './requestHandlers';
import { ownBuffer } from './ownBuffer';

export type RunMethodName =
  | 'runtimeSignature' | 'runModel' | 'captureActivations' | 'runTensorPage' | 'runTensorHistogram' | 'runTensorSlab'
  | 'saveTensor' | 'benchmark' | 'profile' | 'pickInputFile' | 'saveRunSetup';

const setupKey = (key: string) => `onnxLens.runSetup:${key}`;

/** The benchmark's progress line: which configuration of the sweep runs now. */
export function benchProgressMessage(done: number, total: number, config: BenchConfig): string {
  return done === total ? 'Done' : `Configuration ${done + 1} of ${total}: ${config.intraOpThreads || 'default'} threads${config.batch === null ? '' : `, batch ${config.batch}`}`;
}

export function runRequests(ports: ModelPorts): Pick<RequestHandlers, RunMethodName> {
  const rpc = () => ports.runtime();
  const model = () => ports.model.path();
  // Every request carries the settings' provider (unless the Run tab chose one), labels and log level.
  const withSettings = <T extends RunSetup>(setup: T): T => ({ ...setup, options: ports.settings.complete(setup.options) });
  return {
    runtimeSignature: async () => {
      const saved = ports.store.get<RunSetup>(setupKey(ports.model.key)) ?? null;
      const defaults = ports.settings.defaults();
      const sig = await rpc().request('signature', { model: model(), options: ports.settings.complete(saved?.options ?? defaults) });
      return { ...sig, saved, defaults, datasets: datasetsBeside(model()) };
    },
    runModel: (setup, { signal }) => rpc().request('run', { model: model(), ...withSettings(setup) }, { signal }),
    captureActivations: ({ values, ...setup }, { signal }) => rpc().request('activations', { model: model(), ...withSettings(setup), values }, { signal }),
    runTensorPage: (params) => rpc().request('page', params),
    runTensorHistogram: (params) => rpc().request('histogram', params),
    runTensorSlab: async (params) => {
      const { dims, data } = await rpc().request('slab', params);
      return { dims, buffer: ownBuffer(data) };
    },
    benchmark: async ({ settings, ...setup }, { signal, progress }) => {
      const report = await benchmarkModel(rpc(), { model: model(), ...withSettings(setup) }, settings, (p) => progress(p.done, p.total, benchProgressMessage(p.done, p.total, p.config)), signal);
      const folder = ports.reports.folder();
      const savedTo = folder ? saveReport(folder, 'bench', report) : null;
      ports.listener.benchmarked(report);
      return { report, savedTo };
    },
    profile: async ({ runs, ...setup }, { signal }) => {
      const result = await rpc().request('profile', { model: model(), ...withSettings(setup), runs }, { signal });
      const payload = ports.payload();
      if (payload) ports.push(timeOverlay(result, payload));
      return result;
    },
    saveTensor: async ({ runId, name }) => {
      // The front end's own save dialog decides where (the webview never names a file to write); the
      // dialog asks before replacing a file, and core/files/outputFile.ts refuses the model's own files.
      const file = model();
      const target = await ports.files.pickToWrite(tensorFileNames([name], '.npy')[0], { name: 'NumPy array', extensions: ['npy'] }, `Save '${name}' of ${path.basename(file)} as .npy`);
      if (!target) return { savedTo: null };
      const out = checkOutput({ file: target, replace: true, inputs: modelInputs(file) });
      await rpc().request('save', { runId, files: [{ name, file: out }], replace: true });
      return { savedTo: out };
    },
    pickInputFile: async ({ input, kind }) => ({ path: await ports.files.pickToRead(kind, `Use for '${input}'`) }),
    saveRunSetup: async (setup) => {
      await ports.store.update(setupKey(ports.model.key), setup);
      return { saved: true };
    },
  };
}

/** The Evaluate tab's requests: evaluate, the latest report, the dataset's columns, and drill-down into what was evaluated. */
import * as path from 'node:path';
import { datasetColumns, latestEvaluation, runEvaluation } from './evaluation';
import type { ModelPorts } from './ports';
import type { RequestHandlers } from './requestHandlers';

export type EvalMethodName = 'evaluate' | 'latestEvaluation' | 'pickDataset' | 'evalSamples' | 'datasetColumns' | 'openSample';

export function evalRequests(ports: ModelPorts): Pick<RequestHandlers, EvalMethodName> {
  // Drill-down reads rows of a dataset back into the page, and "open" shows where a sample lives:
  // only for data this editor evaluated (or whose saved report it shows), so a request cannot make
  // the host read or open any other file.
  const evaluated = new Set<string>();
  const known = (data: string) => {
    if (evaluated.has(data)) return true;
    const latest = latestEvaluation(ports)?.report;
    return latest?.data.path === data || latest?.splits?.data.path === data;
  };
  return {
    evaluate: async (request, { signal, progress }) => {
      const result = await runEvaluation(ports, request, { signal, progress });
      for (const d of [result.report.data.path, result.report.splits?.data.path]) if (d) evaluated.add(d);
      return result;
    },
    latestEvaluation: async () => latestEvaluation(ports),
    pickDataset: async () => ({ path: await ports.files.pickToRead('dataset-or-folder', 'Evaluate on this data') }),
    evalSamples: async ({ data, samples }) => {
      // Restricted Mode says so before anything else about the request (src/extension/trust.ts).
      ports.guard('datasetSamples');
      if (!known(data)) throw new Error(`the samples of ${data} cannot be shown: it is not a dataset this model was evaluated on.`);
      return { samples: await ports.runtime().request('datasetSamples', { data, samples }) };
    },
    datasetColumns: async ({ data }) => datasetColumns(ports, data),
    openSample: async ({ data, source, index }) => {
      if (!known(data)) throw new Error(`${path.basename(data)} is not a dataset this model was evaluated on.`);
      // An image sample lives inside its image folder.
      if (typeof source === 'string' && !path.resolve(source).startsWith(path.resolve(data) + path.sep)) throw new Error(`${path.basename(source)} is not in ${path.basename(data)}.`);
      return { opened: await ports.viewer.openSample(data, source, index) };
    },
  };
}

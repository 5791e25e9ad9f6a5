/**
 * The model view's `explain` request (the Run tab's Explain, the Evaluate tab's Why? and Feature
 * importance): the runtime process explains (progress, cancellation), and the report is saved as
 * JSON + HTML in the reports folder. The session options are the Run tab's when it sends them,
 * else the settings', completed with what only the host decides (provider, labels, log level).
 */
import { saveExplanation } from '../core/report/explainHtml';
import type { ModelPorts } from './ports';
import type { RequestHandlers } from './requestHandlers';

/** A big saliency map can take minutes; progress keeps the request alive, silence ends it. */
const SILENCE_TIMEOUT_MS = 5 * 60_000;

export type ExplainPorts = Pick<ModelPorts, 'model' | 'runtime' | 'settings' | 'reports'>;

export function explainRequests(ports: ExplainPorts): Pick<RequestHandlers, 'explain'> {
  return {
    explain: async (request, { signal, progress }) => {
      const { options, ...settings } = request;
      const report = await ports.runtime().request('explain', {
        ...settings, model: ports.model.path(), options: ports.settings.complete(options ?? ports.settings.defaults()),
      }, { signal, timeoutMs: SILENCE_TIMEOUT_MS, onProgress: (p) => progress(p.done, p.total, p.message) });
      const folder = ports.reports.folder();
      return { report, savedTo: folder ? saveExplanation(folder, report, ports.reports.script()) : null };
    },
  };
}

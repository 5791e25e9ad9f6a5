/**
 * The Evaluate tab's Robustness and Drift views (and their palette commands): each request becomes
 * the runtime's parameters (session options from the settings, the column mapping the model's
 * evaluation remembered for that dataset), runs in the runtime process with progress and
 * cancellation, and its report is saved as JSON + HTML in the reports folder.
 */
import type { DatasetMapping } from '../core/data/mapping';
import { latestReport } from '../core/report/reportFiles';
import { saveDrift, saveRobustness } from '../core/report/trustHtml';
import type { DriftParams, RobustParams } from '../runtime/methods';
import type { DriftReport } from '../shared/driftReport';
import type { DriftRequest, DriftResult, RobustnessResult, RobustRequest } from '../shared/protocol';
import type { RobustReport } from '../shared/robustReport';
import type { ReportBase } from '../shared/reportBase';
import { mappingKey } from './evaluation';
import { pathOnDisk, type ModelPorts, type Work } from './ports';
import type { RequestHandlers } from './requestHandlers';

/** A sweep runs the model many times over; progress keeps it alive, ten minutes of silence ends it. */
const SILENCE_TIMEOUT_MS = 10 * 60_000;

export type TrustPorts = Pick<ModelPorts, 'model' | 'runtime' | 'settings' | 'store' | 'reports'>;

const onProgress = (work: Work) => work.progress && ((p: { done: number; total: number; message: string }) => work.progress!(p.done, p.total, p.message));

export function robustParams(ports: TrustPorts, request: RobustRequest): RobustParams {
  const saved = ports.store.get<DatasetMapping>(mappingKey(ports.model, request.data));
  const label = request.labelColumn ?? undefined;
  return {
    model: ports.model.path(), options: ports.settings.complete(ports.settings.defaults()), data: request.data,
    ...(label ? { labelColumn: label } : {}),
    ...(saved && (!label || saved.labelColumn === label) ? { mapping: saved } : {}),
    perturbations: request.perturbations,
    ...(request.attack ? { attack: request.attack } : {}),
    ...(request.maxSamples ? { maxSamples: request.maxSamples } : {}),
  };
}

export async function runRobustness(ports: TrustPorts, request: RobustRequest, work: Work): Promise<RobustnessResult> {
  const report = await ports.runtime().request('robust', robustParams(ports, request), { signal: work.signal, timeoutMs: SILENCE_TIMEOUT_MS, onProgress: onProgress(work) });
  const folder = ports.reports.folder();
  return { report, savedTo: folder ? saveRobustness(folder, report, ports.reports.script()) : null };
}

export async function runDrift(ports: TrustPorts, request: DriftRequest, work: Work): Promise<DriftResult> {
  const params: DriftParams = {
    reference: request.reference, current: request.current, model: ports.model.path(), options: ports.settings.complete(ports.settings.defaults()),
    ...(request.labelColumn ? { labelColumn: request.labelColumn } : {}),
  };
  const report = await ports.runtime().request('drift', params, { signal: work.signal, timeoutMs: SILENCE_TIMEOUT_MS, onProgress: onProgress(work) });
  const folder = ports.reports.folder();
  return { report, savedTo: folder && report.model ? saveDrift(folder, report as DriftReport & { model: NonNullable<DriftReport['model']> }, ports.reports.script()) : null };
}

function latest<R extends RobustReport | DriftReport>(ports: Pick<ModelPorts, 'model' | 'reports'>, kind: 'robust' | 'drift'): { report: R; savedTo: { json: string; html: string } } | null {
  const folder = ports.reports.folder();
  const model = pathOnDisk(ports.model);
  const found = folder && model ? latestReport<ReportBase>(folder, kind, model) : null;
  return found ? { report: found.report as unknown as R, savedTo: { json: found.file, html: found.file.replace(/\.json$/, '.html') } } : null;
}

export type TrustMethodName = 'robust' | 'latestRobustness' | 'drift' | 'latestDrift';

export function trustRequests(ports: ModelPorts): Pick<RequestHandlers, TrustMethodName> {
  return {
    robust: (request, { signal, progress }) => {
      ports.guard('robust');
      return runRobustness(ports, request, { signal, progress });
    },
    latestRobustness: async () => latest<RobustReport>(ports, 'robust'),
    drift: (request, { signal, progress }) => {
      ports.guard('drift');
      return runDrift(ports, request, { signal, progress });
    },
    latestDrift: async () => latest<DriftReport>(ports, 'drift'),
  };
}

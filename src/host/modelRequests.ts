/**
 * Every request a model view makes, answered by the host layer from the ports its front end gives
 * (the extension: src/extension/host/modelPorts.ts; the screenshot harness: scripts/webview-dev/devHost.ts).
 * Only `reload` is the front end's own: it owns the model document.
 */
import * as path from 'node:path';
import { evalRequests } from './evalRequests';
import { explainRequests } from './explanation';
import { loadOverlayFile } from './overlays';
import type { ModelPorts } from './ports';
import { quantizeRequests } from './quantizeRequests';
import type { RequestHandlers } from './requestHandlers';
import { runRequests } from './runRequests';
import { trustRequests } from './trustRequests';

export type ModelRequestHandlers = Omit<RequestHandlers, 'reload'>;

export function modelRequests(ports: ModelPorts): ModelRequestHandlers {
  return {
    nodeDetails: async ({ node }) => (await ports.analysed()).nodeDetails(node),
    tensorStats: async ({ value }) => (await ports.analysed()).tensorStats(value),
    tensorPage: async ({ value, offset, count }) => (await ports.analysed()).tensorPage(value, offset, count),
    openReport: async ({ path: file }) => {
      // Only a report of this model's reports folder: a request must not make the host show any other file.
      const folder = ports.reports.folder();
      const rel = folder ? path.relative(folder, file) : '..';
      if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${path.basename(file)} is not a report of this model's reports folder.`);
      await ports.viewer.openReport(file);
      return { opened: true };
    },
    loadOverlay: async () => {
      const payload = (await ports.analysed()).payload;
      const file = await ports.files.pickToRead('overlay', 'Load overlay');
      return file ? loadOverlayFile(file, payload, ports.push) : null;
    },
    ...evalRequests(ports),
    ...explainRequests(ports),
    ...quantizeRequests(ports),
    ...runRequests(ports),
    ...trustRequests(ports),
  };
}

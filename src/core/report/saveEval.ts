/**
 * An evaluation is saved as two files side by side: the JSON report and a standalone HTML page
 * with the same charts (the report script bundled by scripts/build.mjs, inlined).
 */
import * as fs from 'node:fs';
import type { EvalReport } from '../../shared/evalReport';
import { renderEvalHtml, reportScriptPath } from './evalHtml';
import { saveReport, saveReportPage } from './reportFiles';

/** The bundled report script (dist/report/report.js) next to the running bundle. */
export function readReportScript(distDir: string): string {
  const file = reportScriptPath(distDir);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`the HTML report's script is missing (${file}); run \`npm run build\``);
  }
}

export function saveEvaluation(folder: string, report: EvalReport, reportScript: string): { json: string; html: string } {
  const json = saveReport(folder, 'eval', report);
  const html = saveReportPage(json, renderEvalHtml(report, reportScript));
  return { json, html };
}

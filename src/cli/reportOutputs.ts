/**
 * The files a trust command (robust, drift) is asked to write — `--report x.json|x.html` and
 * `--junit x.xml` — checked before any work (never one of the command's inputs, an existing file
 * only with `--force`: core/files/outputFile.ts), with the report page's script loaded for `.html`.
 */
import { fileInput } from '../core/files/commandInputs';
import { checkOutput, type CommandInput } from '../core/files/outputFile';
import { loadReportScript } from './eval';
import { UsageError } from './inputArgs';

export interface ReportOutputs {
  reportFile: string | undefined;
  junitFile: string | undefined;
  /** The standalone page's script when the report is `.html`; undefined for JSON. */
  script: string | undefined;
}

export function reportOutputs(cliDir: string, opts: { report?: string; junit?: string; force?: boolean }, inputs: CommandInput[]): ReportOutputs {
  const reportFile = opts.report === undefined ? undefined : checkOutput({ file: opts.report, flag: '--report', replace: opts.force, inputs });
  const junitFile = opts.junit === undefined ? undefined : checkOutput({ file: opts.junit, flag: '--junit', replace: opts.force, inputs: [...inputs, ...(reportFile ? [fileInput(reportFile, 'the --report file')] : [])] });
  const html = reportFile !== undefined && /\.html?$/i.test(reportFile);
  if (reportFile && !html && !/\.json$/i.test(reportFile)) throw new UsageError(`--report must name a .json or .html file, not '${opts.report}'`);
  return { reportFile, junitFile, script: html ? loadReportScript(cliDir) : undefined };
}

/**
 * Reports are files: `<folder>/<model stem>.<kind>.<timestamp>.json`, written atomically under a
 * fresh name (core/files/outputFile.ts: a crash never leaves half a report, and no report ever
 * replaces another), and found again by kind and model path for hovers and the status bar.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeOutputFile, writeUniqueFile } from '../files/outputFile';
import type { ReportBase } from '../../shared/reportBase';

export type ReportKind = 'bench' | 'eval' | 'quant' | 'explain' | 'robust' | 'drift';

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
}

/**
 * Saves a report under a fresh name in `folder` (core/files/outputFile.ts: exclusive temp file,
 * fsync, then a hard link that never replaces a file — two reports saved in the same second, even
 * by two processes, get `-2`, `-3`, … instead of one overwriting the other). Returns the file.
 */
export function saveReport(folder: string, kind: ReportKind, report: ReportBase): string {
  const stem = path.basename(report.model.path, path.extname(report.model.path));
  const when = stamp(new Date(report.createdAt));
  return writeUniqueFile(folder, (n) => `${stem}.${kind}.${when}${n === 1 ? '' : `-${n}`}.json`, `${JSON.stringify(report, null, 2)}\n`);
}

/** The HTML page of a saved report, beside its JSON (a fresh name, so never written over anything). */
export function saveReportPage(json: string, html: string): string {
  const file = json.replace(/\.json$/, '.html');
  writeOutputFile(file, html, { replace: false });
  return file;
}

/** The newest report of `kind` about `modelPath` in `folder`, or null (unreadable files are skipped). */
export function latestReport<R extends ReportBase>(folder: string, kind: ReportKind, modelPath: string): { file: string; report: R } | null {
  const stem = path.basename(modelPath, path.extname(modelPath));
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return null;
  }
  const prefix = `${stem}.${kind}.`;
  // Timestamps sort as text, and a report of the same second (…Z-2, …Z-10) after the one it did not overwrite:
  // newest first, and the first one about this very model wins.
  const stamp = (n: string) => n.slice(0, -'.json'.length);
  const newestFirst = names.filter((n) => n.startsWith(prefix) && n.endsWith('.json')).sort((a, b) => stamp(b).localeCompare(stamp(a), 'en', { numeric: true }));
  for (const name of newestFirst) {
    try {
      const report = JSON.parse(fs.readFileSync(path.join(folder, name), 'utf8')) as R;
      if (path.resolve(report.model?.path ?? '') === path.resolve(modelPath)) return { file: path.join(folder, name), report };
    } catch {
      // A report someone edited by hand or a foreign file: not ours to interpret.
    }
  }
  return null;
}

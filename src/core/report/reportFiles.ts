/**
 * Reports are files: `<folder>/<model stem>.<kind>.<timestamp>.json`, written atomically (a
 * temporary file renamed into place, so a crash never leaves half a report), and found again by
 * kind and model path for hovers and the status bar.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type ReportKind = 'bench' | 'eval' | 'quant';

/** Every report records the model it is about, so reports of same-named models do not mix. */
export interface ReportBase {
  schema: string;
  createdAt: string;
  model: { path: string };
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
}

/** Writes `text` to `file` via a temporary sibling and a rename; the temporary file never survives a failure. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export function saveReport(folder: string, kind: ReportKind, report: ReportBase): string {
  fs.mkdirSync(folder, { recursive: true });
  const stem = path.basename(report.model.path, path.extname(report.model.path));
  let file = path.join(folder, `${stem}.${kind}.${stamp(new Date(report.createdAt))}.json`);
  for (let n = 2; fs.existsSync(file); n++) file = path.join(folder, `${stem}.${kind}.${stamp(new Date(report.createdAt))}-${n}.json`);
  writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
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
  // Timestamps sort as text; newest first, and the first one about this very model wins.
  for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith('.json')).sort().reverse()) {
    try {
      const report = JSON.parse(fs.readFileSync(path.join(folder, name), 'utf8')) as R;
      if (path.resolve(report.model?.path ?? '') === path.resolve(modelPath)) return { file: path.join(folder, name), report };
    } catch {
      // A report someone edited by hand or a foreign file: not ours to interpret.
    }
  }
  return null;
}

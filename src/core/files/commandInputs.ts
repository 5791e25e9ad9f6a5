/**
 * What a command reads, as the list every writer checks its destinations against
 * (core/files/outputFile.ts): a model with its external data files and the label files beside it,
 * a dataset with the label files beside it. Gathered before the work starts; a model that cannot
 * be read still protects its own path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { labelFileCandidates } from '../modelLabels';
import { externalTensors } from '../onnx/externalData';
import { readModelFile } from '../onnx/reader';
import type { CommandInput } from './outputFile';

/** The model, every external data location it names (resolved beside it, even ones that would be refused) and its label files. */
export function modelInputs(model: string, role = 'the model'): CommandInput[] {
  const out: CommandInput[] = [{ path: path.resolve(model), role }];
  try {
    const m = readModelFile(model);
    try {
      const dir = path.dirname(path.resolve(model));
      const locations = new Set(externalTensors(m.info).flatMap((t) => (t.data.kind === 'external' ? [t.data.location] : [])));
      for (const location of locations) if (!location.includes('\0')) out.push({ path: path.resolve(dir, location), role: `external data of ${role} ('${location}')` });
    } finally {
      m.close();
    }
  } catch {
    // Not readable: the command will say so; its path stays protected.
  }
  return [...out, ...labelFiles(model, role)];
}

/** A dataset (file or image folder) and the label files a reader may take beside it. */
export function dataInputs(data: string, role = 'the dataset'): CommandInput[] {
  return [{ path: path.resolve(data), role }, ...labelFiles(data, role)];
}

/** The label files that exist beside `besidePath` (core/modelLabels.ts looks for them). */
function labelFiles(besidePath: string, role: string): CommandInput[] {
  return labelFileCandidates(besidePath).filter((f) => fs.existsSync(f)).map((file) => ({ path: file, role: `a labels file of ${role}` }));
}

/** A plain input file (a --labels-file, a --mapping, an --input tensor). */
export function fileInput(file: string, role: string): CommandInput {
  return { path: path.resolve(file), role };
}

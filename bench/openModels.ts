/**
 * Writes the models of the end-to-end open benchmark (bench/openEndToEnd.bench.mjs) into a folder:
 * generated BERT-like transformers of the given node counts, as `transformer-<n>k.onnx`.
 * Usage: tsx bench/openModels.ts <dir> <nodes>...; prints { name: path } as one JSON line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transformerLike } from '../test/fixtures/bigModels';
import { model } from '../test/fixtures/onnxBuilder';

const [dir, ...counts] = process.argv.slice(2);
const written: Record<string, string> = {};
for (const nodes of counts.map(Number)) {
  const file = path.join(dir, `transformer-${nodes / 1000}k.onnx`);
  fs.writeFileSync(file, model(transformerLike({ nodes, shareWeights: true })));
  written[`transformer${nodes / 1000}k`] = file;
}
process.stdout.write(`${JSON.stringify(written)}\n`);

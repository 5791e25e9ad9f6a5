/** Writes the benchmark models into the given folder and prints their paths as one JSON line. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transformerLike, weightHeavy } from '../test/fixtures/bigModels';
import { model } from '../test/fixtures/onnxBuilder';

const [dir, weightMb] = process.argv.slice(2);
const weightHeavyPath = path.join(dir, 'weight-heavy.onnx');
weightHeavy({ bytes: Number(weightMb) * 1024 * 1024, path: weightHeavyPath });
const graphs: Record<string, string> = {};
for (const nodes of [10_000, 100_000]) {
  const file = path.join(dir, `transformer-${nodes / 1000}k.onnx`);
  fs.writeFileSync(file, model(transformerLike({ nodes, shareWeights: true })));
  graphs[nodes] = file;
}
process.stdout.write(`${JSON.stringify({ weightHeavy: weightHeavyPath, graph10k: graphs[10_000], graph100k: graphs[100_000] })}\n`);

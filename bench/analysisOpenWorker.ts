/**
 * The structure step of an open as a model thread runs it (src/analysisProcess/modelThread.ts:
 * read, graph, payload with `inference: null`, encode, write), timed per phase, in a worker_thread
 * of its own. bench/analysisOpen.bench.ts bundles this file twice, against this tree's src and a
 * baseline commit's, so it only calls functions whose signatures both have.
 *
 * Message in: { files: string[] } (the last is the timed one; earlier ones warm the isolate, as a
 * spare thread warmed on a small model would be). Reply: per-phase ms and the encoded bytes' sha1.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { buildGraph } from '../src/core/graph/build';
import { buildGraphPayload } from '../src/core/graph/payload';
import { readModelFile } from '../src/core/onnx/reader';
import { encodeGraphPayload } from '../src/shared/payloadCodec';

function structure(file: string, out: string): { read: number; graph: number; payload: number; encode: number; bytes: Uint8Array } {
  const t0 = performance.now();
  const model = readModelFile(file);
  const t1 = performance.now();
  const graph = buildGraph(model.info.graph);
  const t2 = performance.now();
  const payload = buildGraphPayload({ graph, inference: null }, 'model.onnx', 'hash');
  const t3 = performance.now();
  const bytes = new Uint8Array(encodeGraphPayload(payload));
  fs.writeFileSync(out, bytes);
  const t4 = performance.now();
  model.close();
  return { read: t1 - t0, graph: t2 - t1, payload: t3 - t2, encode: t4 - t3, bytes };
}

parentPort!.once('message', ({ files, out }: { files: string[]; out: string }) => {
  for (const file of files.slice(0, -1)) structure(file, out);
  const { bytes, ...phases } = structure(files[files.length - 1], out);
  parentPort!.postMessage({ ...phases, sha1: createHash('sha1').update(bytes).digest('hex'), size: bytes.byteLength });
});

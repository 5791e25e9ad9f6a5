/**
 * The structure step of an open as a model thread runs it before replying (src/analysisProcess/
 * modelThread.ts: read, graph, payload with `inference: null`, encode and store in the graph cache,
 * keep the model for its details), timed per phase, in a worker_thread of its own.
 * bench/analysisOpen.bench.ts bundles this file twice, against this tree's src and a baseline
 * commit's, so it only calls functions whose signatures both have.
 *
 * Message in: { files, cacheDir } (the last file is the timed one; earlier ones warm the isolate, as
 * a spare thread warmed on a small model would be). Reply: per-phase ms, CPU ms, the bytes' sha1.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { GraphCache } from '../src/analysisProcess/graphCache';
import { LoadedModel } from '../src/analysisProcess/loadedModel';
import { buildGraph } from '../src/core/graph/build';
import { buildGraphPayload } from '../src/core/graph/payload';
import { readModelFile } from '../src/core/onnx/reader';
import { encodeGraphPayload } from '../src/shared/payloadCodec';

/** The open handler's steps up to its reply, phase by phase: `keep` is the LoadedModel it keeps for the details. */
function structure(file: string, cacheDir: string): { read: number; graph: number; payload: number; encode: number; keep: number; bytes: Uint8Array } {
  const t0 = performance.now();
  const model = readModelFile(file);
  const t1 = performance.now();
  const graph = buildGraph(model.info.graph);
  const t2 = performance.now();
  const payload = buildGraphPayload({ graph, inference: null }, 'model.onnx', 'hash');
  const t3 = performance.now();
  const bytes = new Uint8Array(encodeGraphPayload(payload));
  new GraphCache(cacheDir).store('hash', 'model.onnx', bytes);
  const t4 = performance.now();
  const kept = new LoadedModel(file, file, () => readModelFile(file), { model, graph });
  const t5 = performance.now();
  kept.close();
  return { read: t1 - t0, graph: t2 - t1, payload: t3 - t2, encode: t4 - t3, keep: t5 - t4, bytes };
}

parentPort!.once('message', ({ files, cacheDir }: { files: string[]; cacheDir: string }) => {
  fs.mkdirSync(cacheDir, { recursive: true });
  for (const file of files.slice(0, -1)) structure(file, cacheDir);
  // CPU time of the process (this thread and V8's GC helpers; the main thread waits): unlike the
  // wall time, it barely moves when other processes load the machine.
  const before = process.cpuUsage();
  const { bytes, ...phases } = structure(files[files.length - 1], cacheDir);
  const cpu = process.cpuUsage(before);
  parentPort!.postMessage({ ...phases, cpu: (cpu.user + cpu.system) / 1000, sha1: createHash('sha1').update(bytes).digest('hex'), size: bytes.byteLength });
});

/**
 * An inference lane: a worker_thread of the runtime process that runs whole batches of an
 * evaluation beside the main thread (lanes.ts says when and why). It builds its own session of
 * every model of the pass, from the same files with the main thread's options (its share of the
 * intra-op threads: lanes.ts), then answers one batch at a time. An ORT abort here ends the
 * runtime process as one on the main thread would; the extension host is another process
 * (README.md, Architecture).
 * Bundled to dist/laneWorker.js; from source it is started through tsx (rpc/workerScript.ts).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type * as ort from 'onnxruntime-node';
import { toOrtTensor } from '../ort/feeds';
import { loadOnnxRuntime } from '../ort/onnxruntime';
import { EVAL_SESSION_EXTRA, ortSessionOptions } from '../ort/sessionOptions';
import type { RuntimeTensor } from '../ort/tensorSummary';
import { inputBuffers, type LaneModel, type LaneToMain, type MainToLane } from './laneMessages';
import type { FeedArray } from './workerMessages';

/** Its own channel (lanes.ts reads it synchronously, with receiveMessageOnPort). */
const port = (workerData as { port: MessagePort }).port;
let sessions: { session: ort.InferenceSession; fetch: string[] }[] = [];

const post = (msg: LaneToMain, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
const messageOf = (err: unknown) => String((err as Error)?.message ?? err);

async function open(models: LaneModel[]): Promise<void> {
  const Ort = loadOnnxRuntime();
  for (const s of sessions) await s.session.release();
  sessions = [];
  for (const m of models) {
    const options = ortSessionOptions(m.options, EVAL_SESSION_EXTRA);
    sessions.push({ session: await Ort.InferenceSession.create(m.path, options), fetch: [m.fetch] });
  }
}

async function run(seq: number, inputs: FeedArray[]): Promise<void> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const a of inputs) feeds[a.name] = toOrtTensor(a);
  const transfer = inputBuffers(inputs);
  const outputs: RuntimeTensor[] = [];
  for (const [m, s] of sessions.entries()) {
    try {
      const t = (await s.session.run(feeds, s.fetch))[s.fetch[0]];
      outputs.push({ type: t.type, dims: t.dims, data: t.data as RuntimeTensor['data'] });
    } catch (err) {
      post({ kind: 'runFailed', seq, inputs, model: m, message: messageOf(err) }, transfer);
      return;
    }
  }
  post({ kind: 'ran', seq, inputs, outputs }, transfer);
}

/** One message at a time, in order: the main thread holds a lane's next batch in its port while it runs one (lanes.ts). */
let queue = Promise.resolve();
port.on('message', (msg: MainToLane) => {
  queue = queue.then(() => (msg.kind === 'open'
    ? open(msg.models).then(() => post({ kind: 'ready' }), (err: unknown) => post({ kind: 'openFailed', message: messageOf(err) }))
    : run(msg.seq, msg.inputs)));
});

/**
 * Inference lanes: an evaluation runs whole batches side by side, the main thread's session and
 * one session per lane worker (laneWorker.ts), each on as few intra-op threads as the cores allow
 * (one on this project's machines: laneShape), instead of one session splitting every operator
 * among its threads. Evaluation wants throughput, not one batch's latency, and ORT's intra-op pool
 * pays for each operator it splits: waking its threads and waiting for the slowest. On this
 * project's 2-core machines, 157 batches of 64 through a 784→512→512→10 MLP took 52 ms with 2
 * spinning intra-op threads, 65 ms without spinning (what evaluation sessions use: sessions.ts) and
 * 68 ms on one thread; two lanes of one thread each: see docs/evaluation.md.
 *
 * The pass (pass.ts) hands a batch to a lane that is free and runs the next one itself; the answers
 * are taken in batch order. A lane answers on its own MessagePort, read synchronously before each
 * hand-out (`receiveMessageOnPort`), because the main thread spends its time inside `session.run`
 * and an answer waiting for the event loop would leave the lane idle for a whole batch.
 *
 * Lanes start once the pass has timed a few runs of its own (pass.ts: a light model never starts
 * any) and outlive the pass: a lane's session is built once (milliseconds to seconds), and a lane
 * is used only once it is ready, so no pass waits for one.
 */
import * as os from 'node:os';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { externalTensors } from '../../../core/onnx/externalData';
import { startWorkerScript } from '../../../rpc/workerScript';
import type { ExecutionProvider, SessionOptionsSpec } from '../../../shared/runtimeTypes';
import type { ModelFile } from '../ort/modelFiles';
import type { RuntimeTensor } from '../ort/tensorSummary';
import { inputBuffers, type LaneModel, type LaneToMain, type MainToLane } from './laneMessages';
import type { FeedBatch } from './workerMessages';

/** Lanes in all (the main thread's included) at most, whatever the cores. */
const MAX_LANES = 8;
/** The weights the extra lanes may hold together: each lane's sessions hold their own copy. */
const LANE_WEIGHT_BYTES = 1 << 30;

/** How an evaluation spreads over the cores: sessions side by side, and intra-op threads each. */
export interface LaneShape {
  /** Sessions running batches side by side, the main thread's included (1: no lane workers). */
  lanes: number;
  /** Intra-op threads of each session (with one lane: the user's setting, 0 for onnxruntime's choice). */
  threads: number;
}

/**
 * How an evaluation of these models spreads. The threads asked for (onnxruntime's choice, 0: one
 * per core) are split into sessions of as few threads as possible: N threads are N sessions of
 * one, or, beyond 8 sessions, 8 of N/8. One thread asked for is one session. Only on the CPU:
 * another execution provider runs its own way. Each extra session holds a copy of the weights;
 * together at most 1 GiB.
 */
export function laneShape(spec: SessionOptionsSpec, provider: ExecutionProvider, weightBytes: number, cores = os.availableParallelism()): LaneShape {
  const alone = { lanes: 1, threads: spec.intraOpThreads };
  if (provider !== 'cpu' || spec.intraOpThreads === 1) return alone;
  const total = spec.intraOpThreads === 0 ? cores : spec.intraOpThreads;
  const affordable = 1 + Math.floor(LANE_WEIGHT_BYTES / Math.max(1, weightBytes));
  const lanes = Math.max(1, Math.min(total, affordable, MAX_LANES));
  return lanes === 1 ? alone : { lanes, threads: Math.floor(total / lanes) };
}

/** The model's weights, roughly: the file and its external data (a lane holds one more copy). */
export function weightBytes(file: ModelFile): number {
  let bytes = file.size;
  for (const t of externalTensors(file.model.info)) if (t.data.kind === 'external') bytes += t.data.length ?? 0;
  return bytes;
}

/** What a lane's sessions are built from; lanes are reused by a pass with the same key. */
export interface LaneSpec {
  models: LaneModel[];
  /** The models' versions and options (a changed file or option needs new sessions). */
  key: string;
}

/**
 * Batches a lane holds at once: the one it runs and the next, waiting in its port, so it never
 * idles while the main thread is inside a run of its own and cannot hand it another. With one,
 * the lane ran a third of the batches (two lanes, 784→512→512→10 MLP, 10k IDX images).
 */
const LANE_DEPTH = 2;

interface Pending {
  seq: number;
  batch: FeedBatch;
  resolve: (outputs: RuntimeTensor[]) => void;
  reject: (err: Error) => void;
}

export class LaneRunError extends Error {
  constructor(readonly model: number, message: string) {
    super(message);
  }
}

class Lane {
  readonly worker: Worker;
  private readonly port: MessagePort;
  state: 'opening' | 'ready' | 'failed' = 'opening';
  /** Batches handed over and not answered yet, oldest first. */
  readonly pending: Pending[] = [];
  private seq = 0;

  constructor(readonly spec: LaneSpec) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = startWorkerScript(__dirname, 'laneWorker', { workerData: { port: port2 }, transferList: [port2] });
    this.port.on('message', this.take);
    // An idle lane keeps nothing alive; the runtime process lives by its IPC channel. (After `on`:
    // a 'message' listener refs its port.)
    this.worker.unref();
    this.port.unref();
    this.worker.on('error', (err) => this.fail(`an inference lane failed: ${err.message}`));
    this.worker.on('exit', () => this.fail('an inference lane stopped unexpectedly'));
    this.send({ kind: 'open', models: spec.models });
  }

  private send(msg: MainToLane, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(msg, transfer);
  }

  /** Takes in the answers already sent, without waiting for the event loop. */
  poll(): void {
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.take(m.message as LaneToMain);
  }

  get free(): boolean {
    return this.state === 'ready' && this.pending.length < LANE_DEPTH;
  }

  run(batch: FeedBatch): Promise<RuntimeTensor[]> {
    const transfer = inputBuffers(batch.inputs);
    return new Promise((resolve, reject) => {
      const seq = ++this.seq;
      this.pending.push({ seq, batch, resolve, reject });
      this.send({ kind: 'run', seq, inputs: batch.inputs }, transfer);
    });
  }

  private readonly take = (msg: LaneToMain) => {
    if (msg.kind === 'ready') {
      if (this.state === 'opening') this.state = 'ready';
      return;
    }
    if (msg.kind === 'openFailed') {
      // The main thread's session of the same file opened; the pass goes on without this lane.
      this.state = 'failed';
      void this.worker.terminate();
      return;
    }
    // Answers come in the order the batches were handed over.
    if (this.pending[0]?.seq !== msg.seq) return;
    const p = this.pending.shift()!;
    // The batch's arrays come back as new objects over the same memory: the pass recycles these.
    p.batch.inputs = msg.inputs;
    if (msg.kind === 'ran') p.resolve(msg.outputs);
    else p.reject(new LaneRunError(msg.model, msg.message));
  };

  fail(message: string): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    for (const p of this.pending.splice(0)) p.reject(new Error(message));
  }

  stop(): void {
    this.state = 'failed';
    this.port.close();
    void this.worker.terminate();
  }
}

/** Lanes waiting for the next pass (one set: another model's pass replaces them). */
let parked: Lane[] = [];

/** The lane workers of one pass. */
export class Lanes {
  private constructor(private readonly lanes: Lane[]) {}

  /** `count` lane workers for `spec`: parked ones of the same spec, then new ones (ready later). */
  static open(spec: LaneSpec, count: number): Lanes {
    const reused = parked.filter((l) => l.spec.key === spec.key && l.state !== 'failed').slice(0, count);
    for (const l of parked) if (!reused.includes(l)) l.stop();
    parked = [];
    while (reused.length < count) reused.push(new Lane(spec));
    return new Lanes(reused);
  }

  /** A ready lane with no batch, after taking in every answer already sent; undefined when none is. */
  free(): Lane | undefined {
    let found: Lane | undefined;
    for (const l of this.lanes) {
      l.poll();
      if (!found && l.free) found = l;
    }
    return found;
  }

  /** Ends the pass: lanes with no batch left wait for the next one; the others are stopped. */
  close(): void {
    for (const l of this.lanes) {
      if (l.state !== 'failed' && l.pending.length === 0) parked.push(l);
      else l.stop();
    }
  }
}

/** Stops the parked lanes of one model (or all): its file changed or its sessions were released. */
export function stopLanes(modelPath?: string): void {
  const stopping = parked.filter((l) => modelPath === undefined || l.spec.models.some((m) => m.path === modelPath));
  for (const l of stopping) l.stop();
  parked = parked.filter((l) => !stopping.includes(l));
}

export type { Lane };

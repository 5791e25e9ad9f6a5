/** A child for the ChildClient tests: echoes, sleeps, fails, and crashes for real. */
import { OnnxFormatError } from '../../../src/core/errors';
import { serveRequests } from '../../../src/rpc/childServer';
import { CancelledError } from '../../../src/shared/cancellation';

export type TestMethods = {
  echo: { params: { text: string }; result: { text: string; pid: number } };
  double: { params: { values: Float32Array }; result: Float32Array };
  sleep: { params: { ms: number }; result: { slept: number } };
  fail: { params: { file: string }; result: never };
  /** Stops as cancelled work does, though the parent asked nothing (work it waited for was cancelled). */
  giveUp: { params: Record<string, never>; result: never };
  abort: { params: Record<string, never>; result: never };
  /** Reports progress every `everyMs` for `steps` steps, then answers. */
  steps: { params: { steps: number; everyMs: number }; result: { steps: number } };
  /** Blocks the child's thread for `ms` (a synchronous loop: a cancel cannot even be read). */
  spin: { params: { ms: number }; result: { spun: number } };
  /** Waits `ms` without looking at the abort signal, then answers. */
  stubborn: { params: { ms: number }; result: { waited: number } };
};

serveRequests<TestMethods>({
  echo: ({ text }) => ({ text, pid: process.pid }),
  double: ({ values }) => values.map((v) => v * 2),
  sleep: ({ ms }, signal) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => resolve({ slept: ms }), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new Error('aborted'));
      });
    }),
  fail: ({ file }) => {
    throw new OnnxFormatError(file, 'is not a valid ONNX model: truncated data');
  },
  giveUp: () => {
    throw new CancelledError('m.onnx: the benchmark was cancelled.');
  },
  abort: () => process.abort(),
  steps: async ({ steps, everyMs }, _signal, progress) => {
    for (let i = 0; i < steps; i++) {
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      progress({ done: i + 1, total: steps, message: `step ${i + 1}` });
    }
    return { steps };
  },
  spin: ({ ms }) => {
    const end = Date.now() + ms;
    while (Date.now() < end) { /* busy */ }
    return { spun: ms };
  },
  stubborn: ({ ms }) => new Promise((resolve) => setTimeout(() => resolve({ waited: ms }), ms)),
}, 'test child');

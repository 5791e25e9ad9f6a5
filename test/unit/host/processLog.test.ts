/** A child process's life in the log (src/host/processLog.ts), through the Logger port: ORT's severities kept, chatty requests at Debug. */
import * as assert from 'node:assert/strict';
import { logChild, logChildLine } from '../../../src/host/processLog';
import type { Logger } from '../../../src/host/ports';
import { ChildClient } from '../../../src/rpc/childClient';
import { RpcError } from '../../../src/rpc/messages';

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('host: child processes in the log', () => {
  it('logs onnxruntime\'s stderr lines at the severity they carry, colours stripped, anything else as a warning', () => {
    const log = recorder();
    logChildLine(log, 'runtime', '\x1b[0;93m2026-12-03 16:05:26.96 [W:onnxruntime:, inference_session.cc:3040 Initialize] Serializing optimized model\x1b[m');
    logChildLine(log, 'runtime', '2026-12-03 16:05:26.96 [V:onnxruntime:, graph.cc:1] verbose detail');
    logChildLine(log, 'runtime', '2026-12-03 16:05:26.96 [I:onnxruntime:, session.cc:2] info detail');
    logChildLine(log, 'runtime', '2026-12-03 16:05:26.96 [E:onnxruntime:, session.cc:3] failed');
    logChildLine(log, 'runtime', 'FATAL ERROR: Reached heap limit');
    logChildLine(log, 'runtime', '   ');
    assert.deepEqual(log.lines, [
      'warn runtime: onnxruntime: Serializing optimized model',
      'trace runtime: onnxruntime: verbose detail',
      'debug runtime: onnxruntime: info detail',
      'error runtime: onnxruntime: failed',
      'warn runtime: FATAL ERROR: Reached heap limit',
    ]);
  });

  it('logs a start, request times (chatty ones at Debug) and failures, but not cancellations', () => {
    const log = recorder();
    const client = new ChildClient({ name: 'the test process', script: '/nowhere.js', defaultTimeoutMs: 1000 });
    logChild(log, 'analysis', client);
    client.onStarted!(42);
    client.onSettled!('open', 1234.5);
    client.onSettled!('nodeDetails', 3);
    client.onSettled!('details', 12, new RpcError('model.onnx: is not an ONNX model', 'failed'));
    client.onSettled!('details', 12, new RpcError("'details' was cancelled", 'cancelled'));
    client.onStderr!('a warning');
    assert.deepEqual(log.lines, [
      'info analysis process started (pid 42)',
      'info analysis: open took 1.23 s',
      'debug analysis: nodeDetails took 3 ms',
      'warn analysis: details failed after 12 ms: model.onnx: is not an ONNX model',
      'warn analysis: a warning',
    ]);
    client.dispose();
  });
});

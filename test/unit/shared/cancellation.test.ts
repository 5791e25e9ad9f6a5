import * as assert from 'node:assert/strict';
import { describeError, OnnxFormatError } from '../../../src/core/errors';
import { RpcError } from '../../../src/rpc/messages';
import { CANCELLED, CancelledError, isCancelled, replyError } from '../../../src/shared/cancellation';
import type { HostToWebviewMessage } from '../../../src/shared/protocol';

describe('cancellation is a type, not words', () => {
  it('knows a CancelledError, a cancelled request and an aborted signal, whatever their message says', () => {
    assert.ok(isCancelled(new CancelledError('m.onnx: quantization was cancelled.')));
    assert.ok(isCancelled(new RpcError("'evaluate' was cancelled", 'cancelled')));
    const abort = new AbortController();
    abort.abort();
    assert.ok(isCancelled(abort.signal.reason));
    // A structured clone (an error crossing a worker or a process) keeps the code.
    assert.ok(isCancelled(structuredClone({ code: CANCELLED, message: 'gone' })));
  });

  it('does not take a failure that mentions cancelling for a cancellation', () => {
    assert.ok(!isCancelled(new Error('the run was cancelled by onnxruntime')));
    assert.ok(!isCancelled(new OnnxFormatError('m.onnx', 'was cancelled halfway through writing')));
    assert.ok(!isCancelled(new RpcError('the ONNX Lens runtime process did not answer', 'timeout')));
    assert.ok(!isCancelled('was cancelled'));
    assert.ok(!isCancelled(undefined));
  });

  it('keeps a cancellation sentence as it is when a child process describes it', () => {
    assert.equal(describeError(new CancelledError('m.onnx: the benchmark was cancelled.'), 'the runtime process'), 'm.onnx: the benchmark was cancelled.');
  });

  it("turns the webview protocol's requestError back into a CancelledError only when it carries the code", () => {
    const cancelled: HostToWebviewMessage = { type: 'requestError', requestId: 1, message: "'run' was cancelled", code: CANCELLED };
    const failed: HostToWebviewMessage = { type: 'requestError', requestId: 2, message: 'm.onnx: the run was cancelled by onnxruntime' };
    const asError = (m: HostToWebviewMessage) => (m.type === 'requestError' ? replyError(m.message, m.code) : null);
    assert.ok(asError(cancelled) instanceof CancelledError);
    assert.equal(asError(cancelled)?.message, "'run' was cancelled");
    assert.ok(!isCancelled(asError(failed)));
  });
});

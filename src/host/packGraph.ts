/**
 * The graph's structure packed for a webview (GraphMessage in src/shared/protocol.ts): raw deflate at
 * the fastest level, in libuv's thread pool, never on the host's thread. A webview message moves
 * about 10 MB/s through code-server; a structure deflates 5:1 (a 100k-node one: 7.3 MB → 1.5 MB in
 * ~50 ms; the default level is 4% smaller and 40% slower). The page unpacks it with
 * webview/graph/packedGraph.ts.
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { ownBuffer } from './ownBuffer';

const deflateRaw = promisify(zlib.deflateRaw);

export async function packGraph(encoded: Uint8Array): Promise<ArrayBuffer> {
  const packed = await deflateRaw(encoded, { level: 1 });
  return ownBuffer(packed);
}

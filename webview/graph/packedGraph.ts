/**
 * The graph's structure arrives packed: encodeGraphPayload bytes compressed with raw deflate, as the
 * analysis process's graph cache keeps them (src/analysisProcess/graphCache.ts). Through code-server
 * a webview message moves about 10 MB/s, so a 100k-node structure (7 MB, 1.5 MB packed) waited 0.7 s
 * for the wire; unpacking here takes 100–500 ms (docs/opening-a-model.md). The browser's own inflater.
 */
export function unpackGraph(packed: ArrayBuffer): Promise<ArrayBuffer> {
  return new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer();
}

/**
 * The bytes of a view as an ArrayBuffer of their own, for a webview message. A typed array that
 * came through the rpc pipe (src/rpc/frameChannel.ts) or out of zlib is a view on a larger buffer:
 * its `.buffer` would carry the neighbours' bytes too, at the wrong offset.
 */
export function ownBuffer(bytes: ArrayBufferView): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (byteOffset === 0 && byteLength === buffer.byteLength && buffer instanceof ArrayBuffer) return buffer;
  return buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer;
}

/**
 * Feature arrays for batches, reused once their consumer hands them back. The evaluation's
 * dataset worker gets each batch's arrays back from the thread that ran the model on them
 * (src/runtime/child/eval/batchStream.ts): a fresh 200 KB array per batch costs allocation, zeroing,
 * page faults and garbage collection in both threads, and that CPU comes out of onnxruntime's on
 * a machine whose cores it already uses. Where nothing is handed back, arrays are simply new.
 *
 * A reused array holds an older batch: whoever takes one writes every element before using it.
 */

/** Spare buffers by byte length. */
const spare = new Map<number, ArrayBuffer[]>();
let spareBytes = 0;
/** More than a read-ahead's worth is never needed (src/runtime/child/eval/pass.ts keeps 8 MB ahead). */
const MAX_SPARE_BYTES = 16 << 20;

/** A Float32Array of `length` elements: a spare one when there is one (contents undefined), else new (zeros). */
export function takeFloat32(length: number): Float32Array {
  const buffer = spare.get(length * 4)?.pop();
  if (!buffer) return new Float32Array(length);
  spareBytes -= buffer.byteLength;
  return new Float32Array(buffer);
}

/** Keeps `buffer` for a later `takeFloat32` of its size; the caller gives up every view of it. */
export function giveBack(buffer: ArrayBuffer): void {
  if (buffer.byteLength === 0 || buffer.byteLength % 4 !== 0 || spareBytes + buffer.byteLength > MAX_SPARE_BYTES) return;
  const list = spare.get(buffer.byteLength);
  if (list) list.push(buffer);
  else spare.set(buffer.byteLength, [buffer]);
  spareBytes += buffer.byteLength;
}

/** Drops every spare buffer (a pass is over: an idle reader holds no memory). */
export function dropSpareBuffers(): void {
  spare.clear();
  spareBytes = 0;
}

/** Bytes held for reuse (tests). */
export function spareBufferBytes(): number {
  return spareBytes;
}

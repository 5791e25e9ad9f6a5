/** A tensor of the runtime process's last run, read a part at a time (ui/tensor/tensorView.ts). */
import type { HostChannel } from '../shell/hostChannel';
import type { TensorSource } from '../ui/tensor/tensorView';

/** Slabs are whole batch items: large feature maps take a while to cross. */
const SLAB_TIMEOUT_MS = 120_000;

export function runTensorSource(channel: HostChannel, runId: number, name: string): TensorSource {
  return {
    histogram: () => channel.request('runTensorHistogram', { runId, name }),
    page: (offset, count) => channel.request('runTensorPage', { runId, name, offset, count }).then((page) => new Float64Array(page.buffer)),
    slab: (leading) => channel.request('runTensorSlab', { runId, name, leading }, SLAB_TIMEOUT_MS).then((slab) => ({ dims: slab.dims, data: new Float32Array(slab.buffer) })),
  };
}

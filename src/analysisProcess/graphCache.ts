/**
 * Encoded graph structures on disk, one file per (model content, display name): how the analysis
 * process hands the structure to the host, and what makes reopening a model fast.
 *
 * A file holds the structure as the webview gets it (GraphMessage in src/shared/protocol.ts):
 * encodeGraphPayload bytes with their integer sections delta-coded (deltaCoded in
 * src/shared/binarySections.ts) and packed with raw deflate at the fastest level (the page unpacks
 * them with webview/graph/packedGraph.ts; decoding undoes the deltas). A webview message moves
 * about 10 MB/s through code-server: a 100k-node structure of 7.3 MB packs to 0.4 MB (1.5 MB
 * without the deltas; deflate's default level is 4% smaller and 40% slower). Packed once here, a
 * reopen reads it and posts it as it is.
 *
 * - Handing over: a 16 MB structure (100k nodes) written to a file and read back by the host costs
 *   tens of ms; sent through the IPC pipe it took 1–3 s on a loaded 2-core machine (the pipe moves
 *   64 KB per wake-up of the reader, hundreds of round trips). See bench/openEndToEnd.bench.mjs.
 * - Reopening: the file is keyed by the model's content hash (src/analysisProcess/modelHash.ts), so a
 *   model opened before (in this window or after a reload: the folder is the extension's global
 *   storage) is answered from it without reading the model; the model is read afterwards, for
 *   details, while the webview draws.
 *
 * The folder keeps the most recently used files, up to {@link MAX_BYTES} and {@link MAX_FILES} (a
 * 100k-node model's structure is 7 MB, a DenseNet's 0.1 MB: a count alone either evicts a model
 * opened a few minutes ago or lets big ones fill the disk). Files are written to a temp name and
 * renamed, so a reader never sees half a file.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import { deltaCoded } from '../shared/binarySections';

/** Bump when the encoding (src/shared/payloadCodec.ts), its packing or what goes into a payload changes. */
export const GRAPH_CACHE_VERSION = 5;
const MAX_FILES = 64;
const MAX_BYTES = 256 * 1024 * 1024;

export class GraphCache {
  constructor(
    readonly folder: string,
    private readonly limits = { files: MAX_FILES, bytes: MAX_BYTES },
  ) {}

  /** The folder from ONNX_LENS_GRAPH_CACHE (set by the extension), else one in the temp folder. */
  static fromEnvironment(): GraphCache {
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    return new GraphCache(process.env.ONNX_LENS_GRAPH_CACHE || path.join(os.tmpdir(), `onnx-lens-graphs-${uid}`));
  }

  pathFor(modelHash: string, name: string): string {
    const key = createHash('sha1').update(`${GRAPH_CACHE_VERSION}\0${modelHash}\0${name}`).digest('hex');
    return path.join(this.folder, `${key}.graph`);
  }

  /** The cached file for this model, touched as most recently used; undefined when there is none. */
  lookup(modelHash: string, name: string): string | undefined {
    const file = this.pathFor(modelHash, name);
    try {
      const now = new Date();
      fs.utimesSync(file, now, now);
      return file;
    } catch {
      return undefined;
    }
  }

  /** Writes the encoded structure (encodeGraphPayload's bytes), packed, and returns its path; the oldest files beyond the limits go. */
  store(modelHash: string, name: string, encoded: Uint8Array): string {
    const file = this.pathFor(modelHash, name);
    fs.mkdirSync(this.folder, { recursive: true });
    const temp = `${file}.${process.pid}.${threadId}.tmp`;
    fs.writeFileSync(temp, zlib.deflateRawSync(deltaCoded(encoded), { level: 1 }));
    fs.renameSync(temp, file);
    this.prune();
    return file;
  }

  private prune(): void {
    try {
      const files = fs.readdirSync(this.folder).filter((f) => f.endsWith('.graph')).map((f) => {
        const full = path.join(this.folder, f);
        const stat = fs.statSync(full);
        return { full, at: stat.mtimeMs, bytes: stat.size };
      });
      files.sort((a, b) => b.at - a.at);
      let kept = 0;
      files.forEach((file, i) => {
        kept += file.bytes;
        // The newest file stays whatever its size: it is the one just stored.
        if (i > 0 && (i >= this.limits.files || kept > this.limits.bytes)) fs.rmSync(file.full, { force: true });
      });
    } catch {
      // Another process pruned at the same time, or the folder went away: the next store tries again.
    }
  }
}

/**
 * Where view snapshots (viewSnapshot.ts) of saved views are kept: the page's localStorage, read
 * synchronously when the graph arrives, so the preview is drawn in the same task, before the
 * structure's unpacking takes the page's thread. (IndexedDB, tried first, answered 10–240 ms after
 * the graph message in a page busy unpacking a 100k-node structure.) The webview's origin is the
 * same for every editor of this extension, so a snapshot outlives the editor and a window reload.
 * Best effort throughout: without storage, or with a damaged entry, the page waits for its first
 * frame.
 *
 * A snapshot is keyed by the packed structure as the host posts it (the graph cache's bytes,
 * src/analysisProcess/graphCache.ts): the same bytes come back for the same model content and file
 * name, and any change to the model, to the payload's encoding or to the packing gives other bytes,
 * so a snapshot is never drawn for a graph it was not taken of. The layout's and the snapshot
 * format's versions are in the key too.
 */
import { decodeSnapshot, encodeSnapshot, type ViewSnapshot } from './viewSnapshot';
import { LAYOUT_CACHE_VERSION } from './layoutProtocol';

/** Bump when ViewSnapshot or what the renderer draws from it changes. */
const SNAPSHOT_VERSION = 2;
/**
 * Snapshots kept, the most recently saved, each at most MAX_CHARS: a view of collapsed groups is
 * small (2 KB for DenseNet-121's first view, 6 KB for a 100k-node transformer's; 22 KB with 337
 * items open). The whole storage is read
 * when the page first touches it, while the page waits for its graph.
 */
const MAX_SNAPSHOTS = 48;
const MAX_CHARS = 100_000;
const PREFIX = 'onnx-lens-preview:';
/** The keys in order of use, oldest first. */
const INDEX = 'onnx-lens-previews';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled for the page
  }
}

/** Loads the page's storage while it waits for its graph (the first access reads it from the browser). */
export function loadPreviewStore(): void {
  void storage()?.length;
}

/**
 * The key of a packed structure: its length and two 32-bit hashes of its bytes (FNV-1a and a
 * multiply–rotate one over 32-bit words; 0.2 ms warm for the 0.4 MB of a 100k-node model). Not
 * SubtleCrypto: a webview served over plain http from a remote host is not a secure context.
 */
export function previewKey(packed: ArrayBuffer): string {
  const words = new Int32Array(packed, 0, packed.byteLength >> 2);
  let a = 0x811c9dc5 | 0;
  let b = 0x9e3779b9 | 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    a = Math.imul(a ^ w, 0x01000193);
    b = (Math.imul(((b ^ w) << 13) | ((b ^ w) >>> 19), 0x5bd1e995) + i) | 0;
  }
  const tail = new Uint8Array(packed, words.length << 2);
  for (let i = 0; i < tail.length; i++) {
    a = Math.imul(a ^ tail[i], 0x01000193);
    b = Math.imul(b ^ tail[i], 0x5bd1e995);
  }
  const hex = (h: number) => (h >>> 0).toString(16).padStart(8, '0');
  return `${SNAPSHOT_VERSION}|${LAYOUT_CACHE_VERSION}|${packed.byteLength}|${hex(a)}${hex(b)}`;
}

function readIndex(store: Storage): string[] {
  try {
    const keys: unknown = JSON.parse(store.getItem(INDEX) ?? '[]');
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}

/** The snapshot kept under `key`, or null (none, no storage, or not a snapshot). */
export function readPreview(key: string): ViewSnapshot | null {
  try {
    const text = storage()?.getItem(PREFIX + key);
    return text ? decodeSnapshot(text) : null;
  } catch {
    return null;
  }
}

/** Keeps `snapshot` under `key` as the most recent, dropping the oldest beyond MAX_SNAPSHOTS (or to make room). */
export function savePreview(key: string, snapshot: ViewSnapshot): void {
  const store = storage();
  if (!store) return;
  const text = encodeSnapshot(snapshot);
  if (text.length > MAX_CHARS) return;
  const keys = readIndex(store).filter((k) => k !== key);
  keys.push(key);
  for (;;) {
    while (keys.length > MAX_SNAPSHOTS) store.removeItem(PREFIX + keys.shift()!);
    try {
      store.setItem(PREFIX + key, text);
      store.setItem(INDEX, JSON.stringify(keys));
      return;
    } catch {
      // Over the quota: make room by dropping the oldest, or give up when only this one is left.
      if (keys.length <= 1) {
        store.removeItem(PREFIX + key);
        return;
      }
      store.removeItem(PREFIX + keys.shift()!);
    }
  }
}

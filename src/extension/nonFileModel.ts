/**
 * Models that are not plain files: a `git:` URI from the Source Control view (a model as it was
 * at a commit), a file of a virtual workspace (vscode-vfs:, a remote repository), anything a
 * FileSystemProvider serves. They are read through `vscode.workspace.fs` into memory — there is
 * no path for the analysis process to open lazily — so their size is capped: beyond the cap the
 * model is refused with one sentence before a byte is read. External data cannot be resolved
 * without a folder on disk, and onnxruntime needs a file, so such models can be viewed, not run
 * (package.json `capabilities.virtualWorkspaces`).
 *
 * The one way to read a model that is not on disk; a diff of two versions of a model reads both
 * sides through here too.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../shared/format';

/** Models read into memory are capped at this size (the bytes are held in the host and copied once to the analysis process). */
export const MAX_IN_MEMORY_MODEL_BYTES = 256 * 1024 * 1024;

/** True when `uri` is a file ONNX Lens can open by path (lazily, with external data and onnxruntime). */
export function isLocalFile(uri: vscode.Uri): boolean {
  return uri.scheme === 'file';
}

/**
 * The bytes of a model that is not a plain file, read through VS Code's file system; throws one
 * sentence naming the file when it cannot be read or is larger than `limit`.
 */
export async function readNonFileModel(uri: vscode.Uri, limit = MAX_IN_MEMORY_MODEL_BYTES): Promise<Uint8Array> {
  const name = path.posix.basename(uri.path);
  const where = `"${uri.scheme}:"`;
  const tooBig = (size: number) => new Error(`${name}: is ${formatBytes(size)}, more than the ${formatBytes(limit)} ONNX Lens reads into memory from ${where} resources; open a copy on disk instead.`);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (error) {
    throw new Error(`${name}: cannot be read from ${where}: ${firstLine(error)}.`);
  }
  if (stat.type & vscode.FileType.Directory) throw new Error(`${name}: is a folder, not an ONNX file.`);
  if (stat.size > limit) throw tooBig(stat.size);
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    throw new Error(`${name}: cannot be read from ${where}: ${firstLine(error)}.`);
  }
  // Some providers report size 0 (or a stale size) in stat: the bytes decide.
  if (bytes.byteLength > limit) throw tooBig(bytes.byteLength);
  return bytes;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0].replace(/[.\s]+$/, '');
}

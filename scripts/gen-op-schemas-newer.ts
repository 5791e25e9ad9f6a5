/**
 * Generates src/core/onnx/schemas/op-schemas-18-23.json, the operator versions of opsets 18–23
 * (ai.onnx.ml 4–5) that Debian's python3-onnx 1.12 does not know, from op-schemas-18-23.txt: the
 * facts transcribed from the ONNX specification (onnx/onnx docs/Changelog.md, onnx.ai operator
 * pages) with docs in our words. The registry merges the result with op-schemas.json.
 *
 * Regenerate: `npm run gen:schemas:newer` (no network, no Python), then commit the .txt and the
 * JSON; test/unit/schemasNewer.test.ts fails when they disagree. Format and sources:
 * docs/op-schemas.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OpSchema } from '../src/core/onnx/schemas/types';
import { buildSchemas, maxOpsets } from './opSchemaSource';

const DIR = path.join(__dirname, '..', 'src', 'core', 'onnx', 'schemas');
export const SOURCE = path.join(DIR, 'op-schemas-18-23.txt');
export const OUTPUT = path.join(DIR, 'op-schemas-18-23.json');
const BUNDLED = path.join(DIR, 'op-schemas.json');

/** The ONNX release whose specification the transcribed entries follow (opset 23). */
export const SPEC_VERSION = '1.18';

/** The JSON text for the current source, one schema per line like op-schemas.json. */
export function renderNewerSchemas(): string {
  const bundled = (JSON.parse(fs.readFileSync(BUNDLED, 'utf8')) as { schemas: OpSchema[] }).schemas;
  const { schemas } = buildSchemas(fs.readFileSync(SOURCE, 'utf8'), bundled);
  schemas.sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : a.sinceVersion - b.sinceVersion));
  const head = {
    generator: 'scripts/gen-op-schemas-newer.ts from op-schemas-18-23.txt',
    onnxVersion: SPEC_VERSION,
    maxOpset: maxOpsets(schemas),
  };
  const lines = ['{'];
  for (const [k, v] of Object.entries(head)) lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  lines.push('  "schemas": [');
  schemas.forEach((s, i) => lines.push(`    ${JSON.stringify(s)}${i + 1 < schemas.length ? ',' : ''}`));
  lines.push('  ]', '}', '');
  return lines.join('\n');
}

if (require.main === module) {
  const text = renderNewerSchemas();
  fs.writeFileSync(OUTPUT, text);
  const count = (JSON.parse(text) as { schemas: unknown[] }).schemas.length;
  process.stderr.write(`wrote ${count} schemas to ${path.relative(process.cwd(), OUTPUT)}, ${text.length} bytes\n`);
}
